"""The console's review queue says why each item was flagged (the rules that fired, never
more of the message), over plain HTTP against the real app on SQLite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.console_client import Visitor, make_officer
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url) as harness:
        yield harness


def test_a_review_item_shows_why_it_was_flagged(app: TwilioHarness) -> None:
    make_officer(app.runtime, "lead@council.gov.uk", "safeguarding")
    phone = Phone(app, "+447700900651")
    for text in ("SAFE", "yes", "my dad hits me when he drinks"):
        phone.send(text)
    with app.runtime.db.unit_of_work() as uow:
        (item,) = uow.reviews.open_items()
    assert item.reason and "hits" not in item.reason and "drinks" not in item.reason
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
