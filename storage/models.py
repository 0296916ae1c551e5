"""The tables, as SQLAlchemy 2 declarative models. Migrations (storage/migrations) create them.

The anonymity model lives here: responses, pending_answers and answers carry a respondent key
(an HMAC of a random token), a round and a day; no column or foreign key leads from them to
a participant or a conversation, and none holds an exact time. Anything that is personal
(participant state with its tokens, addresses, replies) is stored only AES-GCM encrypted.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "Answer",
    "AnswerColumns",
    "Base",
    "Consultation",
    "Conversation",
    "InboundMessage",
    "Meta",
    "OutboxMessage",
    "Participant",
    "PendingAnswer",
    "Response",
    "ReviewItem",
    "Round",
    "Subscription",
    "UTCDateTime",
    "new_id",
]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PSEUDONYM = 64  # hex HMAC-SHA256
ID = 32  # uuid4 hex
NAME = 64  # consultation ids, versions, question ids, keywords
SHORT = 16  # channels, statuses, round ids


def new_id() -> str:
    """A random row id (uuid4 hex): says nothing about when or in which order rows came."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("storage takes timezone-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:  # SQLite keeps no zone; we only ever wrote UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Meta(Base):
    """Key/value facts about this database: the key-check value, the current key id."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


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


class Consultation(Base):
    """Every loaded version of every consultation, with its source so it can be parsed again.
    `seq` orders one consultation's versions: the highest is the latest."""

    __tablename__ = "consultations"
    __table_args__ = (UniqueConstraint("id", "seq"),)

    id: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    version: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    keyword: Mapped[str] = mapped_column(String(NAME))
    title: Mapped[str] = mapped_column(Text)
    listed: Mapped[bool] = mapped_column(Boolean)
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Round(Base):
    """A period in which a consultation takes answers."""

    __tablename__ = "rounds"

    id: Mapped[str] = mapped_column(String(SHORT), primary_key=True)
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    keyword: Mapped[str | None] = mapped_column(String(NAME))  # overrides the consultation's
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(SHORT))  # scheduled/open/closed/cancelled
    channels: Mapped[str | None] = mapped_column(Text)  # comma-separated; NULL: every channel
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Scheduling (migration 0007): remind people who stop answering after this many seconds
    # (NULL: no reminder); invite those who opted in to future consultations when it opens;
    # when results will be shared (told to anyone who texts the keyword after it closes).
    reminder_seconds: Mapped[int | None] = mapped_column(Integer)
    invite: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    results_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The withdrawal window has ended and the round's answers were unlinked for good.
    unlinked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Closed by an officer before `closes_at` (migration 0009); `closes_at` stays as
    # scheduled, because the withdrawal window the consent promised counts from it.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Response(Base):
    """One run through one round. Keyed by Keys.respondent_key(token); no exact time."""

    __tablename__ = "responses"
    __table_args__ = (Index(None, "consultation_id", "round_id"),)

    respondent_key: Mapped[str] = mapped_column(String(PSEUDONYM), primary_key=True)
    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    consultation_id: Mapped[str] = mapped_column(String(NAME))
    version: Mapped[str] = mapped_column(String(NAME))
    channel: Mapped[str] = mapped_column(String(SHORT))
    status: Mapped[str] = mapped_column(String(SHORT))  # started/finished/partial
    day: Mapped[date] = mapped_column(Date)


class AnswerColumns:
    """Shared by pending_answers and answers: a random id, the respondent key, round, day."""

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    respondent_key: Mapped[str] = mapped_column(
        String(PSEUDONYM), ForeignKey("responses.respondent_key", ondelete="CASCADE")
    )
    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    version: Mapped[str] = mapped_column(String(NAME))
    question_id: Mapped[str] = mapped_column(String(NAME))
    value: Mapped[Any] = mapped_column(JSON(none_as_null=True), nullable=True)
    skipped: Mapped[bool] = mapped_column(Boolean)
    day: Mapped[date] = mapped_column(Date)


class PendingAnswer(AnswerColumns, Base):
    """Answers of responses under way; released into `answers` in mixed, shuffled batches."""

    __tablename__ = "pending_answers"
    __table_args__ = (UniqueConstraint("respondent_key", "question_id"),)


class Answer(AnswerColumns, Base):
    """Released answers."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("respondent_key", "question_id"),)


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


class ReviewItem(Base):
    """A safeguarding match for officers to review. Redacted text, linked to nobody."""

    __tablename__ = "review_queue"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    category: Mapped[str] = mapped_column(String(255))  # every one matched, ","-joined
    text: Mapped[str] = mapped_column(Text)
    consultation_id: Mapped[str | None] = mapped_column(String(NAME))
    round_id: Mapped[str | None] = mapped_column(String(SHORT), ForeignKey("rounds.id"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(SHORT), default="open", server_default="open")
    note: Mapped[str | None] = mapped_column(Text)
    # The response it came up in, so DELETE can erase it; set to NULL when the window ends.
    respondent_key: Mapped[str | None] = mapped_column(String(PSEUDONYM), index=True)
    reason: Mapped[str | None] = mapped_column(String(255))  # rule labels (0011), no text
