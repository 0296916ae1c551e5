"""INSERT ... ON CONFLICT DO NOTHING (or DO UPDATE) on SQLite and PostgreSQL alike.

Both run as Core statements on the session's connection, built once per table and
dialect (the hot path calls them on every message; the ORM's bulk-insert preparation cost
more than the statement), after a flush, so they see what the session holds as before.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Base

__all__ = ["insert_ignore", "upsert"]


def insert_ignore(session: Session, model: type[Base], values: Mapping[str, Any]) -> bool:
    """Insert a row unless one with the same key exists; True when it was inserted."""
    session.flush()
    connection = session.connection()
    statement = _ignoring(connection.dialect.name, _table(model))
    # RETURNING gives a row only when one was inserted (rowcount can't tell everywhere).
    return connection.execute(statement, dict(values)).first() is not None


def upsert(
    session: Session,
    model: type[Base],
    values: Mapping[str, Any],
    key: Sequence[str],
    *,
    keep: Sequence[str] = (),
) -> None:
    """Insert a row, or update the columns given of the one with the same `key` (a unique
    constraint's columns; its primary key and the columns in `keep` stay as they were): one
    statement, not a SELECT then a write."""
    session.flush()
    connection = session.connection()
    kept = (*key, *keep)
    statement = _updating(connection.dialect.name, _table(model), kept, tuple(values), len(key))
    connection.execute(statement, dict(values))


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


@cache
def _ignoring(dialect: str, table: Table) -> Any:
    key = list(table.primary_key.columns)
    return _insert(dialect, table).on_conflict_do_nothing().returning(*key)


@cache
def _updating(
    dialect: str, table: Table, kept: tuple[str, ...], names: tuple[str, ...], keys: int
) -> Any:
    statement = _insert(dialect, table)
    unchanged = set(kept) | {column.name for column in table.primary_key.columns}
    changed = {name: statement.excluded[name] for name in names if name not in unchanged}
    return statement.on_conflict_do_update(index_elements=list(kept[:keys]), set_=changed)


def _insert(dialect: str, table: Table) -> Any:
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise NotImplementedError(f"no upsert for {dialect}")
