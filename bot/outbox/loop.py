"""The outbox loop: delivers pushes (updates, reminders, invitations), paced, at most once.

One lane per provider (Twilio: SMS and WhatsApp; Telegram), each taking the push due
soonest, one at a time:

1. Outside quiet hours only, and only once the lane's pace allows the next message.
2. Claim, in one short transaction: the row and its participant are locked (PostgreSQL:
   ``FOR UPDATE SKIP LOCKED``, so two senders never take one row), the person is checked
   again (STOP, DELETE, still subscribed, reachable), and the row is marked `sending`.
   STOP arriving while an update goes out therefore stops every message not yet claimed.
3. The provider call, then a second transaction records its outcome (`bot.outbox.outcomes`):
   sent; tried again later with exponential backoff and jitter (429, 5xx, a connection
   never made); refused for good; blocked (the person is then unreachable: 21610, 21211,
   21614, Telegram's Forbidden); or `unknown` when the call broke after the request left.
   A row a crash left `sending` becomes `unknown` too. Neither provider takes an
   idempotency key, so nothing that may have gone is sent again: at most once.

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
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.addresses import Address
from bot.clock import Clock
from bot.outbox.outcomes import Blocked, NotNow, Outcome, Refused, Retry, Sent, Unsure
from bot.outbox.pacing import Pacer
from bot.outbox.transport import Transport
from bot.runtime import Runtime
from conversations.quiet_hours import is_quiet, next_allowed
from conversations.updates import Reach, Recipient, reach
from storage.repositories.outbox import OutboxStatus
from storage.repositories.outbox_claims import DuePush
from storage.repositories.update_rows import TEMPLATE_DETAIL

__all__ = ["OutboxSender", "next_sending_time"]

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8  # then the push is failed: something is wrong for longer than a blip
STALE_SENDING = timedelta(minutes=2)  # longer than any call: its sender has stopped
IDLE_WAIT = 2.0  # seconds between looks at the outbox when nothing is due
TIDY_EVERY = 5.0  # seconds: a lane busy sending still tidies this often
STOPPED = "stopped"  # details, in our words: they said STOP before it went
UNSUBSCRIBED = "unsubscribed"  # they took back their wish to hear (or were erased)


@dataclass
class _Lane:
    transport: Transport
    pacer: Pacer

    @property
    def name(self) -> str:
        return "+".join(c.value for c in self.transport.channels)


@dataclass(frozen=True)
class _Claimed:
    push: DuePush
    address: Address
    template: str | None


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
        self.lanes = [_Lane(t, Pacer(t.rate, t.per_chat)) for t in transports]

    # Running -----------------------------------------------------------------------------

    def drain(self, limit: int | None = None) -> int:
        """Send everything due now, waiting (through `sleep`) as pacing asks; returns how
        many pushes were dealt with. Stops when nothing is due (quiet hours: nothing is)."""
        self.recover()
        handled = 0
        for lane in self.lanes:
            while limit is None or handled < limit:
                wait = self._step(lane)
                if wait is None:
                    handled += 1
                elif wait == 0.0:
                    break
                else:
                    self.sleep(wait)
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

    def _run_lane(self, lane: _Lane, stop: threading.Event) -> None:
        last_recovery = last_tidy = time.monotonic()
        while not stop.is_set():
            try:
                wait = self._step(lane)
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

    def _tidy(self, lane: _Lane) -> int:
        try:
            return lane.transport.tidy()
        except Exception as error:  # a failed deletion is retried later, never fatal
            log.error("outbox lane %s failed to tidy (%s)", lane.name, type(error).__name__)
            return 0

    # One push ------------------------------------------------------------------------------

    def _step(self, lane: _Lane) -> float | None:
        """Deal with one push: None when one was dealt with, else seconds to wait (0: none due)."""
        now = self.clock.now()
        window = self.runtime.settings.quiet_window
        local = now.astimezone(self.runtime.settings.zone)
        if is_quiet(local, window):
            return 0.0  # nothing unprompted now; the caller looks again later
        wait = lane.pacer.wait(now.timestamp())
        if wait > 0:
            return wait
        claimed = self._claim(lane, now)
        if claimed is None:
            return 0.0
        if isinstance(claimed, float):
            return claimed
        if isinstance(claimed, _Claimed):
            self._deliver(lane, claimed)
        return None

    def _claim(self, lane: _Lane, now: datetime) -> _Claimed | float | bool | None:
        """Take the next due push: a claim to send; True when it was settled without a call;
        seconds when its chat must wait; None when nothing is due."""
        with self.runtime.db.unit_of_work() as uow:
            uow.begin_write()
            push = uow.pushes.next_push(lane.transport.channels, now)
            if push is None:
                return None
            stopped = _not_wanted(push)
            if stopped is not None:
                uow.pushes.push_ended(push.id, OutboxStatus.CANCELLED, stopped)
                return True
            how, template = reach(
                _as_recipient(push), now, self.runtime.settings.twilio_whatsapp_templates
            )
            if how not in (Reach.OK, Reach.TEMPLATE) or push.address is None:
                uow.pushes.push_ended(push.id, OutboxStatus.UNREACHABLE, how.value)
                return True
            chat_wait = lane.pacer.chat_wait(push.pseudonym, now.timestamp())
            if chat_wait > 0:
                uow.pushes.push_retry(
                    push.id, now + timedelta(seconds=chat_wait), "a message to this chat just went"
                )
                return chat_wait
            uow.pushes.claim(push.id, now)
        scheme, _, value = push.address.partition(":")
        return _Claimed(push, Address(scheme, value), template)

    def _deliver(self, lane: _Lane, claimed: _Claimed) -> None:
        push = claimed.push
        outcome = self._call(lane.transport, claimed)
        now = self.clock.now()
        moment = now.timestamp()
        if isinstance(outcome, Sent):
            lane.pacer.spent(moment, outcome.cost, push.pseudonym)
        elif isinstance(outcome, Retry):
            lane.pacer.pause(moment, outcome.after.total_seconds())
        else:  # a refusal still counts against the rate: the provider saw the request
            lane.pacer.spent(
                moment, lane.transport.cost(push.channel, push.message), push.pseudonym
            )
        self._record(push, outcome, claimed.template, now)

    def _call(self, transport: Transport, claimed: _Claimed) -> Outcome:
        push = claimed.push
        try:
            return transport.send(claimed.address, push.channel, push.message, claimed.template)
        except Exception as error:  # the request may have left: never send it again
            log.error("outbox: a push call failed (%s): marked unknown", type(error).__name__)
            return Unsure(f"the call failed ({type(error).__name__})")

    def _record(self, push: DuePush, outcome: Outcome, template: str | None, now: datetime) -> None:
        with self.runtime.db.unit_of_work() as uow:
            uow.begin_write()
            if isinstance(outcome, Sent):
                detail = TEMPLATE_DETAIL if template else None
                uow.pushes.push_sent(push.id, now, outcome.ref, detail)
            elif isinstance(outcome, Retry):
                attempts = push.attempts + 1
                if attempts >= MAX_ATTEMPTS:
                    reason = f"gave up after {attempts} tries: {outcome.reason}"
                    uow.pushes.push_ended(push.id, OutboxStatus.FAILED, reason[:64])
                else:
                    at = now + self._backoff(attempts, outcome.after)
                    uow.pushes.push_retry(push.id, at, outcome.reason[:64])
            elif isinstance(outcome, Blocked):
                uow.lock_participant(push.pseudonym, create=False)
                uow.pushes.push_ended(push.id, OutboxStatus.FAILED, outcome.reason[:64])
                uow.pushes.give_up_on(push.pseudonym, outcome.reason[:64])
            elif isinstance(outcome, Refused):
                uow.pushes.push_ended(push.id, OutboxStatus.FAILED, outcome.reason[:64])
            elif isinstance(outcome, NotNow):
                uow.pushes.push_ended(push.id, OutboxStatus.UNREACHABLE, outcome.reason[:64])
            else:
                uow.pushes.push_ended(push.id, OutboxStatus.UNKNOWN, outcome.reason[:64])
        log.info(
            "outbox push actor=%s channel=%s outcome=%s",
            push.pseudonym[:8],
            push.channel,
            type(outcome).__name__,
        )

    def _backoff(self, attempts: int, at_least: timedelta) -> timedelta:
        """Exponential, with jitter so that many retries don't come back at once."""
        base: timedelta = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1))
        jittered: timedelta = base * self.rng.uniform(0.5, 1.5)
        return max(at_least, jittered)


def _not_wanted(push: DuePush) -> str | None:
    """Why the push must not go any more, checked right before the call."""
    if push.opted_out:
        return STOPPED
    if not push.still_wanted:
        return UNSUBSCRIBED
    return None


def _as_recipient(push: DuePush) -> Recipient:
    return Recipient(
        pseudonym=push.pseudonym,
        channel=push.channel,
        language=push.language or "",
        has_address=push.address is not None,
        last_message_at=push.last_message_at,
    )


def next_sending_time(runtime: Runtime, at: datetime) -> datetime:
    """When a push due at `at` can go: `at`, or the end of quiet hours it falls in."""
    local = at.astimezone(runtime.settings.zone)
    return next_allowed(local, runtime.settings.quiet_window)
