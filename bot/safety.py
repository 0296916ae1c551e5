"""Safeguarding at the edge: the word lists and helplines, read once at start.

The screen itself is pure (`conversations.safeguarding`, `conversations.safety_replies`);
this module reads `<config>/safeguarding/*.yaml` and `<config>/helplines.yaml` and turns a
bad entry into one `file:line: problem; fix` error at start. The daily digest of review
items waiting is one of the scheduler's daily jobs (bot/scheduler.py).
"""

from __future__ import annotations

import functools
from pathlib import Path

from bot.config_files import ConfigError, read_config_text
from conversations.classifier import ModelError, parse_model
from conversations.helplines import HelplinesError, parse_helplines
from conversations.safeguarding import ListError, parse_lists
from conversations.safety_replies import Safety

__all__ = ["HELPLINES_FILE", "LISTS_DIR", "load_safety"]

LISTS_DIR = "safeguarding"
HELPLINES_FILE = "helplines.yaml"
MODEL_FILE = "model.json"  # in LISTS_DIR; without it every list match gets the helplines


def load_safety(config_dir: Path) -> Safety:
    """Every word list in `<config_dir>/safeguarding/` and the helplines; raises ConfigError."""
    lists_dir = config_dir / LISTS_DIR
    paths = sorted([*lists_dir.glob("*.yaml"), *lists_dir.glob("*.yml")])
    if not paths:
        raise ConfigError(
            f"{lists_dir}: no safeguarding word lists (*.yaml) here; copy the shipped "
            "config/safeguarding/ folder: without lists no message is screened"
        )
    helplines = config_dir / HELPLINES_FILE
    if not helplines.exists():
        raise ConfigError(f"{helplines} is missing; copy the shipped config/helplines.yaml")
    sources = tuple((path.name, read_config_text(path)) for path in paths)
    model_path = lists_dir / MODEL_FILE
    model = read_config_text(model_path) if model_path.exists() else None
    try:
        return _parse(sources, read_config_text(helplines), model)
    except ListError as error:
        where = lists_dir / error.file
        raise ConfigError(f"{where}:{error.line}: {error.problem}; {error.fix}") from None
    except HelplinesError as error:
        raise ConfigError(f"{helplines}:{error.line}: {error.problem}; {error.fix}") from None
    except ModelError as error:
        raise ConfigError(f"{model_path}:{error.line}: {error.problem}; {error.fix}") from None


@functools.lru_cache(maxsize=4)
def _parse(sources: tuple[tuple[str, str], ...], helplines: str, model: str | None) -> Safety:
    # Cached by content: parsing the lists takes a noticeable fraction of a second, and
    # every command (and test) opens a runtime.
    return Safety(
        lists=parse_lists(dict(sources)),
        helplines=parse_helplines(helplines, HELPLINES_FILE),
        model=None if model is None else parse_model(MODEL_FILE, model),
    )
