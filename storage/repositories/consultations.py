"""Every loaded version of every consultation, with its source text to parse again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from conversations.model import Consultation
from storage import catalogue_version
from storage.models import Consultation as ConsultationRow

__all__ = ["ConsultationsRepository", "StoredConsultation"]


@dataclass(frozen=True)
class StoredConsultation:
    id: str
    version: str
    keyword: str
    title: str
    listed: bool
    source_text: str
    loaded_at: datetime | None


class ConsultationsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def save(
        self, consultation: Consultation, source_text: str, now: datetime | None = None
    ) -> bool:
        """Make this version the latest; True if that changed anything (a new version, or
        an older one loaded again), False if it already was the latest."""
        if not consultation.version:
            raise ValueError("a consultation needs its version (the loader sets it)")
        latest = self._latest_row(consultation.id)
        if latest is not None and latest.version == consultation.version:
            return False
        next_seq = (latest.seq if latest is not None else 0) + 1
        row = self._session.get(ConsultationRow, (consultation.id, consultation.version))
        if row is None:
            row = ConsultationRow(
                id=consultation.id, version=consultation.version, source_text=source_text
            )
            self._session.add(row)
        row.seq = next_seq
        row.keyword = consultation.keyword
        row.title = consultation.title
        row.listed = consultation.listed
        row.loaded_at = now
        self._session.flush()
        catalogue_version.bump(self._session)
        return True

    def get(self, consultation_id: str, version: str) -> str | None:
        """The source text of one version (conversations under way finish on theirs)."""
        row = self._session.get(ConsultationRow, (consultation_id, version))
        return row.source_text if row is not None else None

    def versions(self, consultation_id: str) -> list[str]:
        """Every stored version of the consultation, oldest first (empty: unknown id)."""
        statement = (
            select(ConsultationRow.version)
            .where(ConsultationRow.id == consultation_id)
            .order_by(ConsultationRow.seq)
        )
        return list(self._session.scalars(statement))

    def latest(self, consultation_id: str) -> StoredConsultation | None:
        row = self._latest_row(consultation_id)
        return _stored(row) if row is not None else None

    def all_latest(self) -> list[StoredConsultation]:
        """The latest version of every consultation, by id."""
        newest = (
            select(ConsultationRow.id, func.max(ConsultationRow.seq).label("seq"))
            .group_by(ConsultationRow.id)
            .subquery()
        )
        statement = (
            select(ConsultationRow)
            .join(
                newest,
                (ConsultationRow.id == newest.c.id) & (ConsultationRow.seq == newest.c.seq),
            )
            .order_by(ConsultationRow.id)
        )
        return [_stored(row) for row in self._session.scalars(statement)]

    def _latest_row(self, consultation_id: str) -> ConsultationRow | None:
        statement = (
            select(ConsultationRow)
            .where(ConsultationRow.id == consultation_id)
            .order_by(ConsultationRow.seq.desc())
            .limit(1)
        )
        return self._session.scalars(statement).first()


def _stored(row: ConsultationRow) -> StoredConsultation:
    return StoredConsultation(
        id=row.id,
        version=row.version,
        keyword=row.keyword,
        title=row.title,
        listed=row.listed,
        source_text=row.source_text,
        loaded_at=row.loaded_at,
    )
