"""The console over plain HTTP: who may see what, CSRF, sign-in limits, sessions that end,
and the security headers, against the real app on SQLite with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.routing import Mount, Route

from bot.services import officers, signin
from bot.services.audit import recent
from tests.e2e.console_client import Visitor, later, make_officer
from tests.e2e.twilio_harness import TwilioHarness, running_app

PUBLIC_PAGES = {"/console/sign-in", "/console/setup/{token}"}


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url) as harness:
        yield harness


@pytest.fixture
def visitor(app: TwilioHarness) -> Iterator[Visitor]:
    browser = Visitor(app.base_url)
    yield browser
    browser.close()


def console_pages(app: TwilioHarness) -> list[tuple[str, str]]:
    """(method, path) of every console route that needs a signed-in officer."""
    found = []
    for mount in app.app.routes:
        if isinstance(mount, Mount) and mount.path == "/console":
            for route in mount.routes:
                if isinstance(route, Route):
                    path = "/console" + route.path
                    if path not in PUBLIC_PAGES:
                        found += [(m, path) for m in sorted(route.methods or ()) if m != "HEAD"]
    assert len(found) >= 8, found
    return found


def concrete(path: str) -> str:
    return (
        path.replace("{consultation}", "feeling-safe")
        .replace("{item}", "abc")
        .replace("{update}", "abc")
    )


def test_every_console_page_refuses_an_anonymous_visitor(
    app: TwilioHarness, visitor: Visitor
) -> None:
    for method, path in console_pages(app):
        if method == "GET":
            page = visitor.get(concrete(path))
            assert page.status_code == 303, path
            assert page.headers["location"].startswith("/console/sign-in?next=")
            assert visitor.get(concrete(path), html=False).status_code == 401, path
        else:
            assert visitor.post(concrete(path), {}).status_code == 401, path


def test_an_officer_signs_in_and_sees_the_consultations(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    signed_in = visitor.sign_in("Sam@Council.gov.uk")
    assert signed_in.status_code == 303
    cookie = next(
        h for h in signed_in.headers.get_list("set-cookie") if h.startswith("yousaid_session=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Secure" in cookie
    home = visitor.get("/console/")
    assert home.status_code == 200
    assert "Feeling safe" in home.text or "feeling-safe" in home.text
    assert "open" in home.text
    assert "fewer than 10" in home.text  # nobody has answered yet


def test_sign_in_goes_back_to_the_page_asked_for_and_never_off_site(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.get("/console/sign-in?next=/console/audit")
    back = visitor.post(
        "/console/sign-in",
        {
            "email": "sam@council.gov.uk",
            "password": "purple kettle harbour",
            "next": "https://evil.example/",
        },
        token="form_token",
    )
    assert back.headers["location"] == "/console/"


def test_each_role_sees_only_its_pages(app: TwilioHarness) -> None:
    make_officer(app.runtime, "officer@council.gov.uk", "officer")
    make_officer(app.runtime, "lead@council.gov.uk", "safeguarding")
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    seen: dict[str, dict[str, int]] = {}
    for email in ("officer@council.gov.uk", "lead@council.gov.uk", "admin@council.gov.uk"):
        browser = Visitor(app.base_url)
        browser.sign_in(email)
        seen[email] = {
            page: browser.get(page).status_code
            for page in ("/console/", "/console/review", "/console/officers", "/console/audit")
        }
        browser.close()
    assert seen["officer@council.gov.uk"] == {
        "/console/": 200,
        "/console/review": 403,
        "/console/officers": 403,
        "/console/audit": 403,
    }
    assert seen["lead@council.gov.uk"]["/console/review"] == 200
    assert seen["lead@council.gov.uk"]["/console/officers"] == 403
    assert seen["admin@council.gov.uk"]["/console/officers"] == 200
    assert seen["admin@council.gov.uk"]["/console/audit"] == 200
    assert seen["admin@council.gov.uk"]["/console/review"] == 403


def test_a_form_without_the_csrf_token_or_with_a_forged_one_is_refused(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    visitor.sign_in("admin@council.gov.uk")
    visitor.get("/console/officers")
    add = {"action": "add", "email": "new@council.gov.uk", "role": "officer"}
    assert visitor.post("/console/officers", add, token=None).status_code == 403
    assert (
        visitor.post("/console/officers", {**add, "csrf": "forged"}, token=None).status_code == 403
    )
    assert "new@council.gov.uk" not in visitor.get("/console/officers").text
    made = visitor.post("/console/officers", add)
    assert made.status_code == 200
    assert "/console/setup/" in made.text
    # Sign-in's own form is checked too.
    stranger = Visitor(app.base_url)
    refused = stranger.post(
        "/console/sign-in",
        {"email": "admin@council.gov.uk", "password": "purple kettle harbour"},
        token=None,
    )
    assert refused.status_code == 403
    stranger.close()


def test_sign_in_is_rate_limited_without_saying_whether_the_account_exists(
    app: TwilioHarness,
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    browser = Visitor(app.base_url)
    for _ in range(signin.ACCOUNT_LIMIT):
        wrong = browser.sign_in("sam@council.gov.uk", "not the password at all")
        assert wrong.status_code == 400
    unknown = browser.sign_in("nobody@council.gov.uk", "not the password at all")
    assert unknown.status_code == 400
    assert "match an account" in wrong.text
    assert "match an account" in unknown.text
    # Even the right password is refused now, with the plain message.
    blocked = browser.sign_in("sam@council.gov.uk")
    assert blocked.status_code == 429
    assert "Too many tries. Wait 10 minutes." in blocked.text
    later(app.runtime, timedelta(minutes=11))
    assert browser.sign_in("sam@council.gov.uk").status_code == 303
    browser.close()


def test_the_limit_per_address_holds_across_accounts(app: TwilioHarness) -> None:
    browser = Visitor(app.base_url)
    for number in range(signin.IP_LIMIT):
        browser.sign_in(f"guess{number}@council.gov.uk", "not the password at all")
    make_officer(app.runtime, "sam@council.gov.uk")
    assert browser.sign_in("sam@council.gov.uk").status_code == 429
    browser.close()


def test_forwarded_for_counts_only_behind_a_trusted_proxy(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url, trusted_proxies="127.0.0.1") as app:
        browser = Visitor(app.base_url)
        for number in range(signin.IP_LIMIT):
            browser.sign_in(
                f"guess{number}@council.gov.uk",
                "wrong password!!",
                **{"X-Forwarded-For": "203.0.113.9"},
            )
        make_officer(app.runtime, "sam@council.gov.uk")
        # Another client behind the same proxy is not blocked by 203.0.113.9's guesses.
        other = browser.sign_in("sam@council.gov.uk", **{"X-Forwarded-For": "198.51.100.7"})
        assert other.status_code == 303
        browser.close()


def test_a_session_ends_at_sign_out_and_after_eight_idle_hours(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("sam@council.gov.uk")
    kept = dict(visitor.cookies)
    visitor.get("/console/")  # the page with the sign-out button (and its CSRF token)
    assert visitor.post("/console/sign-out", {}).status_code == 303
    # The old cookie, replayed, signs nobody in: the session is gone on the server.
    replay = Visitor(app.base_url)
    replay.cookies = kept
    assert replay.get("/console/").status_code == 303

    replay.sign_in("sam@council.gov.uk")
    later(app.runtime, timedelta(hours=7, minutes=59))
    assert replay.get("/console/").status_code == 200  # in use: the idle clock restarts
    later(app.runtime, timedelta(hours=7, minutes=59))
    assert replay.get("/console/").status_code == 200
    later(app.runtime, timedelta(hours=8))
    assert replay.get("/console/").status_code == 303
    replay.close()


def test_a_disabled_account_is_signed_out_at_once(app: TwilioHarness, visitor: Visitor) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    visitor.sign_in("sam@council.gov.uk")
    officers.disable(app.runtime, "sam@council.gov.uk")
    assert visitor.get("/console/").status_code == 303
    assert visitor.sign_in("sam@council.gov.uk").status_code == 400


def test_a_forged_session_cookie_signs_nobody_in(app: TwilioHarness, visitor: Visitor) -> None:
    visitor.cookies["yousaid_session"] = "made-up.token"
    assert visitor.get("/console/").status_code == 303


def test_security_headers_are_on_every_page(app: TwilioHarness, visitor: Visitor) -> None:
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    pages = [
        "/console/sign-in",
        "/console/setup/nothing",
        "/healthz",
        "/console/static/console.css",
    ]
    anonymous = [visitor.get(page) for page in pages]
    visitor.sign_in("admin@council.gov.uk")
    signed = [visitor.get(page) for page in ("/console/", "/console/officers", "/console/audit")]
    for response in anonymous + signed:
        headers = response.headers
        csp = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "http" not in csp
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["strict-transport-security"].startswith("max-age=")  # the URL is https
    for response in signed:
        assert response.headers["cache-control"] == "no-store"
        assert "<script>" not in response.text
        assert "style=" not in response.text


def test_the_audit_log_names_the_officer_and_filters_by_them(
    app: TwilioHarness, visitor: Visitor
) -> None:
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    visitor.sign_in("admin@council.gov.uk")
    visitor.get("/console/officers")
    visitor.post(
        "/console/officers",
        {"action": "add", "email": "kim@council.gov.uk", "role": "safeguarding"},
    )
    entries = recent(app.runtime, 10, actor="admin@council.gov.uk", action="officer.add")
    assert [e.detail for e in entries] == ["account=kim@council.gov.uk role=safeguarding"]
    page = visitor.get("/console/audit?who=admin@council.gov.uk&action=officer.add")
    assert "account=kim@council.gov.uk" in page.text
    assert (
        "account=admin@council.gov.uk role=admin" not in page.text
    )  # added by the test, not by them


def test_the_console_can_be_turned_off(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url, console=False) as app:
        browser = Visitor(app.base_url)
        assert browser.get("/console/sign-in").status_code == 404
        assert browser.get("/healthz").status_code == 200
        browser.close()
