"""Releasing answers: an ended response's answers wait (pending) and are released in
batches that mix conversations, so the order answers are stored in says nothing about who
gave them. The scheduler runs `release_due` on its tick; `yousaid privacy release` runs
`release_now` to close the books."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from bot.runtime import Runtime
from storage.repositories.audit import detail_of

log = logging.getLogger(__name__)

__all__ = ["RELEASE_EVERY", "release_due", "release_now"]

RELEASE_EVERY = timedelta(hours=1)
"""Fewer ended responses than the batch size are still released after this long, as long
as there are at least two of them, so that a batch always mixes conversations."""
MIN_MIX = 2


def release_due(runtime: Runtime, rng: random.Random | None = None) -> int:
    """Release pending answers if a batch is due: at least YOUSAID_RELEASE_BATCH ended
    responses are waiting, or an hour has passed since the last release and at least two
    are. Returns the answers released (0: not due)."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        count = uow.waiting_to_release()
        last = uow.last_release()
        hourly = last is None or now - last >= RELEASE_EVERY
        if count < runtime.settings.release_batch and not (count >= MIN_MIX and hourly):
            return 0
        released = uow.release_pending(now, rng)
    log.info("privacy release responses=%d answers=%d", count, released)
    return released


def release_now(runtime: Runtime, rng: random.Random | None = None) -> tuple[int, int]:
    """Release every ended response's answers now, however few (an officer closing the
    books). Returns (responses, answers) released."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        count = uow.waiting_to_release()
        released = uow.release_pending(now, rng)
        uow.audit.record("privacy.release", detail_of(responses=count, answers=released), now)
    log.info("privacy release (by hand) responses=%d answers=%d", count, released)
    return count, released
