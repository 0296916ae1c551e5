"""Engines for SQLite and PostgreSQL (psycopg 3), set up the way YouSaid needs them.

SQLite: foreign keys, WAL, a 5 s busy timeout and secure_delete on every connection, and
SQLAlchemy (not the sqlite3 module) emits BEGIN, so a unit of work can ask for
BEGIN IMMEDIATE through the `SQLITE_BEGIN` execution option (SQLAlchemy's documented
pysqlite workaround). PostgreSQL: psycopg 3, READ COMMITTED, a short connect timeout.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from storage.errors import DatabaseUnavailable, DatabaseURLError

__all__ = [
    "BUSY_TIMEOUT_MS",
    "SQLITE_BEGIN",
    "DatabaseURLError",
    "DatabaseUnavailable",
    "check_available",
    "is_postgresql",
    "is_sqlite",
    "make_engine",
    "ping",
    "safe_url",
]

BUSY_TIMEOUT_MS = 5000
SQLITE_BEGIN = "yousaid_sqlite_begin"
"""Execution option read by the "begin" event: "DEFERRED" (default) or "IMMEDIATE"."""

_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE"})
_CONNECT_TIMEOUT_S = 5
_EXAMPLES = "for example sqlite:///var/yousaid.db or postgresql://user:password@host:5432/yousaid"


def make_engine(url: str) -> Engine:
    """An engine for a sqlite:/// or postgresql:// URL; DatabaseURLError with a fix otherwise."""
    parsed = _parse(url)
    backend = parsed.get_backend_name()
    if backend == "postgres":
        raise DatabaseURLError(
            "the database URL starts with postgres://; write postgresql:// instead of postgres://"
        )
    if backend == "sqlite":
        return _sqlite_engine(parsed)
    if backend == "postgresql":
        return _postgresql_engine(parsed)
    raise DatabaseURLError(
        f"YouSaid cannot use a {backend}:// database; use SQLite or PostgreSQL, {_EXAMPLES}"
    )


def ping(engine: Engine) -> bool:
    """Whether the database answers a trivial query now."""
    try:
        check_available(engine)
    except DatabaseUnavailable:
        return False
    return True


def check_available(engine: Engine) -> None:
    """Raise DatabaseUnavailable (with no password in it) unless the database answers."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(_unavailable_message(engine.url, error)) from None


def safe_url(url: URL) -> str:
    """The URL with its password masked, fit for messages and logs."""
    return url.render_as_string(hide_password=True)


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def _parse(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError:
        # Never echo the text: it may hold a password.
        raise DatabaseURLError(
            f"YOUSAID_DATABASE_URL is not a database URL; write one like {_EXAMPLES}"
        ) from None


def _sqlite_engine(url: URL) -> Engine:
    if _explicit_driver(url) not in (None, "pysqlite"):
        raise DatabaseURLError(
            "YouSaid uses SQLite through Python's sqlite3 module; "
            f"write sqlite:///PATH, {_EXAMPLES}"
        )
    database = url.database or ""
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DatabaseUnavailable(
                f"cannot create the folder for the SQLite database {safe_url(url)}: "
                f"{error.strerror}; choose a writable path in YOUSAID_DATABASE_URL"
            ) from None
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _sqlite_on_connect)
    event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Stop the sqlite3 module from emitting BEGIN itself (it skips it before SELECTs and
    # can't do IMMEDIATE); _sqlite_on_begin emits it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
    finally:
        cursor.close()


def _sqlite_on_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    connection.exec_driver_sql(f"BEGIN {mode}")


def _postgresql_engine(url: URL) -> Engine:
    driver = _explicit_driver(url)
    if driver not in (None, "psycopg"):
        raise DatabaseURLError(
            f"YouSaid talks to PostgreSQL through psycopg 3, not {driver}; "
            "write postgresql:// (or postgresql+psycopg://)"
        )
    if importlib.util.find_spec("psycopg") is None:
        raise DatabaseURLError(
            "the PostgreSQL driver psycopg 3 is not installed; "
            "install it with: pip install 'psycopg[binary]'"
        )
    return create_engine(
        url.set(drivername="postgresql+psycopg"),
        pool_pre_ping=True,
        connect_args={"connect_timeout": _CONNECT_TIMEOUT_S},
    )


def _explicit_driver(url: URL) -> str | None:
    _, plus, driver = url.drivername.partition("+")
    return driver if plus else None


def _unavailable_message(url: URL, error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None) or error
    lines = str(original).strip().splitlines()
    reason = lines[0] if lines else type(original).__name__
    if url.password:
        reason = reason.replace(str(url.password), "***")
    return (
        f"cannot reach the database at {safe_url(url)} ({reason}); "
        "check YOUSAID_DATABASE_URL and that the database server is running"
    )
