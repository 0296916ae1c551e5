"""The audit log of officers' actions: read it, and record an action that changed nothing
else (an export, a lookup). Actions that change something record themselves in their own
service, in the same transaction as the change."""

from __future__ import annotations

from bot.runtime import Runtime
from storage.repositories.audit import AuditRow, acting_as, detail_of

__all__ = ["AuditRow", "acting_as", "detail_of", "recent", "record"]


def recent(
    runtime: Runtime, limit: int, *, actor: str | None = None, action: str | None = None
) -> list[AuditRow]:
    """The latest `limit` entries, newest first; only `actor`'s, or only actions starting
    with `action`, when given."""
    with runtime.db.unit_of_work() as uow:
        return uow.audit.recent(limit, actor=actor, action=action)


def record(runtime: Runtime, action: str, detail: str) -> None:
    """Record `action` in its own short write transaction. `detail` holds non-personal
    facts only (ids, counts, formats): build it with `detail_of`."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.audit.record(action, detail, runtime.clock.now())
