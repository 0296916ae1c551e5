"""Twilio's copies of messages are deleted in the sender's loop, one provider call each."""

from __future__ import annotations

from datetime import timedelta

from bot.channels.twilio.cleanup import CopyEraser
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock
from bot.outbox.loop import OutboxSender
from bot.runtime import Runtime
from storage.repositories.provider_messages import Direction
from tests.integration.outbox.harness import PacedTwilio, add_people, counts, queue_update, sleeper

NUMBER = "+447700900999"


def erasing_sender(runtime: Runtime, clock: FixedClock) -> OutboxSender:
    transport = TwilioTransport(runtime.settings, eraser=CopyEraser(runtime))
    return OutboxSender(runtime, [transport], clock=clock, sleep=sleeper(clock))


def copies_due(runtime: Runtime, twilio: PacedTwilio, n: int, due_in: timedelta) -> list[str]:
    sids = [twilio.store_reply(NUMBER, f"reply {i}") for i in range(n)]
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        for sid in sids:
            uow.provider_messages.schedule_erasure(
                sid, Direction.OUTBOUND, runtime.clock.now() + due_in
            )
    return sids


def deletes(twilio: PacedTwilio) -> list[str]:
    return [c.path for c in twilio.calls if c.method == "DELETE"]


def test_the_twilio_lane_deletes_each_copy_due_with_one_call(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    sids = copies_due(runtime, twilio, 25, timedelta(0))  # more than one batch

    erasing_sender(runtime, clock).drain()

    assert set(sids) <= set(twilio.deleted())
    assert len(deletes(twilio)) == len(sids)
    assert not twilio.holds(NUMBER)


def test_copies_not_yet_due_stay_and_pushes_still_go(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 2)
    update_id = queue_update(runtime)
    later = copies_due(runtime, twilio, 1, timedelta(days=1))

    erasing_sender(runtime, clock).drain()

    assert counts(runtime, update_id) == {"sent": 2}
    assert deletes(twilio) == []
    clock.set(clock.now() + timedelta(days=1))
    assert erasing_sender(runtime, clock).tidy() == 1
    assert twilio.deleted() == later


def test_a_lane_without_an_eraser_deletes_nothing(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    copies_due(runtime, twilio, 2, timedelta(0))
    transport = TwilioTransport(runtime.settings)

    OutboxSender(runtime, [transport], clock=clock, sleep=sleeper(clock)).drain()

    assert deletes(twilio) == []
