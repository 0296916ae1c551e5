"""A consultation's results as one view (overall or one round, optionally broken down by
one question's answers), with small-number suppression held jointly across every view.

What is counted, per question:
- asked: every answer row, answered or not; answered: a value was given; skipped: the rest
  (SKIP, or the bot moved on after its hints), so asked = answered + skipped.
- choice, scale, yesno, updates: one count per choice, scale point or yes/no; they add up to
  answered. Every choice and scale point is listed, with 0 where nobody picked it.
- multi: one count per choice, each pick counting once, so they do not add up to answered.
- number: how many answered, and the median and quartiles (statistics' "inclusive" method).
- text: the answers themselves (already redacted), listed in random order, only once
  released (storage/release.py) and only when at least min_count are there to list; a
  round lists its own only when every round that has any has at least min_count.
- responses, per channel and in total: started (everyone who began), finished, partial
  (stopped or expired part-way) and in progress, so started = the other three.

Versions: the first given (the latest) sets the order and the English texts of questions
and choices; counts add up across versions by question id and choice id.

Views: the overall view is decided first, then a round's view (every round together, each
overall count being the sum of the rounds'), and a breakdown (by the overall counts of the
two questions), then a round's breakdown. See suppression.py for the rule. Not defended:
narrowing a hidden count to a range is always possible (what is protected is the exact
number), and results taken at two different times can be compared: publish final results.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import Consultation, Question, QuestionType
from conversations.results.breakdown_cells import NO_ANSWER, BreakdownCells, breakdown_cells
from conversations.results.cells import (
    QuestionCells,
    QuestionTable,
    Started,
    copy_decided,
    question_table,
)
from conversations.results.labels import Count
from conversations.results.model import (
    ALL_CHANNELS,
    AnswerRow,
    Breakdown,
    BreakdownQuestion,
    Group,
    Option,
    QuestionResult,
    ResponseCounts,
    ResponseRow,
    Results,
)
from conversations.results.suppression import (
    BREAKDOWN,
    OVERALL,
    ROUND_BREAKDOWN,
    ROUNDS,
    Table,
)
from conversations.results.tally import (
    ONE_ANSWER_TYPES,
    english,
    number_summary,
    questions_across_versions,
    shuffled,
)

__all__ = ["DEFAULT_MIN_COUNT", "BreakdownRefused", "summarise"]

DEFAULT_MIN_COUNT = 10


class BreakdownRefused(ValueError):
    """`--by` names a question results can't be broken down by; the message says why."""


def summarise(
    consultation_versions: Sequence[Consultation],
    responses: Sequence[ResponseRow],
    answers: Sequence[AnswerRow],
    min_count: int = DEFAULT_MIN_COUNT,
    shuffle_seed: int | None = None,
    *,
    round_id: str | None = None,
    by: str | None = None,
) -> Results:
    """Count every round's responses and answers and publish one view of them: overall, or
    `round_id`'s, and broken down `by` a question's answers when asked.

    Pass every round's rows, whatever the view: a round's view is suppressed together with
    the others, so that no two views can be set side by side to work out a hidden count.
    Free text is shuffled with ``random.Random(shuffle_seed)``; with no seed it is listed
    in alphabetical order, which still says nothing about who answered when.
    """
    if not consultation_versions:
        raise ValueError("summarise needs at least one version of the consultation")
    latest = consultation_versions[0]
    known = {r.round_id for r in responses} | {a.round_id for a in answers}
    rounds = sorted(known | ({round_id} if round_id is not None else set()))
    split = round_id is not None and len(rounds) > 1
    view = round_id if split else None
    if round_id is not None and not split:  # the only round there is: its view is overall
        view = None
    by_question: dict[str, list[AnswerRow]] = {}
    for row in answers:
        by_question.setdefault(row.question_id, []).append(row)
    total, by_channel, started = _response_counts(
        responses, rounds if split else [], view, min_count
    )
    tables = []
    for versions in questions_across_versions(consultation_versions):
        table = Table()
        rows = by_question.get(versions[0].id, [])
        built = question_table(table, versions, rows, rounds if split else [], min_count, started)
        counts = table.suppress(min_count, (OVERALL, ROUNDS) if split else (OVERALL,))
        tables.append((versions, built, counts))
    questions = tuple(
        _question_result(built, counts, view, min_count, shuffle_seed)
        for _, built, counts in tables
    )
    breakdown = None
    if by is not None:
        breakdown = _breakdown(
            tables, by_question, by, rounds if split else [], view, min_count, started
        )
    return Results(
        consultation_id=latest.id,
        title=latest.title,
        version=latest.version,
        min_count=min_count,
        total=total,
        by_channel=by_channel,
        questions=questions,
        round_id=round_id,
        breakdown=breakdown,
    )


# --- questions ----------------------------------------------------------------------------


def _view_cells(built: QuestionTable, view: str | None) -> QuestionCells:
    return built.overall if view is None else built.rounds[view]


def _question_result(
    built: QuestionTable,
    counts: Sequence[Count],
    view: str | None,
    min_count: int,
    seed: int | None,
) -> QuestionResult:
    question = built.question
    cells = _view_cells(built, view)
    answered = counts[cells.answered]
    number = None
    if question.type is QuestionType.NUMBER:
        number = number_summary(answered, built.given[view], min_count)  # type: ignore[arg-type]
    listable = built.listable[view]
    texts = shuffled(list(listable), seed) if listable else ()
    hidden_texts = question.type is QuestionType.TEXT and bool(built.given[view]) and not texts
    return QuestionResult(
        id=question.id,
        type=question.type,
        text=english(question.text),
        asked=counts[cells.asked],
        answered=answered,
        skipped=counts[cells.skipped],
        options=tuple(
            Option(key, built.labels[key], counts[cell]) for key, cell in cells.options.items()
        ),
        number=number,
        answers=texts,
        answers_suppressed=hidden_texts,
    )


# --- a breakdown --------------------------------------------------------------------------


def _breakdown(
    tables: Sequence[tuple[Sequence[Question], QuestionTable, list[Count]]],
    by_question: dict[str, list[AnswerRow]],
    by: str,
    rounds: Sequence[str],
    view: str | None,
    min_count: int,
    started: Started,
) -> Breakdown:
    found = [entry for entry in tables if entry[1].question.id == by]
    if not found:
        known = ", ".join(entry[1].question.id for entry in tables)
        raise BreakdownRefused(f"--by {by!r} is not a question of this consultation ({known})")
    by_versions, by_built, by_counts = found[0]
    if by_built.question.type not in ONE_ANSWER_TYPES:
        raise BreakdownRefused(
            f"--by {by!r} is a {by_built.question.type.value} question; results can be broken "
            "down by a question answered with one choice, a scale point, or yes or no"
        )
    by_cells = _view_cells(by_built, view)
    groups = [
        Group(key, label, by_counts[by_cells.options[key]])
        for key, label in by_built.labels.items()
    ]
    groups.append(Group(NO_ANSWER, "No answer", None))
    questions = []
    levels = (BREAKDOWN, ROUND_BREAKDOWN) if rounds else (BREAKDOWN,)
    for versions, built, counts in tables:
        if built.question.id == by:
            continue
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
        target_cells = _view_cells(target, view)
        answered = tuple(decided[cells.answered[g.id]] for g in groups)
        options = tuple(
            (
                Option(key, target.labels[key], decided[target_cells.options[key]]),
                tuple(decided[cells.options[(key, g.id)]] for g in groups),
            )
            for key in target.labels
        )
        questions.append(
            BreakdownQuestion(
                built.question.id,
                built.question.type,
                english(built.question.text),
                answered,
                options,
            )
        )
    return Breakdown(by, english(by_built.question.text), tuple(groups), tuple(questions))


# --- responses ----------------------------------------------------------------------------

_STATUS_FIELDS = (
    ("finished", ResponseStatus.FINISHED),
    ("partial", ResponseStatus.PARTIAL),
    ("in_progress", ResponseStatus.STARTED),
)


def _response_counts(
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
