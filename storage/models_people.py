"""The people's side: participants, their conversation, subscriptions and messages, encrypted.

Anything personal here (participant state with its tokens, addresses, replies) is stored
only AES-GCM encrypted, and no column leads from these rows to an answer.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import ID, NAME, PSEUDONYM, SHORT, Base, UTCDateTime

__all__ = ["Conversation", "InboundMessage", "OutboxMessage", "Participant", "Subscription"]


class Participant(Base):
    """One address, known only by its pseudonym. A row may exist with no state yet: the
    PostgreSQL participant lock inserts it first."""

    __tablename__ = "participants"

    pseudonym: Mapped[str] = mapped_column(String(PSEUDONYM), primary_key=True)
    state_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    address_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    channel: Mapped[str | None] = mapped_column(String(SHORT))
    language: Mapped[str | None] = mapped_column(String(SHORT))
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    needs_address: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Conversation(Base):
    """A participant's current conversation (at most one). Its state holds the respondent
    token, so it is encrypted; the plain columns serve expiry and reporting only."""

    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(
        String(PSEUDONYM),
        ForeignKey("participants.pseudonym", ondelete="CASCADE"),
        unique=True,
    )
    state_enc: Mapped[bytes] = mapped_column(LargeBinary)
    consultation_id: Mapped[str] = mapped_column(String(NAME))
    version: Mapped[str] = mapped_column(String(NAME))
    round_id: Mapped[str | None] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    phase: Mapped[str] = mapped_column(String(SHORT))
    last_active: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Subscription(Base):
    """Asked for updates about a consultation (scope this) or invitations (scope future)."""

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("pseudonym", "consultation_id", "scope"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(
        String(PSEUDONYM), ForeignKey("participants.pseudonym", ondelete="CASCADE")
    )
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    round_id: Mapped[str | None] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    scope: Mapped[str] = mapped_column(String(SHORT))
    language: Mapped[str] = mapped_column(String(SHORT))
    channel: Mapped[str] = mapped_column(String(SHORT))
    created_day: Mapped[date] = mapped_column(Date)


class InboundMessage(Base):
    """A handled inbound message, by hashed provider id, with the replies it got (a day)."""

    __tablename__ = "inbound_messages"

    digest: Mapped[str] = mapped_column(String(PSEUDONYM), primary_key=True)
    reply_enc: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class OutboxMessage(Base):
    """One message to send to one participant.

    `pseudonym` is required and cascades: the recipient's address lives only on their
    participant row, so a message without one could never be delivered, and deleting a
    participant must take their queued messages (and the encrypted text) with it.
    """

    __tablename__ = "outbox"
    __table_args__ = (Index(None, "status", "next_attempt_at"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(
        String(PSEUDONYM), ForeignKey("participants.pseudonym", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(SHORT))
    kind: Mapped[str] = mapped_column(String(SHORT))  # reply/push
    position: Mapped[int] = mapped_column(Integer)  # order within one batch of replies
    payload_enc: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(SHORT))  # queued/sending/sent/failed/unknown
    dedupe_key: Mapped[str] = mapped_column(String(128), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    provider_ref: Mapped[str | None] = mapped_column(String(NAME))
    # Pushes: the update a push belongs to (storage.models_updates; no foreign key, so this
    # module stands alone), the language it is in, and why it ended as it did, in our words.
    update_id: Mapped[str | None] = mapped_column(String(ID), index=True)
    language: Mapped[str | None] = mapped_column(String(SHORT))
    detail: Mapped[str | None] = mapped_column(String(NAME))
