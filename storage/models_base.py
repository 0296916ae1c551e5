"""The declarative base every table model shares: its naming, column sizes, ids and UTC times.

The table modules (storage.models_people, storage.models_answers, storage.models_rounds and
the console, audit, schedule and update ones) build on `Base`, so all of them land in one
`Base.metadata`, the one Alembic compares with the migrations.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, MetaData
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

__all__ = ["ID", "NAME", "NAMING_CONVENTION", "PSEUDONYM", "SHORT", "Base", "UTCDateTime", "new_id"]

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PSEUDONYM = 64  # hex HMAC-SHA256
ID = 32  # uuid4 hex
NAME = 64  # consultation ids, versions, question ids, keywords
SHORT = 16  # channels, statuses, round ids


def new_id() -> str:
    """A random row id (uuid4 hex): says nothing about when or in which order rows came."""
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC; naive datetimes are refused."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("storage takes timezone-aware datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        if value.tzinfo is None:  # SQLite keeps no zone; we only ever wrote UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
