"""What a batch of pushes came to, recorded in one transaction (`bot.outbox.delivery`).

Each provider call's outcome (`bot.outbox.outcomes`) becomes a mark: sent; queued again
with exponential backoff and jitter (429, 5xx, a connection never made) until
`MAX_ATTEMPTS`; refused for good; blocked (the person is then unreachable: no more pushes,
no subscriptions); or `unknown` when the call broke after the request left. A push the batch
claimed but never called is let go: queued again as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.outbox.outcomes import Blocked, NotNow, Outcome, Refused, Retry, Sent
from bot.runtime import Runtime
from storage.repositories.outbox import OutboxStatus
from storage.repositories.outbox_claims import DuePush
from storage.repositories.outbox_marks import PushMark, ended, retry, sent
from storage.repositories.update_rows import TEMPLATE_DETAIL

__all__ = ["MAX_ATTEMPTS", "Backoff", "Record", "record"]

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8  # then the push is failed: something is wrong for longer than a blip

Backoff = Callable[[int, timedelta], timedelta]  # (attempts so far, at least) -> wait


@dataclass
class Record:
    """A batch's outcomes so far, to write in one transaction."""

    backoff: Backoff
    marks: list[PushMark] = field(default_factory=list)
    blocked: dict[str, str] = field(default_factory=dict)  # pseudonym -> why
    called: list[tuple[DuePush, Outcome]] = field(default_factory=list)

    def add(self, push: DuePush, outcome: Outcome, template: str | None, now: datetime) -> None:
        """The call for `push` came to `outcome` at `now`."""
        self.called.append((push, outcome))
        self.marks.append(self._mark(push, outcome, template, now))
        if isinstance(outcome, Blocked):
            self.blocked[push.pseudonym] = outcome.reason[:64]

    def _mark(
        self, push: DuePush, outcome: Outcome, template: str | None, now: datetime
    ) -> PushMark:
        if isinstance(outcome, Sent):
            return sent(push.id, now, outcome.ref, TEMPLATE_DETAIL if template else None)
        if isinstance(outcome, Retry):
            attempts = push.attempts + 1
            if attempts >= MAX_ATTEMPTS:
                reason = f"gave up after {attempts} tries: {outcome.reason}"
                return ended(push.id, OutboxStatus.FAILED, reason[:64])
            at = now + self.backoff(attempts, outcome.after)
            return retry(push.id, at, outcome.reason[:64])
        if isinstance(outcome, Blocked | Refused):
            return ended(push.id, OutboxStatus.FAILED, outcome.reason[:64])
        if isinstance(outcome, NotNow):
            return ended(push.id, OutboxStatus.UNREACHABLE, outcome.reason[:64])
        return ended(push.id, OutboxStatus.UNKNOWN, outcome.reason[:64])


def record(runtime: Runtime, batch: Record) -> None:
    """Write a batch's marks in one transaction; the people a provider refused for good
    are given up on in it too (their participants locked first, in one order, as every
    writer locks a participant before its rows)."""
    if not batch.marks:
        return
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for pseudonym in sorted(batch.blocked):
            uow.lock_participant(pseudonym, create=False)
        uow.pushes.mark(batch.marks)
        for pseudonym in sorted(batch.blocked):
            uow.pushes.give_up_on(pseudonym, batch.blocked[pseudonym])
    for push, outcome in batch.called:
        log.info(
            "outbox push actor=%s channel=%s outcome=%s",
            push.pseudonym[:8],
            push.channel,
            type(outcome).__name__,
        )
