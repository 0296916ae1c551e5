"""One push through one lane: claimed in a short transaction, sent, its outcome recorded.

1. Outside quiet hours only, and only once the lane's pace allows the next message.
2. Claim, in one short transaction: the row and its participant are locked (PostgreSQL:
   ``FOR UPDATE SKIP LOCKED``, so two senders never take one row), the person is checked
   again (STOP, DELETE, still subscribed, reachable), and the row is marked `sending`.
   STOP arriving while an update goes out therefore stops every message not yet claimed.
3. The provider call, then a second transaction records its outcome (`bot.outbox.outcomes`):
   sent; tried again later with exponential backoff and jitter (429, 5xx, a connection
   never made); refused for good; blocked (the person is then unreachable: 21610, 21211,
   21614, Telegram's Forbidden); or `unknown` when the call broke after the request left.
   Neither provider takes an idempotency key, so nothing that may have gone is sent again.

The loop (`bot.outbox.loop`) calls `step` per lane; the clock and the backoff are its.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.addresses import Address
from bot.clock import Clock
from bot.outbox.outcomes import Blocked, NotNow, Outcome, Refused, Retry, Sent, Unsure
from bot.outbox.pacing import Pacer
from bot.outbox.transport import Transport
from bot.runtime import Runtime
from conversations.quiet_hours import is_quiet
from conversations.updates import Reach, Recipient, reach
from storage.repositories.outbox import OutboxStatus
from storage.repositories.outbox_claims import DuePush
from storage.repositories.update_rows import TEMPLATE_DETAIL

__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "MAX_ATTEMPTS",
    "STOPPED",
    "UNSUBSCRIBED",
    "Backoff",
    "Lane",
    "backoff",
    "step",
]

log = logging.getLogger(__name__)

BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_CAP = timedelta(hours=1)
MAX_ATTEMPTS = 8  # then the push is failed: something is wrong for longer than a blip
STOPPED = "stopped"  # details, in our words: they said STOP before it went
UNSUBSCRIBED = "unsubscribed"  # they took back their wish to hear (or were erased)

Backoff = Callable[[int, timedelta], timedelta]  # (attempts so far, at least) -> wait


@dataclass
class Lane:
    """One provider account's transport and its pace."""

    transport: Transport
    pacer: Pacer

    @property
    def name(self) -> str:
        return "+".join(c.value for c in self.transport.channels)


def step(runtime: Runtime, clock: Clock, lane: Lane, backoff: Backoff) -> float | None:
    """Deal with one push: None when one was dealt with, else seconds to wait (0: none due)."""
    now = clock.now()
    window = runtime.settings.quiet_window
    local = now.astimezone(runtime.settings.zone)
    if is_quiet(local, window):
        return 0.0  # nothing unprompted now; the caller looks again later
    wait = lane.pacer.wait(now.timestamp())
    if wait > 0:
        return wait
    claimed = _claim(runtime, lane, now)
    if claimed is None:
        return 0.0
    if isinstance(claimed, float):
        return claimed
    if isinstance(claimed, _Claimed):
        _deliver(runtime, clock, lane, claimed, backoff)
    return None


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


def _claim(runtime: Runtime, lane: Lane, now: datetime) -> _Claimed | float | bool | None:
    """Take the next due push: a claim to send; True when it was settled without a call;
    seconds when its chat must wait; None when nothing is due."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        push = uow.pushes.next_push(lane.transport.channels, now)
        if push is None:
            return None
        stopped = _not_wanted(push)
        if stopped is not None:
            uow.pushes.push_ended(push.id, OutboxStatus.CANCELLED, stopped)
            return True
        how, template = reach(_as_recipient(push), now, runtime.settings.twilio_whatsapp_templates)
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


def _deliver(
    runtime: Runtime, clock: Clock, lane: Lane, claimed: _Claimed, backoff: Backoff
) -> None:
    push = claimed.push
    outcome = _call(lane.transport, claimed)
    now = clock.now()
    moment = now.timestamp()
    if isinstance(outcome, Sent):
        lane.pacer.spent(moment, outcome.cost, push.pseudonym)
    elif isinstance(outcome, Retry):
        lane.pacer.pause(moment, outcome.after.total_seconds())
    else:  # a refusal still counts against the rate: the provider saw the request
        lane.pacer.spent(moment, lane.transport.cost(push.channel, push.message), push.pseudonym)
    _record(runtime, push, outcome, claimed.template, now, backoff)


def _call(transport: Transport, claimed: _Claimed) -> Outcome:
    push = claimed.push
    try:
        return transport.send(claimed.address, push.channel, push.message, claimed.template)
    except Exception as error:  # the request may have left: never send it again
        log.error("outbox: a push call failed (%s): marked unknown", type(error).__name__)
        return Unsure(f"the call failed ({type(error).__name__})")


def _record(
    runtime: Runtime,
    push: DuePush,
    outcome: Outcome,
    template: str | None,
    now: datetime,
    backoff: Backoff,
) -> None:
    with runtime.db.unit_of_work() as uow:
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
                at = now + backoff(attempts, outcome.after)
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
