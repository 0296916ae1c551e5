"""Reading the config directory: locales, consultation files, helplines and word lists.

`conversations/` takes text, never paths; this module is where files are read.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from conversations.catalogue import Catalogue
from conversations.catalogue_check import missing

log = logging.getLogger(__name__)


class ConfigError(Exception):
    """A config file is missing or unreadable; the message says which and what to do."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str


def load_catalogue(config_dir: Path) -> Catalogue:
    """The system message catalogue from `locales/<lang>.po`."""
    locales = config_dir / "locales"
    sources = {path.stem: _read(path) for path in sorted(locales.glob("*.po"))}
    if "en" not in sources:
        raise ConfigError(f"{locales}/en.po is missing; the English catalogue is required")
    catalogue = Catalogue.from_po(sources)
    for language in catalogue.languages():
        lacking = missing(catalogue, language)
        if lacking:  # said once, when the catalogue is read at start; English is sent
            log.warning(
                "%s/%s.po lacks %d message(s), sent in English instead: %s",
                locales,
                language,
                len(lacking),
                ", ".join(lacking),
            )
    return catalogue


def consultation_files(path: Path) -> list[SourceFile]:
    """The YAML files at `path` (a file, or a directory read in name order)."""
    if path.is_dir():
        files = sorted([*path.glob("*.yaml"), *path.glob("*.yml")])
        if not files:
            raise ConfigError(f"{path}: no .yaml files here")
    elif path.exists():
        files = [path]
    else:
        raise ConfigError(f"{path}: no such file or directory")
    return [SourceFile(file, _read(file)) for file in files]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
