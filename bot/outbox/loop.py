"""The outbox loop: delivers pushes (updates, reminders, invitations), paced, at most once.

One lane per provider (Twilio: SMS and WhatsApp; Telegram), each taking the pushes due
soonest, a batch at a time: claimed together, sent one call at a time and recorded together
by `bot.outbox.delivery`, outside quiet hours only and as the lane's pace allows (at any
provider's real rate a batch is one message). A row a crash left `sending` becomes
`unknown` (`recover`): neither provider takes an idempotency key, so nothing that may have
gone is sent again: at most once.

Between pushes, and whenever nothing is due, each lane does its provider's housekeeping
(`Transport.tidy`: Twilio's copies of messages deleted, one call each), here and never on
a request's path.

Pacing (`bot.outbox.pacing`) is by spacing, never by waiting for a 429. The clock and the
sleep are inputs, so tests run at any rate without sleeping.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.outbox import delivery
from bot.outbox.delivery import Lane
from bot.outbox.pacing import Pacer
from bot.outbox.transport import Transport
from bot.runtime import Runtime
from conversations.quiet_hours import next_allowed

__all__ = ["OutboxSender", "next_sending_time"]

log = logging.getLogger(__name__)

STALE_SENDING = timedelta(minutes=2)  # longer than any call: its sender has stopped
IDLE_WAIT = 2.0  # seconds between looks at the outbox when nothing is due
TIDY_EVERY = 5.0  # seconds: a lane busy sending still tidies this often


class OutboxSender:
    """Delivers due pushes through `transports`; `drain` for tests and `--once`, `run` for
    a long-running worker (a thread per lane)."""

    def __init__(
        self,
        runtime: Runtime,
        transports: Sequence[Transport],
        *,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.runtime = runtime
        self.clock = clock or runtime.clock
        self.sleep = sleep
        self.rng = rng or random.SystemRandom()
        self.lanes = [Lane(t, Pacer(t.rate, t.per_chat)) for t in transports]

    # Running -----------------------------------------------------------------------------

    def drain(self, limit: int | None = None) -> int:
        """Send everything due now, waiting (through `sleep`) as pacing asks; returns how
        many pushes were dealt with. Stops when nothing is due (quiet hours: nothing is)."""
        self.recover()
        handled = 0
        for lane in self.lanes:
            while limit is None or handled < limit:
                done = self._step(lane, None if limit is None else limit - handled)
                handled += done.handled
                if done.wait > 0:
                    self.sleep(done.wait)
                elif not done.handled:
                    break
        self.tidy()
        return handled

    def run(self, stop: threading.Event) -> None:
        """Deliver until `stop` is set: one thread per lane."""
        self.recover()
        threads = [
            threading.Thread(
                target=self._run_lane, args=(lane, stop), name=f"outbox-{lane.name}", daemon=True
            )
            for lane in self.lanes
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def close(self) -> None:
        """Release every provider's connections."""
        for lane in self.lanes:
            lane.transport.close()

    def tidy(self) -> int:
        """Every provider's housekeeping due now, until none is left; how many items."""
        done = 0
        for lane in self.lanes:
            while (step := self._tidy(lane)) > 0:
                done += step
        return done

    def recover(self) -> int:
        """Rows a stopped sender left `sending` become `unknown` (reported, never resent)."""
        with self.runtime.db.unit_of_work() as uow:
            uow.begin_write()
            found = uow.pushes.recover_interrupted(self.clock.now(), STALE_SENDING)
        if found:
            log.warning("outbox: %d push(es) were mid-call when a sender stopped: unknown", found)
        return found

    def _run_lane(self, lane: Lane, stop: threading.Event) -> None:
        last_recovery = last_tidy = time.monotonic()
        while not stop.is_set():
            try:
                done = self._step(lane)
                wait = done.wait if done.wait or not done.handled else None
            except Exception as error:  # a database blip must not end the worker
                # Only the type: a database error's text can quote the statement's values.
                log.error(
                    "outbox lane %s failed a step (%s); trying again shortly",
                    lane.name,
                    type(error).__name__,
                )
                wait = IDLE_WAIT
            if wait == 0.0 or time.monotonic() - last_tidy > TIDY_EVERY:
                if self._tidy(lane):
                    wait = None  # more may be due: look again at once
                last_tidy = time.monotonic()
            if wait is not None:
                stop.wait(min(wait, IDLE_WAIT) if wait else IDLE_WAIT)
            if time.monotonic() - last_recovery > STALE_SENDING.total_seconds():
                self.recover()
                last_recovery = time.monotonic()

    def _tidy(self, lane: Lane) -> int:
        try:
            return lane.transport.tidy()
        except Exception as error:  # a failed deletion is retried later, never fatal
            log.error("outbox lane %s failed to tidy (%s)", lane.name, type(error).__name__)
            return 0

    def _backoff(self, attempts: int, at_least: timedelta) -> timedelta:
        """Exponential, with jitter so that many retries don't come back at once."""
        return delivery.backoff(attempts, at_least, self.rng)

    def _step(self, lane: Lane, limit: int | None = None) -> delivery.Step:
        return delivery.step(self.runtime, self.clock, lane, self._backoff, limit)


def next_sending_time(runtime: Runtime, at: datetime) -> datetime:
    """When a push due at `at` can go: `at`, or the end of quiet hours it falls in."""
    local = at.astimezone(runtime.settings.zone)
    return next_allowed(local, runtime.settings.quiet_window)
