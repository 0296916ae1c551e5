"""Exactly one scheduler acts at a time, however many processes run one; and exactly one
outbox sender sends, so its pacing (held in that process) is the pacing of every provider
account, however many `yousaid serve` or `yousaid sender run` processes there are.

PostgreSQL: a session advisory lock, held on a connection of its own. Not a pooled one: a
pool hands a connection back and forth and may close or reset it at any time, and the lock
would go with it silently. The connection comes from a separate engine with no pool
(`NullPool`), so nothing else ever touches it; each check runs a query on it, so a dropped
connection is noticed and the lock taken again (or left to whoever has it now).

SQLite: one process. An exclusive `flock` on a file beside the database; the kernel drops
it when the process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

__all__ = ["LeaderLock", "PostgresLeaderLock", "SQLiteLeaderLock", "leader_lock_for"]

log = logging.getLogger(__name__)

SCHEDULER_LOCK_ID = 0x59_53_53_63_68_65_64  # "YSSched": fixed, and not the migrations' lock
SENDER_LOCK_ID = 0x59_53_53_65_6E_64_72  # "YSSendr"
_LOCK_IDS = {"scheduler": SCHEDULER_LOCK_ID, "sender": SENDER_LOCK_ID}
_CONNECT_TIMEOUT_S = 5


class LeaderLock(Protocol):
    def acquire(self) -> bool:
        """Take the lock if it is free, or confirm it is still ours; never waits."""
        ...

    def release(self) -> None:
        """Let another scheduler take over."""
        ...


def leader_lock_for(engine: Engine, role: str = "scheduler") -> LeaderLock:
    """The right lock for the database `engine` talks to; `role` is scheduler or sender."""
    if engine.dialect.name == "postgresql":
        return PostgresLeaderLock(engine, _LOCK_IDS[role])
    database = engine.url.database or ""
    if not database or database == ":memory:" or database.startswith("file:"):
        return _ProcessLock()  # an in-memory database is one process's by nature
    return SQLiteLeaderLock(Path(f"{database}.{role}.lock"))


class PostgresLeaderLock:
    """`pg_try_advisory_lock` on a dedicated, unpooled connection."""

    def __init__(self, engine: Engine, lock_id: int = SCHEDULER_LOCK_ID) -> None:
        self._engine = create_engine(
            engine.url,
            poolclass=NullPool,
            connect_args={
                "connect_timeout": _CONNECT_TIMEOUT_S,
                # Notice a dead server or a dropped network between checks.
                "keepalives": 1,
                "keepalives_idle": 30,
                "keepalives_interval": 10,
                "keepalives_count": 3,
            },
        )
        self._lock_id = lock_id
        self._connection: Connection | None = None

    def acquire(self) -> bool:
        if self._connection is not None:
            if self._alive(self._connection):
                return True
            log.warning("the scheduler lost its database connection; taking the lock again")
            self._drop()
        try:
            connection = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except SQLAlchemyError:
            log.warning("the scheduler cannot reach the database to take its lock")
            return False
        try:
            got = connection.execute(
                text("SELECT pg_try_advisory_lock(:id)"), {"id": self._lock_id}
            ).scalar()
        except SQLAlchemyError:
            connection.close()
            return False
        if not got:
            connection.close()
            return False
        self._connection = connection
        return True

    def release(self) -> None:
        connection = self._connection
        if connection is None:
            return
        # A closed connection has dropped the lock already.
        with contextlib.suppress(SQLAlchemyError):
            connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": self._lock_id})
        self._drop()
        self._engine.dispose()

    def _alive(self, connection: Connection) -> bool:
        try:
            connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(SQLAlchemyError):
                connection.close()


class SQLiteLeaderLock:
    """An exclusive, non-blocking `flock` on `path` (created 0600 when missing)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class _ProcessLock:
    def acquire(self) -> bool:
        return True

    def release(self) -> None:
        return None
