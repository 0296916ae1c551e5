"""INSERT ... ON CONFLICT DO NOTHING on SQLite and PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Base

__all__ = ["insert_ignore"]


def insert_ignore(session: Session, model: type[Base], values: Mapping[str, Any]) -> bool:
    """Insert a row unless one with the same key exists; True when it was inserted."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(model).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(model).values(**values).on_conflict_do_nothing()
    else:
        raise NotImplementedError(f"no upsert for {dialect}")
    # RETURNING gives a row only when one was inserted; rowcount is -1 on PostgreSQL
    # through the ORM, so it can't tell.
    key = list(inspect(model).primary_key)
    result = session.execute(statement.returning(*key))
    return result.first() is not None
