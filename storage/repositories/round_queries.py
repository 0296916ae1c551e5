"""Reading rounds: those taking answers, those due to open or close, and those not open.

Opening, scheduling and closing them is in `storage.repositories.rounds`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from storage.models import Round
from storage.repositories.round_rows import OpenRoundRow, RoundRow, RoundStatus, round_row

__all__ = ["RoundQueriesRepository"]


class RoundQueriesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def open_rounds(self, now: datetime) -> list[OpenRoundRow]:
        """Rounds taking answers at `now`, oldest first."""
        statement = (
            select(Round)
            .where(Round.status.in_([RoundStatus.SCHEDULED.value, RoundStatus.OPEN.value]))
            .where(Round.opens_at <= now)
            .where(or_(Round.closes_at.is_(None), Round.closes_at > now))
            .order_by(Round.opens_at, Round.id)
        )
        return [
            OpenRoundRow(row.id, row.consultation_id, row.keyword, row.closes_at)
            for row in self._session.scalars(statement)
        ]

    def get(self, round_id: str) -> RoundRow | None:
        row = self._session.get(Round, round_id)
        return round_row(row) if row is not None else None

    def for_consultation(self, consultation_id: str) -> list[RoundRow]:
        statement = (
            select(Round).where(Round.consultation_id == consultation_id).order_by(Round.opens_at)
        )
        return [round_row(row) for row in self._session.scalars(statement)]

    def all(self) -> list[RoundRow]:
        """Every round, by when it opens."""
        statement = select(Round).order_by(Round.opens_at, Round.id)
        return [round_row(row) for row in self._session.scalars(statement)]

    def not_open(self, now: datetime) -> list[RoundRow]:
        """Rounds not taking answers at `now` that still may: scheduled ones yet to open and
        closed ones (cancelled rounds never took any). Soonest to open first, then the most
        recently closed."""
        upcoming = (
            select(Round)
            .where(Round.status.in_([RoundStatus.SCHEDULED.value, RoundStatus.OPEN.value]))
            .where(Round.opens_at > now)
            .order_by(Round.opens_at, Round.id)
        )
        # Closed by hand before its scheduled close, or past that close.
        closed = (
            select(Round)
            .where(Round.status != RoundStatus.CANCELLED.value)
            .where(
                or_(
                    Round.status == RoundStatus.CLOSED.value,
                    and_(Round.closes_at.is_not(None), Round.closes_at <= now),
                )
            )
            .order_by(Round.closes_at.desc(), Round.id)
        )
        return [
            round_row(row)
            for row in (*self._session.scalars(upcoming), *self._session.scalars(closed))
        ]

    def closed_still_linked(self, now: datetime) -> list[RoundRow]:
        """Rounds closed by `now` whose respondents are not yet unlinked, oldest close first."""
        statement = (
            select(Round)
            .where(Round.unlinked.is_(False), Round.closes_at.is_not(None))
            .where(Round.closes_at <= now)
            .order_by(Round.closes_at, Round.id)
        )
        return [round_row(row) for row in self._session.scalars(statement)]

    def due_to_open(self, now: datetime) -> list[RoundRow]:
        """Scheduled rounds whose opening time has come and whose close has not."""
        statement = (
            select(Round)
            .where(Round.status == RoundStatus.SCHEDULED.value)
            .where(Round.opens_at <= now)
            .where(or_(Round.closes_at.is_(None), Round.closes_at > now))
            .order_by(Round.opens_at, Round.id)
        )
        return [round_row(row) for row in self._session.scalars(statement)]

    def due_to_close(self, now: datetime) -> list[RoundRow]:
        """Scheduled or open rounds whose close time has passed."""
        statement = (
            select(Round)
            .where(Round.status.in_([RoundStatus.SCHEDULED.value, RoundStatus.OPEN.value]))
            .where(Round.closes_at.is_not(None), Round.closes_at <= now)
            .order_by(Round.closes_at, Round.id)
        )
        return [round_row(row) for row in self._session.scalars(statement)]
