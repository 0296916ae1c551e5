"""Pacing to each provider's limit without provoking a 429; retries; permanent failures."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

import pytest

from bot.channels.twilio.sender import SERVER_ERROR_WAIT, TwilioSender
from bot.channels.twilio.transport import TwilioTransport
from bot.clock import FixedClock
from bot.outbox.delivery import BACKOFF_BASE, MAX_ATTEMPTS
from bot.outbox.loop import OutboxSender
from bot.runtime import Runtime
from conversations.messages import Channel, Outgoing
from storage.models import OutboxMessage
from storage.repositories.outbox import NewPush
from tests.integration.outbox.harness import (
    REPO,
    START,
    PacedBotApi,
    PacedTwilio,
    add_people,
    counts,
    queue_update,
    runtime_for,
    settings_for,
    sleeper,
    telegram_sender,
    twilio_sender,
)


def rows(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.db.unit_of_work() as uow:
        return list(uow.session.query(OutboxMessage).filter(OutboxMessage.kind == "push"))


def achieved_rate(accepted: list[tuple[float, int]], rate: float) -> float:
    """Cost units a second, from the first send until the last one's cost has drained."""
    first, last = accepted[0][0], accepted[-1][0]
    total = sum(cost for _, cost in accepted)
    return total / (last - first + accepted[-1][1] / rate)


def test_twilio_goes_at_the_configured_segments_a_second_and_never_gets_a_429(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 40)  # English: 3 segments each
    add_people(runtime, 20, first=100, language="pl")  # Polish, UCS-2: 3 segments each
    update_id = queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    assert twilio.rejected == 0
    assert counts(runtime, update_id) == {"sent": 60}
    assert 9.9 <= achieved_rate(twilio.accepted_at, 10) <= 10.0 + 1e-9


def test_a_slower_setting_is_kept_to_as_well(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedTwilio(clock, rate=1) as fake:
        settings = settings_for(database_url, tmp_path, twilio=fake, twilio_rate=1)
        runtime = runtime_for(settings, clock)
        add_people(runtime, 10)
        queue_update(runtime)

        twilio_sender(runtime, clock).drain()

        assert fake.rejected == 0
        assert len(fake.sent()) == 10
        assert achieved_rate(fake.accepted_at, 1) == pytest.approx(1.0)
        runtime.db.close()


def test_without_pacing_the_fake_refuses_and_every_message_still_goes_once(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 12)
    update_id = queue_update(runtime)
    careless = twilio_sender(runtime, clock, rate=1e9)  # ignores the limit

    for _ in range(40):
        careless.drain()
        clock.set(clock.now() + timedelta(minutes=1))

    assert twilio.rejected > 0  # the fake does enforce its limit
    assert sorted(twilio.sent_to()) == sorted(p.number for p in people)
    assert counts(runtime, update_id) == {"sent": 12}


def test_telegram_keeps_to_thirty_a_second_and_one_a_second_per_chat(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedBotApi(clock, rate=30) as api:
        runtime = runtime_for(settings_for(database_url, tmp_path, telegram=api), clock)
        people = add_people(runtime, 90, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in people])
        queue_update(runtime)
        with runtime.db.unit_of_work() as uow:  # a second push to each: a reminder, say
            uow.begin_write()
            second = [
                NewPush(p.pseudonym, Channel.TELEGRAM, "en", Outgoing("A reminder"), f"r:{p}")
                for p in people
            ]
            uow.outbox.queue_pushes(second, clock.now(), clock.now())

        sender = telegram_sender(runtime, clock)
        sender.drain()
        sender.close()

        assert api.rejected == 0
        assert len(api.accepted_at) == 180
        by_chat: dict[int, list[float]] = defaultdict(list)
        for moment, chat in api.accepted_at:
            by_chat[chat].append(moment)
        assert min(b - a for a, b in by_chat.values()) >= 1.0 - 1e-6
        assert achieved_rate([(t, 1) for t, _ in api.accepted_at], 30) <= 30.0 + 1e-9
        runtime.db.close()


def test_server_errors_and_429s_are_tried_again_later_with_backoff(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    [person] = add_people(runtime, 1)
    update_id = queue_update(runtime)
    twilio.fail_next(status=500)
    twilio.fail_next(status=429, retry_after=120)

    twilio_sender(runtime, clock).drain()

    assert [c.status for c in twilio.calls] == [500, 429, 201]
    assert twilio.sent_to() == [person.number]
    [(sent_at, _)] = twilio.accepted_at
    waited = timedelta(seconds=sent_at - START.timestamp())
    assert waited >= SERVER_ERROR_WAIT + timedelta(seconds=120)  # Twilio's waits, at least
    [row] = rows(runtime)
    assert row.attempts == 3
    assert counts(runtime, update_id) == {"sent": 1}


def test_backoff_doubles_with_jitter_so_retries_spread_out(runtime: Runtime) -> None:
    sender = OutboxSender(runtime, [], rng=random.Random(7))

    waits = [sender._backoff(n, timedelta(0)) for n in range(1, 6) for _ in range(20)]

    for n in range(1, 6):
        mine = waits[(n - 1) * 20 : n * 20]
        base = BACKOFF_BASE * 2 ** (n - 1)
        assert all(base * 0.5 <= w <= base * 1.5 for w in mine)
        assert len(set(mine)) > 10  # jittered: not all the same


def test_a_message_that_keeps_failing_is_given_up_on(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 1)
    update_id = queue_update(runtime)
    for _ in range(MAX_ATTEMPTS):
        twilio.fail_next(status=503)
    sender = twilio_sender(runtime, clock)

    for _ in range(MAX_ATTEMPTS + 2):
        sender.drain()
        clock.set(clock.now() + timedelta(hours=2))

    assert twilio.sent() == []
    assert counts(runtime, update_id) == {"failed": 1}


def test_a_timeout_after_the_request_left_is_unknown_and_never_resent(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 2)
    update_id = queue_update(runtime)
    twilio.stall_next()
    quick = TwilioSender(runtime.settings, timeout=0.3)
    sender = OutboxSender(
        runtime, [TwilioTransport(runtime.settings, quick)], clock=clock, sleep=sleeper(clock)
    )

    sender.drain()
    clock.set(clock.now() + timedelta(hours=1))
    sender.drain()

    assert counts(runtime, update_id) == {"sent": 1, "unknown": 1}
    assert len(twilio.sent()) == 1


@pytest.mark.parametrize(
    ("code", "setup"),
    [(21610, "unsubscribed"), (21614, "landlines")],
)
def test_a_person_refused_for_good_is_unreachable_and_asked_no_more(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio, code: int, setup: str
) -> None:
    people = add_people(runtime, 3)
    getattr(twilio, setup).add(people[0].number)
    first = queue_update(runtime)
    with runtime.db.unit_of_work() as uow:  # something else already queued for them
        uow.begin_write()
        other = NewPush(people[0].pseudonym, Channel.SMS, "en", Outgoing("Hi again"), "x:1")
        uow.outbox.queue_pushes([other], clock.now() + timedelta(hours=1), clock.now())
    sender = twilio_sender(runtime, clock)

    sender.drain()
    clock.set(clock.now() + timedelta(hours=2))
    sender.drain()
    text = (REPO / "config/updates/feeling-safe-example.yaml").read_text()
    later = queue_update(runtime, text + "\n# a second update\n")
    sender.drain()

    assert counts(runtime, first) == {"sent": 2, "failed": 1}
    with runtime.db.unit_of_work() as uow:
        assert any(str(code) in why for (_, why) in uow.updates.reasons(first))
        assert uow.updates.counts(later).total == 2  # they are no longer a recipient
        assert not uow.participants.has_subscriptions(people[0].pseudonym)
        assert uow.participants.get_address(people[0].pseudonym) is None
    statuses = {r.dedupe_key: r.status for r in rows(runtime)}
    assert statuses["x:1"] == "unreachable"
    assert people[0].number not in twilio.sent_to()


def test_an_invalid_number_is_unreachable(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    [person] = add_people(runtime, 1)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.participants.set_address(person.pseudonym, "tel:+4412")
    update_id = queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    with runtime.db.unit_of_work() as uow:
        assert any("21211" in why for (_, why) in uow.updates.reasons(update_id))
        assert not uow.participants.has_subscriptions(person.pseudonym)


def test_a_message_refused_for_itself_does_not_end_the_subscription(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    [person] = add_people(runtime, 1)
    twilio.filtered.add(person.number)  # 30007: the network filtered this message
    update_id = queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    assert counts(runtime, update_id) == {"failed": 1}
    with runtime.db.unit_of_work() as uow:
        assert uow.participants.has_subscriptions(person.pseudonym)


def test_a_blocked_telegram_bot_makes_the_person_unreachable(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedBotApi(clock, rate=30) as api:
        runtime = runtime_for(settings_for(database_url, tmp_path, telegram=api), clock)
        people = add_people(runtime, 2, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in people])
        api.blocked.add(int(people[0].number))
        update_id = queue_update(runtime)

        sender = telegram_sender(runtime, clock)
        sender.drain()
        sender.close()

        assert counts(runtime, update_id) == {"sent": 1, "failed": 1}
        with runtime.db.unit_of_work() as uow:
            assert not uow.participants.has_subscriptions(people[0].pseudonym)
            assert uow.participants.has_subscriptions(people[1].pseudonym)
        runtime.db.close()


def test_telegram_asking_us_to_wait_is_respected(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedBotApi(clock, rate=30) as api:
        runtime = runtime_for(settings_for(database_url, tmp_path, telegram=api), clock)
        people = add_people(runtime, 3, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in people])
        api.fail_next("sendMessage", 429, "Too Many Requests: retry after 9", retry_after=9)
        update_id = queue_update(runtime)

        sender = telegram_sender(runtime, clock)
        sender.drain()
        clock.set(clock.now() + timedelta(minutes=2))
        sender.drain()
        sender.close()

        assert counts(runtime, update_id) == {"sent": 3}
        moments = sorted(t for t, _ in api.accepted_at)
        assert moments[0] - START.timestamp() >= 9  # nothing went while asked to wait
        runtime.db.close()
