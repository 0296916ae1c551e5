"""`make screenshots`: the console's main pages, photographed for docs/console.md.

The real app on a throwaway SQLite database (the test harness's: a fixed clock, the
sample consultations in config/consultations, a fake Twilio), a few made-up participants
texting in over the Twilio webhook, and Debian's chromium signed in as a safeguarding
officer walking through the pages. Each page is saved at a laptop's and a phone's width
as docs/screenshots/NAME-laptop.png and NAME-phone.png. Never run by `make test`.

    PYTHONPATH=. .venv/bin/python -m tests.browser.screenshots [--out DIR]
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect

from tests.browser.console_browser import BROKEN, REPO, chromium, sign_in
from tests.e2e.console_client import later, make_officer
from tests.e2e.test_console_public import make_public
from tests.e2e.twilio_harness import Phone, TwilioHarness, running_app
from tests.integration.outbox.harness import EXAMPLE, twilio_sender

OUT = REPO / "docs" / "screenshots"
WIDTHS: dict[str, ViewportSize] = {
    "laptop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}
TALLEST = 1100  # px: a long page is cut here, to keep the files small
OFFICER = "sam@council.gov.uk"
# Made-up participants of feeling-safe: after dark (1-4), [why, for 3 and 4], school
# (1-5), what would help (numbers), age band (or SKIP), news (YES/NO), future questions.
PEOPLE = [
    ["1", "4", "1 3", "3", "yes", "no"],
    ["1", "5", "2", "4", "yes", "yes"],
    ["1", "4", "1", "skip", "no", "no"],
    ["2", "3", "1 2", "2", "yes", "no"],
    ["2", "4", "1 5", "3", "yes", "yes"],
    ["2", "3", "3", "3", "no", "no"],
    ["2", "2", "1 3", "skip", "yes", "no"],
    ["3", "the underpass by the station is dark", "2", "1 4", "2", "yes", "no"],
    ["3", "a man keeps following me home from the bus stop", "3", "1 3", "3", "yes", "no"],
    ["4", "groups shouting in the park at night", "2", "1 3 5", "4", "yes", "yes"],
]


@dataclass
class Camera:
    """Saves the page as it is now at each width, under `out`."""

    page: Page
    out: Path
    saved: list[Path] = field(default_factory=list)
    too_wide: list[str] = field(default_factory=list)  # "NAME-WIDTH: N px": scrolls sideways

    def shoot(self, name: str) -> None:
        for label, size in WIDTHS.items():
            self.page.set_viewport_size(size)
            height = int(self.page.evaluate("document.documentElement.scrollHeight"))
            wide = int(self.page.evaluate("document.documentElement.scrollWidth"))
            if wide > size["width"]:
                self.too_wide.append(f"{name}-{label}: {wide} px wide")
            path = self.out / f"{name}-{label}.png"
            clip = {"x": 0, "y": 0, "width": size["width"], "height": min(height, TALLEST)}
            self.page.screenshot(path=path, full_page=True, clip=clip)  # type: ignore[arg-type]
            self.saved.append(path)
        self.page.set_viewport_size(WIDTHS["laptop"])


def take_part(app: TwilioHarness) -> None:
    """PEOPLE answer feeling-safe over the Twilio webhook, as participants would."""
    for n, answers in enumerate(PEOPLE):
        phone = Phone(app, f"+447700900{700 + n}")
        for text in ["SAFE", "yes", *answers]:
            phone.send(text)


def consultations(camera: Camera, app: TwilioHarness, work: Path) -> None:
    """Sign-in, the list, and the editor showing the problems of a file with mistakes."""
    page = camera.page
    page.goto(app.base_url + "/console/sign-in")
    camera.shoot("sign-in")
    sign_in(page, app.base_url, OFFICER)
    camera.shoot("consultations")
    broken = work / "youth-club.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    page.get_by_role("link", name="Write a new consultation").click()
    page.get_by_label("Or upload a file").set_input_files(str(broken))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.locator("li.has-problem").first).to_be_visible()
    camera.shoot("editor-problems")


def rounds_results_review(camera: Camera, app: TwilioHarness) -> None:
    """Scheduling rounds, a consultation's results, the safeguarding review queue."""
    page = camera.page
    page.get_by_role("link", name="Rounds").click()
    page.get_by_label("Consultation").select_option("heard")
    camera.shoot("rounds")
    page.goto(app.base_url + "/console/consultations/feeling-safe/results")
    expect(page.locator("svg[role=img]").first).to_be_visible()
    camera.shoot("results")
    page.get_by_role("link", name="Review queue").click()
    expect(page.get_by_role("button", name="Mark reviewed").first).to_be_visible()
    camera.shoot("review-queue")


def try_it(camera: Camera, app: TwilioHarness) -> None:
    """The chat panel, a question in: its answers are buttons."""
    page = camera.page
    page.goto(app.base_url + "/console/consultations/feeling-safe/try")
    page.get_by_role("button", name="Start again").click()
    page.get_by_role("button", name="Yes", exact=False).first.click()
    expect(page.locator(".try-you")).to_be_visible()
    camera.shoot("try-it")


def update(camera: Camera, app: TwilioHarness, work: Path) -> None:
    """An update's dry run, then its page once the fake Twilio has taken every message."""
    page = camera.page
    update_file = work / "feeling-safe-update.yaml"
    update_file.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    page.get_by_role("link", name="Updates").click()
    page.get_by_label("Consultation").select_option("feeling-safe")
    page.get_by_label("Or upload a file").set_input_files(str(update_file))
    page.get_by_role("button", name="Check and dry run").click()
    expect(page.get_by_text("people can be reached now")).to_be_visible()
    camera.shoot("update-dry-run")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_text("Queued update")).to_be_visible()
    sent = twilio_sender(app.runtime, app.clock).drain()
    counts = page.locator("#counts")
    expect(counts.locator('[data-count="sent"]')).to_have_text(str(sent), timeout=15_000)
    camera.shoot("update-status")


def public(camera: Camera, app: TwilioHarness) -> None:
    """The public page, once the round has closed and its results date has passed."""
    later(app.runtime, timedelta(days=4))
    camera.page.goto(app.base_url + "/c/feeling-safe")
    expect(camera.page.locator("svg[role=img]").first).to_be_visible()
    camera.shoot("public")


def tour(out: Path) -> Camera:
    """Every page photographed into `out`; returns the camera (what it saved and saw)."""
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="yousaid-screenshots-") as scratch:
        work = Path(scratch)
        database = f"sqlite:///{work / 'yousaid.db'}"
        with running_app(work, database, min_count=3) as app, chromium() as browser:
            make_public(app, work)
            take_part(app)
            make_officer(app.runtime, OFFICER, "safeguarding")
            page = browser.new_page(viewport=WIDTHS["laptop"])
            camera = Camera(page, out)
            consultations(camera, app, work)
            rounds_results_review(camera, app)
            try_it(camera, app)
            update(camera, app, work)
            public(camera, app)
            page.close()
    return camera


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG files go")
    camera = tour(parser.parse_args().out)
    total = sum(path.stat().st_size for path in camera.saved)
    print(f"{len(camera.saved)} screenshots, {total // 1024} KiB, in {camera.out}")
    for wide in camera.too_wide:  # the page scrolls sideways: worth a look on a phone
        print(f"wider than the window: {wide}")


if __name__ == "__main__":
    main()
