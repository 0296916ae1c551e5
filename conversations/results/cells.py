"""The cells of a question's results table and the sums that tie them, for suppression.

A question's table holds its counts overall (asked = answered + skipped; for one-answer
questions, answered = the options' counts) and, when a round is looked at on its own, the
same counts for every round, each overall count being the sum of the rounds'. A breakdown's
cells are in breakdown_cells.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from conversations.model import Question, QuestionType
from conversations.results.labels import Count
from conversations.results.model import AnswerRow
from conversations.results.suppression import OVERALL, ROUNDS, Table
from conversations.results.tally import OPTION_TYPES, option_labels, tally
from conversations.safety_replies import WITHHELD


@dataclass
class QuestionCells:
    """One view's cells of one question: asked, answered, skipped, and per option."""

    asked: int
    answered: int
    skipped: int
    options: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Started:
    """How many responses started, overall and per round, as the responses table decided:
    everyone asked a question is one of them, so `started = asked + not asked` ties every
    question to it (a reader knows that much)."""

    overall: tuple[int, Count]
    rounds: dict[str, tuple[int, Count]]


@dataclass
class QuestionTable:
    """A question's table: its cells overall and per round, and what each view lists."""

    question: Question
    labels: dict[str, str]
    overall: QuestionCells
    rounds: dict[str, QuestionCells]
    given: dict[str | None, list[object]]  # view (None: overall) -> the answers given
    listable: dict[str | None, list[str]]  # free text that may be listed, per view
    span: tuple[int, int]  # the table's cells this question added, in order
    started: dict[str | None, int]  # the started cell per view, when tied in


def question_table(
    table: Table,
    versions: Sequence[Question],
    rows: Sequence[AnswerRow],
    rounds: Sequence[str],
    min_count: int,
    started: Started | None = None,
) -> QuestionTable:
    """Add one question's cells (and, with `rounds`, every round's) to `table`, tied to
    the responses started when given."""
    question = versions[0]
    kind = question.type
    start = len(table.values)
    views: dict[str | None, list[AnswerRow]] = {None: list(rows)}
    for round_id in rounds:
        views[round_id] = [row for row in rows if row.round_id == round_id]
    given = {view: [r.value for r in found if is_answered(r)] for view, found in views.items()}
    labels = option_labels(kind, versions, given[None]) if kind in OPTION_TYPES else {}
    overall = _cells(table, kind, labels, views[None], OVERALL, None)
    per_round = {
        round_id: _cells(table, kind, labels, views[round_id], ROUNDS, overall)
        for round_id in rounds
    }
    if per_round:
        for index, cell in enumerate(_flat(overall)):
            table.sums(cell, [_flat(c)[index] for c in per_round.values()])
    listable = {view: _listable(found) for view, found in views.items()}
    shown_texts = kind is QuestionType.TEXT and len(listable[None]) >= min_count
    if shown_texts:
        table.keep_visible(overall.answered)  # listing the answers shows how many there are
    # A round lists its answers only if every round does: or the overall list minus the
    # listed rounds would single out a small round's answers.
    rounds_list = shown_texts and all(
        len(listable[r]) >= min_count or not listable[r] for r in rounds
    )
    for round_id, cells in per_round.items():
        if rounds_list and listable[round_id]:
            table.keep_visible(cells.answered)
    if not rounds_list:
        for round_id in rounds:
            listable[round_id] = []
    if not shown_texts:
        listable[None] = []
    end = len(table.values)
    return QuestionTable(
        question,
        labels,
        overall,
        per_round,
        given,  # type: ignore[arg-type]
        listable,
        (start, end),
        _tie_to_started(table, started, overall, per_round) if started is not None else {},
    )


def copy_decided(
    table: Table, fresh: QuestionTable, source: QuestionTable, counts: Sequence[Count]
) -> None:
    """Fix the cells `fresh` added to `table` (the same question built again, in the same
    order) as `source`'s own table decided them."""
    start, end = source.span
    fresh_start, fresh_end = fresh.span
    assert fresh_end - fresh_start == end - start
    for offset in range(end - start):
        table.decided[fresh_start + offset] = counts[start + offset]


def view_cells(built: QuestionTable, view: str | None) -> QuestionCells:
    """A question's cells in one view: overall (None) or a round's."""
    return built.overall if view is None else built.rounds[view]


def is_answered(row: AnswerRow) -> bool:
    """Whether the row holds an answer (not skipped, and a value given)."""
    return not row.skipped and row.value is not None


# --- helpers ------------------------------------------------------------------------------


def _tie_to_started(
    table: Table, started: Started, overall: QuestionCells, per_round: dict[str, QuestionCells]
) -> dict[str | None, int]:
    """started = asked + (not asked), per view; left out when the rows don't agree (answers
    with no response, as in a test), since a negative count would mean nothing."""
    views: list[tuple[str | None, tuple[int, Count], QuestionCells, int]] = [
        (None, started.overall, overall, OVERALL)
    ]
    views += [(r, started.rounds[r], cells, ROUNDS) for r, cells in per_round.items()]
    if any(value < table.values[cells.asked] for _, (value, _), cells, _ in views):
        return {}
    found: dict[str | None, int] = {}
    for view, (value, count), cells, level in views:
        cell = table.fixed(value, count, level)
        unasked = table.cell(value - table.values[cells.asked], level, published=False)
        table.sums(cell, (cells.asked, unasked))
        found[view] = cell
    if per_round:
        table.sums(found[None], [found[r] for r in per_round])
    return found


def _cells(
    table: Table,
    kind: QuestionType,
    labels: dict[str, str],
    rows: Sequence[AnswerRow],
    level: int,
    parent: QuestionCells | None,
) -> QuestionCells:
    given = [row.value for row in rows if is_answered(row)]

    def add(value: int, parent_cell: int | None, *totals: int) -> int:
        within = (*totals, *(() if parent_cell is None else (parent_cell,)))
        return table.cell(value, level, within=within)

    asked = add(len(rows), parent.asked if parent else None)
    answered = add(len(given), parent.answered if parent else None, asked)
    skipped = add(len(rows) - len(given), parent.skipped if parent else None, asked)
    table.sums(asked, (answered, skipped))
    cells = QuestionCells(asked, answered, skipped)
    if kind in OPTION_TYPES:
        for key, n in tally(kind, labels, given).items():
            cells.options[key] = add(n, parent.options[key] if parent else None, answered)
        if kind is not QuestionType.MULTI:
            table.sums(answered, tuple(cells.options.values()))
    return cells


def _flat(cells: QuestionCells) -> list[int]:
    return [cells.asked, cells.answered, cells.skipped, *cells.options.values()]


def _listable(rows: Sequence[AnswerRow]) -> list[str]:
    """Free text that may be listed: released, given, and not a flagged disclosure (its
    words went to the safeguarding review queue, never here)."""
    return [
        str(row.value)
        for row in rows
        if row.released and not row.skipped and row.value not in (None, WITHHELD)
    ]
