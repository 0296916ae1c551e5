"""How many responses started, finished, stopped part-way or are in progress, per channel.

Totals and per-channel counts are suppressed together as one table (overall, then per
round); how many started, per view, is what every question's table is tied to.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.results.cells import Started
from conversations.results.labels import Count
from conversations.results.model import ALL_CHANNELS, ResponseCounts, ResponseRow
from conversations.results.suppression import OVERALL, ROUNDS, Table


def response_counts(
    responses: Sequence[ResponseRow], rounds: Sequence[str], view: str | None, min_count: int
) -> tuple[ResponseCounts, tuple[ResponseCounts, ...], Started]:
    """Totals and per-channel counts (one view's), suppressed together as one table; and
    how many started, per view, to tie the questions to."""
    names = [ALL_CHANNELS, *(channel.value for channel in Channel)]
    table = Table()

    def add(
        rows: Sequence[ResponseRow], level: int, parent: dict[str, list[int]] | None
    ) -> dict[str, list[int]]:
        seen = Counter((row.channel.value, row.status) for row in rows)
        for (_, status), n in list(seen.items()):
            seen[(ALL_CHANNELS, status)] += n
        cells: dict[str, list[int]] = {}
        for name in names:
            by_status = [seen[(name, status)] for _, status in _STATUS_FIELDS]
            values = [sum(by_status), *by_status]
            row: list[int] = []
            for k, v in enumerate(values):
                within = [parent[name][k]] if parent else []
                if k:  # a status is part of the row's "started"
                    within.append(row[0])
                if name != ALL_CHANNELS:  # a channel is part of the column's total
                    within.append(cells[ALL_CHANNELS][k])
                row.append(table.cell(v, level, within=within))
            table.sums(row[0], tuple(row[1:]))
            cells[name] = row
        for column in range(4):
            table.sums(cells[ALL_CHANNELS][column], tuple(cells[n][column] for n in names[1:]))
        return cells

    overall = add(responses, OVERALL, None)
    per_round = {r: add([x for x in responses if x.round_id == r], ROUNDS, overall) for r in rounds}
    if per_round:
        for name in names:
            for column in range(4):
                table.sums(overall[name][column], [c[name][column] for c in per_round.values()])
    counts = table.suppress(min_count, (OVERALL, ROUNDS) if per_round else (OVERALL,))
    shown = overall if view is None else per_round[view]
    made = {
        name: ResponseCounts(name, *(counts[cell] for cell in row)) for name, row in shown.items()
    }

    def started_of(cells: dict[str, list[int]]) -> tuple[int, Count]:
        cell = cells[ALL_CHANNELS][0]
        return table.values[cell], counts[cell]

    started = Started(started_of(overall), {r: started_of(c) for r, c in per_round.items()})
    return made[ALL_CHANNELS], tuple(made[name] for name in names[1:]), started


_STATUS_FIELDS = (
    ("finished", ResponseStatus.FINISHED),
    ("partial", ResponseStatus.PARTIAL),
    ("in_progress", ResponseStatus.STARTED),
)
