"""A batch of pushes through one lane: claimed in one short transaction, sent one call at a
time, their outcomes recorded in a second.

1. Outside quiet hours only, and only once the lane's pace allows the next message.
2. Claim, in one short transaction, up to a batch of the pushes due soonest: the rows and
   their participants are locked (PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so two senders
   never take one row), each person is checked again (STOP, DELETE, still subscribed,
   reachable), and the rows are marked `sending`. STOP arriving while an update goes out
   therefore stops every message not yet claimed.
3. The provider calls, one by one, then a second transaction records every outcome
   (`bot.outbox.recording`). Neither provider takes an idempotency key, so nothing that
   may have gone is sent again.

A batch is never bigger than what the lane's pace lets go at once with no wait between
(`Pacer.room`: one message at any provider's real rate, as before batching), nor than
`BATCH`; and a batch's calls stop `WINDOW` after its claim, so no call goes long after its
STOP check: a lane whose calls are slow claims fewer at a time. A claimed push the batch
did not call (the pace or the window stopped it, or its chat must wait) is let go: queued
again as it was. If the sender dies mid-batch, its claimed rows stay `sending`, and
`recover` reports them `unknown` after the lease, as for a single message; any other way
out of a batch records what was done first.

The loop (`bot.outbox.loop`) calls `step` per lane; the clock and the backoff are its.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.addresses import Address
from bot.clock import Clock
from bot.outbox.outcomes import Outcome, Retry, Sent, Unsure
from bot.outbox.pacing import Pacer
from bot.outbox.recording import MAX_ATTEMPTS, Backoff, Record, record
from bot.outbox.transport import Transport
from bot.runtime import Runtime
from conversations.quiet_hours import is_quiet
from conversations.updates import Reach, Recipient, reach
from storage.repositories.outbox import OutboxStatus
from storage.repositories.outbox_claims import DuePush
from storage.repositories.outbox_marks import PushMark, ended, let_go

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BATCH",
    "MAX_ATTEMPTS",
    "STOPPED",
    "UNSUBSCRIBED",
    "WINDOW",
    "Backoff",
    "Lane",
    "Step",
    "backoff",
    "step",
]

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
BATCH = 200  # the most pushes claimed (and recorded) in one transaction
WINDOW = timedelta(milliseconds=100)  # the longest a batch's calls go on after its claim
STOPPED = "stopped"  # details, in our words: they said STOP before it went
UNSUBSCRIBED = "unsubscribed"  # they took back their wish to hear (or were erased)
CHAT_WAITS = "a message to this chat just went"


@dataclass
class Lane:
    """One provider account's transport and its pace."""

    transport: Transport
    pacer: Pacer
    call_seconds: float = 0.0  # how long a call has taken lately (sizes the batches)

    @property
    def name(self) -> str:
        return "+".join(c.value for c in self.transport.channels)

    def batch_size(self, now: float) -> int:
        """How many pushes to claim at `now`: what the pace lets go at once, and what fits
        in the `WINDOW` at the calls' recent speed, at most `BATCH`, at least one."""
        fits = WINDOW.total_seconds() / self.call_seconds if self.call_seconds else BATCH
        return max(1, min(BATCH, self.pacer.room(now), int(fits)))

    def timed(self, seconds: float) -> None:
        """A call took `seconds`: a moving average, so one slow call shrinks the batches."""
        self.call_seconds = max(seconds, 0.8 * self.call_seconds + 0.2 * seconds)


@dataclass(frozen=True)
class Step:
    """What a step did: how many pushes it dealt with, and seconds to wait before the next
    (a chat had to wait, or the lane's pace; 0 with none dealt with: none due)."""

    handled: int
    wait: float = 0.0


def step(
    runtime: Runtime, clock: Clock, lane: Lane, backoff: Backoff, limit: int | None = None
) -> Step:
    """Deal with a batch of at most `limit` pushes."""
    now = clock.now()
    window = runtime.settings.quiet_window
    local = now.astimezone(runtime.settings.zone)
    if is_quiet(local, window):
        return Step(0)  # nothing unprompted now; the caller looks again later
    wait = lane.pacer.wait(now.timestamp())
    if wait > 0:
        return Step(0, wait)
    size = lane.batch_size(now.timestamp())
    claims, settled = _claim(runtime, lane, now, min(size, limit or size))
    batch = Record(backoff)
    chat_wait = 0.0
    try:
        chat_wait = _send(clock, lane, claims, batch)
    finally:  # whatever stopped the batch, what was done is recorded
        record(runtime, batch)
    return Step(settled + len(batch.called), chat_wait)


def backoff(attempts: int, at_least: timedelta, rng: random.Random) -> timedelta:
    """Exponential, with jitter so that many retries don't come back at once."""
    base: timedelta = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** (attempts - 1))
    jittered: timedelta = base * rng.uniform(0.5, 1.5)
    return max(at_least, jittered)


# --- helpers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Claimed:
    push: DuePush
    address: Address
    template: str | None


def _claim(runtime: Runtime, lane: Lane, now: datetime, size: int) -> tuple[list[_Claimed], int]:
    """Take up to `size` due pushes: the claims to send, and how many were settled without a
    call (stopped, unsubscribed, unreachable)."""
    claims: list[_Claimed] = []
    settled: list[PushMark] = []
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for push in uow.pushes.due_pushes(lane.transport.channels, now, size):
            stopped = _not_wanted(push)
            if stopped is not None:
                settled.append(ended(push.id, OutboxStatus.CANCELLED, stopped))
                continue
            templates = runtime.settings.twilio_whatsapp_templates
            how, template = reach(_as_recipient(push), now, templates)
            if how not in (Reach.OK, Reach.TEMPLATE) or push.address is None:
                settled.append(ended(push.id, OutboxStatus.UNREACHABLE, how.value))
                continue
            scheme, _, value = push.address.partition(":")
            claims.append(_Claimed(push, Address(scheme, value), template))
        uow.pushes.mark(settled)
        uow.pushes.claim([c.push.id for c in claims], now)
    return claims, len(settled)


def _send(clock: Clock, lane: Lane, claims: list[_Claimed], batch: Record) -> float:
    """Call the provider for each claim, as the pace allows, into `batch`; the seconds the
    soonest chat must wait when one had to (0.0: none). If this is left by an exception,
    the claims not called are let go, and the one mid-call stays `sending`."""
    started = clock.now()
    chat_wait = 0.0
    position = 0  # claims[position:] are neither called nor let go yet
    try:
        for index, claimed in enumerate(claims):
            push, now = claimed.push, clock.now()
            if index and _must_stop(lane, now, started):
                break
            position = index + 1  # from here it goes (or may have), or is let go below
            waits = lane.pacer.chat_wait(push.pseudonym, now.timestamp())
            if waits > 0:  # Telegram: a second between two messages to one chat
                batch.marks.append(let_go(push.id, now + timedelta(seconds=waits), CHAT_WAITS))
                chat_wait = min(chat_wait or waits, waits)
                continue
            outcome = _call(lane.transport, claimed)
            done = clock.now()
            lane.timed((done - now).total_seconds())
            _pace(lane, push, outcome, done.timestamp())
            batch.add(push, outcome, claimed.template, done)
    finally:
        batch.marks.extend(let_go(c.push.id, c.push.due_at) for c in claims[position:])
    return chat_wait


def _must_stop(lane: Lane, now: datetime, started: datetime) -> bool:
    """The batch stops where the pace asks for a wait, or its window is over."""
    return lane.pacer.wait(now.timestamp()) > 0 or now - started > WINDOW


def _pace(lane: Lane, push: DuePush, outcome: Outcome, moment: float) -> None:
    if isinstance(outcome, Sent):
        lane.pacer.spent(moment, outcome.cost, push.pseudonym)
    elif isinstance(outcome, Retry):
        lane.pacer.pause(moment, outcome.after.total_seconds())
    else:  # a refusal still counts against the rate: the provider saw the request
        lane.pacer.spent(moment, lane.transport.cost(push.channel, push.message), push.pseudonym)


def _call(transport: Transport, claimed: _Claimed) -> Outcome:
    push = claimed.push
    try:
        return transport.send(claimed.address, push.channel, push.message, claimed.template)
    except Exception as error:  # the request may have left: never send it again
        log.error("outbox: a push call failed (%s): marked unknown", type(error).__name__)
        return Unsure(f"the call failed ({type(error).__name__})")


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
