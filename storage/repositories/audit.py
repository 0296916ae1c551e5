"""The audit log of officers' actions: record one, read the latest.

Callers pass `detail` built from non-personal facts only (ids, counts, a format); see
storage/models_audit.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models import new_id
from storage.models_audit import AuditEntry

__all__ = ["AuditRepository", "AuditRow", "acting_as", "detail_of"]

# Who the entries written now are by: set by the face that took the request (the console
# per request, the CLI per command); the scheduler's jobs are "system". A context variable
# follows the request into Starlette's thread pool, so no service has to pass it along.
_actor: ContextVar[str] = ContextVar("audit_actor", default="system")


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Within the block, audit entries name `actor` (an officer's e-mail, `cli:<user>`)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: datetime
    action: str
    detail: str
    actor: str = "system"


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, action: str, detail: str, now: datetime) -> str:
        """Add one entry (in the caller's transaction); returns its id."""
        entry_id = new_id()
        entry = AuditEntry(id=entry_id, at=now, action=action, detail=detail, actor=_actor.get())
        self._session.add(entry)
        return entry_id

    def recent(
        self, limit: int = 50, *, actor: str | None = None, action: str | None = None
    ) -> list[AuditRow]:
        """The latest `limit` entries, newest first; only `actor`'s, or only actions
        starting with `action` (`round` finds round.schedule and round.close), if given."""
        statement = select(AuditEntry)
        if actor:
            statement = statement.where(AuditEntry.actor == actor)
        if action:
            statement = statement.where(AuditEntry.action.startswith(action, autoescape=True))
        statement = statement.order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit)
        return [
            AuditRow(entry.id, entry.at, entry.action, entry.detail, entry.actor)
            for entry in self._session.scalars(statement)
        ]

    def purge(self, before: datetime) -> int:
        """Delete entries older than `before` (the retention rule); how many went."""
        result = self._session.execute(delete(AuditEntry).where(AuditEntry.at < before))
        return int(getattr(result, "rowcount", 0) or 0)


def detail_of(**facts: object) -> str:
    """`consultation=feeling-safe round=all format=csv`: facts as key=value words, in the
    order given; None is left out."""
    return " ".join(f"{key}={value}" for key, value in facts.items() if value is not None)
