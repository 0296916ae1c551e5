"""One question's results broken down by another's answers (`--by`), per view.

Each question's breakdown table is built afresh with both questions' own counts fixed as
their tables decided them, so a breakdown can only ever hide more, never show more.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversations.model import Question
from conversations.results.breakdown_cells import NO_ANSWER, BreakdownCells, breakdown_cells
from conversations.results.cells import (
    QuestionTable,
    Started,
    copy_decided,
    question_table,
    view_cells,
)
from conversations.results.labels import Count
from conversations.results.model import (
    AnswerRow,
    Breakdown,
    BreakdownQuestion,
    Group,
    Option,
)
from conversations.results.suppression import BREAKDOWN, ROUND_BREAKDOWN, Table
from conversations.results.tally import ONE_ANSWER_TYPES, english

_Built = tuple[Sequence[Question], QuestionTable, list[Count]]


class BreakdownRefused(ValueError):
    """`--by` names a question results can't be broken down by; the message says why."""


def break_down(
    tables: Sequence[_Built],
    by_question: dict[str, list[AnswerRow]],
    by: str,
    rounds: Sequence[str],
    view: str | None,
    min_count: int,
    started: Started,
) -> Breakdown:
    """The breakdown of every other question by `by`'s answers, in `view`."""
    found = [entry for entry in tables if entry[1].question.id == by]
    if not found:
        known = ", ".join(entry[1].question.id for entry in tables)
        raise BreakdownRefused(f"--by {by!r} is not a question of this consultation ({known})")
    by_built = found[0][1]
    if by_built.question.type not in ONE_ANSWER_TYPES:
        raise BreakdownRefused(
            f"--by {by!r} is a {by_built.question.type.value} question; results can be broken "
            "down by a question answered with one choice, a scale point, or yes or no"
        )
    by_counts = found[0][2]
    by_cells = view_cells(by_built, view)
    groups = [
        Group(key, label, by_counts[by_cells.options[key]])
        for key, label in by_built.labels.items()
    ]
    groups.append(Group(NO_ANSWER, "No answer", None))
    questions = tuple(
        _breakdown_question(entry, found[0], by_question, rounds, view, min_count, started, groups)
        for entry in tables
        if entry[1].question.id != by
    )
    return Breakdown(by, english(by_built.question.text), tuple(groups), questions)


# --- helpers ------------------------------------------------------------------------------


def _breakdown_question(
    entry: _Built,
    by_entry: _Built,
    by_question: dict[str, list[AnswerRow]],
    rounds: Sequence[str],
    view: str | None,
    min_count: int,
    started: Started,
    groups: Sequence[Group],
) -> BreakdownQuestion:
    versions, built, counts = entry
    by_versions, by_built, by_counts = by_entry
    by = by_built.question.id
    levels = (BREAKDOWN, ROUND_BREAKDOWN) if rounds else (BREAKDOWN,)
    table = Table()
    rows = by_question.get(built.question.id, [])
    target = question_table(table, versions, rows, rounds, min_count, started)
    copy_decided(table, target, built, counts)
    by_rows = by_question.get(by, [])
    other = question_table(table, by_versions, by_rows, rounds, min_count, started)
    copy_decided(table, other, by_built, by_counts)
    overall, per_round = breakdown_cells(
        table,
        target,
        other,
        by_question.get(built.question.id, []),
        by_question.get(by, []),
        rounds,
    )
    decided = table.suppress(min_count, levels)
    cells: BreakdownCells = overall if view is None else per_round[view]
    target_cells = view_cells(target, view)
    answered = tuple(decided[cells.answered[g.id]] for g in groups)
    options = tuple(
        (
            Option(key, target.labels[key], decided[target_cells.options[key]]),
            tuple(decided[cells.options[(key, g.id)]] for g in groups),
        )
        for key in target.labels
    )
    return BreakdownQuestion(
        built.question.id,
        built.question.type,
        english(built.question.text),
        answered,
        options,
    )
