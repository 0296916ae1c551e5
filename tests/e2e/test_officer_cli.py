"""`yousaid officer ...`: accounts made and managed from the terminal, as real processes;
the set-up link it prints sets a password in the console."""

from __future__ import annotations

import re
from pathlib import Path

from bot.services import officers
from tests.e2e.cli import environment, yousaid
from tests.e2e.console_client import Visitor
from tests.e2e.twilio_harness import running_app

LINK = re.compile(r"http://127\.0\.0\.1:8000(/console/setup/[A-Za-z0-9_-]+)")


def test_add_prints_a_one_time_link_and_the_account_waits_for_set_up(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = environment(tmp_path, sqlite_url)
    added = yousaid(env, "officer", "add", "Sam.Jones@Council.gov.uk", "--role", "admin")
    assert added.code == 0, added.err
    assert "sam.jones@council.gov.uk" in added.out
    assert LINK.search(added.out)
    listed = yousaid(env, "officer", "list")
    assert "sam.jones@council.gov.uk  admin  waiting for set-up" in listed.out


def test_mistakes_get_one_plain_line(tmp_path: Path, sqlite_url: str) -> None:
    env = environment(tmp_path, sqlite_url)
    yousaid(env, "officer", "add", "sam@council.gov.uk")
    again = yousaid(env, "officer", "add", "sam@council.gov.uk")
    assert again.code == 1
    assert "already has an account" in again.err
    assert "officer reset" in again.err
    role = yousaid(env, "officer", "add", "kim@council.gov.uk", "--role", "boss")
    assert role.code == 1
    assert "officer, safeguarding, admin" in role.err
    unknown = yousaid(env, "officer", "disable", "nobody@council.gov.uk")
    assert unknown.code == 1
    assert "There is no account" in unknown.err
    bad = yousaid(env, "officer", "add", "not-an-email")
    assert bad.code == 1
    assert "doesn't look like an e-mail" in bad.err
    assert "Traceback" not in again.err + role.err + unknown.err + bad.err


def test_disable_and_reset_and_the_audit_log_names_the_system_user(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = environment(tmp_path, sqlite_url)
    first = LINK.search(yousaid(env, "officer", "add", "sam@council.gov.uk").out)
    assert yousaid(env, "officer", "disable", "sam@council.gov.uk").code == 0
    assert "sam@council.gov.uk  officer  disabled" in yousaid(env, "officer", "list").out
    reset = yousaid(env, "officer", "reset", "sam@council.gov.uk")
    second = LINK.search(reset.out)
    assert first
    assert second
    assert first.group(1) != second.group(1)
    assert "waiting for set-up" in yousaid(env, "officer", "list").out
    log = yousaid(env, "audit", "list", "--action", "officer")
    assert "cli:" in log.out
    assert "officer.disable" in log.out
    assert "officer.reset" in log.out
    # The link itself is never in the audit log.
    assert second.group(1).rsplit("/", 1)[1] not in log.out


def test_the_printed_link_sets_a_password_once(tmp_path: Path, sqlite_url: str) -> None:
    with running_app(tmp_path, sqlite_url) as app:
        link = officers.add(app.runtime, "sam@council.gov.uk").url
        path = "/console/setup/" + link.rsplit("/", 1)[1]
        browser = Visitor(app.base_url)
        assert "Set your password" in browser.get(path).text
        short = browser.post(path, {"password": "short"}, token="form_token")
        assert short.status_code == 400
        assert "at least 12 characters" in short.text
        common = browser.post(path, {"password": "password1234"}, token="form_token")
        assert common.status_code == 400
        assert "too common" in common.text
        done = browser.post(path, {"password": "purple kettle harbour"}, token="form_token")
        assert done.status_code == 200
        assert "Your password is set" in done.text
        assert "doesn" in browser.get(path).text  # used up: "This link doesn't work"
        assert browser.sign_in("sam@council.gov.uk").status_code == 303
        browser.close()


def test_require_2fa_is_the_same_setting_as_the_console_and_is_audited(
    tmp_path: Path, sqlite_url: str
) -> None:
    env = environment(tmp_path, sqlite_url)
    yousaid(env, "officer", "add", "sam@council.gov.uk")
    on = yousaid(env, "officer", "require-2fa", "on")
    assert on.code == 0, on.err
    assert "Every account now needs a second factor" in on.out
    wrong = yousaid(env, "officer", "require-2fa", "maybe")
    assert wrong.code == 1
    assert "on or off" in wrong.err
    off = yousaid(env, "officer", "require-2fa", "off")
    assert off.code == 0
    assert "optional" in off.out
    audit = yousaid(env, "audit", "list")
    assert "required=on" in audit.out
    assert "required=off" in audit.out
    reset_help = yousaid(env, "officer", "reset", "--help")
    assert "second factor" in reset_help.out
