"""A sender killed mid-send and restarted sends nothing twice; two senders never double-send."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock
from bot.outbox.loop import STALE_SENDING, OutboxSender
from bot.outbox.outcomes import Outcome
from bot.runtime import Runtime
from conversations.messages import Channel, Outgoing
from tests.integration.outbox.harness import (
    PacedTwilio,
    add_people,
    counts,
    queue_update,
    runtime_for,
    settings_for,
    sleeper,
    twilio_sender,
)


class Killed(BaseException):
    """The process dying: not an error any handler catches."""


class DiesOnCall:
    """A Twilio transport whose process dies on call number `on`, before or after the
    request has reached Twilio."""

    def __init__(self, inner: TwilioTransport, on: int, *, after_request: bool) -> None:
        self.inner = inner
        self.on = on
        self.after_request = after_request
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
        if self.calls == self.on and not self.after_request:
            raise Killed
        outcome = self.inner.send(address, channel, message, template)
        if self.calls == self.on:
            raise Killed
        return outcome

    def close(self) -> None:
        self.inner.close()


@pytest.mark.parametrize("after_request", [True, False], ids=["after-request", "before-request"])
def test_a_sender_killed_mid_call_resends_nothing_and_reports_that_one_unknown(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio, after_request: bool
) -> None:
    people = add_people(runtime, 20)
    update_id = queue_update(runtime)
    dying = DiesOnCall(TwilioTransport(runtime.settings), on=8, after_request=after_request)
    first = OutboxSender(runtime, [dying], clock=clock, sleep=sleeper(clock))

    with pytest.raises(Killed):
        first.drain()
    assert counts(runtime, update_id) == {"sent": 7, "sending": 1, "queued": 12}
    clock.set(clock.now() + STALE_SENDING + timedelta(seconds=1))  # it takes a while to restart
    twilio_sender(runtime, clock).drain()

    assert counts(runtime, update_id) == {"sent": 19, "unknown": 1}
    sent = Counter(twilio.sent_to())
    assert set(sent.values()) == {1}  # nobody got it twice
    reached = 20 if after_request else 19  # the one caught mid-call went, or did not
    assert len(sent) == reached
    assert set(sent) <= {p.number for p in people}


def test_a_restart_soon_after_leaves_a_row_another_sender_may_be_sending(
    runtime: Runtime, clock: FixedClock
) -> None:
    add_people(runtime, 3)
    update_id = queue_update(runtime)
    dying = DiesOnCall(TwilioTransport(runtime.settings), on=1, after_request=True)
    with pytest.raises(Killed):
        OutboxSender(runtime, [dying], clock=clock, sleep=sleeper(clock)).drain()

    clock.set(clock.now() + timedelta(seconds=30))
    twilio_sender(runtime, clock).drain()

    # Still `sending`: too soon to say its sender is gone. Later it is reported unknown.
    assert counts(runtime, update_id) == {"sent": 2, "sending": 1}
    clock.set(clock.now() + STALE_SENDING)
    twilio_sender(runtime, clock).drain()
    assert counts(runtime, update_id) == {"sent": 2, "unknown": 1}


def test_two_senders_on_postgresql_never_send_one_message_twice(
    postgres_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedTwilio(clock, rate=None) as fake:
        settings = settings_for(postgres_url, tmp_path, twilio=fake)
        runtime = runtime_for(settings, clock)
        people = add_people(runtime, 300)
        update_id = queue_update(runtime)
        # Two processes: each its own connection pool, both unpaced, racing for rows.
        other = runtime_for(settings, clock)
        senders = [twilio_sender(r, clock, rate=1e9) for r in (runtime, other)]
        handled = [0, 0]
        start = threading.Barrier(2)

        def run(index: int) -> None:
            start.wait()
            handled[index] = senders[index].drain()

        threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        sent = Counter(fake.sent_to())
        assert set(sent) == {p.number for p in people}
        assert set(sent.values()) == {1}
        assert sum(handled) == 300
        assert min(handled) > 0  # both took part
        assert counts(runtime, update_id) == {"sent": 300}
        other.db.close()
        runtime.db.close()
