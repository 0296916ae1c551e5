"""Run the alembic migrations, configured in code so an installed package finds them.

Several processes may start at once (web workers, the scheduler), so upgrades run under a
lock: on PostgreSQL a session advisory lock held on a dedicated connection; on SQLite the
upgrade's own transaction, which starts with BEGIN IMMEDIATE (one writer at a time).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from storage.db import SQLITE_BEGIN, is_postgresql

__all__ = ["MIGRATIONS", "alembic_config", "current_revision", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_LOCK_ID = 0x59_6F_75_53_61_69_64  # "YouSaid": an arbitrary but fixed advisory lock id


def alembic_config() -> Config:
    """An alembic Config pointing at storage/migrations, with no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision; harmless when it is there already."""
    config = alembic_config()
    with _migration_lock(engine), engine.connect() as connection:
        connection.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
        with connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None: not migrated yet)."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision this code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    if not is_postgresql(engine):
        yield  # SQLite: the upgrade transaction's BEGIN IMMEDIATE is the lock
        return
    with engine.connect() as lock_connection:
        lock_connection.execution_options(isolation_level="AUTOCOMMIT")
        lock_connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": _LOCK_ID})
        try:
            yield
        finally:
            lock_connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": _LOCK_ID})
