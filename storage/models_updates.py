"""Tables for "you said, we did" updates: each update sent, and the replies it got.

An update is keyed by its consultation and a digest of the file, so sending the same file
again finds the same row. Its texts are the officer's words, not personal, so they are
plain. Each push of it to one person is a row in the outbox (`OutboxMessage.update_id`).

Replies to an update are anonymous feedback: redacted text, the day, a random id, and no
column or key that leads to the person who wrote it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ID, NAME, SHORT, Base, UTCDateTime

__all__ = ["UpdateFeedback", "UpdateRecord"]


class UpdateRecord(Base):
    """One update of one consultation, as decided when it was sent."""

    __tablename__ = "updates"
    __table_args__ = (UniqueConstraint("consultation_id", "digest"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    consultation_id: Mapped[str] = mapped_column(String(NAME))
    digest: Mapped[str] = mapped_column(String(NAME))
    source_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(SHORT))  # sending/cancelled
    send_after: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Language -> {"message", "full", "shortened", "thanks", "segments"}: as sent.
    texts: Mapped[Any] = mapped_column(JSON)
    record: Mapped[Any] = mapped_column(JSON)  # the published record (actions, figures)
    recipients: Mapped[int] = mapped_column(Integer)
    cost: Mapped[int] = mapped_column(Integer)  # segments, as the dry run counts them
    # When it began going out (migration 0009). Until then anyone who asks to hear back
    # is added to it; afterwards only a re-send adds them.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UpdateFeedback(Base):
    """A reply to an update: redacted, screened, linked to the update and nobody."""

    __tablename__ = "update_feedback"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    update_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("updates.id", ondelete="CASCADE"), index=True
    )
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    text: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
