"""Updates reach exactly the people who asked, once each, on the channel they used."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.sender import BackgroundSender
from bot.clock import FixedClock, SystemClock
from bot.runtime import Runtime
from bot.scheduler import Scheduler
from bot.services.update_queue import queue
from bot.services.updates import prepare
from conversations.messages import Channel
from conversations.model import UpdatesScope
from storage.repositories.provider_messages import ProviderMessagesRepository
from tests.integration.outbox.harness import (
    EXAMPLE,
    START,
    PacedBotApi,
    PacedTwilio,
    add_people,
    counts,
    phone_number,
    queue_update,
    runtime_for,
    settings_for,
    telegram_sender,
    text_in,
    twilio_sender,
)


def test_exactly_the_opted_in_get_it_once_each_across_thousands(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    wanted = add_people(runtime, 2000)
    add_people(runtime, 150, first=5000, scope=None)  # took part, never asked
    add_people(runtime, 150, first=6000, opted_out=True)  # asked, then said STOP
    add_people(runtime, 100, first=7000, consultation_id="heard")  # asked about another one
    add_people(runtime, 100, first=8000, scope=UpdatesScope.FUTURE)  # invitations only
    update_id = queue_update(runtime)

    handled = twilio_sender(runtime, clock).drain()

    sent = Counter(twilio.sent_to())
    assert set(sent) == {p.number for p in wanted}
    assert set(sent.values()) == {1}
    assert handled == 2000
    assert counts(runtime, update_id) == {"sent": 2000}
    assert twilio.rejected == 0


def test_stop_between_the_dry_run_and_the_send_leaves_them_out(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 5)
    text = EXAMPLE.read_text(encoding="utf-8")
    dry_run = prepare(runtime, "feeling-safe", text, "update.yaml")
    assert dry_run.plan.recipients == 5

    text_in(runtime, people[2], "STOP")
    queued = queue(runtime, dry_run, clock.now())
    twilio_sender(runtime, clock).drain()

    assert queued.recipients == 4
    assert people[2].number not in twilio.sent_to()
    assert len(twilio.sent_to()) == 4


def test_stop_while_the_update_goes_out_stops_what_has_not_gone(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 10)
    update_id = queue_update(runtime)
    sender = twilio_sender(runtime, clock)
    sender.drain(limit=3)
    gone = set(twilio.sent_to())
    late = next(p for p in people if p.number not in gone)

    text_in(runtime, late, "STOP")
    sender.drain()

    assert late.number not in twilio.sent_to()
    assert len(twilio.sent_to()) == 9
    assert counts(runtime, update_id) == {"sent": 9, "cancelled": 1}


def test_delete_while_queued_takes_their_push_with_them(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 3)
    update_id = queue_update(runtime)

    text_in(runtime, people[0], "DELETE")
    twilio_sender(runtime, clock).drain()

    assert people[0].number not in twilio.sent_to()
    assert counts(runtime, update_id) == {"sent": 2}


def test_sending_the_same_file_again_queues_nothing_new(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 6)
    first = queue_update(runtime)
    sender = twilio_sender(runtime, clock)
    sender.drain(limit=2)
    text = EXAMPLE.read_text(encoding="utf-8")

    again = queue(runtime, prepare(runtime, "feeling-safe", text, "u.yaml"), clock.now())
    sender.drain()
    after = queue(runtime, prepare(runtime, "feeling-safe", text, "u.yaml"), clock.now())
    sender.drain()

    assert again.update_id == first
    assert again.resumed
    assert after.update_id == first
    assert after.resumed
    assert len(twilio.sent_to()) == 6 == len(set(twilio.sent_to()))


def test_an_edited_file_is_a_new_update(runtime: Runtime, clock: FixedClock) -> None:
    add_people(runtime, 2)
    text = EXAMPLE.read_text(encoding="utf-8")

    first = queue_update(runtime, text)
    second = queue_update(runtime, text.replace("12 new lights", "14 new lights"))

    assert first != second


def test_nothing_goes_in_quiet_hours_and_it_starts_when_they_end(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 3)
    clock.set(datetime(2026, 3, 2, 22, 30, tzinfo=START.tzinfo))  # 22:30 in London
    queue_update(runtime)

    assert twilio_sender(runtime, clock).drain() == 0
    clock.set(datetime(2026, 3, 3, 7, 59, tzinfo=START.tzinfo))
    assert twilio_sender(runtime, clock).drain() == 0
    clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=START.tzinfo))
    assert twilio_sender(runtime, clock).drain() == 3
    assert len(twilio.sent_to()) == 3


def test_a_scheduled_update_waits_for_its_time(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 2)
    queue_update(runtime, at=START + timedelta(hours=2))

    assert twilio_sender(runtime, clock).drain() == 0
    clock.set(START + timedelta(hours=2))
    assert twilio_sender(runtime, clock).drain() == 2


def test_each_person_hears_in_their_language_on_their_channel(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    english = add_people(runtime, 1)
    polish = add_people(runtime, 1, first=1, language="pl")
    whatsapp = add_people(runtime, 1, first=2, channel=Channel.WHATSAPP)
    queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    bodies = {m["to"]: m["body"] for m in twilio.sent()}
    assert bodies[english[0].number].startswith("News from the council's Safer Streets team.")
    assert bodies[polish[0].number].startswith("Wiadomość od zespołu")
    assert bodies[f"whatsapp:{whatsapp[0].number}"].startswith("News from the council")


def test_whatsapp_outside_the_window_goes_by_template_or_is_reported(
    database_url: str, tmp_path: Path, clock: FixedClock, twilio: PacedTwilio
) -> None:
    templates = {"en": "HX" + "1" * 32}
    settings = settings_for(
        database_url, tmp_path, twilio=twilio, twilio_whatsapp_templates=templates
    )
    runtime = runtime_for(settings, clock)
    long_ago = START - timedelta(days=3)
    by_template = add_people(runtime, 1, channel=Channel.WHATSAPP, last_message_at=long_ago)
    no_template = add_people(
        runtime, 1, first=1, channel=Channel.WHATSAPP, language="pl", last_message_at=long_ago
    )
    text = EXAMPLE.read_text(encoding="utf-8")
    plan = prepare(runtime, "feeling-safe", text, "u.yaml").plan
    update_id = queue_update(runtime, text)

    twilio_sender(runtime, clock).drain()

    [sent] = twilio.sent()
    assert sent["to"] == f"whatsapp:{by_template[0].number}"
    assert sent["content_sid"] == templates["en"]
    assert no_template[0].number not in str(twilio.sent())
    # The dry run reports who can't be reached and why; only the reachable are queued,
    # so nothing waits for a message that can never go.
    assert [reach for (_, _, reach) in plan.unreachable] == ["no_template"]
    assert counts(runtime, update_id) == {"sent": 1}
    runtime.db.close()


def test_people_who_answered_in_the_terminal_are_reported_not_dropped(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 2, channel=Channel.TERMINAL)
    add_people(runtime, 1, first=10)
    update_id = queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    # The terminal has no lane: its pushes stay queued until a sender that can reach it
    # (none can) looks; the dry run and status report them as unreachable.
    plan = prepare(runtime, "feeling-safe", EXAMPLE.read_text(), "u.yaml").plan
    assert sum(plan.unreachable.values()) == 2
    assert counts(runtime, update_id)["sent"] == 1


def test_delivery_reports_are_counted(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    add_people(runtime, 3)
    update_id = queue_update(runtime)
    twilio_sender(runtime, clock).drain()
    sids = [m["sid"] for m in twilio.sent()]

    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        repo = ProviderMessagesRepository(uow.session)
        repo.record_status(sids[0], "delivered", None)
        repo.record_status(sids[1], "undelivered", 30003)

    assert counts(runtime, update_id) == {"sent": 2, "delivered": 1, "failed": 1}


LONGER = """
  - title:
      en: Safer routes to school
      pl: Bezpieczna droga do szkoly
      pt: Caminho seguro
      es: Camino seguro
      so: Waddo ammaan ah
    status: planned
    changed:
      en: "Wardens on the three busiest routes to school, morning and afternoon, from September."
      pl: "Straznicy na trzech drogach do szkoly od wrzesnia."
      pt: "Vigilantes nos caminhos para a escola a partir de setembro."
      es: "Vigilantes en los caminos al colegio desde septiembre."
      so: "Ilaalayaal waddooyinka dugsiga laga bilaabo September."
"""


def test_a_reply_is_thanked_and_kept_as_anonymous_feedback(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    [person] = add_people(runtime, 1)
    update_id = queue_update(runtime, EXAMPLE.read_text(encoding="utf-8") + LONGER)
    twilio_sender(runtime, clock).drain()
    clock.set(clock.now() + timedelta(hours=3))

    replies = text_in(runtime, person, "Lights are good but the alley by 12 Elm Street isn't")
    more = text_in(runtime, person, "MORE")

    assert replies == [
        "Thank you for telling us. We read every reply. It's anonymous, "
        "so we can't answer each one."
    ]
    with runtime.db.unit_of_work() as uow:
        [feedback] = uow.updates.feedback("feeling-safe")
    assert feedback.update_id == update_id
    assert "Elm Street" not in feedback.text
    [sent] = twilio.sent()
    assert "Reply MORE for the full list." in sent["body"]
    assert "Safer routes to school" not in sent["body"]
    assert "Safer routes to school: planned." in more[0]  # what the first message left out


def test_a_telegram_update_goes_to_each_chat(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> None:
    with PacedBotApi(clock, rate=30) as api:
        runtime = runtime_for(settings_for(database_url, tmp_path, telegram=api), clock)
        people = add_people(runtime, 5, channel=Channel.TELEGRAM)
        api.know([int(p.number) for p in people])
        update_id = queue_update(runtime)

        sender = telegram_sender(runtime, clock)
        sender.drain()
        sender.close()

        assert sorted(chat for _, chat in api.accepted_at) == sorted(int(p.number) for p in people)
        assert all(m.protected for p in people for m in api.bot_messages(int(p.number)))
        assert counts(runtime, update_id) == {"sent": 5}
        runtime.db.close()


def test_numbers_are_never_logged(
    runtime: Runtime, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    add_people(runtime, 2)
    queue_update(runtime)

    twilio_sender(runtime, clock).drain()

    assert phone_number(0)[1:] not in caplog.text
    assert "News from the council" not in caplog.text


def test_the_sender_beside_the_web_app_delivers_and_stops_cleanly(
    database_url: str, tmp_path: Path
) -> None:
    with PacedTwilio(SystemClock(), rate=None) as fake:
        settings = settings_for(database_url, tmp_path, twilio=fake, quiet_hours="")
        runtime = runtime_for(settings, SystemClock())
        people = add_people(runtime, 3)
        queue_update(runtime)

        background = BackgroundSender(runtime)
        assert background.start()
        delivered = fake.wait_until(lambda: len(fake.sent()) == 3)
        background.shutdown()

        assert delivered
        assert sorted(fake.sent_to()) == sorted(p.number for p in people)
        assert not any(t.name.startswith("outbox") and t.is_alive() for t in threading.enumerate())
        runtime.db.close()


def test_an_update_sent_for_later_reaches_whoever_asked_by_then_once_each(
    runtime: Runtime, clock: FixedClock, twilio: PacedTwilio
) -> None:
    early = add_people(runtime, 2)
    later = clock.now() + timedelta(hours=2)
    update_id = queue_update(runtime, at=later)
    meanwhile = add_people(runtime, 3, first=10)  # asked to hear back before it went out
    scheduler = Scheduler(runtime)
    try:
        before = scheduler.tick()
        clock.set(later)
        due = scheduler.tick()
        twilio_sender(runtime, clock).drain()
        after = add_people(runtime, 1, first=20)  # asked once it had gone
        clock.set(later + timedelta(minutes=5))
        next_tick = scheduler.tick()
    finally:
        scheduler.shutdown()
    twilio_sender(runtime, clock).drain()

    assert before.update_pushes == 0  # not due yet
    assert due.update_pushes == 3
    assert next_tick.update_pushes == 0  # started: from now on a re-send adds people
    assert sorted(twilio.sent_to()) == sorted(p.number for p in early + meanwhile)
    assert after[0].number not in twilio.sent_to()
    assert counts(runtime, update_id) == {"sent": 5}
    # Sending it again adds the one who asked after it went, and nobody else.
    again = queue(runtime, prepare(runtime, "feeling-safe", EXAMPLE.read_text(), "u.yaml"), later)
    twilio_sender(runtime, clock).drain()
    assert again.resumed
    assert again.recipients == 1
    assert Counter(twilio.sent_to()) == Counter(p.number for p in early + meanwhile + after)
