"""Engines, URLs, migrations and the key rules, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from storage.crypto import Keys
from storage.db import make_engine, ping
from storage.errors import DatabaseUnavailable, DatabaseURLError, LockOrderError, WrongKeyError
from storage.keys import KEY_CHECK, KEY_ID, key_matches
from storage.migrate import current_revision, head_revision, upgrade
from storage.models import Meta
from storage.uow import Database

KEYS = Keys(bytes(range(32)))
OTHER_KEYS = Keys(bytes(range(1, 33)))


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


def test_a_postgres_scheme_gets_the_fix() -> None:
    with pytest.raises(DatabaseURLError) as error:
        make_engine("postgres://yousaid:hunter2@db.example/yousaid")
    assert "write postgresql:// instead of postgres://" in str(error.value)
    assert "hunter2" not in str(error.value)


@pytest.mark.parametrize(
    "url",
    [
        "mysql://yousaid:hunter2@db.example/yousaid",
        "postgresql+psycopg2://yousaid:hunter2@db.example/yousaid",
        "postgresql+asyncpg://yousaid:hunter2@db.example/yousaid",
        "sqlite+aiosqlite:///var/x.db",
        "hunter2 is not a url",
    ],
)
def test_an_unusable_url_gets_a_clear_error_without_the_password(url: str) -> None:
    with pytest.raises(DatabaseURLError) as error:
        make_engine(url)
    message = str(error.value)
    assert "postgresql://" in message or "sqlite:///" in message
    assert "hunter2" not in message


def test_a_missing_postgresql_driver_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec

    def without_psycopg(name: str, *args: Any) -> Any:
        return None if name == "psycopg" else real(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", without_psycopg)
    with pytest.raises(DatabaseURLError) as error:
        make_engine("postgresql://yousaid@db.example/yousaid")
    assert "pip install 'psycopg[binary]'" in str(error.value)


def test_an_unreachable_database_is_reported_without_its_password() -> None:
    url = "postgresql://yousaid:hunter2-secret@127.0.0.1:1/yousaid"
    assert ping(make_engine(url)) is False
    with pytest.raises(DatabaseUnavailable) as error:
        Database.open(url, KEYS)
    message = str(error.value)
    assert "hunter2-secret" not in message
    assert "127.0.0.1" in message
    assert "YOUSAID_DATABASE_URL" in message


def test_an_unopenable_sqlite_file_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "a-directory.db"
    folder.mkdir()
    with pytest.raises(DatabaseUnavailable):
        Database.open(f"sqlite:///{folder}", KEYS)


def test_the_sqlite_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "var" / "deeper" / "yousaid.db"
    database = Database.open(f"sqlite:///{path}", KEYS)
    database.close()
    assert path.exists()


def test_every_sqlite_connection_has_the_safety_settings(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    for _ in range(2):
        with engine.connect() as connection:
            pragma = {
                name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("foreign_keys", "journal_mode", "busy_timeout", "secure_delete")
            }
        assert pragma == {
            "foreign_keys": 1,
            "journal_mode": "wal",
            "busy_timeout": 5000,
            "secure_delete": 1,
        }
    engine.dispose()


def test_the_database_answers_a_ping(db: Database) -> None:
    assert ping(db.engine) is True


def test_migrations_run_twice_harmlessly(database_url: str) -> None:
    first = Database.open(database_url, KEYS)
    second = Database.open(database_url, KEYS)
    upgrade(second.engine)
    assert current_revision(second.engine) == head_revision() is not None
    with second.unit_of_work() as uow:
        meta = {key: value for key, value in uow.session.execute(select(Meta.key, Meta.value))}
    assert meta[KEY_ID] == "1"
    assert meta[KEY_CHECK] == KEYS.check_value()
    first.close()
    second.close()


def test_a_wrong_key_is_refused_at_start(database_url: str) -> None:
    Database.open(database_url, KEYS).close()
    with pytest.raises(WrongKeyError) as error:
        Database.open(database_url, OTHER_KEYS)
    assert "the secret key does not match this database" in str(error.value)
    engine = make_engine(database_url)
    assert key_matches(engine, KEYS) is True
    assert key_matches(engine, OTHER_KEYS) is False
    engine.dispose()


def test_a_failed_unit_of_work_changes_nothing(db: Database) -> None:
    pseudonym = KEYS.pseudonym("term:alice")
    with pytest.raises(RuntimeError):
        _set_address_then_fail(db, pseudonym)
    with db.unit_of_work() as uow:
        assert uow.participants.get_address(pseudonym) is None


def test_the_sqlite_participant_lock_must_come_first(sqlite_url: str) -> None:
    database = Database.open(sqlite_url, KEYS)
    with pytest.raises(LockOrderError):
        _read_then_lock(database, "x")
    database.close()


def test_the_sqlite_participant_lock_takes_the_write_lock_at_once(sqlite_url: str) -> None:
    database = Database.open(sqlite_url, KEYS)
    with database.unit_of_work() as uow:
        uow.lock_participant(KEYS.pseudonym("term:alice"))
        other = make_engine(sqlite_url)
        with other.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout = 0")
            # A second writer is refused while the lock is held, before we wrote anything.
            with pytest.raises(Exception, match="locked"):
                connection.exec_driver_sql("BEGIN IMMEDIATE")
        other.dispose()
    database.close()


def test_vacuum_and_checkpoint_run(db: Database) -> None:
    db.compact()
    with db.engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1


def _set_address_then_fail(db: Database, pseudonym: str) -> None:
    with db.unit_of_work() as uow:
        uow.participants.set_address(pseudonym, "term:alice")
        raise RuntimeError("the engine failed")


def _read_then_lock(db: Database, pseudonym: str) -> None:
    with db.unit_of_work() as uow:
        uow.participants.get_state(pseudonym)
        uow.lock_participant(pseudonym)
