"""The public page's short link, over the real webhook: a public consultation's update
carries it (counted in its segments, as the dry run shows them) and so does MORE; a
consultation that is not public gets no link."""

from __future__ import annotations

from pathlib import Path

from bot.clock import FixedClock
from bot.services.update_queue import queue
from bot.services.updates import prepare
from conversations.segments import count_segments
from tests.consultations import SAMPLES, store_consultations
from tests.e2e.test_updates_more import SHORT_UPDATE
from tests.e2e.twilio_harness import PUBLIC_URL, Phone, TwilioHarness, running_app
from tests.integration.outbox.harness import twilio_sender

LINK = f"{PUBLIC_URL}/c/feeling-safe"


def make_public(app: TwilioHarness, tmp_path: Path) -> None:
    """A new version of feeling-safe that says `public: true` (the round stays open)."""
    source = (SAMPLES / "feeling-safe.yaml").read_text(encoding="utf-8")
    public = tmp_path / "public" / "feeling-safe.yaml"
    public.parent.mkdir()
    public.write_text("public: true\n" + source, encoding="utf-8")
    store_consultations(app.runtime, public, open_round=False)


def ask_for_news(app: TwilioHarness, number: str) -> Phone:
    phone = Phone(app, number)
    for text in ("SAFE", "yes", "2", "3", "1", "skip", "yes", "no"):  # ... YES to news
        phone.send(text)
    return phone


def push(app: TwilioHarness, phone: Phone) -> str:
    """Send SHORT_UPDATE and deliver it; the body the phone got."""
    prepared = prepare(app.runtime, "feeling-safe", SHORT_UPDATE, "update.yaml")
    queue(app.runtime, prepared, app.clock.now())
    clock = app.runtime.clock
    assert isinstance(clock, FixedClock)
    twilio_sender(app.runtime, clock).drain()
    [pushed] = [m for m in app.fake.sent() if m["to"] == phone.number]
    return str(pushed["body"])


def test_a_public_consultations_update_and_more_carry_its_short_link(
    tmp_path: Path, sqlite_url: str
) -> None:
    with running_app(tmp_path, sqlite_url) as app:
        phone = ask_for_news(app, "+447700900556")
        make_public(app, tmp_path)

        dry_run = prepare(app.runtime, "feeling-safe", SHORT_UPDATE, "update.yaml")
        english = dry_run.rendered["en"]
        assert LINK in english.message
        # The dry run's segments are those of the message with its link.
        assert english.segments == count_segments(english.message).segments
        body = push(app, phone)
        assert body.splitlines()[-2] == LINK
        assert count_segments(body).segments == english.segments

        more = phone.send("MORE")

        assert "Park lighting: done. New lights in the park." in more.text
        assert LINK in more.text


def test_a_consultation_that_is_not_public_gets_no_link(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url) as app:
        phone = ask_for_news(app, "+447700900557")
        body = push(app, phone)
        assert "/c/" not in body
        assert "/c/" not in phone.send("MORE").text


def test_no_link_while_the_public_pages_are_off(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url, console=False) as app:
        make_public(app, tmp_path)
        prepared = prepare(app.runtime, "feeling-safe", SHORT_UPDATE, "update.yaml")
        assert all("/c/" not in r.message + r.full for r in prepared.rendered.values())
