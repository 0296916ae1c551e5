"""What the rounds repository hands back: a round's status and row, and a round taking answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NamedTuple

from conversations.messages import Channel
from storage.models import Round

__all__ = ["OpenRoundRow", "RoundRow", "RoundStatus", "round_row"]


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


def round_row(row: Round) -> RoundRow:
    """A round's database row as the repository hands it back."""
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
