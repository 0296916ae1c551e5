"""What the console's browser tests and `make screenshots` share: Debian's chromium
launched through Playwright (no browser download is possible here), the axe-core check,
signing in, and moving through a page with the keyboard alone."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.e2e.console_client import PASSWORD

REPO = Path(__file__).resolve().parents[2]
# A small consultation file, and the same with two mistakes (an unknown question type, a
# choice with no text) that the editor shows beside their lines.
GOOD = (REPO / "tests/data/consultations/one_language.yaml").read_text(encoding="utf-8")
BROKEN = GOOD.replace("type: yesno", "type: yesnoo").replace(
    "{id: sometimes, text: Sometimes}", "{id: sometimes}"
)
CHROMIUM_FLAGS = [
    "--no-sandbox",  # as root in a container
    "--disable-gpu",
    "--disable-background-networking",  # a closed network: no calls home
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MOST_TABS = 40  # more Tab presses than any console page needs to reach a field
_AXE = Axe()


def chromium_path() -> str | None:
    """Debian's chromium, or None where it is not installed."""
    found = shutil.which("chromium") or "/usr/bin/chromium"
    return found if Path(found).exists() else None


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium under Playwright, closed afterwards."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("Debian's chromium is missing: `apt-get install chromium`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def accessible(page: Page, *, every_impact: bool = False) -> None:
    """No serious or critical axe-core violation on the page as it is now (with
    `every_impact`, none at all: minor and moderate ones fail too)."""
    results = _AXE.run(page)
    bad = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} element(s))"
        for v in results.response["violations"]
        if every_impact or v.get("impact") in ("serious", "critical")
    ]
    assert not bad, f"{page.url}: {bad}"


def enter_password(page: Page, base: str, email: str) -> None:
    """The sign-in page, checked by axe, filled in and sent; what follows is the caller's."""
    page.goto(f"{base}/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    accessible(page)
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in(page: Page, base: str, email: str) -> None:
    """Sign in with PASSWORD (an account with no second factor) and land on the list."""
    enter_password(page, base, email)
    expect(page.get_by_role("heading", name="Consultations")).to_be_visible()


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab from where the focus is until `target` has it, as a keyboard user would;
    fails if it never does. Every element passed on the way shows that it has the focus."""
    for _ in range(MOST_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            expect(target).to_be_focused()
            assert _focus_shows(page), "the focused field has no visible outline"
            return
        assert _focus_shows(page), "a focused element has no visible outline"
    raise AssertionError(f"Tab never reached {target}")


def _focus_shows(page: Page) -> bool:
    """Whether the focused element draws an outline (console.css's yellow ring)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; }"
    )
    return bool(style[0] != "none" and style[1] != "0px")
