"""After an update is queued: how its messages stand, stopping what has not gone, and the
replies people sent to it (anonymous and redacted). bot/services/updates.py decides and
queues a send."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.runtime import Runtime
from conversations.updates import REACH_REASONS
from storage.repositories.audit import detail_of
from storage.repositories.update_rows import FeedbackRow, PushCounts, StoredUpdate, UpdateStatus

__all__ = [
    "DETAILS",
    "Cancelled",
    "FeedbackRow",
    "PushCounts",
    "Standing",
    "StoredUpdate",
    "UpdateNotFound",
    "UpdateStatus",
    "cancel",
    "counts",
    "feedback",
    "standings",
]


# Why a message did not simply go, in words: (status, detail) rows' detail.
DETAILS = {
    "stopped": "said STOP before it went",
    "unsubscribed": "no longer wanted updates",
    "cancelled by an officer": "cancelled",
    **{reach.value: words for reach, words in REACH_REASONS.items()},
    "whatsapp_window": "outside WhatsApp's 24-hour window",
}


class UpdateNotFound(Exception):
    """No such update; the message says how to find the right one."""


@dataclass(frozen=True)
class Standing:
    """One update and how it stands."""

    update: StoredUpdate
    counts: PushCounts
    reasons: dict[tuple[str, str], int]  # (status, detail) -> pushes that did not simply go
    replies: int


@dataclass(frozen=True)
class Cancelled:
    update_id: str
    stopped: int  # pushes that will not go now
    sent: int  # pushes that had gone already


def standings(runtime: Runtime, consultation_id: str) -> list[Standing]:
    """Each update of the consultation, oldest first, with how its messages stand."""
    with runtime.db.unit_of_work() as uow:
        return [
            Standing(
                u,
                uow.updates.counts(u.id),
                uow.updates.reasons(u.id),
                len(uow.updates.feedback(update_id=u.id)),
            )
            for u in uow.updates.for_consultation(consultation_id)
        ]


def counts(runtime: Runtime, update_id: str) -> PushCounts:
    """How the update's messages stand now."""
    with runtime.db.unit_of_work() as uow:
        return uow.updates.counts(update_id)


def cancel(runtime: Runtime, consultation_id: str, update_id: str | None) -> list[Cancelled]:
    """Stop what has not gone yet of one update (`update_id`, or the start of it), or of
    every update of the consultation not cancelled before. A message being sent at this
    moment still goes. Each cancellation is in the audit log."""
    now = runtime.clock.now()
    done = []
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        found = uow.updates.for_consultation(consultation_id)
        for update in _chosen(found, update_id, consultation_id):
            stopped = uow.updates.cancel(update.id, now)
            sent = uow.updates.counts(update.id).sent
            uow.audit.record(
                "update.cancel",
                detail_of(
                    consultation=consultation_id, update=update.id, stopped=stopped, sent=sent
                ),
                now,
            )
            done.append(Cancelled(update.id, stopped, sent))
    return done


def feedback(
    runtime: Runtime, consultation_id: str | None, update_id: str | None = None
) -> list[FeedbackRow]:
    """The replies people sent to updates, by day, redacted: all of them, one
    consultation's, or (with the consultation) one update's, named by the start of its id."""
    with runtime.db.unit_of_work() as uow:
        full_id = None
        if update_id is not None:
            scope = uow.updates.for_consultation(consultation_id) if consultation_id else []
            matches = [u.id for u in scope if u.id.startswith(update_id.lower())]
            if consultation_id is None or len(matches) != 1:
                raise UpdateNotFound(
                    f"no single update {update_id!r} of "
                    f"{consultation_id or '(give the consultation)'}"
                )
            full_id = matches[0]
        return uow.updates.feedback(consultation_id, full_id)


def _chosen(
    updates: Sequence[StoredUpdate], wanted: str | None, consultation_id: str
) -> list[StoredUpdate]:
    if not updates:
        raise UpdateNotFound(f"no updates sent for {consultation_id}")
    if wanted is None:
        return [u for u in updates if u.status is not UpdateStatus.CANCELLED]
    found = [u for u in updates if u.id.startswith(wanted.lower())]
    if len(found) != 1:
        raise UpdateNotFound(f"no single update {wanted!r}; `yousaid update status` lists them")
    return found
