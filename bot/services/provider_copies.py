"""The record of which providers' copies of messages are due for deletion (Twilio's log
keeps the number and the text). The channel's eraser (bot/channels/twilio/cleanup.py)
makes the provider calls; each step it takes is recorded here in its own short write, so
a crash or a failed call only delays a deletion."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Runtime
from storage.repositories.provider_messages import FINAL_STATUSES, Direction, PendingErasure

__all__ = [
    "FINAL_STATUSES",
    "PendingErasure",
    "due",
    "erase_failed",
    "erased",
    "media_erased",
    "schedule_outbound",
]


def schedule_outbound(runtime: Runtime, sid: str, when: datetime) -> None:
    """Our message `sid`'s copy is to be deleted at `when`."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.provider_messages.schedule_erasure(sid, Direction.OUTBOUND, when)


def due(runtime: Runtime, limit: int) -> list[PendingErasure]:
    """Up to `limit` copies due for deletion now."""
    with runtime.db.unit_of_work() as uow:
        return list(uow.provider_messages.due(runtime.clock.now(), limit))


def media_erased(runtime: Runtime, sid: str, media_sid: str) -> None:
    """One picture of message `sid` is deleted at the provider."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.provider_messages.media_erased(sid, media_sid)


def erased(runtime: Runtime, sid: str) -> None:
    """Message `sid`'s copy is deleted at the provider: nothing is left to do for it."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.provider_messages.erased(sid)


def erase_failed(runtime: Runtime, sid: str, retry_at: datetime) -> None:
    """Deleting message `sid`'s copy failed: try again at `retry_at`."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.provider_messages.erase_failed(sid, retry_at)
