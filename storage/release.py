"""Release pending answers into `answers` in one mixed, shuffled batch.

Answers wait in pending_answers while their response runs. Moving them only in batches that
mix several responses, in a random order and under fresh random ids, means neither write
order, row ids nor PostgreSQL's xmin (one transaction for the whole batch) join them back
to a moment, and so to a conversation. The pending rows are deleted in the same
transaction, so an answer is never in both tables, nor in neither.
"""

from __future__ import annotations

import random
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from conversations.facts import ResponseStatus
from storage.models import Answer, Meta, PendingAnswer, Response, new_id

__all__ = ["ENDED", "LAST_RELEASE", "last_released", "release_pending", "waiting"]

LAST_RELEASE = "answers_last_released_at"
ENDED = (ResponseStatus.FINISHED.value, ResponseStatus.PARTIAL.value)
_CHUNK = 500  # ids per DELETE, well under SQLite's bound-parameter limit


def release_pending(
    session: Session, now: datetime, rng: random.Random, round_id: str | None = None
) -> int:
    """Move every pending answer of finished and partial responses (of one round, when
    given) in one shuffled batch; returns how many answers moved."""
    statement = (
        select(PendingAnswer)
        .join(Response, Response.respondent_key == PendingAnswer.respondent_key)
        .where(Response.status.in_(ENDED))
    )
    if round_id is not None:
        statement = statement.where(PendingAnswer.round_id == round_id)
    pending = list(session.scalars(statement))
    if not pending:
        return 0
    rows = [
        {
            "id": new_id(),
            "respondent_key": row.respondent_key,
            "round_id": row.round_id,
            "consultation_id": row.consultation_id,
            "version": row.version,
            "question_id": row.question_id,
            "value": row.value,
            "skipped": row.skipped,
            "day": row.day,
        }
        for row in pending
    ]
    rng.shuffle(rows)
    ids = [row.id for row in pending]
    for chunk in range(0, len(ids), _CHUNK):
        batch = ids[chunk : chunk + _CHUNK]
        session.execute(delete(PendingAnswer).where(PendingAnswer.id.in_(batch)))
    # No clash with an earlier released answer is possible: recording an answer deletes any
    # released one for the same question. Rows go in the shuffled order.
    session.execute(insert(Answer), rows)
    meta = session.get(Meta, LAST_RELEASE)
    if meta is None:
        session.add(Meta(key=LAST_RELEASE, value=now.isoformat()))
    else:
        meta.value = now.isoformat()
    session.flush()
    session.expire_all()
    return len(rows)


def waiting(session: Session) -> int:
    """How many ended responses have answers waiting to be released."""
    statement = (
        select(func.count(func.distinct(PendingAnswer.respondent_key)))
        .join(Response, Response.respondent_key == PendingAnswer.respondent_key)
        .where(Response.status.in_(ENDED))
    )
    return int(session.scalar(statement) or 0)


def last_released(session: Session) -> datetime | None:
    """When answers were last released (None: never)."""
    value = session.scalar(select(Meta.value).where(Meta.key == LAST_RELEASE))
    return datetime.fromisoformat(value) if value is not None else None
