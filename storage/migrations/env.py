"""Alembic environment: runs on the connection storage.migrate hands over, inside its lock."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.db import make_engine
from storage.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _run(connection)
        return
    # Run from the alembic command line: connect to the configured URL ourselves.
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as own:
        _run(own)
        own.commit()
    engine.dispose()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("YouSaid's migrations run against a database; offline mode is not supported")
run_migrations_online()
