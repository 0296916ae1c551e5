"""Consultation rounds: when each consultation takes answers, and under which keyword."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from conversations.messages import Channel
from storage import catalogue_version
from storage.models import Round

__all__ = [
    "OpenRoundRow",
    "RoundRow",
    "RoundStatus",
    "RoundsRepository",
    "not_open_among",
    "open_among",
]


class RoundStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class OpenRoundRow(NamedTuple):
    round_id: str
    consultation_id: str
    keyword: str | None  # the round's own keyword; None: the consultation's
    closes_at: datetime | None


@dataclass(frozen=True)
class RoundRow:
    id: str
    consultation_id: str
    keyword: str | None
    opens_at: datetime
    closes_at: datetime | None
    status: RoundStatus
    channels: tuple[Channel, ...] | None  # None: every channel
    created_at: datetime
    reminder_after: timedelta | None = None  # remind who stopped answering; None: never
    invite: bool = False  # invite those who opted in to future consultations when it opens
    results_at: datetime | None = None  # when results will be shared, if the officer said
    closed_at: datetime | None = None  # closed by an officer before `closes_at`

    def open_at(self, now: datetime) -> bool:
        """Whether the round takes answers at `now` (by its times, whatever the tick did)."""
        if self.status in (RoundStatus.CANCELLED, RoundStatus.CLOSED):
            return False
        return self.opens_at <= now and (self.closes_at is None or now < self.closes_at)


class RoundsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def open_now(
        self,
        consultation_id: str,
        opens_at: datetime,
        closes_at: datetime | None = None,
        keyword: str | None = None,
        channels: Iterable[Channel] | None = None,
    ) -> str:
        """Open a round from `opens_at` (the caller's now) until `closes_at` (None: no end)."""
        return self._add(consultation_id, opens_at, closes_at, keyword, channels, RoundStatus.OPEN)

    def schedule(
        self,
        consultation_id: str,
        opens_at: datetime,
        closes_at: datetime | None,
        now: datetime,
        keyword: str | None = None,
        channels: Iterable[Channel] | None = None,
        *,
        reminder_after: timedelta | None = None,
        invite: bool = False,
        results_at: datetime | None = None,
    ) -> str:
        """A round that opens later; open_rounds counts it from `opens_at` on."""
        round_id = self._add(
            consultation_id, opens_at, closes_at, keyword, channels, RoundStatus.SCHEDULED, now
        )
        row = self._session.get(Round, round_id)
        assert row is not None
        row.reminder_seconds = int(reminder_after.total_seconds()) if reminder_after else None
        row.invite = invite
        row.results_at = results_at
        self._session.flush()
        return round_id

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
        return _round(row) if row is not None else None

    def for_consultation(self, consultation_id: str) -> list[RoundRow]:
        statement = (
            select(Round).where(Round.consultation_id == consultation_id).order_by(Round.opens_at)
        )
        return [_round(row) for row in self._session.scalars(statement)]

    def all(self) -> list[RoundRow]:
        """Every round, by when it opens."""
        statement = select(Round).order_by(Round.opens_at, Round.id)
        return [_round(row) for row in self._session.scalars(statement)]

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
            _round(row)
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
        return [_round(row) for row in self._session.scalars(statement)]

    def due_to_open(self, now: datetime) -> list[RoundRow]:
        """Scheduled rounds whose opening time has come and whose close has not."""
        statement = (
            select(Round)
            .where(Round.status == RoundStatus.SCHEDULED.value)
            .where(Round.opens_at <= now)
            .where(or_(Round.closes_at.is_(None), Round.closes_at > now))
            .order_by(Round.opens_at, Round.id)
        )
        return [_round(row) for row in self._session.scalars(statement)]

    def due_to_close(self, now: datetime) -> list[RoundRow]:
        """Scheduled or open rounds whose close time has passed."""
        statement = (
            select(Round)
            .where(Round.status.in_([RoundStatus.SCHEDULED.value, RoundStatus.OPEN.value]))
            .where(Round.closes_at.is_not(None), Round.closes_at <= now)
            .order_by(Round.closes_at, Round.id)
        )
        return [_round(row) for row in self._session.scalars(statement)]

    def move(self, round_id: str, before: Iterable[RoundStatus], after: RoundStatus) -> bool:
        """Change the round's status only if it is one of `before`: True if this call did.

        A conditional update, so two schedulers (or a scheduler and an officer) racing on
        one round can't both act on the change.
        """
        result = self._session.execute(
            update(Round)
            .where(Round.id == round_id, Round.status.in_([s.value for s in before]))
            .values(status=after.value)
            .execution_options(synchronize_session="fetch")
        )
        moved = bool(getattr(result, "rowcount", 0))
        if moved:
            catalogue_version.bump(self._session)
        return moved

    def close(self, round_id: str, now: datetime) -> None:
        """Close a round now (its answers stay; it takes no more).

        A scheduled close time stays as it was: the consent message promised answers could
        be withdrawn until then plus the withdrawal days, and closing early must not cut
        that short; `closed_at` records when it really stopped. A round with no end gets
        `now` as its close.
        """
        row = self._session.get(Round, round_id)
        if row is None:
            raise KeyError(round_id)
        row.status = RoundStatus.CLOSED.value
        row.closed_at = now
        if row.closes_at is None:
            row.closes_at = now
        self._session.flush()
        catalogue_version.bump(self._session)

    def _add(
        self,
        consultation_id: str,
        opens_at: datetime,
        closes_at: datetime | None,
        keyword: str | None,
        channels: Iterable[Channel] | None,
        status: RoundStatus,
        now: datetime | None = None,
    ) -> str:
        if closes_at is not None and closes_at <= opens_at:
            raise ValueError("a round must close after it opens")
        round_id = self._new_round_id()
        self._session.add(
            Round(
                id=round_id,
                consultation_id=consultation_id,
                keyword=keyword.upper() if keyword else None,
                opens_at=opens_at,
                closes_at=closes_at,
                status=status.value,
                channels=",".join(c.value for c in channels) if channels is not None else None,
                created_at=now or opens_at,
            )
        )
        self._session.flush()
        catalogue_version.bump(self._session)
        return round_id

    def _new_round_id(self) -> str:
        while True:  # 8 hex characters: short to type, and a clash is checked, not assumed
            candidate = secrets.token_hex(4)
            if self._session.get(Round, candidate) is None:
                return candidate


def open_among(rounds: Iterable[RoundRow], now: datetime) -> list[RoundRow]:
    """`RoundsRepository.open_rounds` over rows already in memory: oldest first."""
    taking = (RoundStatus.SCHEDULED, RoundStatus.OPEN)
    chosen = [
        r
        for r in rounds
        if r.status in taking and r.opens_at <= now and (r.closes_at is None or r.closes_at > now)
    ]
    return sorted(chosen, key=lambda r: (r.opens_at, r.id))


def not_open_among(rounds: Iterable[RoundRow], now: datetime) -> list[RoundRow]:
    """`RoundsRepository.not_open` over rows already in memory, in the same order."""
    rows = list(rounds)
    taking = (RoundStatus.SCHEDULED, RoundStatus.OPEN)
    upcoming = sorted(
        (r for r in rows if r.status in taking and r.opens_at > now),
        key=lambda r: (r.opens_at, r.id),
    )
    closed = sorted(
        (
            r
            for r in rows
            if r.status is not RoundStatus.CANCELLED
            and (r.status is RoundStatus.CLOSED or (r.closes_at is not None and r.closes_at <= now))
        ),
        key=lambda r: r.id,
    )
    # Most recently closed first (a closed round always has a close time), ties by id.
    closed.sort(key=lambda r: r.closes_at or now, reverse=True)
    return [*upcoming, *closed]


def _round(row: Round) -> RoundRow:
    return RoundRow(
        id=row.id,
        consultation_id=row.consultation_id,
        keyword=row.keyword,
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        status=RoundStatus(row.status),
        channels=tuple(Channel(c) for c in row.channels.split(",") if c)
        if row.channels is not None
        else None,
        created_at=row.created_at,
        reminder_after=timedelta(seconds=row.reminder_seconds)
        if row.reminder_seconds is not None
        else None,
        invite=row.invite,
        results_at=row.results_at,
        closed_at=row.closed_at,
    )
