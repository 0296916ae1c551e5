"""The audit log of officers' actions: record one, read the latest.

Callers pass `detail` built from non-personal facts only (ids, counts, a format); see
storage/models_audit.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import new_id
from storage.models_audit import AuditEntry

__all__ = ["AuditRepository", "AuditRow", "detail_of"]


@dataclass(frozen=True)
class AuditRow:
    id: str
    at: datetime
    action: str
    detail: str


class AuditRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def record(self, action: str, detail: str, now: datetime) -> str:
        """Add one entry (in the caller's transaction); returns its id."""
        entry_id = new_id()
        self._session.add(AuditEntry(id=entry_id, at=now, action=action, detail=detail))
        return entry_id

    def recent(self, limit: int = 50) -> list[AuditRow]:
        """The latest `limit` entries, newest first."""
        statement = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit)
        return [
            AuditRow(entry.id, entry.at, entry.action, entry.detail)
            for entry in self._session.scalars(statement)
        ]


def detail_of(**facts: object) -> str:
    """`consultation=feeling-safe round=all format=csv`: facts as key=value words, in the
    order given; None is left out."""
    return " ".join(f"{key}={value}" for key, value in facts.items() if value is not None)
