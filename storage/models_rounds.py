"""The consulting side's tables: consultation versions, their rounds, the database's facts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models_base import NAME, SHORT, Base, UTCDateTime

__all__ = ["Consultation", "Meta", "Round"]


class Meta(Base):
    """Key/value facts about this database: the key-check value, the current key id."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Consultation(Base):
    """Every loaded version of every consultation, with its source so it can be parsed again.
    `seq` orders one consultation's versions: the highest is the latest."""

    __tablename__ = "consultations"
    __table_args__ = (UniqueConstraint("id", "seq"),)

    id: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    version: Mapped[str] = mapped_column(String(NAME), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    keyword: Mapped[str] = mapped_column(String(NAME))
    title: Mapped[str] = mapped_column(Text)
    listed: Mapped[bool] = mapped_column(Boolean)
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Round(Base):
    """A period in which a consultation takes answers."""

    __tablename__ = "rounds"

    id: Mapped[str] = mapped_column(String(SHORT), primary_key=True)
    consultation_id: Mapped[str] = mapped_column(String(NAME), index=True)
    keyword: Mapped[str | None] = mapped_column(String(NAME))  # overrides the consultation's
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(SHORT))  # scheduled/open/closed/cancelled
    channels: Mapped[str | None] = mapped_column(Text)  # comma-separated; NULL: every channel
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Scheduling (migration 0007): remind people who stop answering after this many seconds
    # (NULL: no reminder); invite those who opted in to future consultations when it opens;
    # when results will be shared (told to anyone who texts the keyword after it closes).
    reminder_seconds: Mapped[int | None] = mapped_column(Integer)
    invite: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    results_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The withdrawal window has ended and the round's answers were unlinked for good.
    unlinked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Closed by an officer before `closes_at` (migration 0009); `closes_at` stays as
    # scheduled, because the withdrawal window the consent promised counts from it.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
