"""What someone who took the database would see: every row of every table, as text."""

from __future__ import annotations

import sqlite3

from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from storage.uow import Database


def sql_dump(db: Database) -> str:
    """Every row of every table as text (iterdump on SQLite, each row as text on PostgreSQL)."""
    if db.dialect == "sqlite":
        path = make_url(str(db.engine.url)).database
        assert path
        with sqlite3.connect(path) as connection:
            return "\n".join(connection.iterdump())
    lines: list[str] = []
    with db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            rows = connection.execute(text(f'SELECT t::text FROM "{table}" AS t')).scalars()
            lines.extend(f"{table}: {row}" for row in rows)
    return "\n".join(lines)
