"""A consultation's public page /c/<id> over HTTP: only for `public: true`, results only
once a round has closed and its results date has passed, small counts hidden, nothing
fetched from another site, and the security headers on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from bot.console.pages_public import LEAVE_URL
from bot.services.update_queue import queue
from bot.services.updates import prepare
from storage.repositories.round_rows import RoundStatus
from tests.consultations import SAMPLES, store_consultations
from tests.e2e.twilio_harness import REPO, Phone, TwilioHarness, running_app

PAGE = "/c/feeling-safe"
# Four "Very safe" (1), four "Fairly safe" (2), one "Not very safe" (3): the one is small.
ANSWERS = ["1"] * 4 + ["2"] * 4 + ["3"]


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url, min_count=3) as harness:
        yield harness


def make_public(app: TwilioHarness, tmp_path: Path) -> None:
    """Load feeling-safe again with `public: true`, and give it a round that closes in two
    days with its results shared a day after that."""
    source = (SAMPLES / "feeling-safe.yaml").read_text(encoding="utf-8")
    public = tmp_path / "public" / "feeling-safe.yaml"
    public.parent.mkdir()
    public.write_text("public: true\n" + source, encoding="utf-8")
    store_consultations(app.runtime, public, open_round=False)
    now = app.clock.now()
    with app.runtime.db.unit_of_work() as uow:
        for row in uow.rounds.for_consultation("feeling-safe"):  # the sample's open round
            assert uow.rounds.move(row.id, [RoundStatus.OPEN], RoundStatus.CANCELLED)
        uow.rounds.schedule(
            "feeling-safe",
            now,
            now + timedelta(days=2),
            now,
            results_at=now + timedelta(days=3),
        )


def answer(app: TwilioHarness) -> None:
    for index, choice in enumerate(ANSWERS):
        phone = Phone(app, f"+4477009006{index:02d}")
        phone.send("SAFE")
        phone.send("yes")
        phone.send(choice)


def get(app: TwilioHarness, path: str = PAGE) -> httpx.Response:
    return httpx.get(app.base_url + path, timeout=30, follow_redirects=False)


def test_a_consultation_that_is_not_public_has_no_page(app: TwilioHarness) -> None:
    for path in (PAGE, "/c/heard", "/c/no-such-thing"):
        page = get(app, path)
        assert page.status_code == 404, path
        assert "Page not found" in page.text
        assert "Feeling safe" not in page.text


def test_results_wait_for_the_close_and_the_results_date(
    app: TwilioHarness, tmp_path: Path
) -> None:
    make_public(app, tmp_path)
    answer(app)

    page = get(app)
    assert page.status_code == 200
    assert "Feeling safe in your area" in page.text
    assert "How safe do you feel in your area after dark?" in page.text
    assert "Can we message you later" not in page.text  # the opt-ins are not the subject
    assert "<svg" not in page.text
    assert "Very safe" not in page.text

    app.clock.set(app.clock.now() + timedelta(days=2, hours=1))  # closed, before results
    assert "<svg" not in get(app).text

    app.clock.set(app.clock.now() + timedelta(days=1))  # past the results date
    shown = get(app).text
    assert "<svg" in shown
    assert "Very safe" in shown
    assert "Not very safe" in shown
    assert "fewer than 3" in shown
    charts = " ".join(re.findall(r"<svg.*?</svg>", shown, re.S))
    # A count is the text right of its bar; an answer's label (a scale's "2") is
    # anchored at its end, left of the bars.
    counts = re.findall(r'<text x="[\d.]+" y="[\d.]+">(\d+)</text>', charts)
    assert counts
    assert all(int(n) == 0 or int(n) >= 3 for n in counts), counts
    assert "The park by the station" not in shown


def test_the_page_fetches_nothing_from_another_site_and_can_be_left_quickly(
    app: TwilioHarness, tmp_path: Path
) -> None:
    make_public(app, tmp_path)
    page = get(app)
    urls = set(re.findall(r'(?:href|src|action)="([^"]+)"', page.text))
    outside = {u for u in urls if not u.startswith(("/", "#"))}
    assert outside == {LEAVE_URL}
    assert re.search(r'<a class="leave" href="https://www.bbc.co.uk/weather"', page.text)
    assert '<script src="/console/static/leave.js"' in page.text
    assert "<script>" not in page.text
    assert "onclick" not in page.text
    script = get(app, "/console/static/leave.js")
    assert script.status_code == 200
    assert "location.replace" in script.text
    for path in urls - outside:
        if not path.startswith("#"):
            assert get(app, path).status_code == 200, path
    assert "sign out" not in page.text.lower()
    assert "@" not in page.text


def test_the_security_headers_are_on_the_page_and_the_not_found_page(
    app: TwilioHarness, tmp_path: Path
) -> None:
    missing = get(app)
    make_public(app, tmp_path)
    for page in (missing, get(app)):
        csp = page.headers["content-security-policy"]
        assert "script-src 'self'" in csp
        assert "default-src 'self'" in csp
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["referrer-policy"] == "same-origin"


def test_every_update_sent_is_shown_with_its_actions(app: TwilioHarness, tmp_path: Path) -> None:
    make_public(app, tmp_path)
    answer(app)
    app.clock.set(app.clock.now() + timedelta(days=3, hours=1))
    example = REPO / "config" / "updates" / "feeling-safe-example.yaml"
    text = example.read_text(encoding="utf-8")
    prepared = prepare(app.runtime, "feeling-safe", text, "feeling-safe-example.yaml")
    queue(app.runtime, prepared, app.clock.now())

    page = get(app).text

    assert "Park lighting" in page
    assert "Youth club open later" in page
    assert "in progress, 60% done" in page
    assert "12 new lights on the main paths in Victoria Park." in page
    assert "No updates yet" not in page
    assert "More police on foot" in page
    assert "Why not:" in page
    assert "None" not in page  # a "you said" line with a hidden figure is left out
    assert "Update of Thu 5 Mar 2026" in page
