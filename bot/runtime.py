"""Wiring: settings -> secret key -> database -> catalogue, shared by every command."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.config_files import load_catalogue
from bot.safety import load_safety
from bot.settings import Settings
from conversations.catalogue import Catalogue
from conversations.safety_replies import Safety
from storage.crypto import Keys, parse_secret
from storage.keyfile import load_or_create_keyfile
from storage.uow import Database


class StartupError(Exception):
    """Something an operator must fix before the bot can start; the message says what."""


@dataclass
class Runtime:
    settings: Settings
    keys: Keys
    db: Database
    catalogue: Catalogue
    clock: Clock = field(default_factory=SystemClock)
    # The safeguarding word lists and helplines, read once at start; None: no screening.
    safety: Safety | None = None

    @property
    def config_dir(self) -> Path:
        return self.settings.config_path


def secret_for(settings: Settings) -> str:
    """The secret key: from the setting, or (SQLite only) the key file, made on first start."""
    if settings.secret_key:
        return settings.secret_key
    if settings.is_sqlite:
        return load_or_create_keyfile(settings.key_file)
    raise StartupError(
        "YOUSAID_SECRET_KEY is not set. On PostgreSQL the key must be given: "
        "run `yousaid keys new` and put the key in the environment."
    )


def open_runtime(settings: Settings | None = None, clock: Clock | None = None) -> Runtime:
    """Open the database (migrating it) and check the key; raises errors with a plain fix."""
    settings = settings or Settings()
    safety = load_safety(settings.config_path)  # a bad word list stops the start, plainly
    keys = Keys(parse_secret(secret_for(settings)))
    db = Database.open(settings.effective_database_url, keys)
    catalogue = load_catalogue(settings.config_path)
    return Runtime(settings, keys, db, catalogue, clock or SystemClock(), safety)
