"""The shipped word lists and the labelled sets, read once for the safeguarding tests."""

from __future__ import annotations

from pathlib import Path

from conversations.safeguarding import parse_lists

ROOT = Path(__file__).resolve().parents[4]
LISTS_DIR = ROOT / "config" / "safeguarding"
DATA_DIR = ROOT / "tests" / "data" / "safeguarding"


def sources(*names: str) -> dict[str, str]:
    """The shipped list files' texts by name (only those languages, when named)."""
    paths = sorted(LISTS_DIR.glob("*.yaml"))
    return {p.name: p.read_text(encoding="utf-8") for p in paths if not names or p.stem in names}


LISTS = parse_lists(sources())  # the shipped lists, parsed once for every test
