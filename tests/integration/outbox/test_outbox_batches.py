"""A lane with no pace to keep claims its pushes in batches: what a person would notice.

Each batch is claimed in one transaction and recorded in another, so these check what
batching must not change: STOP, failures, crashes, a provider's "wait", one chat's pace.
The fakes here keep no rate (the sender's is set far above anything real): only then is a
batch more than one message.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.channels.telegram.transport import TelegramTransport
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock
from bot.outbox.delivery import BATCH, WINDOW, Lane
from bot.outbox.loop import STALE_SENDING, OutboxSender
from bot.outbox.outcomes import Outcome
from bot.outbox.pacing import Pacer
from bot.outbox.transport import Transport
from bot.runtime import Runtime
from conversations.messages import Channel, Outgoing
from storage.models import OutboxMessage
from storage.repositories.outbox import NewPush
from tests.integration.outbox.harness import (
    PacedBotApi,
    PacedTwilio,
    add_people,
    counts,
    queue_update,
    runtime_for,
    settings_for,
    sleeper,
    text_in,
)

UNPACED = 1e9  # segments a second: far above any provider's, so batches form

Hook = Callable[[int, Address], None]  # (call number from 1, the address being sent to)


class Killed(BaseException):
    """The process dying: not an error any handler catches."""


class Hooked:
    """A transport that runs `hook` before each call it passes on to `inner`."""

    def __init__(self, inner: Transport, hook: Hook) -> None:
        self.inner = inner
        self.hook = hook
        self.calls = 0
        self.channels = inner.channels
        self.rate = inner.rate
        self.per_chat = inner.per_chat

    def cost(self, channel: Channel, message: Outgoing) -> int:
        return self.inner.cost(channel, message)

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        self.calls += 1
        self.hook(self.calls, address)
        return self.inner.send(address, channel, message, template)

    def tidy(self) -> int:
        return 0

    def close(self) -> None:
        self.inner.close()


@pytest.fixture
def fake(clock: FixedClock) -> Iterator[PacedTwilio]:
    with PacedTwilio(clock, rate=None) as unpaced:
        yield unpaced


@pytest.fixture
def fast(
    database_url: str, tmp_path: Path, clock: FixedClock, fake: PacedTwilio
) -> Iterator[Runtime]:
    built = runtime_for(settings_for(database_url, tmp_path, twilio=fake), clock)
    yield built
    built.db.close()


def sender(runtime: Runtime, clock: FixedClock, hook: Hook | None = None) -> OutboxSender:
    transport = TwilioTransport(runtime.settings)
    transport.rate = UNPACED
    lane: Transport = transport if hook is None else Hooked(transport, hook)
    return OutboxSender(runtime, [lane], clock=clock, sleep=sleeper(clock))


def attempts(runtime: Runtime) -> dict[str, int]:
    """Each push's tries, by its recipient's pseudonym."""
    with runtime.db.unit_of_work() as uow:
        found = uow.session.query(OutboxMessage).filter(OutboxMessage.kind == "push")
        return {row.pseudonym: row.attempts for row in found}


def test_a_batch_with_someone_who_said_stop_leaves_out_only_them(
    fast: Runtime, clock: FixedClock, fake: PacedTwilio
) -> None:
    people = add_people(fast, 10)
    update_id = queue_update(fast)
    text_in(fast, people[3], "STOP")
    seen: list[dict[str, int]] = []

    def look(call: int, address: Address) -> None:
        if call == 1:
            seen.append(counts(fast, update_id))

    assert sender(fast, clock, look).drain() == 10

    assert seen == [{"sending": 9, "cancelled": 1}]  # one claim took all the others
    assert sorted(fake.sent_to()) == sorted(p.number for p in people if p != people[3])
    assert counts(fast, update_id) == {"sent": 9, "cancelled": 1}


def test_stop_during_a_slow_batch_stops_every_message_its_window_had_not_reached(
    fast: Runtime, clock: FixedClock, fake: PacedTwilio
) -> None:
    people = add_people(fast, 10)
    update_id = queue_update(fast)
    step = timedelta(milliseconds=30)  # each call takes this long

    def slow(call: int, address: Address) -> None:
        if call == 2:  # everyone not reached yet says STOP
            for person in people:
                if person.number not in fake.sent_to() and person.number != address.value:
                    text_in(fast, person, "STOP")
        clock.set(clock.now() + step)

    sender(fast, clock, slow).drain()

    # Calls start 0, 30, 60 and 90 ms after the claim; the fifth would start after the
    # window, so it and the rest are let go, checked again, and cancelled.
    assert 4 * step > WINDOW
    assert len(fake.sent_to()) == 4
    assert counts(fast, update_id) == {"sent": 4, "cancelled": 6}


def test_a_call_failing_mid_batch_leaves_the_others_sent_and_recorded(
    fast: Runtime, clock: FixedClock, fake: PacedTwilio
) -> None:
    add_people(fast, 10)
    update_id = queue_update(fast)

    def third_fails(call: int, address: Address) -> None:
        if call == 3:
            raise ConnectionResetError("the connection broke")

    lane = sender(fast, clock, third_fails)
    lane.drain()
    lane.drain()

    assert len(fake.sent_to()) == 9
    assert counts(fast, update_id) == {"sent": 9, "unknown": 1}  # may have gone: not resent


def test_a_sender_killed_mid_batch_records_what_went_and_sends_nothing_twice(
    fast: Runtime, clock: FixedClock, fake: PacedTwilio
) -> None:
    people = add_people(fast, 10)
    update_id = queue_update(fast)

    def dies(call: int, address: Address) -> None:
        if call == 4:
            raise Killed

    with pytest.raises(Killed):
        sender(fast, clock, dies).drain()

    # The three that went are recorded, the one mid-call is left `sending`, and the six
    # never called are queued again, not lost.
    assert counts(fast, update_id) == {"sent": 3, "sending": 1, "queued": 6}
    clock.set(clock.now() + STALE_SENDING + timedelta(seconds=1))
    sender(fast, clock).drain()
    assert counts(fast, update_id) == {"sent": 9, "unknown": 1}
    assert set(Counter(fake.sent_to()).values()) == {1}
    assert len(fake.sent_to()) == 9
    assert set(attempts(fast).values()) == {1}  # a claim let go costs no try
    assert {p.number for p in people} >= set(fake.sent_to())


def test_a_429_mid_batch_holds_the_rest_back_until_the_wait_is_over(
    fast: Runtime, clock: FixedClock, fake: PacedTwilio
) -> None:
    people = add_people(fast, 10)
    update_id = queue_update(fast)
    start = clock.now().timestamp()

    def third_told_to_wait(call: int, address: Address) -> None:
        if call == 3:
            fake.fail_next(status=429, retry_after=30)

    sender(fast, clock, third_told_to_wait).drain()

    times = sorted(moment - start for moment, _ in fake.accepted_at)
    assert times[:2] == [0.0, 0.0]
    assert min(times[2:]) >= 30.0  # nothing at all went during the wait
    assert counts(fast, update_id) == {"sent": 10}
    assert sorted(fake.sent_to()) == sorted(p.number for p in people)
    tries = sorted(attempts(fast).values())
    assert tries == [1] * 9 + [2]  # the one told to wait tried twice; the others once


def test_two_pushes_to_one_telegram_chat_in_a_batch_go_a_second_apart(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedBotApi(clock, rate=None) as api:
        runtime = runtime_for(settings_for(database_url, tmp_path, telegram=api), clock)
        people = add_people(runtime, 5, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in people])
        queue_update(runtime)
        with runtime.db.unit_of_work() as uow:  # a second push to each: a reminder, say
            uow.begin_write()
            second = [
                NewPush(p.pseudonym, Channel.TELEGRAM, "en", Outgoing("A reminder"), f"r:{p}")
                for p in people
            ]
            uow.outbox.queue_pushes(second, clock.now(), clock.now())
        transport = TelegramTransport(runtime)
        transport.rate = UNPACED
        lane = OutboxSender(runtime, [transport], clock=clock, sleep=sleeper(clock))

        assert lane.drain() == 10
        lane.close()

        by_chat: dict[int, list[float]] = defaultdict(list)
        for moment, chat in api.accepted_at:
            by_chat[chat].append(moment)
        assert sorted(len(times) for times in by_chat.values()) == [2] * 5
        assert min(b - a for a, b in by_chat.values()) >= 1.0 - 1e-6
        runtime.db.close()


def test_a_batch_is_one_message_at_a_real_rate_and_shrinks_when_calls_are_slow() -> None:
    paced = Lane(_transport(rate=10.0), Pacer(10.0))
    assert paced.batch_size(0.0) == 1  # each message waits a tenth of a second
    unpaced = Lane(_transport(rate=UNPACED), Pacer(UNPACED))
    assert unpaced.batch_size(0.0) == BATCH
    unpaced.timed(0.02)  # a call took 20 ms: five fit in the window
    assert unpaced.batch_size(0.0) == int(WINDOW.total_seconds() / 0.02)
    unpaced.pacer.pause(0.0, 5.0)  # the provider asked for a wait
    assert unpaced.pacer.room(1.0) == 0  # the step waits before it claims any
    assert unpaced.pacer.wait(1.0) == pytest.approx(4.0)


def _transport(rate: float) -> Transport:
    class Stub:
        channels = (Channel.SMS,)
        per_chat = 0.0

        def __init__(self) -> None:
            self.rate = rate

        def cost(self, channel: Channel, message: Outgoing) -> int:
            return 1

        def send(
            self, address: Address, channel: Channel, message: Outgoing, template: str | None
        ) -> Outcome:
            raise AssertionError("not called")

        def tidy(self) -> int:
            return 0

        def close(self) -> None:
            return None

    return Stub()
