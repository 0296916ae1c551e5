"""Safeguarding at the edge: the word lists and helplines read once at start, and the digest.

The screen itself is pure (`conversations.safeguarding`, `conversations.safety_replies`);
this module reads `<config>/safeguarding/*.yaml` and `<config>/helplines.yaml`, turns a
bad entry into one `file:line: problem; fix` error at start, and logs how many review
items wait (a count, never their text).
"""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from bot.config_files import ConfigError, read_config_text
from conversations.classifier import ModelError, parse_model
from conversations.helplines import HelplinesError, parse_helplines
from conversations.safeguarding import ListError, parse_lists
from conversations.safety_replies import Safety

if TYPE_CHECKING:
    from bot.runtime import Runtime

__all__ = ["HELPLINES_FILE", "LISTS_DIR", "load_safety", "log_review_digest"]

log = logging.getLogger(__name__)

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


def log_review_digest(runtime: Runtime) -> int:
    """Log one count-only line while unreviewed items wait (daily); returns the count."""
    with runtime.db.unit_of_work() as uow:
        waiting = len(uow.reviews.open_items())
    if waiting:
        log.warning(
            "safeguarding review: %d item%s waiting; run `yousaid review list`",
            waiting,
            "" if waiting == 1 else "s",
        )
    return waiting


@functools.lru_cache(maxsize=4)
def _parse(sources: tuple[tuple[str, str], ...], helplines: str, model: str | None) -> Safety:
    # Cached by content: parsing the lists takes a noticeable fraction of a second, and
    # every command (and test) opens a runtime.
    return Safety(
        lists=parse_lists(dict(sources)),
        helplines=parse_helplines(helplines, HELPLINES_FILE),
        model=None if model is None else parse_model(MODEL_FILE, model),
    )
