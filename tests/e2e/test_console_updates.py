"""Updates in the console, over HTTP: a bad file's problems beside their lines and nothing
queued, the dry run with the very figures `yousaid update send --dry-run` prints, a send
now or later after a confirmation, cancelling, and the counts the status page refreshes."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import update as update_cli
from bot.cli.main import cli
from bot.services import update_progress
from bot.services.audit import recent
from conversations.messages import Channel
from tests.e2e.console_client import Visitor, make_officer
from tests.e2e.twilio_harness import TwilioHarness, running_app
from tests.integration.outbox.harness import EXAMPLE, add_people

GOOD = EXAMPLE.read_text(encoding="utf-8")
# Two mistakes: a status that doesn't exist, and a question the consultation hasn't got.
BROKEN = GOOD.replace("status: done", "status: finished").replace(
    "question: what_would_help", "question: what_would_hlep"
)


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url, min_count=3, quiet_hours="") as harness:
        yield harness


@pytest.fixture
def officer(app: TwilioHarness) -> Iterator[Visitor]:
    make_officer(app.runtime, "sam@council.gov.uk")
    browser = Visitor(app.base_url)
    browser.sign_in("sam@council.gov.uk")
    browser.get("/console/updates")
    yield browser
    browser.close()


def check(browser: Visitor, text: str = GOOD) -> str:
    page = browser.post("/console/updates/check", {"consultation": "feeling-safe", "text": text})
    assert page.status_code == 200, page.text
    return page.text


def send(browser: Visitor, at: str = "now") -> str:
    """Confirm, then send; returns the status page's address."""
    form = {"consultation": "feeling-safe", "text": GOOD, "at": at, "file_name": "update.yaml"}
    confirm = browser.post("/console/updates/send", {**form, "action": "confirm"})
    assert confirm.status_code == 200, confirm.text
    assert "Send the update" in confirm.text, confirm.text
    sent = browser.post("/console/updates/send", {**form, "action": "send"})
    assert sent.status_code == 303, sent.text
    return str(sent.headers["location"])


def flat(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_updates_refuse_an_anonymous_visitor_and_a_form_without_its_token(
    app: TwilioHarness, officer: Visitor
) -> None:
    stranger = Visitor(app.base_url)
    assert stranger.get("/console/updates").status_code == 303
    assert (
        stranger.get("/console/updates/feeling-safe/x/counts.json", html=False).status_code == 401
    )
    assert stranger.post("/console/updates/send", {"text": GOOD}).status_code == 401
    stranger.close()
    add_people(app.runtime, 3)
    form = {"consultation": "feeling-safe", "text": GOOD, "at": "now", "action": "send"}
    assert officer.post("/console/updates/send", form, token=None).status_code == 403
    assert officer.post("/console/updates/send", {**form, "csrf": "x"}).status_code == 403
    assert update_progress.standings(app.runtime, "feeling-safe") == []


def test_a_bad_file_shows_its_problems_beside_their_lines_and_queues_nothing(
    app: TwilioHarness, officer: Visitor
) -> None:
    add_people(app.runtime, 3)
    page = officer.post("/console/updates/check", {"consultation": "feeling-safe", "text": BROKEN})
    assert page.status_code == 400
    assert "Nothing has been sent." in page.text
    lines = BROKEN.splitlines()
    for wrong in ("    status: finished", "      question: what_would_hlep"):
        number = lines.index(wrong) + 1
        assert f'id="line-{number}" class="has-problem"' in page.text, wrong
        assert f"Line {number}:" in page.text
    assert "Fix:" in page.text
    assert "what_would_hlep" in page.text  # the text comes back, to fix in place
    assert update_progress.standings(app.runtime, "feeling-safe") == []


def test_the_dry_run_shows_the_figures_the_command_prints(
    app: TwilioHarness, officer: Visitor, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_people(app.runtime, 4)
    add_people(app.runtime, 3, first=10, language="pl")
    add_people(app.runtime, 1, first=20, channel=Channel.TERMINAL)
    long_ago = app.runtime.clock.now() - timedelta(days=2)
    add_people(app.runtime, 1, first=30, channel=Channel.WHATSAPP, last_message_at=long_ago)
    monkeypatch.setattr(update_cli, "open_runtime", lambda: app.runtime)
    run = CliRunner().invoke(
        cli, ["update", "send", "feeling-safe", "--file", str(EXAMPLE), "--dry-run"]
    )
    assert run.exit_code == 0, run.output
    said = " ".join(run.output.split())

    shown = flat(check(officer))

    people = re.search(r"(\d+) people can be reached", said)
    assert people
    assert f"{people[1]} people can be reached now" in shown
    for channel, language, count, each, cost in re.findall(
        r"(sms|whatsapp|telegram) (\w+) (\d+) people, (.+?each|free): (\d+)", said
    ):
        assert f"{channel} {language} {count} {each} {cost}" in shown
    total = re.search(r"Total: (\d+) segments", said)
    assert total
    assert f"Total: {total[1]} segments" in shown
    assert "Can't be reached: fewer than 3" in shown  # two people, under the threshold
    assert "nowhere to send" in shown
    assert "no approved template" in shown
    assert "News from the council's Safer Streets team." in shown
    assert "Wiadomość od zespołu" in shown
    for language, segments, encoding in re.findall(
        r"--- (\w+): (\d+) SMS segments \(([\w-]+)\)", said
    ):
        assert f"{language} " in shown
        assert f"{segments} segments ({encoding})" in shown
    assert update_progress.standings(app.runtime, "feeling-safe") == []  # a dry run sends nothing


def test_a_send_queues_after_a_confirmation_and_the_counts_follow(
    app: TwilioHarness, officer: Visitor
) -> None:
    add_people(app.runtime, 4)
    check(officer)
    status_page = send(officer)

    [row] = update_progress.standings(app.runtime, "feeling-safe")
    assert row.counts.queued == 4
    assert status_page == f"/console/updates/feeling-safe/{row.update.id}?queued=4"
    page = officer.get(status_page)
    assert page.status_code == 200
    assert "Queued update" in page.text
    assert 'data-count="queued">4<' in page.text
    assert '<script src="/console/static/updates.js"' in page.text
    counts = officer.get(status_page.split("?")[0] + "/counts.json", html=False)
    assert counts.status_code == 200
    assert counts.json()["queued"] == 4
    assert counts.json()["sent"] == 0
    assert counts.json()["total"] == 4
    [entry] = [e for e in recent(app.runtime, 20) if e.action == "update.send"]
    assert entry.actor == "sam@council.gov.uk"
    assert f"update={row.update.id}" in entry.detail
    assert "queued=4" in entry.detail
    script = officer.get("/console/static/updates.js")
    assert script.status_code == 200
    assert "counts" in script.text


def test_a_send_later_waits_and_a_cancel_cancels_after_a_confirmation(
    app: TwilioHarness, officer: Visitor
) -> None:
    add_people(app.runtime, 3)
    bad_time = officer.post(
        "/console/updates/send",
        {"consultation": "feeling-safe", "text": GOOD, "at": "soon", "action": "send"},
    )
    assert bad_time.status_code == 400
    assert "Send at &#39;soon&#39; is not a date" in bad_time.text
    status_page = send(officer, at="2026-03-03T10:00").split("?")[0]
    [row] = update_progress.standings(app.runtime, "feeling-safe")
    assert row.update.send_after.isoformat() == "2026-03-03T10:00:00+00:00"
    assert "as scheduled" in officer.get(status_page).text

    confirm = officer.get(status_page + "/cancel")
    assert confirm.status_code == 200
    assert "Cancel the update" in confirm.text
    assert update_progress.counts(app.runtime, row.update.id).queued == 3  # not yet
    done = officer.post(status_page + "/cancel", {})
    assert done.status_code == 303
    assert officer.get(done.headers["location"]).text.count("Cancelled") >= 1
    assert update_progress.counts(app.runtime, row.update.id).queued == 0
    [entry] = [e for e in recent(app.runtime, 20) if e.action == "update.cancel"]
    assert entry.actor == "sam@council.gov.uk"
    assert "stopped=3" in entry.detail


def test_every_role_can_use_updates(app: TwilioHarness) -> None:
    add_people(app.runtime, 3)
    for email, role in (("lead@council.gov.uk", "safeguarding"), ("ad@council.gov.uk", "admin")):
        make_officer(app.runtime, email, role)
        browser = Visitor(app.base_url)
        browser.sign_in(email)
        assert browser.get("/console/updates").status_code == 200
        assert "3 people can be reached now" in check(browser)
        browser.close()


def test_a_cancelled_update_goes_out_again_after_a_confirmation(
    app: TwilioHarness, officer: Visitor
) -> None:
    add_people(app.runtime, 3)
    status_page = send(officer, at="2026-03-03T10:00").split("?")[0]
    assert officer.post(status_page + "/cancel", {}).status_code == 303
    [row] = update_progress.standings(app.runtime, "feeling-safe")
    assert update_progress.counts(app.runtime, row.update.id).queued == 0
    page = officer.get(status_page)
    assert f'href="{status_page}/again"' in page.text
    assert "--again" not in officer.get(status_page + "/cancel").text  # no command to type

    confirm = officer.get(status_page + "/again")
    assert confirm.status_code == 200
    assert "Send it again" in confirm.text
    assert "3 people who asked to hear back" in flat(confirm.text)
    assert update_progress.counts(app.runtime, row.update.id).queued == 0  # not yet
    assert officer.post(status_page + "/again", {}, token=None).status_code == 403
    assert officer.post(status_page + "/again", {"csrf": "x"}).status_code == 403
    assert update_progress.counts(app.runtime, row.update.id).queued == 0

    done = officer.post(status_page + "/again", {})
    assert done.status_code == 303
    assert done.headers["location"] == f"{status_page}?queued=3"
    assert update_progress.counts(app.runtime, row.update.id).queued == 3
    [entry] = [e for e in recent(app.runtime, 20) if e.action == "update.resend"]
    assert entry.actor == "sam@council.gov.uk"
    assert "again=yes" in entry.detail
    assert "queued=3" in entry.detail
    nothing = officer.get(status_page + "/again")  # everyone has it now
    assert "Nothing to send" in nothing.text
    stranger = Visitor(app.base_url)
    assert stranger.get(status_page + "/again").status_code == 303
    assert stranger.post(status_page + "/again", {}).status_code == 401
    stranger.close()
