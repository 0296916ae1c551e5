"""The scheduler's own tables: reminders sent, invitations due, and when each job last ran.

Every due time the scheduler acts on lives in rows (here, in `rounds` and in
`conversations`), never in APScheduler's job store: a round scheduled from another process
is seen at the next tick, and a restart or downtime loses nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ID, NAME, SHORT, Base, UTCDateTime

__all__ = ["Invitation", "JobRun", "Reminder"]


class Reminder(Base):
    """The one reminder a conversation got. Keyed by the conversation, never by a person or
    an address: it goes with the conversation (DELETE, expiry, a new run)."""

    __tablename__ = "reminders"

    conversation_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"), index=True)
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Invitation(Base):
    """A round's invitations (`round schedule --invite`): due when it opens, queued once."""

    __tablename__ = "invitations"

    round_id: Mapped[str] = mapped_column(String(SHORT), ForeignKey("rounds.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(SHORT))  # pending/queued/skipped/cancelled
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipients: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class JobRun(Base):
    """When a scheduled job last started and last succeeded; the daily ones are due from it."""

    __tablename__ = "job_runs"

    name: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_ok_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(NAME))  # an exception's class name
