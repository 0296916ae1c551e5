"""Writing rounds: opening, scheduling, moving and closing when a consultation takes answers.

Reading them is in `storage.repositories.round_queries` (RoundsRepository holds both), the
rows it hands back in `storage.repositories.round_rows`.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session

from conversations.messages import Channel
from storage import catalogue_version
from storage.models import Round
from storage.repositories.round_queries import RoundQueriesRepository
from storage.repositories.round_rows import RoundStatus

__all__ = ["RoundsRepository"]


class RoundsRepository(RoundQueriesRepository):
    """Rounds written (opened, scheduled, moved, closed); with the base's queries."""

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
