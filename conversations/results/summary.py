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
two questions, breakdown.py), then a round's breakdown. See suppression.py for the rule;
responses.py for the responses' counts. Not defended:
narrowing a hidden count to a range is always possible (what is protected is the exact
number), and results taken at two different times can be compared: publish final results.
"""

from __future__ import annotations

from collections.abc import Sequence

from conversations.model import Consultation, QuestionType
from conversations.results.breakdown import break_down
from conversations.results.cells import QuestionTable, question_table, view_cells
from conversations.results.labels import Count
from conversations.results.model import AnswerRow, Option, QuestionResult, ResponseRow, Results
from conversations.results.responses import response_counts
from conversations.results.suppression import OVERALL, ROUNDS, Table
from conversations.results.tally import english, number_summary, questions_across_versions, shuffled

__all__ = ["DEFAULT_MIN_COUNT", "summarise"]

DEFAULT_MIN_COUNT = 10


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
    total, by_channel, started = response_counts(
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
        breakdown = break_down(
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


# --- helpers ------------------------------------------------------------------------------


def _question_result(
    built: QuestionTable,
    counts: Sequence[Count],
    view: str | None,
    min_count: int,
    seed: int | None,
) -> QuestionResult:
    question = built.question
    cells = view_cells(built, view)
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
