"""The console's review queue says why each item was flagged (the rules that fired, never
more of the message), over plain HTTP against the real app on SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.e2e.console_client import Visitor, make_officer
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url) as harness:
        yield harness


def test_a_review_item_shows_why_it_was_flagged(app: TwilioHarness) -> None:
    make_officer(app.runtime, "lead@council.gov.uk", "safeguarding")
    phone = Phone(app, "+447700900651")
    for said in ("SAFE", "yes", "my dad hits me when he drinks"):
        phone.send(said)
    with app.runtime.db.unit_of_work() as uow:
        (item,) = uow.reviews.open_items()
    assert item.reason
    assert "hits" not in item.reason
    assert "drinks" not in item.reason
    lead = Visitor(app.base_url)
    try:
        lead.sign_in("lead@council.gov.uk")
        page = lead.get("/console/review")
    finally:
        lead.close()
    assert page.status_code == 200
    assert "Why it was flagged" in page.text
    assert "word list" in page.text or "classifier" in page.text
    assert "not recorded" not in page.text


TRY = "/console/consultations/feeling-safe/try"


def _officer(app: TwilioHarness, email: str) -> Visitor:
    make_officer(app.runtime, email)
    visitor = Visitor(app.base_url)
    visitor.sign_in(email)
    visitor.get(TRY)
    return visitor


def test_try_it_refuses_the_anonymous_and_a_form_without_csrf(app: TwilioHarness) -> None:
    anonymous = Visitor(app.base_url)
    assert anonymous.post(TRY, {"action": "start"}).status_code == 401
    anonymous.close()
    sam = _officer(app, "sam@council.gov.uk")
    assert sam.post(TRY, {"action": "start"}, token=None).status_code == 403
    assert sam.post(TRY, {"action": "start", "csrf": "forged"}).status_code == 403
    sam.close()


def test_a_try_goes_through_the_engine_with_buttons_and_never_reaches_results(
    app: TwilioHarness,
) -> None:
    sam = _officer(app, "sam@council.gov.uk")
    opening = sam.post(TRY, {"action": "start"})
    assert opening.status_code == 200
    assert 'name="button" value="w|YES"' in opening.text  # the intro's YES button
    first = sam.post(TRY, {"button": "w|YES"})
    assert first.status_code == 200
    assert 'name="button"' in first.text
    with app.runtime.db.unit_of_work() as uow:
        assert uow.session.execute(text("SELECT count(*) FROM responses")).scalar() == 0
        assert uow.session.execute(text("SELECT count(*) FROM pending_answers")).scalar() == 0
        queued = "SELECT count(*) FROM outbox WHERE status != 'sent'"
        assert uow.session.execute(text(queued)).scalar() == 0
    sam.close()


def test_each_officer_has_a_conversation_of_their_own(app: TwilioHarness) -> None:
    sam = _officer(app, "sam@council.gov.uk")
    kim = _officer(app, "kim@council.gov.uk")
    sam.post(TRY, {"action": "start"})
    sam.post(TRY, {"button": "w|YES"})
    # Kim never started: her message is a first contact, not an answer to Sam's question.
    assert kim.post(TRY, {"text": "1"}).text != sam.post(TRY, {"text": "1"}).text
    sam.close()
    kim.close()


def test_the_conversation_so_far_is_shown_and_capped(app: TwilioHarness) -> None:
    sam = _officer(app, "sam@council.gov.uk")
    sam.post(TRY, {"action": "start"})
    history = json.dumps([["you", f"message {n}"] for n in range(100)])
    page = sam.post(TRY, {"text": "hello there", "history": history})
    assert "message 99" in page.text
    assert "message 20" not in page.text
    assert "hello there" in page.text
    assert sam.post(TRY, {"text": "x", "history": "not json"}).status_code == 200
    sam.close()
