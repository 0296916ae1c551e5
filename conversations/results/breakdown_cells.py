"""The cells of a breakdown of one question by another's answers, and the sums tying them.

A breakdown of question Q by question B's answers holds, per group g (each B answer, and
"no answer"): X[q, g] (answered q, in group g), T[g] (answered Q, in group g), and counts no
view shows but a reader knows are there: U[g] = B[g] - T[g] (in group g, didn't answer Q)
and, for multi-choice Q, T[g] - X[q, g]. Q's and B's own counts come in decided, from their
tables (cells.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conversations.model import QuestionType
from conversations.results.cells import QuestionCells, QuestionTable, is_answered
from conversations.results.model import AnswerRow
from conversations.results.suppression import BREAKDOWN, ROUND_BREAKDOWN, Table
from conversations.results.tally import canonical_picks

NO_ANSWER = "(no answer)"


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
        if is_answered(row) and canonical_picks(by.question.type, row.value, by.labels)
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
    answered_in, picked_in = _tally_groups(kind, target.labels, rows, groups, group_of)
    answered = _answered_cells(
        table, groups, answered_in, level, target_cells, by_cells, parent, started
    )
    options = _option_cells(
        table,
        kind,
        target.labels,
        groups,
        answered_in,
        picked_in,
        answered,
        level,
        target_cells,
        by_cells,
        parent,
    )
    return BreakdownCells(answered, options)


def _tally_groups(
    kind: QuestionType,
    labels: dict[str, str],
    rows: Sequence[AnswerRow],
    groups: Sequence[str],
    group_of: dict[str, str],
) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Per group, how many answered; per (option, group), how many picked the option."""
    answered_in: dict[str, int] = dict.fromkeys(groups, 0)
    picked_in: dict[tuple[str, str], int] = {(q, g): 0 for q in labels for g in groups}
    for row in rows:
        if not is_answered(row):
            continue
        group = group_of.get(row.respondent_key, NO_ANSWER)
        answered_in[group] += 1
        for key in canonical_picks(kind, row.value, labels):
            if (key, group) in picked_in:
                picked_in[(key, group)] += 1
    return answered_in, picked_in


def _answered_cells(
    table: Table,
    groups: Sequence[str],
    answered_in: dict[str, int],
    level: int,
    target_cells: QuestionCells,
    by_cells: QuestionCells,
    parent: BreakdownCells | None,
    started: int | None,
) -> dict[str, int]:
    """T[g] per group, tied to B[g] through U[g], and to the responses started."""
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
    return answered


def _option_cells(
    table: Table,
    kind: QuestionType,
    labels: dict[str, str],
    groups: Sequence[str],
    answered_in: dict[str, int],
    picked_in: dict[tuple[str, str], int],
    answered: dict[str, int],
    level: int,
    target_cells: QuestionCells,
    by_cells: QuestionCells,
    parent: BreakdownCells | None,
) -> dict[tuple[str, str], int]:
    """X[q, g] per option and group, tied to T[g], B[g] and the option's own count."""
    options: dict[tuple[str, str], int] = {}
    for q in labels:
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
    if kind is not QuestionType.MULTI and labels:
        for g in groups:
            table.sums(answered[g], tuple(options[(q, g)] for q in labels))
    return options
