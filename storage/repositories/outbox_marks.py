"""What a batch of claimed pushes came to, written in a few statements.

The sender claims pushes in batches (`storage.repositories.outbox_claims`), calls the
provider for each, then records every outcome of the batch in one transaction: one
executemany UPDATE per kind of mark (sent, queued again, ended, let go), in Core on the
session's connection, since the ORM's per-row bookkeeping cost more than the statements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, update
from sqlalchemy.orm import Session

from storage.models import OutboxMessage
from storage.repositories.outbox import OutboxStatus

__all__ = ["PushMark", "apply_marks", "ended", "let_go", "retry", "sent", "short"]


@dataclass(frozen=True)
class PushMark:
    """What becomes of one claimed push."""

    id: str
    status: OutboxStatus
    detail: str | None = None
    at: datetime | None = None  # sent: when it went; queued: when it is due again
    provider_ref: str | None = None
    let_go: bool = False  # never called: queued again as it was, its claim's attempt undone


def sent(message_id: str, at: datetime, provider_ref: str | None, detail: str | None) -> PushMark:
    """The provider took the push (`detail`: e.g. sent by WhatsApp template)."""
    text = short(detail) if detail is not None else None
    return PushMark(message_id, OutboxStatus.SENT, text, at, provider_ref)


def retry(message_id: str, at: datetime, detail: str) -> PushMark:
    """Nothing went: queue the push again for `at`."""
    return PushMark(message_id, OutboxStatus.QUEUED, detail, at)


def ended(message_id: str, status: OutboxStatus, detail: str) -> PushMark:
    """The push will never be sent (or may have been, for `unknown`): say why."""
    return PushMark(message_id, status, short(detail))


def let_go(message_id: str, due_at: datetime, detail: str | None = None) -> PushMark:
    """Claimed but never called (the batch stopped first, or its chat must wait): queued
    again for `due_at` as if never claimed; `detail` says why (None: left as it was)."""
    return PushMark(message_id, OutboxStatus.QUEUED, detail, due_at, let_go=True)


def apply_marks(session: Session, marks: Sequence[PushMark]) -> None:
    """Write `marks`: at most one executemany UPDATE for each kind of mark."""
    groups: dict[str, list[dict[str, Any]]] = {"sent": [], "retry": [], "ended": [], "go": []}
    for mark in marks:
        row = {"b_id": mark.id, "b_status": mark.status.value, "b_detail": mark.detail}
        if mark.let_go:
            groups["go"].append({"b_id": mark.id, "b_at": mark.at, "b_detail": mark.detail})
        elif mark.status is OutboxStatus.SENT:
            groups["sent"].append(row | {"b_at": mark.at, "b_ref": mark.provider_ref})
        elif mark.status is OutboxStatus.QUEUED:
            groups["retry"].append(row | {"b_at": mark.at})
        else:
            groups["ended"].append(row)
    session.flush()
    connection = session.connection()
    for kind, rows in groups.items():
        if rows:
            connection.execute(_STATEMENTS[kind], rows)


def short(detail: str) -> str:
    """Details are short reasons in our words; the column holds 64 characters."""
    return detail if len(detail) <= 64 else detail[:63] + "…"


def _statements() -> dict[str, Any]:
    table: Table = OutboxMessage.__table__  # type: ignore[assignment]
    c = table.c
    by_id = update(table).where(c.id == bindparam("b_id"))
    status = bindparam("b_status", type_=c.status.type)
    detail = bindparam("b_detail", type_=c.detail.type)
    at = bindparam("b_at", type_=c.next_attempt_at.type)
    return {
        "sent": by_id.values(
            status=status,
            sent_at=at,
            provider_ref=bindparam("b_ref"),
            detail=detail,
            next_attempt_at=None,
        ),
        "retry": by_id.values(status=status, next_attempt_at=at, detail=detail),
        "ended": by_id.values(status=status, next_attempt_at=None, detail=detail),
        "go": by_id.values(
            status=OutboxStatus.QUEUED.value,
            next_attempt_at=at,
            attempts=c.attempts - 1,
            detail=func.coalesce(bindparam("b_detail", type_=c.detail.type), c.detail),
        ),
    }


_STATEMENTS = _statements()
