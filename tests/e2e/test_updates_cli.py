"""`yousaid update send|status|cancel`, `sender run` and `feedback list`, as an officer runs them.

The commands run as real processes against a fresh database and a local fake of Twilio's
Messages API. The people who asked to hear back are put into storage directly (through
the repositories, as the pipeline leaves them), which is quicker than texting in.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.addresses import Address
from bot.clock import SystemClock
from bot.pipeline import Pipeline, Received
from bot.runtime import Runtime
from conversations.messages import Channel, Inbound
from tests.e2e.cli import (
    SAMPLES,
    SCRIPT,
    Run,
    assert_no_traceback,
    environment,
    open_installation,
    yousaid,
)
from tests.integration.outbox.harness import EXAMPLE, PacedTwilio, add_people


@pytest.fixture
def twilio() -> Iterator[PacedTwilio]:
    with PacedTwilio(SystemClock(), rate=None) as fake:
        yield fake


@pytest.fixture
def env(tmp_path: Path, database_url: str, twilio: PacedTwilio) -> dict[str, str]:
    env = environment(
        tmp_path,
        database_url,
        YOUSAID_QUIET_HOURS="",
        YOUSAID_TWILIO_RATE="1000",  # pacing is tested with a fixed clock, not here
        TWILIO_ACCOUNT_SID=twilio.account_sid,
        TWILIO_AUTH_TOKEN=twilio.auth_token,
        TWILIO_FROM="+447700900000",
        TWILIO_WHATSAPP_FROM="+447700900001",
        TWILIO_API_URL=twilio.url,
    )
    loaded = yousaid(env, "consultation", "load", str(SAMPLES), "--open")
    assert loaded.code == 0, loaded.err
    return env


@pytest.fixture
def runtime(env: dict[str, str]) -> Iterator[Runtime]:
    """The same installation, opened in this process to put people in and text as them."""
    opened = open_installation(env)
    yield opened
    opened.db.close()


def send(env: dict[str, str], *extra: str, file: Path = EXAMPLE) -> Run:
    run = yousaid(env, "update", "send", "feeling-safe", "--file", str(file), *extra)
    assert_no_traceback(run)
    return run


def flat(text: str) -> str:
    """The text with runs of spaces as one, so column widths don't matter."""
    return " ".join(text.split())


def text_in(runtime: Runtime, address: str, text: str) -> list[str]:
    scheme, _, value = address.partition(":")
    received = Received(Address(scheme, value), Inbound(Channel.SMS, text), "test", None)
    return [r.text for r in Pipeline(runtime).receive(received).replies]


def test_a_dry_run_shows_who_gets_what_at_what_cost_and_who_cant_be_reached(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    add_people(runtime, 3)
    add_people(runtime, 1, first=10, language="pl")
    add_people(runtime, 1, first=20, channel=Channel.TERMINAL)
    long_ago = runtime.clock.now() - timedelta(days=2)
    add_people(runtime, 1, first=30, channel=Channel.WHATSAPP, last_message_at=long_ago)

    run = send(env, "--dry-run")

    assert run.code == 0, run.err
    assert "4 people can be reached" in run.out
    assert "sms en 3 people, 3 segments each: 9" in flat(run.out)
    assert "sms pl 1 people, 3 segments each: 3" in flat(run.out)
    assert "Can't be reached: 2" in run.out
    assert "nowhere to send" in run.out  # the terminal
    assert "no approved template" in run.out  # WhatsApp, window closed
    assert "Total: 12 segments" in run.out
    assert "News from the council's Safer Streets team." in run.out
    assert "Wiadomość od zespołu" in run.out
    assert "Dry run: nothing was sent." in run.out
    assert twilio.sent() == []


def test_send_queues_the_sender_delivers_and_status_counts_once(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 4)

    queued = send(env, "--no-wait")
    delivered = yousaid(env, "sender", "run", "--once")
    status = yousaid(env, "update", "status", "feeling-safe")
    again = send(env)
    delivered_again = yousaid(env, "sender", "run", "--once")

    assert queued.code == 0, queued.err
    assert "for 4 people" in queued.out
    assert delivered.code == 0, delivered.err
    assert "Dealt with 4 message(s)" in delivered.out
    assert sorted(twilio.sent_to()) == sorted(p.number for p in people)
    assert "sent 4 (delivered 0), failed 0, unreachable 0, unknown 0" in status.out
    assert again.code == 0
    assert "was sent on" in again.out
    assert "nothing is sent twice" in again.out
    assert "Dealt with 0" in delivered_again.out
    assert len(twilio.sent()) == 4


def test_stop_after_the_dry_run_leaves_that_person_out(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 3)
    assert "3 people can be reached" in send(env, "--dry-run").out

    text_in(runtime, people[0].address, "STOP")
    queued = send(env, "--no-wait")
    yousaid(env, "sender", "run", "--once")

    assert "for 2 people" in queued.out
    assert people[0].number not in twilio.sent_to()
    assert len(twilio.sent()) == 2


def test_an_update_over_the_cap_is_refused_with_the_figure(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    add_people(runtime, 3)

    run = send(env, "--max-segments", "5")

    assert run.code == 1
    assert "costs 9 segments, over the cap of 5" in run.err
    assert twilio.sent() == []
    assert "No updates sent" in yousaid(env, "update", "status", "feeling-safe").out


def test_a_file_about_another_consultation_is_refused_with_its_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    wrong = tmp_path / "update.yaml"
    wrong.write_text(EXAMPLE.read_text().replace("consultation: feeling-safe", "consultation: x"))

    run = send(env, "--dry-run", file=wrong)

    assert run.code == 1
    line = next(n for n, t in enumerate(wrong.read_text().splitlines(), 1) if "consultation:" in t)
    assert f"{wrong}:{line}: this update is for 'x', not 'feeling-safe'" in run.err


def test_a_file_with_mistakes_gets_every_problem_with_a_fix(
    env: dict[str, str], tmp_path: Path
) -> None:
    bad = tmp_path / "update.yaml"
    text = EXAMPLE.read_text()
    text = text.replace("status: done", "status: finished").replace(
        "question: what_would_help", "question: what_would_hlp"
    )
    bad.write_text(text)

    run = send(env, "--dry-run", file=bad)

    assert run.code == 1
    assert "is 'finished', not a status" in run.err
    assert "did you mean 'what_would_help'?" in run.err


def test_in_quiet_hours_it_says_when_sending_will_start(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    add_people(runtime, 2)
    now = datetime.now(runtime.settings.zone)
    start, end = now - timedelta(hours=1), now + timedelta(hours=1)
    quiet = {**env, "YOUSAID_QUIET_HOURS": f"{start:%H:%M}-{end:%H:%M}"}

    run = yousaid(quiet, "update", "send", "feeling-safe", "--file", str(EXAMPLE))
    delivered = yousaid(quiet, "sender", "run", "--once")

    assert run.code == 0, run.err
    assert "Sending starts" in run.out
    assert "(in quiet hours)" in run.out
    assert f"{end:%H:%M}" in run.out
    assert "Dealt with 0" in delivered.out
    assert twilio.sent() == []


def test_at_schedules_and_cancel_stops_what_has_not_gone(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    add_people(runtime, 3)
    tomorrow = (datetime.now(runtime.settings.zone) + timedelta(days=1)).date()

    scheduled = send(env, "--at", f"{tomorrow}T10:00")
    cancelled = yousaid(env, "update", "cancel", "feeling-safe")
    status = yousaid(env, "update", "status", "feeling-safe")
    resent = send(env)

    assert "Sending starts" in scheduled.out
    assert "(as scheduled)" in scheduled.out
    assert "cancelled 3 not yet sent; 0 had gone" in cancelled.out
    assert "(cancelled)" in status.out
    assert "cancelled 3" in status.out
    assert resent.code == 1
    assert "cancelled" in resent.err
    assert twilio.sent() == []


def update_id(run: Run) -> str:
    found = re.search(r"[Uu]pdate ([0-9a-f]{8})", run.out)
    assert found, run.out + run.err
    return found.group(1)


def test_a_cancelled_update_goes_out_again_by_its_id(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 3)
    tomorrow = (datetime.now(runtime.settings.zone) + timedelta(days=1)).date()
    first = update_id(send(env, "--at", f"{tomorrow}T10:00"))
    yousaid(env, "update", "cancel", "feeling-safe", "--update", first)

    by_file = send(env)
    dry_run = yousaid(env, "update", "send", "feeling-safe", "--again", first, "--dry-run")
    again = yousaid(env, "update", "send", "feeling-safe", "--again", first, "--no-wait")
    delivered = yousaid(env, "sender", "run", "--once")
    twice = yousaid(env, "update", "send", "feeling-safe", "--again", first, "--no-wait")

    # The file alone doesn't bring it back, but says how, by the id printed at send.
    assert by_file.code == 1
    assert f"`yousaid update send feeling-safe --again {first}`" in by_file.err
    assert "3 more can be reached now" in dry_run.out
    assert again.code == 0, again.err
    assert f"Update {first} goes out again: queued for 3 people." in again.out
    assert "Dealt with 3 message(s)" in delivered.out
    assert sorted(twilio.sent_to()) == sorted(p.number for p in people)
    assert "nobody new has asked since it was sent" in twice.out
    assert len(twilio.sent()) == 3
    unknown = yousaid(env, "update", "send", "feeling-safe", "--again", "ffffffff")
    assert unknown.code == 1
    assert "update status feeling-safe" in unknown.err


def test_sending_again_adds_the_people_who_asked_since_and_nobody_twice(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    early = add_people(runtime, 2)
    first = update_id(send(env, "--no-wait"))
    yousaid(env, "sender", "run", "--once")
    late = add_people(runtime, 3, first=10)

    dry_run = send(env, "--dry-run")
    again = send(env, "--no-wait")
    yousaid(env, "sender", "run", "--once")
    status = yousaid(env, "update", "status", "feeling-safe")

    assert f"Update {first} for feeling-safe was sent on" in dry_run.out
    assert "2 people have it or have it queued. 3 more can be reached now" in dry_run.out
    assert "sms en 3 people" in flat(dry_run.out)  # the plan counts the new ones
    assert f"Update {first} was sent on" in again.out
    assert "queued it for 3 more people who have asked since" in again.out
    assert sorted(twilio.sent_to()) == sorted(p.number for p in early + late)
    assert len(twilio.sent()) == 5
    assert "5 people" in status.out
    assert "sent 5" in status.out


def test_the_dry_run_and_the_send_agree_and_the_send_finishes(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    """Someone who took part in `yousaid chat --live` and asked to hear back can't be sent
    anything: the dry run says so, and the send neither queues them nor waits for them."""
    chatted = yousaid(
        env, "chat", "--live", "--as", "kiosk", stdin="SAFE\nyes\n2\n3\n1\nskip\nyes\nno\n"
    )
    assert chatted.code == 0, chatted.err
    people = add_people(runtime, 2)

    dry_run = send(env, "--dry-run")
    sender = subprocess.Popen(
        [str(SCRIPT), "sender", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        sent = send(env)  # follows until every message is accounted for
    finally:
        sender.send_signal(signal.SIGTERM)
        sender.wait(timeout=60)
    status = yousaid(env, "update", "status", "feeling-safe")

    assert "2 people can be reached" in dry_run.out
    assert "terminal en 1: answered in the terminal" in flat(dry_run.out)
    assert sent.code == 0, sent.err
    assert "for 2 people" in sent.out
    assert "queued 0, sending 0, sent 2" in sent.out  # it finished
    assert "is a sender running?" not in sent.out
    assert sorted(twilio.sent_to()) == sorted(p.number for p in people)
    assert "2 people" in status.out
    assert "queued 0" in status.out


def test_results_publish_the_updates_and_feedback_lists_the_replies(
    env: dict[str, str], runtime: Runtime, twilio: PacedTwilio
) -> None:
    people = add_people(runtime, 2)
    send(env, "--no-wait")
    yousaid(env, "sender", "run", "--once")

    thanks = text_in(runtime, people[0].address, "Great news, email me at sam@example.com")
    listed = yousaid(env, "feedback", "list", "feeling-safe")
    results = yousaid(env, "results", "feeling-safe", "--format", "json", "--min-count", "1")

    assert thanks
    assert "Thank you" in thanks[0]
    assert "Great news" in listed.out
    assert "sam@example.com" not in listed.out
    [update] = json.loads(results.out)["updates"]
    assert update["actions"][0]["title"]["en"] == "Park lighting"
    assert update["actions"][0]["status"] == "done"
    assert update["reached"] == {"count": 2, "suppressed": False}
    assert update["replies"]["count"] == 1
    hidden = yousaid(env, "results", "feeling-safe", "--format", "json")
    assert json.loads(hidden.out)["updates"][0]["replies"] == {
        "count": None,
        "suppressed": True,
        "hidden": "small",
        "shown_as": "fewer than 10",
        "texts": None,
    }


def test_sender_run_without_a_provider_says_what_to_set(tmp_path: Path, database_url: str) -> None:
    env = environment(tmp_path, database_url)

    run = yousaid(env, "sender", "run", "--once")

    assert run.code == 1
    assert "TWILIO_ACCOUNT_SID" in run.err
    assert "TELEGRAM_BOT_TOKEN" in run.err
