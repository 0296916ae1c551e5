"""Writing a consultation and scheduling its rounds in the console, over HTTP: problems
beside their lines and nothing saved, a preview with segments and costs, a save that is
a new version, the file back as it was, and rounds with the CLI's rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.services.consultations import source_of
from tests.e2e.console_client import Visitor, make_officer
from tests.e2e.twilio_harness import TwilioHarness, running_app

REPO = Path(__file__).resolve().parents[2]
GOOD = (REPO / "tests/data/consultations/one_language.yaml").read_text()
# Two mistakes: a question type that doesn't exist (line 13) and a choice with no text.
BROKEN = GOOD.replace("type: yesno", "type: yesnoo").replace(
    "{id: sometimes, text: Sometimes}", "{id: sometimes}"
)


@pytest.fixture
def officer(tmp_path: Path, sqlite_url: str) -> Iterator[tuple[TwilioHarness, Visitor]]:
    with running_app(tmp_path, sqlite_url) as app:
        make_officer(app.runtime, "sam@council.gov.uk")
        browser = Visitor(app.base_url)
        browser.sign_in("sam@council.gov.uk")
        browser.get("/console/consultations/new")
        yield app, browser
        browser.close()


def test_problems_are_shown_beside_their_lines_and_nothing_is_saved(
    officer: tuple[TwilioHarness, Visitor],
) -> None:
    app, browser = officer
    page = browser.post("/console/consultations/check", {"text": BROKEN, "action": "save"})
    assert page.status_code == 400
    assert "2 problems to fix" in page.text
    type_line = BROKEN.splitlines().index("    type: yesnoo") + 1
    assert f'id="line-{type_line}" class="has-problem"' in page.text
    assert f"Line {type_line}:" in page.text
    assert "Fix:" in page.text
    assert source_of(app.runtime, "youth-club") is None
    # The text comes back in the editor, to fix in place.
    assert "type: yesnoo" in page.text


def test_a_good_file_is_previewed_then_saved_and_can_be_downloaded(
    officer: tuple[TwilioHarness, Visitor],
) -> None:
    app, browser = officer
    shown = browser.post("/console/consultations/check", {"text": GOOD, "action": "check"})
    assert shown.status_code == 200
    assert "No problems found" in shown.text
    assert "Should the club stay open until 9pm?" in shown.text
    assert "segment" in shown.text
    assert "GSM" in shown.text
    assert "£0.20" in shown.text
    assert source_of(app.runtime, "youth-club") is None  # a preview saves nothing
    saved = browser.post("/console/consultations/check", {"text": GOOD, "action": "save"})
    assert saved.status_code == 303
    home = browser.get(saved.headers["location"])
    assert "Saved youth-club" in home.text
    assert "Youth club opening hours" in home.text
    assert "draft" in home.text
    back = browser.get("/console/consultations/youth-club/file.yaml")
    assert back.text == GOOD
    assert "attachment" in back.headers["content-disposition"]
    edit = browser.get("/console/consultations/youth-club/edit")
    assert "Should the club stay open until 9pm?" in edit.text


def test_a_file_can_be_uploaded(officer: tuple[TwilioHarness, Visitor]) -> None:
    _, browser = officer
    response = browser.client.post(
        "/console/consultations/check",
        data={"csrf": browser.tokens["csrf"], "action": "check"},
        files={"file": ("club.yaml", BROKEN.encode(), "application/yaml")},
        headers={"Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items())},
    )
    assert response.status_code == 400
    assert "club.yaml" in response.text
    assert "2 problems to fix" in response.text


def test_rounds_are_scheduled_with_the_cli_rules_and_closed_after_a_warning(
    officer: tuple[TwilioHarness, Visitor],
) -> None:
    _, browser = officer
    browser.post("/console/consultations/check", {"text": GOOD, "action": "save"})
    browser.get("/console/rounds")
    wrong = browser.post(
        "/console/rounds",
        {"consultation": "youth-club", "opens": "2026-03-10", "closes": "2026-03-05"},
    )
    assert wrong.status_code == 400
    said = wrong.text.split('role="alert">', 1)[1].split("<", 1)[0]
    # The rule's own words, as the CLI prints them, naming the form's fields.
    assert "a round must close after it opens" in said
    assert "Closes the end of Thu 5 Mar 2026" in said
    assert "--" not in said
    made = browser.post(
        "/console/rounds",
        {"consultation": "youth-club", "opens": "now", "closes": "2026-03-20", "keyword": "CLUBS"},
    )
    assert made.status_code == 200
    assert "is scheduled" in made.text
    round_id = made.text.split("Round ", 1)[1].split(" ", 1)[0]
    confirm = browser.get(f"/console/rounds/{round_id}/close")
    assert "take no more answers" in confirm.text
    assert "DELETE" in confirm.text
    closed = browser.post(f"/console/rounds/{round_id}/close", {})
    assert closed.status_code == 303
    listing = browser.get(closed.headers["location"])
    assert "is closed" in listing.text
    closed_section = listing.text.split("<h2>Closed</h2>", 1)[1]
    assert round_id in closed_section.split("<h2", 1)[0]
