"""An officer's first week in the console, in a real browser (Debian's chromium driven
by Playwright), with an accessibility check (axe-core) of every page on the way.

One browser for the whole run: pytest-playwright's session-scoped `browser` (launched on
Debian's chromium by tests/browser/conftest.py), used only by this module, which xdist
keeps on one worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pyotp
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, expect

from bot.console.pages_public import LEAVE_URL
from bot.services import officers
from tests.browser import console_browser as ui
from tests.browser.console_browser import accessible, enter_password, sign_in, tab_to
from tests.e2e.console_client import PASSWORD, later, make_officer
from tests.e2e.test_console_public import answer, make_public
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app
from tests.integration.outbox.harness import EXAMPLE, twilio_sender


@pytest.fixture
def app(tmp_path: Path, sqlite_url: str) -> Iterator[TwilioHarness]:
    with running_app(tmp_path, sqlite_url, min_count=3) as harness:
        yield harness


def test_an_officer_writes_a_consultation_schedules_it_and_reads_the_results(
    browser: Browser, app: TwilioHarness, tmp_path: Path
) -> None:
    base = app.base_url
    link = officers.add(app.runtime, "sam@council.gov.uk").url
    page = browser.new_page()

    # The set-up link from `yousaid officer add`: set a password, then sign in.
    page.goto(base + "/console/setup/" + link.rsplit("/", 1)[1])
    accessible(page)
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_role("button", name="Set password").click()
    expect(page.get_by_role("heading", name="Your password is set")).to_be_visible()
    sign_in(page, base, "sam@council.gov.uk")
    accessible(page)

    # Upload a file with two mistakes: both shown beside their lines; fix; preview; save.
    broken = tmp_path / "club.yaml"
    broken.write_text(ui.BROKEN)
    page.get_by_role("link", name="Write a new consultation").click()
    expect(page.get_by_role("heading", name="Write a consultation")).to_be_visible()
    accessible(page)
    page.get_by_label("Or upload a file").set_input_files(str(broken))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_text("2 problems to fix in club.yaml")).to_be_visible()
    expect(page.locator("li.has-problem")).to_have_count(2)
    accessible(page)
    page.get_by_label("The consultation file (YAML)").fill(ui.GOOD)
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_text("No problems found")).to_be_visible()
    expect(page.get_by_role("cell", name="Should the club stay open until 9pm?")).to_be_visible()
    expect(page.get_by_text("(GSM-7)").first).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_text("Saved youth-club")).to_be_visible()

    # Schedule a round of it.
    page.get_by_role("link", name="Rounds").click()
    page.get_by_label("Consultation").select_option("youth-club")
    page.get_by_label("Opens").fill("now")
    page.get_by_label("Closes", exact=True).fill("2026-03-20")
    page.get_by_label("Keyword (optional)").fill("CLUBS")
    page.get_by_role("button", name="Schedule round").click()
    expect(page.get_by_text("is scheduled")).to_be_visible()
    accessible(page)

    # Participants answer over the Twilio webhook.
    for n, (late, weekends) in enumerate([("yes", "1"), ("yes", "1"), ("yes", "2"), ("no", "1")]):
        phone = Phone(app, f"+447700900{n + 600:03d}")
        phone.send("CLUBS")
        phone.send("yes")
        phone.send(late)
        assert "Thanks!" in phone.send(weekends).text

    # Suppressed results: 1 said no, so that cell is hidden, and yes with it (4 - yes
    # would give it away); neither number appears.
    page.get_by_role("link", name="Consultations").click()
    page.get_by_role("link", name="Results of Youth club opening hours").click()
    expect(
        page.get_by_role("heading", name="open_late: Should the club stay open until 9pm?")
    ).to_be_visible()
    yes_no = page.locator("section", has_text="open_late: Should the club stay open")
    expect(yes_no.locator("svg[role=img]")).to_have_count(1)
    expect(yes_no.get_by_role("row", name="No hidden to protect a small group")).to_be_visible()
    expect(yes_no.get_by_role("row", name="Yes hidden to protect a small group")).to_be_visible()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    csv = Path(download.value.path()).read_text()
    assert "hidden to protect a small group" in csv
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Excel").click()
    with Path(download.value.path()).open("rb") as saved:
        workbook = load_workbook(saved)
    cells = [str(c) for row in workbook["Results"].iter_rows(values_only=True) for c in row]
    assert "hidden to protect a small group" in cells
    assert "How it was suppressed" in workbook.sheetnames
    page.close()


def test_a_safeguarding_lead_clears_an_item_the_officer_cannot_see(
    browser: Browser, app: TwilioHarness
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    make_officer(app.runtime, "lead@council.gov.uk", "safeguarding")
    phone = Phone(app, "+447700900650")
    phone.send("SAFE")
    phone.send("yes")
    phone.send("my dad hits me when he drinks")

    officer = browser.new_page()
    sign_in(officer, app.base_url, "sam@council.gov.uk")
    expect(officer.get_by_role("link", name="Review queue")).to_have_count(0)
    refused = officer.goto(app.base_url + "/console/review")
    assert refused is not None
    assert refused.status == 403
    officer.close()

    lead = browser.new_page()
    sign_in(lead, app.base_url, "lead@council.gov.uk")
    lead.get_by_role("link", name="Review queue").click()
    expect(lead.get_by_text("my dad hits me when he drinks")).to_be_visible()
    accessible(lead)
    lead.get_by_label("Note (optional)").fill("passed to the safeguarding lead")
    lead.get_by_role("button", name="Mark reviewed").click()
    expect(lead.get_by_text("Marked as reviewed.")).to_be_visible()
    expect(lead.get_by_text("Nothing waiting for review.")).to_be_visible()
    lead.close()


def test_an_admin_adds_an_account_and_reads_the_audit_log(
    browser: Browser, app: TwilioHarness
) -> None:
    make_officer(app.runtime, "admin@council.gov.uk", "admin")
    page = browser.new_page()
    sign_in(page, app.base_url, "admin@council.gov.uk")
    page.get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", name="Officers' accounts")).to_be_visible()
    accessible(page)
    page.get_by_label("Work e-mail").fill("kim@council.gov.uk")
    page.get_by_label("Role").select_option("safeguarding")
    page.get_by_role("button", name="Add account").click()
    expect(page.get_by_text("Send this link to kim@council.gov.uk")).to_be_visible()
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Who").fill("admin@council.gov.uk")
    page.get_by_role("button", name="Filter").click()
    expect(
        page.get_by_role("cell", name="account=kim@council.gov.uk role=safeguarding")
    ).to_be_visible()
    accessible(page)
    page.close()


def test_the_public_page_shows_released_results_and_leaves_no_trace_in_history(
    browser: Browser, app: TwilioHarness, tmp_path: Path
) -> None:
    make_public(app, tmp_path)
    answer(app)
    later(app.runtime, timedelta(days=4))  # closed, and past its results date
    page = browser.new_page()
    # The leave button goes to the BBC's weather: answered here (the network is closed).
    page.route(LEAVE_URL + "**", lambda route: route.fulfill(body="<title>Weather</title>"))
    page.goto(app.base_url + "/healthz")
    page.goto(app.base_url + "/c/feeling-safe")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Feeling safe")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert "fewer than" in page.content() or "hidden to protect" in page.content()
    accessible(page)
    page.get_by_role("link", name="Leave this page quickly").click()
    page.wait_for_url(LEAVE_URL + "**")
    page.go_back()
    assert page.url.endswith("/healthz")  # the public page is not in the history
    page.close()


def test_an_officer_dry_runs_an_update_sends_it_and_watches_it_go(
    browser: Browser, app: TwilioHarness, tmp_path: Path
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    phones = [Phone(app, f"+447700900{n}") for n in range(660, 664)]
    for phone in phones:  # each answers over the Twilio webhook, and says YES to news
        for text in ("SAFE", "yes", "2", "3", "1", "skip", "yes", "no"):
            phone.send(text)
    update_file = tmp_path / "update.yaml"
    update_file.write_text(EXAMPLE.read_text(encoding="utf-8"))
    page = browser.new_page()
    sign_in(page, app.base_url, "sam@council.gov.uk")

    page.get_by_role("link", name="Updates").click()
    expect(page.get_by_role("heading", name="Updates", exact=True)).to_be_visible()
    accessible(page)
    page.get_by_label("Consultation").select_option("feeling-safe")
    page.get_by_label("Or upload a file").set_input_files(str(update_file))
    page.get_by_role("button", name="Check and dry run").click()
    expect(page.get_by_text("No problems found in update.yaml")).to_be_visible()
    expect(page.get_by_text("4 people can be reached now")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Send the update for")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_text("Queued update")).to_be_visible()
    counts = page.locator("#counts")
    expect(counts.locator('[data-count="queued"]')).to_have_text("4")
    accessible(page)

    # The outbox sender delivers to the fake Twilio, on the harness's clock.
    assert twilio_sender(app.runtime, app.clock).drain() == 4
    assert sorted(m["to"] for m in app.fake.sent()) == sorted(p.number for p in phones)
    expect(counts.locator('[data-count="sent"]')).to_have_text("4", timeout=15_000)
    expect(counts.locator('[data-count="queued"]')).to_have_text("0")


def test_an_officer_tries_a_consultation_in_the_chat_panel(
    browser: Browser, app: TwilioHarness
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    page = browser.new_page()
    sign_in(page, app.base_url, "sam@council.gov.uk")
    page.get_by_role("link", name="Try it").first.click()
    expect(page.get_by_role("button", name="Start again")).to_be_visible()
    accessible(page)
    page.get_by_role("button", name="Start again").click()
    yes = page.get_by_role("button", name="Yes", exact=False).first
    expect(yes).to_be_visible()
    accessible(page)
    label = yes.inner_text()
    page.evaluate("window.sameDocument = true")
    yes.click()
    expect(page.locator(".try-you")).to_contain_text(label)
    assert page.evaluate("window.sameDocument === true")  # try_it.js sent it with fetch
    accessible(page)
    page.close()


def test_an_officer_turns_on_a_second_factor_and_signs_in_with_it_by_keyboard(
    browser: Browser, app: TwilioHarness
) -> None:
    make_officer(app.runtime, "sam@council.gov.uk")
    page = browser.new_page()
    sign_in(page, app.base_url, "sam@council.gov.uk")
    page.get_by_role("link", name="Second factor").click()
    expect(page.get_by_role("heading", name="Second factor")).to_be_visible()
    accessible(page, every_impact=True)
    tab_to(page, page.get_by_role("button", name="Set up a second factor"))
    page.keyboard.press("Enter")
    # The set-up page: the QR code, the key as text for typing in, and the code box.
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    accessible(page, every_impact=True)
    secret = page.locator("code.link").inner_text().replace(" ", "")
    tab_to(page, page.get_by_label("Code"))
    page.keyboard.type(pyotp.TOTP(secret).at(app.clock.now()))
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Your second factor is on")
    accessible(page, every_impact=True)
    page.get_by_role("button", name="Sign out").click()

    later(app.runtime, timedelta(minutes=1))  # a fresh code: a used one is refused
    enter_password(page, app.base_url, "sam@council.gov.uk")
    expect(page.get_by_role("heading", name="Type your code")).to_be_visible()
    accessible(page, every_impact=True)
    tab_to(page, page.get_by_label("Code"))
    page.keyboard.type("000000")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("That code didn't work")
    accessible(page, every_impact=True)
    tab_to(page, page.get_by_label("Code"))
    page.keyboard.type(pyotp.TOTP(secret).at(app.clock.now()))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Consultations")).to_be_visible()
    page.close()
