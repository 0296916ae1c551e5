"""Results as JSON, CSV and a readable table, all showing the same cells with the same labels.

A hidden count reads "fewer than N" (N the threshold) when it is small, and "hidden to
protect a small group" when it is hidden so that a small one can't be worked out: in the
table, the CSV and JSON alike (JSON also gives `"suppressed": true` and the reason).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence

from conversations.model import QuestionType
from conversations.results.labels import Count
from conversations.results.model import (
    Breakdown,
    BreakdownQuestion,
    Group,
    QuestionResult,
    ResponseCounts,
    Results,
)

__all__ = [
    "RESPONSES_ROW_ID",
    "ROW_HEADER",
    "count_json",
    "percent",
    "table_blocks",
    "to_csv",
    "to_json",
    "to_rows",
]

ROW_HEADER = ("question_id", "question", "option", "count")
RESPONSES_ROW_ID = "(responses)"  # never a question id: ids have no brackets
_RESPONSE_FIELDS = (
    ("started", "started"),
    ("finished", "finished"),
    ("partial", "partial"),
    ("in_progress", "in progress"),
)


def to_json(results: Results) -> str:
    """The results as JSON text. A count is ``{"count": n, "suppressed": false, ...}``, or
    ``{"count": null, "suppressed": true, "hidden": "small" | "protects" | "with_total",
    "shown_as": "fewer than 10" | "hidden to protect a small group"}``. The shape is in the
    README ("Results")."""
    document: dict[str, object] = {
        "consultation": {
            "id": results.consultation_id,
            "title": results.title,
            "version": results.version,
        },
        "round": results.round_id,
        "min_count": results.min_count,
        "responses": {
            "total": _response_json(results.total, results.min_count),
            "by_channel": {
                counts.channel: _response_json(counts, results.min_count)
                for counts in results.by_channel
            },
        },
        "questions": [_question_json(q, results.min_count) for q in results.questions],
    }
    if results.breakdown is not None:
        document["breakdown"] = _breakdown_json(results.breakdown, results.min_count)
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_rows(results: Results) -> list[tuple[str, ...]]:
    """Rows for CSV: the header first (`ROW_HEADER`, with a `group` column before `count`
    in a breakdown), then the responses, then each question; a hidden count as its label.

    Response rows have the question id ``(responses)`` and the channel as the question.
    Per question: ``(asked)``, ``(answered)``, ``(skipped)``, then one row per option, or
    ``(median)``, ``(lower quartile)`` and ``(upper quartile)`` for a number question
    (``suppressed`` when too few answered), or for a text question one row per listed
    answer, the answer as the option and an empty count (or one ``(answers)`` row reading
    ``suppressed``). A breakdown's rows follow, one per question, option and group.
    """
    n = results.min_count
    breakdown = results.breakdown
    header: tuple[str, ...] = ROW_HEADER
    if breakdown is not None:
        header = (*ROW_HEADER[:3], "group", "count")

    def row(*cells: str) -> tuple[str, ...]:
        return cells if breakdown is None else (*cells[:3], "", cells[3])

    rows: list[tuple[str, ...]] = [header]
    for responses in (results.total, *results.by_channel):
        for key, name in _RESPONSE_FIELDS:
            shown = getattr(responses, key).label(n)
            rows.append(row(RESPONSES_ROW_ID, responses.channel, name, shown))
    for question in results.questions:
        rows.extend(row(*cells) for cells in _question_csv_cells(question, n))
    if breakdown is not None:
        for q in breakdown.questions:
            head = (q.id, q.text)
            for group, count in zip(breakdown.groups, q.answered, strict=True):
                rows.append((*head, "(answered)", group.label, count.label(n)))
            for option, counts in q.options:
                for group, count in zip(breakdown.groups, counts, strict=True):
                    rows.append((*head, option.label, group.label, count.label(n)))
    return rows


def to_csv(results: Results) -> str:
    """The rows of `to_rows` as CSV with a header; cells that a spreadsheet would run as a
    formula (starting with = + - @) get a leading ' so they stay text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in to_rows(results):
        writer.writerow(tuple(_spreadsheet_safe(cell) for cell in row))
    return out.getvalue()


def percent(count: Count, of: Count) -> str:
    """`42%` of those who answered: only for a shown count over a shown, non-zero total."""
    if count.value is None or of.value is None or of.value == 0:
        return ""
    return f"{round(100 * count.value / of.value)}%"


def table_blocks(results: Results) -> Iterator[tuple[str, list[tuple[str, ...]]]]:
    """The table, as (title, rows) blocks: the responses (channels in use only), then one
    block per question (its answers as rows, count and % of those who answered, then the
    totals); in a breakdown, a count and % per group."""
    n = results.min_count
    channels = [c for c in results.by_channel if c.started.value != 0]
    rows: list[tuple[str, ...]] = [("", "started", "finished", "partial", "in progress")]
    for counts in (*channels, results.total):
        name = "all channels" if counts is results.total else counts.channel
        rows.append((name, *(getattr(counts, key).label(n) for key, _ in _RESPONSE_FIELDS)))
    yield "Responses", rows
    if results.breakdown is not None:
        yield from _breakdown_blocks(results.breakdown, results.questions, n)
        return
    for question in results.questions:
        yield f"{question.id}: {question.text}", _question_rows(question, n)


# --- helpers ------------------------------------------------------------------------------


def _question_rows(question: QuestionResult, n: int) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [("answer", "count", "% of answered")]
    for option in question.options:
        rows.append((option.label, option.count.label(n), percent(option.count, question.answered)))
    if question.number is not None:
        number = question.number
        for name, value in (
            ("median", number.median),
            ("lower quartile", number.lower_quartile),
            ("upper quartile", number.upper_quartile),
        ):
            rows.append((name, "hidden (too few)" if value is None else f"{value:g}", ""))
    if question.type is QuestionType.TEXT:
        if question.answers:
            rows.append(("answers listed below", str(len(question.answers)), ""))
        elif question.answers_suppressed:
            rows.append((f"answers (listed once {n} or more answered)", "hidden", ""))
    rows.append(("Answered", question.answered.label(n), ""))
    rows.append(("Skipped", question.skipped.label(n), ""))
    rows.append(("Asked", question.asked.label(n), ""))
    rows.extend((f"  {answer}", "", "") for answer in question.answers)
    return rows


def _question_csv_cells(question: QuestionResult, n: int) -> Iterator[tuple[str, str, str, str]]:
    """One question's CSV rows (id, question, option, count), in the order `to_rows` says."""
    head = (question.id, question.text)
    yield (*head, "(asked)", question.asked.label(n))
    yield (*head, "(answered)", question.answered.label(n))
    yield (*head, "(skipped)", question.skipped.label(n))
    yield from ((*head, o.label, o.count.label(n)) for o in question.options)
    if question.number is not None:
        number = question.number
        for name, value in (
            ("(median)", number.median),
            ("(lower quartile)", number.lower_quartile),
            ("(upper quartile)", number.upper_quartile),
        ):
            yield (*head, name, "suppressed" if value is None else f"{value:g}")
    if question.answers_suppressed:
        yield (*head, "(answers)", "suppressed")
    yield from ((*head, answer, "") for answer in question.answers)


def _breakdown_blocks(
    breakdown: Breakdown, questions: Sequence[QuestionResult], n: int
) -> Iterator[tuple[str, list[tuple[str, ...]]]]:
    groups = breakdown.groups
    rows: list[tuple[str, ...]] = [("group", "people")]
    rows += [(g.label, g.count.label(n) if g.count is not None else "") for g in groups[:-1]]
    yield f"By {breakdown.by_id}: {breakdown.by_text}", rows
    for question in breakdown.questions:
        yield f"{question.id}: {question.text}", _breakdown_rows(question, groups, n)


def _breakdown_rows(
    question: BreakdownQuestion, groups: Sequence[Group], n: int
) -> list[tuple[str, ...]]:
    labels = [g.label for g in groups]
    rows: list[tuple[str, ...]] = [("answer", *labels)]
    for option, counts in question.options:
        cells = [
            f"{c.label(n)} ({percent(c, of)})" if percent(c, of) else c.label(n)
            for c, of in zip(counts, question.answered, strict=True)
        ]
        rows.append((option.label, *cells))
    rows.append(("Answered", *(c.label(n) for c in question.answered)))
    return rows


def count_json(count: Count, n: int) -> dict[str, object]:
    """A count in JSON: `count` (null when hidden), `suppressed`, and for a hidden one
    `hidden` (the reason) and `shown_as` (its label)."""
    found: dict[str, object] = {"count": count.value, "suppressed": count.suppressed}
    if count.suppressed:
        found["hidden"] = count.hidden.value if count.hidden else None
        found["shown_as"] = count.label(n)
    return found


def _response_json(counts: ResponseCounts, n: int) -> dict[str, object]:
    return {key: count_json(getattr(counts, key), n) for key, _ in _RESPONSE_FIELDS}


def _question_json(question: QuestionResult, n: int) -> dict[str, object]:
    number = question.number
    return {
        "id": question.id,
        "type": question.type.value,
        "text": question.text,
        "asked": count_json(question.asked, n),
        "answered": count_json(question.answered, n),
        "skipped": count_json(question.skipped, n),
        "options": [
            {"id": option.id, "label": option.label, **count_json(option.count, n)}
            for option in question.options
        ],
        "number": None
        if number is None
        else {
            "count": count_json(number.count, n),
            "median": number.median,
            "lower_quartile": number.lower_quartile,
            "upper_quartile": number.upper_quartile,
            "suppressed": number.suppressed,
        },
        "answers": list(question.answers)
        if question.type is QuestionType.TEXT and not question.answers_suppressed
        else None,
        "answers_suppressed": question.answers_suppressed,
    }


def _breakdown_json(breakdown: Breakdown, n: int) -> dict[str, object]:
    return {
        "by": {"id": breakdown.by_id, "text": breakdown.by_text},
        "groups": [
            {
                "id": g.id,
                "label": g.label,
                "count": None if g.count is None else count_json(g.count, n),
            }
            for g in breakdown.groups
        ],
        "questions": [
            {
                "id": q.id,
                "type": q.type.value,
                "text": q.text,
                "answered": [count_json(c, n) for c in q.answered],
                "options": [
                    {
                        "id": option.id,
                        "label": option.label,
                        "counts": [count_json(c, n) for c in counts],
                    }
                    for option, counts in q.options
                ],
            }
            for q in breakdown.questions
        ],
    }


def _spreadsheet_safe(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell
