"""Provider copies of messages: delivery status, and erasing the provider's log of them.

Twilio keeps every message (number and body) until it is deleted through its API. Each row
here is one Twilio message we know by SID: an inbound one to delete once handled, or an
outbound one whose delivery callbacks we follow and delete at its final status. A failed
deletion stays due and is tried again later. The row holds no number and no text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, false, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from storage.models import ID, NAME, SHORT, Base, OutboxMessage, UTCDateTime
from storage.repositories.outbox import OutboxStatus
from storage.upsert import insert_ignore

__all__ = [
    "FINAL_STATUSES",
    "Direction",
    "PendingErasure",
    "ProviderMessage",
    "ProviderMessagesRepository",
]

# Delivery statuses after which nothing about the message changes any more.
FINAL_STATUSES = frozenset({"delivered", "undelivered", "failed", "canceled", "read"})
_FAILED_STATUSES = frozenset({"undelivered", "failed"})


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class ProviderMessage(Base):
    """One provider message by SID: its last status and when to delete the provider's copy."""

    __tablename__ = "provider_messages"

    provider: Mapped[str] = mapped_column(String(SHORT), primary_key=True)
    sid: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    direction: Mapped[str] = mapped_column(String(SHORT))
    outbox_id: Mapped[str | None] = mapped_column(
        String(ID), ForeignKey("outbox.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str | None] = mapped_column(String(SHORT))
    error_code: Mapped[int | None] = mapped_column(Integer)
    media: Mapped[str] = mapped_column(Text, default="", server_default="")  # ME... SIDs
    erase_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    erase_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    erased: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


@dataclass(frozen=True)
class PendingErasure:
    sid: str
    media: tuple[str, ...]
    attempts: int


class ProviderMessagesRepository:
    def __init__(self, session: Session, provider: str = "twilio") -> None:
        self._session = session
        self._provider = provider

    def schedule_erasure(
        self, sid: str, direction: Direction, due: datetime, media: Sequence[str] = ()
    ) -> None:
        """Make the provider's copy of `sid` due for deletion at `due` (or sooner)."""
        # insert_ignore's "inserted?" is not reliable on PostgreSQL through the ORM (rowcount
        # -1), so the row is read back either way; a new row already has `due`.
        insert_ignore(
            self._session,
            ProviderMessage,
            {
                "provider": self._provider,
                "sid": sid,
                "direction": direction.value,
                "media": " ".join(media),
                "erase_at": due,
                "erase_attempts": 0,
                "erased": False,
            },
        )
        row = self._locked(sid)
        if row is not None and not row.erased and (row.erase_at is None or due < row.erase_at):
            row.erase_at = due
            self._session.flush()

    def record_status(
        self, sid: str, status: str, error_code: int | None, outbox_id: str | None = None
    ) -> bool:
        """Record a delivery callback; True when it belongs to a message in the outbox.

        Callbacks can arrive out of order, so a final status is never replaced by an earlier
        one. An undelivered or failed message marks its outbox row failed.
        """
        insert_ignore(
            self._session,
            ProviderMessage,
            {
                "provider": self._provider,
                "sid": sid,
                "direction": Direction.OUTBOUND.value,
                "media": "",
                "erase_attempts": 0,
                "erased": False,
            },
        )
        row = self._locked(sid)
        assert row is not None
        if row.status not in FINAL_STATUSES or status in FINAL_STATUSES:
            row.status = status
            row.error_code = error_code
        if outbox_id is not None and self._link(outbox_id, sid):
            row.outbox_id = outbox_id
        if status in _FAILED_STATUSES:
            self._session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.provider_ref == sid)
                .values(status=OutboxStatus.FAILED.value, next_attempt_at=None)
            )
        self._session.flush()
        found = self._session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.provider_ref == sid).limit(1)
        )
        return found is not None

    def get(self, sid: str) -> ProviderMessage | None:
        return self._session.get(ProviderMessage, (self._provider, sid))

    def due(self, now: datetime, limit: int = 50) -> list[PendingErasure]:
        """Copies due for deletion at `now`, oldest due first."""
        statement = (
            select(ProviderMessage)
            .where(
                ProviderMessage.provider == self._provider,
                ProviderMessage.erased.is_(False),
                ProviderMessage.erase_at.is_not(None),
                ProviderMessage.erase_at <= now,
            )
            .order_by(ProviderMessage.erase_at)
            .limit(limit)
        )
        return [
            PendingErasure(row.sid, tuple(row.media.split()), row.erase_attempts)
            for row in self._session.scalars(statement)
        ]

    def media_erased(self, sid: str, media_sid: str) -> None:
        """One media item of `sid` is gone from the provider."""
        row = self._locked(sid)
        if row is not None:
            row.media = " ".join(m for m in row.media.split() if m != media_sid)
            self._session.flush()

    def erased(self, sid: str) -> None:
        """The provider's copy is gone: forget an inbound message, keep an outbound one's
        delivery status."""
        row = self._locked(sid)
        if row is None:
            return
        if row.direction == Direction.INBOUND.value:
            self._session.delete(row)
        else:
            row.erased, row.erase_at, row.media = True, None, ""
        self._session.flush()

    def erase_failed(self, sid: str, retry_at: datetime) -> int:
        """Deleting failed: try again at `retry_at`; returns the attempts so far."""
        row = self._locked(sid)
        if row is None:
            return 0
        row.erase_attempts += 1
        row.erase_at = retry_at
        self._session.flush()
        return row.erase_attempts

    def _locked(self, sid: str) -> ProviderMessage | None:
        statement = (
            select(ProviderMessage)
            .where(ProviderMessage.provider == self._provider, ProviderMessage.sid == sid)
            .with_for_update()
        )
        return self._session.scalars(statement).first()

    def _link(self, outbox_id: str, sid: str) -> bool:
        """Give a TwiML reply's outbox row the SID Twilio chose for it."""
        result = self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == outbox_id, OutboxMessage.provider_ref.is_(None))
            .values(provider_ref=sid)
        )
        return bool(getattr(result, "rowcount", 0))
