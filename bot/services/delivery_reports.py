"""A provider's report of what became of a message we sent (Twilio's status callbacks)."""

from __future__ import annotations

from bot.runtime import Runtime

__all__ = ["record_status"]


def record_status(
    runtime: Runtime, sid: str, status: str, error_code: int | None, outbox_id: str | None
) -> bool:
    """Record the report in its own short write; True when it belongs to a message in the
    outbox. Reports arrive out of order: a final status is never replaced by an earlier one,
    and an undelivered or failed message marks its outbox row failed."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        return uow.provider_messages.record_status(sid, status, error_code, outbox_id)
