"""Responses per day: how many responses started each day, with the same suppression as
every other count (suppression.py), decided as a finer view of the responses.

The days split how many started (overall, the total every results view shows) and each
round's count (shown in a round's view), so they are decided after both and never change
them: a day is hidden when it is part of a hidden total (rule 3: every day when the total
is hidden; a day only one round answered on, when that round's count is hidden); a day
with 1 to N - 1 reads "hidden to protect a small group" (rule 4: in a finer view "fewer
than N" would say too much); and while a hidden small day could be worked out from the
total and the days shown, another day is hidden too (rule 5). Days with no responses
between the first and the last are listed with 0 (rule 1), so the chart has no gaps.

Only the day of a response is stored (the UTC day it started, never its time), so days
run midnight to midnight UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from conversations.results.labels import Count
from conversations.results.model import ResponseRow
from conversations.results.responses import response_counts
from conversations.results.suppression import OVERALL, ROUND_BREAKDOWN, ROUNDS, Table

__all__ = ["DayCount", "DayRow", "per_day"]


@dataclass(frozen=True)
class DayRow:
    """How many responses of one round started on one day, as storage counts them."""

    round_id: str
    day: date
    responses: int


@dataclass(frozen=True)
class DayCount:
    """One day's responses, as published."""

    day: date
    count: Count


def per_day(
    days: Sequence[DayRow], responses: Sequence[ResponseRow], min_count: int
) -> tuple[DayCount, ...]:
    """Every day from the first response to the last, with its count suppressed. Pass
    the day rows and the response rows of the same read."""
    if not days:
        return ()
    rounds = sorted({row.round_id for row in responses} | {row.round_id for row in days})
    _, _, started = response_counts(responses, rounds, None, min_count)
    table = Table()
    total = table.fixed(*started.overall, OVERALL)
    of_round = {r: table.fixed(*started.rounds[r], ROUNDS) for r in rounds}
    table.sums(total, tuple(of_round.values()))
    by_day: dict[date, dict[str, int]] = {}
    for row in days:
        by_day.setdefault(row.day, {})[row.round_id] = row.responses
    first, last = min(by_day), max(by_day)
    listed = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    cells, parts = [], {r: list[int]() for r in rounds}
    for day in listed:
        found = by_day.get(day, {})
        only = [of_round[r] for r in found] if len(found) == 1 else []
        cell = table.cell(sum(found.values()), ROUND_BREAKDOWN, within=(total, *only))
        cells.append(cell)
        if len(found) == 1:
            parts[next(iter(found))].append(cell)
        elif found:  # several rounds that day: each round's share is never shown
            shares = {r: table.cell(n, ROUND_BREAKDOWN, published=False) for r, n in found.items()}
            table.sums(cell, tuple(shares.values()))
            for r, share in shares.items():
                parts[r].append(share)
    table.sums(total, tuple(cells))
    for r, cell in of_round.items():
        table.sums(cell, tuple(parts[r]))
    counts = table.suppress(min_count, (ROUND_BREAKDOWN,))
    return tuple(DayCount(day, counts[cell]) for day, cell in zip(listed, cells, strict=True))
