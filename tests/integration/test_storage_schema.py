"""The live schema keeps answers apart from people, and matches the models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Date, DateTime, inspect

from storage.crypto import Keys
from storage.models import Base
from storage.uow import Database

KEYS = Keys(bytes(range(32)))
ANSWER_TABLES = ("responses", "pending_answers", "answers")
PEOPLE_TABLES = ("participants", "conversations", "subscriptions", "outbox")
PERSONAL_WORDS = ("pseudonym", "participant", "conversation", "address", "token", "phone")


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database.open(database_url, KEYS)
    yield database
    database.close()


def test_no_column_or_foreign_key_joins_answers_to_participants(db: Database) -> None:
    schema = inspect(db.engine)
    for table in ANSWER_TABLES:
        columns = [column["name"] for column in schema.get_columns(table)]
        assert not [c for c in columns if any(word in c for word in PERSONAL_WORDS)], table
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert referred <= {"rounds", "responses"}, (table, referred)
    for table in PEOPLE_TABLES:
        columns = [column["name"] for column in schema.get_columns(table)]
        assert "respondent_key" not in columns, table
        referred = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        assert not referred & set(ANSWER_TABLES), (table, referred)


def test_answers_carry_the_day_but_no_exact_time(db: Database) -> None:
    schema = inspect(db.engine)
    for table in ANSWER_TABLES:
        types = {column["name"]: column["type"] for column in schema.get_columns(table)}
        assert isinstance(types["day"], Date)
        assert not isinstance(types["day"], DateTime)
        assert not [name for name, kind in types.items() if isinstance(kind, DateTime)], table


def test_answer_rows_have_random_text_keys_not_sequences(db: Database) -> None:
    schema = inspect(db.engine)
    for table in ("pending_answers", "answers"):
        assert schema.get_pk_constraint(table)["constrained_columns"] == ["id"]
        (id_column,) = [c for c in schema.get_columns(table) if c["name"] == "id"]
        assert not id_column.get("autoincrement") or "CHAR" in str(id_column["type"]).upper()
        assert "INT" not in str(id_column["type"]).upper()


def test_the_migrations_build_exactly_the_models(db: Database) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert [d for d in differences if _ours(d)] == []


def _ours(difference: Any) -> bool:
    # Tables that other modules' migrations add (none of them in storage.models) are not
    # the models' business.
    kind, item = difference[0], difference[1]
    if kind == "remove_table":
        return item.name in Base.metadata.tables
    if kind == "remove_index":
        return item.table.name in Base.metadata.tables
    return True
