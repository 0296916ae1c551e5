"""The console's optional second factor over HTTP: set up with a code, signing in needs
it, wrong and reused codes refused and rate-limited, half-signed-in opens nothing, an
admin's requirement forces set-up, reset clears it, and the secret is never in a log or
a plain column. The app's clock is fixed; codes are computed for its time."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import inspect, select, text

from bot.services import officers, signin
from storage.models_console import Officer
from tests.e2e.console_client import Visitor, later, make_officer
from tests.e2e.twilio_harness import TwilioHarness, running_app

_KEY = re.compile(r'<code class="link">([A-Z2-7 ]+)</code>')


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url) as harness:
        yield harness


@pytest.fixture
def visitor(app: TwilioHarness) -> Iterator[Visitor]:
    browser = Visitor(app.base_url)
    yield browser
    browser.close()


def code(app: TwilioHarness, secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(app.runtime.clock.now(), counter_offset=steps)


def set_up(app: TwilioHarness, visitor: Visitor) -> str:
    """Turn the signed-in visitor's second factor on; returns the secret."""
    assert visitor.get("/console/second-factor").status_code == 200
    page = visitor.post("/console/second-factor", {"action": "start"})
    assert page.status_code == 200
    assert "<svg" in page.text
    match = _KEY.search(page.text)
    assert match is not None
    secret = match.group(1).replace(" ", "")
    wrong = visitor.post("/console/second-factor", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 400
    done = visitor.post("/console/second-factor", {"action": "confirm", "code": code(app, secret)})
    assert done.status_code == 200
    assert "is on" in done.text
    return secret


def test_set_up_then_sign_in_needs_the_code(app: TwilioHarness, visitor: Visitor) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("sam@council.gov.uk")
    secret = set_up(app, visitor)
    later(app.runtime, timedelta(minutes=1))
    fresh = Visitor(app.base_url)
    signed = fresh.sign_in("sam@council.gov.uk")
    assert signed.headers["location"] == "/console/sign-in/code"
    for page in ("/console/", "/console/rounds", "/console/second-factor"):
        assert fresh.get(page).headers["location"] == "/console/sign-in/code", page
        assert fresh.get(page, html=False).status_code == 401, page
    assert fresh.get("/console/sign-in/code").status_code == 200
    good = code(app, secret)
    done = fresh.post("/console/sign-in/code", {"code": good})
    assert done.status_code == 303
    assert done.headers["location"] == "/console/"
    assert fresh.get("/console/").status_code == 200
    # The same code again, from another browser: refused.
    again = Visitor(app.base_url)
    again.sign_in("sam@council.gov.uk")
    again.get("/console/sign-in/code")
    assert again.post("/console/sign-in/code", {"code": good}).status_code == 400
    assert again.get("/console/").status_code == 303
    fresh.close()
    again.close()


def test_wrong_codes_are_rate_limited(app: TwilioHarness, visitor: Visitor) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("sam@council.gov.uk")
    secret = set_up(app, visitor)
    later(app.runtime, timedelta(minutes=1))
    other = Visitor(app.base_url)
    other.sign_in("sam@council.gov.uk")
    other.get("/console/sign-in/code")
    for _ in range(signin.ACCOUNT_LIMIT):
        assert other.post("/console/sign-in/code", {"code": "123456"}).status_code in (400, 429)
    limited = other.post("/console/sign-in/code", {"code": code(app, secret)})
    assert limited.status_code == 429
    assert "Too many tries" in limited.text
    assert other.sign_in("sam@council.gov.uk").status_code == 429
    other.close()


def test_a_requirement_forces_set_up_and_reset_clears_it(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("admin@council.gov.uk")
    visitor.get("/console/officers")
    refused = visitor.post("/console/officers", {"action": "require_on"})
    assert refused.status_code == 400
    set_up(app, visitor)
    visitor.get("/console/officers")
    assert visitor.post("/console/officers", {"action": "require_on"}).status_code == 200
    sam = Visitor(app.base_url)
    assert sam.sign_in("sam@council.gov.uk").headers["location"] == "/console/second-factor"
    assert sam.get("/console/").headers["location"] == "/console/second-factor"
    secret = set_up_enrolling(app, sam)
    assert sam.get("/console/").status_code == 200
    link = officers.reset(app.runtime, "sam@council.gov.uk")
    officers.set_password(app.runtime, link.url.rsplit("/", 1)[1], "purple kettle harbour")
    assert secret
    again = Visitor(app.base_url)
    assert again.sign_in("sam@council.gov.uk").headers["location"] == "/console/second-factor"
    sam.close()
    again.close()


def set_up_enrolling(app: TwilioHarness, visitor: Visitor) -> str:
    assert visitor.get("/console/second-factor").status_code == 200
    page = visitor.post("/console/second-factor", {"action": "start"})
    match = _KEY.search(page.text)
    assert match is not None
    secret = match.group(1).replace(" ", "")
    done = visitor.post("/console/second-factor", {"action": "confirm", "code": code(app, secret)})
    assert done.status_code == 303
    assert done.headers["location"] == "/console/"
    return secret


def test_the_secret_is_in_no_log_and_no_plain_column(
    app: TwilioHarness, visitor: Visitor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("sam@council.gov.uk")
    secret = set_up(app, visitor)
    assert secret not in caplog.text
    with app.runtime.db.unit_of_work() as uow:
        stored = uow.session.scalar(select(Officer.totp_secret_enc))
        assert stored is not None
        assert secret.encode() not in stored
        for table in inspect(uow.session.get_bind()).get_table_names():
            for row in uow.session.execute(text(f'SELECT * FROM "{table}"')):
                assert secret not in repr(row), table


def test_a_half_signed_in_browser_posts_nothing_and_expires(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk", "admin")
    visitor.sign_in("sam@council.gov.uk")
    secret = set_up(app, visitor)
    later(app.runtime, timedelta(minutes=1))
    half = Visitor(app.base_url)
    half.sign_in("sam@council.gov.uk")
    half.get("/console/sign-in/code")
    added = half.post("/console/officers", {"action": "add", "email": "x@council.gov.uk"})
    assert added.status_code == 401
    assert half.get("/console/audit", html=False).status_code == 401
    later(app.runtime, signin.PENDING)
    assert half.post("/console/sign-in/code", {"code": code(app, secret)}).status_code == 401
    assert half.get("/console/sign-in/code").headers["location"].startswith("/console/sign-in?")
    half.close()
