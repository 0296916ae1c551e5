"""Reading the config directory: locales, consultation files, helplines and word lists.

`conversations/` takes text, never paths; this module is where files are read, and every
read is bounded: at most MAX_FILE_BYTES from any one file (so `validate /dev/zero` or a
huge file is refused at once, not read into memory), at most MAX_FILES from a folder.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from conversations.catalogue import Catalogue
from conversations.catalogue_check import missing

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 1024 * 1024  # the files officers write are a few KB
MAX_FILES = 500  # consultations (or lists) in one folder


class ConfigError(Exception):
    """A config file is missing or unreadable; the message says which and what to do."""


@dataclass(frozen=True)
class SourceFile:
    path: Path
    text: str


def load_catalogue(config_dir: Path) -> Catalogue:
    """The system message catalogue from `locales/<lang>.po`."""
    locales = config_dir / "locales"
    sources = {path.stem: read_config_text(path) for path in sorted(locales.glob("*.po"))}
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
    if len(files) > MAX_FILES:
        raise ConfigError(
            f"{path}: {len(files)} .yaml files here, more than {MAX_FILES}; "
            "load them from smaller folders"
        )
    return [SourceFile(file, read_config_text(file)) for file in files]


def read_config_text(path: Path) -> str:
    """The UTF-8 text of one config file; ConfigError when it is unreadable or too big.

    Reads at most MAX_FILE_BYTES + 1 bytes, so an endless or huge file costs 1 MB."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(
            f"{path}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, the limit for a "
            "config file; check it is the right file (these files are a few KB)"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text; save it as UTF-8") from None
