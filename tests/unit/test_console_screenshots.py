"""docs/console.md's screenshots (made by `make screenshots`, never by `make test`): each
one it shows is there, at both widths, none is left over, and together they stay small."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "console.md"
SHOTS = REPO / "docs" / "screenshots"
MOST_BYTES = 2 * 1024 * 1024
_LINK = re.compile(r"\]\(screenshots/([^)]+)\)")
_PNG = b"\x89PNG\r\n\x1a\n"


def test_every_screenshot_the_guide_shows_is_there_at_both_widths() -> None:
    named = set(_LINK.findall(DOC.read_text(encoding="utf-8")))
    present = {path.name for path in SHOTS.glob("*.png")}

    assert named, "docs/console.md shows no screenshot"
    assert sorted(named - present) == [], "run `make screenshots`"
    assert sorted(present - named) == [], "screenshots docs/console.md does not show"
    pages = {name.rsplit("-", 1)[0] for name in named}
    assert named == {f"{page}-{width}.png" for page in pages for width in ("laptop", "phone")}
    for name in named:
        assert (SHOTS / name).read_bytes()[:8] == _PNG, name


def test_the_screenshots_stay_small() -> None:
    assert sum(path.stat().st_size for path in SHOTS.glob("*.png")) < MOST_BYTES
