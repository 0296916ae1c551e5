"""The cells of each results table and the sums that tie them, for suppression.

A question's table holds its counts overall (asked = answered + skipped; for one-answer
questions, answered = the options' counts) and, when a round is looked at on its own, the
same counts for every round, each overall count being the sum of the rounds'. A breakdown
of question Q by question B's answers holds, per group g (each B answer, and "no answer"):
X[q, g] (answered q, in group g), T[g] (answered Q, in group g), and counts no view shows
but a reader knows are there: U[g] = B[g] - T[g] (in group g, didn't answer Q) and, for
multi-choice Q, T[g] - X[q, g]. Q's and B's own counts come in decided, from their tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from conversations.model import Question, QuestionType
from conversations.results.labels import Count
from conversations.results.model import AnswerRow
from conversations.results.suppression import (
    BREAKDOWN,
    OVERALL,
    ROUND_BREAKDOWN,
    ROUNDS,
    Table,
)
from conversations.results.tally import OPTION_TYPES, canonical_picks, option_labels, tally
from conversations.safety_replies import WITHHELD

NO_ANSWER = "(no answer)"


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
    given = {view: [r.value for r in found if _answered(r)] for view, found in views.items()}
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


@dataclass
class BreakdownCells:
    """One view's breakdown cells of one question: T[g], and X[q, g] per option."""

    answered: dict[str, int]
    options: dict[tuple[str, str], int]


def breakdown_cells(
    table: Table,
    target: QuestionTable,
    by: QuestionTable,
    rows: Sequence[AnswerRow],
    by_rows: Sequence[AnswerRow],
    rounds: Sequence[str],
) -> tuple[BreakdownCells, dict[str, BreakdownCells]]:
    """Add `target`'s breakdown by `by`'s answers (overall, and per round with `rounds`)."""
    groups = [*by.labels, NO_ANSWER]
    group_of = {
        row.respondent_key: canonical_picks(by.question.type, row.value, by.labels)[0]
        for row in by_rows
        if _answered(row) and canonical_picks(by.question.type, row.value, by.labels)
    }
    overall = _breakdown_view(
        table,
        target,
        by,
        rows,
        groups,
        group_of,
        BREAKDOWN,
        target.overall,
        by.overall,
        None,
        target.started.get(None),
    )
    per_round: dict[str, BreakdownCells] = {}
    for round_id in rounds:
        in_round = [row for row in rows if row.round_id == round_id]
        per_round[round_id] = _breakdown_view(
            table,
            target,
            by,
            in_round,
            groups,
            group_of,
            ROUND_BREAKDOWN,
            target.rounds[round_id],
            by.rounds[round_id],
            overall,
            target.started.get(round_id),
        )
    if per_round:
        for g, cell in overall.answered.items():
            table.sums(cell, [view.answered[g] for view in per_round.values()])
        for key, cell in overall.options.items():
            table.sums(cell, [view.options[key] for view in per_round.values()])
    return overall, per_round


# --- helpers ------------------------------------------------------------------------------


def _cells(
    table: Table,
    kind: QuestionType,
    labels: dict[str, str],
    rows: Sequence[AnswerRow],
    level: int,
    parent: QuestionCells | None,
) -> QuestionCells:
    given = [row.value for row in rows if _answered(row)]

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


def _breakdown_view(
    table: Table,
    target: QuestionTable,
    by: QuestionTable,
    rows: Sequence[AnswerRow],
    groups: Sequence[str],
    group_of: dict[str, str],
    level: int,
    target_cells: QuestionCells,
    by_cells: QuestionCells,
    parent: BreakdownCells | None,
    started: int | None,
) -> BreakdownCells:
    kind = target.question.type
    answered_in: dict[str, int] = dict.fromkeys(groups, 0)
    picked_in: dict[tuple[str, str], int] = {(q, g): 0 for q in target.labels for g in groups}
    for row in rows:
        if not _answered(row):
            continue
        group = group_of.get(row.respondent_key, NO_ANSWER)
        answered_in[group] += 1
        for key in canonical_picks(kind, row.value, target.labels):
            if (key, group) in picked_in:
                picked_in[(key, group)] += 1
    answered: dict[str, int] = {}
    unseen: list[int] = []  # per group, who didn't answer this question
    people = 0
    for g in groups:
        within = [target_cells.answered]
        if g != NO_ANSWER:
            within.append(by_cells.options[g])
        if parent is not None:
            within.append(parent.answered[g])
        answered[g] = table.cell(answered_in[g], level, within=within)
        if g != NO_ANSWER:  # in group g, didn't answer: B[g] = T[g] + U[g]
            in_group = table.values[by_cells.options[g]]
            people += in_group
            unseen.append(table.cell(in_group - answered_in[g], level, published=False))
            table.sums(by_cells.options[g], (answered[g], unseen[-1]))
    table.sums(target_cells.answered, tuple(answered.values()))
    if started is not None:  # everyone started is in one group: started = sum(T) + sum(U)
        rest = table.values[started] - people - answered_in[NO_ANSWER]
        if rest >= 0:
            unseen.append(table.cell(rest, level, published=False))
            table.sums(started, (*answered.values(), *unseen))
    options: dict[tuple[str, str], int] = {}
    for q in target.labels:
        for g in groups:
            within = [target_cells.options[q], answered[g]]
            if g != NO_ANSWER:
                within.append(by_cells.options[g])
            if parent is not None:
                within.append(parent.options[(q, g)])
            options[(q, g)] = table.cell(picked_in[(q, g)], level, within=within)
            if kind is QuestionType.MULTI:  # T[g] = X[q, g] + (answered, didn't pick q)
                rest = table.cell(answered_in[g] - picked_in[(q, g)], level, published=False)
                table.sums(answered[g], (options[(q, g)], rest))
        table.sums(target_cells.options[q], tuple(options[(q, g)] for g in groups))
    if kind is not QuestionType.MULTI and target.labels:
        for g in groups:
            table.sums(answered[g], tuple(options[(q, g)] for q in target.labels))
    return BreakdownCells(answered, options)


def _flat(cells: QuestionCells) -> list[int]:
    return [cells.asked, cells.answered, cells.skipped, *cells.options.values()]


def _answered(row: AnswerRow) -> bool:
    return not row.skipped and row.value is not None


def _listable(rows: Sequence[AnswerRow]) -> list[str]:
    """Free text that may be listed: released, given, and not a flagged disclosure (its
    words went to the safeguarding review queue, never here)."""
    return [
        str(row.value)
        for row in rows
        if row.released and not row.skipped and row.value not in (None, WITHHELD)
    ]
