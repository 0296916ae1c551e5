"""Which rounds already in memory take answers, or still may: the repository's queries, no SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from storage.repositories.round_rows import RoundRow, RoundStatus

__all__ = ["not_open_among", "open_among"]


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
