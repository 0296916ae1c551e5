"""Results of a consultation round: counts per question and choice, with small-number suppression.

`summarise` turns the stored responses and answers into `Results`; `to_json`, `to_csv` and
`to_rows` render them. Everything here is pure: the caller reads the rows, passes the
threshold (``YOUSAID_MIN_COUNT`` or ``--min-count``) and a shuffle seed from the OS.

Versions. The first consultation version given (the latest) sets the order and the English
texts of questions and choices. Counts add up across versions by question id and choice id;
a question or choice only older versions have comes after the latest's, with the newest text
it had. Answers to a question no version knows are left out (there is no type to count by).

What is counted, per question:
- asked: every answer row, answered or not; answered: a value was given; skipped: the rest
  (SKIP, or the bot moved on after its hints), so asked = answered + skipped.
- choice, scale, yesno, updates: one count per choice, scale point or yes/no; they add up to
  answered. Every choice and scale point is listed, with 0 where nobody picked it.
- multi: one count per choice, each pick counting once, so they do not add up to answered.
- number: how many answered, and the median and quartiles (statistics' "inclusive" method).
- text: the answers themselves (already redacted), listed in random order.
- responses, per channel and in total: started (everyone who began), finished, partial
  (stopped or expired part-way) and in progress (not yet finished or expired), so
  started = finished + partial + in progress.

Suppression, the rule:
1. Zero is shown. A count of nobody points to nobody, and officers need to see that nobody
   picked a choice. Because zeros are always shown, anyone reading the results knows that a
   hidden count is at least 1; step 3 takes that into account.
2. Primary: every count from 1 to min_count - 1 is hidden, in every breakdown, totals too.
3. Secondary: a table's counts are tied by sums (asked = answered + skipped, answered = the
   choices' counts, started = finished + partial + in progress, the channels add up to the
   total). While any hidden count could still be worked out exactly from the shown ones,
   by adding and subtracting along those sums and knowing every hidden count is at least 1
   (e.g. a total minus the shown cells, when only one cell is hidden; or two hidden cells
   that must both be 1 because they sum to 2), hide one more count: the smallest shown,
   non-zero count in a sum with the exposed cell (parts are never larger than their total,
   so a part goes before its total). Repeat until nothing hidden can be worked out.
   "Worked out" is checked exactly: linear algebra over the sums, and a small exact linear
   programme when a hidden count is 1 (hidden counts are integers and these sums form
   totally unimodular systems, so the programme's range is the true range).
4. A count that must stay visible is never chosen in step 3: where a question's free-text
   answers are listed, their number shows how many answered, so the total (asked) is hidden
   instead of answered.
5. Free-text answers are listed only once released (see storage/release.py) and only when
   at least min_count released answers are there to list;
   a number question's median and quartiles only when at least min_count answered it.
Not defended: narrowing a hidden count to a range ("between 1 and 9") is always possible;
what is protected is the exact number. Comparing results of different rounds, or of one
round before and after more answers came in, can reveal differences; publish final results.
"""

from __future__ import annotations

import csv
import io
import json
import random
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import Consultation, Question, QuestionType, Text
from conversations.safety_replies import WITHHELD
from conversations.state import AnswerValue

DEFAULT_MIN_COUNT = 10
ENGLISH = "en"
ROW_HEADER = ("question_id", "question", "option", "count")
RESPONSES_ROW_ID = "(responses)"  # never a question id: ids have no brackets
ALL_CHANNELS = "all"


@dataclass(frozen=True)
class ResponseRow:
    """One response (one person's run through a round), as storage returns it."""

    respondent_key: str  # opaque; groups one response's answers, links to no person
    round_id: str
    channel: Channel
    status: ResponseStatus


@dataclass(frozen=True)
class AnswerRow:
    """One answer (or skip) of one response; pending and released answers alike."""

    respondent_key: str
    round_id: str
    version: str
    question_id: str
    value: AnswerValue
    skipped: bool
    # False while the answer waits to be released in a mixed batch: it is counted, but its
    # free text is not listed until then (listed alone, it would single out one response).
    released: bool = True


@dataclass(frozen=True)
class Count:
    """A count as published: the number, or None when it is suppressed."""

    value: int | None
    suppressed: bool


@dataclass(frozen=True)
class Option:
    """One choice, scale point or yes/no of a question, with how many picked it."""

    id: str  # the choice id, the scale point ("3"), or "yes"/"no"
    label: str  # English text as the latest version words it
    count: Count


@dataclass(frozen=True)
class NumberSummary:
    """A number question's answers: median and quartiles, None when too few answered."""

    count: Count
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    suppressed: bool


@dataclass(frozen=True)
class QuestionResult:
    """One question's results."""

    id: str
    type: QuestionType
    text: str  # English, as the latest version words it
    asked: Count
    answered: Count
    skipped: Count
    options: tuple[Option, ...] = ()  # choice, multi, scale, yesno, updates
    number: NumberSummary | None = None  # number questions only
    answers: tuple[str, ...] = ()  # text questions: the free-text answers, in random order
    answers_suppressed: bool = False  # text questions answered by fewer than min_count


@dataclass(frozen=True)
class ResponseCounts:
    """How many responses started, finished, ended part-way or are still going."""

    channel: str  # a Channel value, or ALL_CHANNELS
    started: Count
    finished: Count
    partial: Count
    in_progress: Count


@dataclass(frozen=True)
class Results:
    """A consultation's results, safe to publish."""

    consultation_id: str
    title: str
    version: str  # the latest version's digest
    min_count: int
    total: ResponseCounts
    by_channel: tuple[ResponseCounts, ...]  # every channel, in Channel order
    questions: tuple[QuestionResult, ...]


def summarise(
    consultation_versions: Sequence[Consultation],
    responses: Sequence[ResponseRow],
    answers: Sequence[AnswerRow],
    min_count: int = DEFAULT_MIN_COUNT,
    shuffle_seed: int | None = None,
) -> Results:
    """Count the responses and answers, suppressing small counts (see the module docstring).

    `consultation_versions` starts with the latest. Free text is shuffled with
    ``random.Random(shuffle_seed)``; with no seed it is listed in alphabetical order, which
    still says nothing about who answered when.
    """
    if not consultation_versions:
        raise ValueError("summarise needs at least one version of the consultation")
    latest = consultation_versions[0]
    by_question: dict[str, list[AnswerRow]] = {}
    for row in answers:
        by_question.setdefault(row.question_id, []).append(row)
    questions = tuple(
        _question_result(versions, by_question.get(versions[0].id, []), min_count, shuffle_seed)
        for versions in _questions_across_versions(consultation_versions)
    )
    total, by_channel = _response_counts(responses, min_count)
    return Results(
        consultation_id=latest.id,
        title=latest.title,
        version=latest.version,
        min_count=min_count,
        total=total,
        by_channel=by_channel,
        questions=questions,
    )


def to_json(results: Results) -> str:
    """The results as JSON text. A count is ``{"count": n, "suppressed": false}``, or
    ``{"count": null, "suppressed": true}`` when it is suppressed. The shape::

        {
          "consultation": {"id": "feeling-safe", "title": "Feeling safe in your area",
                           "version": "3f2a9c1b7d4e"},
          "min_count": 10,
          "responses": {
            "total": {"started": COUNT, "finished": COUNT, "partial": COUNT,
                      "in_progress": COUNT},
            "by_channel": {"sms": {...same four...}, "whatsapp": {...},
                           "telegram": {...}, "terminal": {...}}
          },
          "questions": [
            {
              "id": "safe_after_dark",
              "type": "choice",          // text | choice | multi | scale | yesno | number | updates
              "text": "How safe do you feel in your area after dark?",
              "asked": COUNT, "answered": COUNT, "skipped": COUNT,
              "options": [               // choice, multi, scale ("1".."5"), yesno ("yes", "no")
                {"id": "very", "label": "Very safe", "count": 14, "suppressed": false},
                {"id": "unsafe", "label": "Not safe", "count": null, "suppressed": true}
              ],
              "number": null,            // number questions: {"count": COUNT, "median": 15.0,
                                         //   "lower_quartile": 14.0, "upper_quartile": 16.5,
                                         //   "suppressed": false}; statistics null if suppressed
              "answers": null,           // text questions: ["...", "..."] in random order,
              "answers_suppressed": false //   null with answers_suppressed true if too few answered
            }
          ]
        }
    """
    document = {
        "consultation": {
            "id": results.consultation_id,
            "title": results.title,
            "version": results.version,
        },
        "min_count": results.min_count,
        "responses": {
            "total": _response_json(results.total),
            "by_channel": {counts.channel: _response_json(counts) for counts in results.by_channel},
        },
        "questions": [_question_json(question) for question in results.questions],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def to_rows(results: Results) -> list[tuple[str, str, str, str]]:
    """Rows of (question_id, question, option, count) for a table: the header
    (`ROW_HEADER`) first, then the responses, then each question.

    A suppressed count reads ``<N`` (N the threshold). Response rows have the question id
    ``(responses)`` and the channel as the question. Per question: ``(asked)``,
    ``(answered)``, ``(skipped)``, then one row per option, or ``(median)``,
    ``(lower quartile)`` and ``(upper quartile)`` for a number question (``suppressed`` when
    too few answered), or for a text question one row per listed answer, the answer as the
    option and an empty count (or one ``(answers)`` row reading ``suppressed``).
    """
    hidden = f"<{results.min_count}"
    rows: list[tuple[str, str, str, str]] = [ROW_HEADER]
    for counts in (results.total, *results.by_channel):
        for name, count in _response_fields(counts):
            rows.append((RESPONSES_ROW_ID, counts.channel, name, _shown(count, hidden)))
    for question in results.questions:
        head = (question.id, question.text)
        rows.append((*head, "(asked)", _shown(question.asked, hidden)))
        rows.append((*head, "(answered)", _shown(question.answered, hidden)))
        rows.append((*head, "(skipped)", _shown(question.skipped, hidden)))
        rows.extend(
            (*head, option.label, _shown(option.count, hidden)) for option in question.options
        )
        if question.number is not None:
            number = question.number
            for name, value in (
                ("(median)", number.median),
                ("(lower quartile)", number.lower_quartile),
                ("(upper quartile)", number.upper_quartile),
            ):
                rows.append((*head, name, "suppressed" if value is None else f"{value:g}"))
        if question.answers_suppressed:
            rows.append((*head, "(answers)", "suppressed"))
        rows.extend((*head, answer, "") for answer in question.answers)
    return rows


def to_csv(results: Results) -> str:
    """The rows of `to_rows` as CSV with a header; cells that a spreadsheet would run as a
    formula (starting with = + - @) get a leading ' so they stay text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in to_rows(results):
        writer.writerow(tuple(_spreadsheet_safe(cell) for cell in row))
    return out.getvalue()


# --- questions ---------------------------------------------------------------------------


def _questions_across_versions(versions: Sequence[Consultation]) -> list[list[Question]]:
    """Each question id's versions, newest first; the latest's questions in its order first."""
    found: dict[str, list[Question]] = {}
    for consultation in versions:
        for question in consultation.questions:
            found.setdefault(question.id, []).append(question)
    return list(found.values())


def _question_result(
    versions: Sequence[Question], rows: Sequence[AnswerRow], min_count: int, seed: int | None
) -> QuestionResult:
    question = versions[0]
    given = [row.value for row in rows if not row.skipped and row.value is not None]
    table = _Table()
    asked = table.cell(len(rows))
    answered = table.cell(len(given))
    skipped = table.cell(len(rows) - len(given))
    table.sums(asked, (answered, skipped))

    option_cells: list[tuple[str, str, int]] = []
    if question.type in _OPTION_TYPES:
        tally, labels = _tally(question.type, versions, given)
        option_cells = [(key, labels[key], table.cell(n)) for key, n in tally.items()]
        if question.type is not QuestionType.MULTI:
            table.sums(answered, tuple(cell for _, _, cell in option_cells))

    texts: tuple[str, ...] = ()
    texts_hidden = False
    if question.type is QuestionType.TEXT and given:
        # A flagged answer's words went to the safeguarding review queue, never here.
        listable = [
            row.value
            for row in rows
            if row.released and not row.skipped and row.value not in (None, WITHHELD)
        ]
        texts_hidden = len(listable) < min_count
        if not texts_hidden:
            texts = _shuffled([str(value) for value in listable], seed)
            table.keep_visible(answered)  # listing the answers shows how many there are

    counts = table.suppress(min_count)
    number = None
    if question.type is QuestionType.NUMBER:
        number = _number_summary(counts[answered], given, min_count)
    return QuestionResult(
        id=question.id,
        type=question.type,
        text=_english(question.text),
        asked=counts[asked],
        answered=counts[answered],
        skipped=counts[skipped],
        options=tuple(Option(key, label, counts[cell]) for key, label, cell in option_cells),
        number=number,
        answers=texts,
        answers_suppressed=texts_hidden,
    )


_OPTION_TYPES = frozenset(
    {
        QuestionType.CHOICE,
        QuestionType.MULTI,
        QuestionType.SCALE,
        QuestionType.YESNO,
        QuestionType.UPDATES,
    }
)
_YES_NO = {"yes": "Yes", "no": "No"}


def _tally(
    kind: QuestionType, versions: Sequence[Question], given: Sequence[AnswerValue]
) -> tuple[dict[str, int], dict[str, str]]:
    """Counts per option key, every known option included, and each option's label."""
    labels = _known_options(kind, versions)
    canonical = {key.casefold(): key for key in labels}
    tally: Counter[str] = Counter()
    for value in given:
        picks = _picks(value) if kind is QuestionType.MULTI else (_single(value),)
        for pick in dict.fromkeys(canonical.get(p.casefold(), p) for p in picks):
            tally[pick] += 1
    unknown = sorted(key for key in tally if key not in labels)
    if kind is QuestionType.SCALE:
        keys = sorted([*labels, *unknown], key=_scale_order)
    else:
        keys = [*labels, *unknown]
    return {key: tally[key] for key in keys}, {key: labels.get(key, key) for key in keys}


def _known_options(kind: QuestionType, versions: Sequence[Question]) -> dict[str, str]:
    """Option key -> label, from the newest version that has each option."""
    if kind in (QuestionType.YESNO, QuestionType.UPDATES):
        return dict(_YES_NO)
    labels: dict[str, str] = {}
    for question in versions:
        if kind is QuestionType.SCALE:
            if question.min is None or question.max is None:
                continue
            for point in range(question.min, question.max + 1):
                label = question.labels.get(point)
                text = f"{point} ({_english(label)})" if label else str(point)
                labels.setdefault(str(point), text)
        else:
            for choice in question.choices:
                labels.setdefault(choice.id, _english(choice.text))
    return labels


def _picks(value: AnswerValue) -> tuple[str, ...]:
    if isinstance(value, tuple):
        return value
    return () if value is None else (str(value),)


def _single(value: AnswerValue) -> str:
    if isinstance(value, tuple):  # not expected for one-answer types; still one answer
        return ",".join(value)
    return str(value)


def _scale_order(key: str) -> tuple[int, int, str]:
    try:
        return (0, int(key), "")
    except ValueError:
        return (1, 0, key)


def _number_summary(count: Count, given: Sequence[AnswerValue], min_count: int) -> NumberSummary:
    numbers = sorted(v for v in given if isinstance(v, int) and not isinstance(v, bool))
    if not numbers or len(given) < min_count:
        return NumberSummary(count, None, None, None, suppressed=bool(numbers))
    if len(numbers) == 1:
        only = float(numbers[0])
        return NumberSummary(count, only, only, only, suppressed=False)
    lower, median, upper = statistics.quantiles(numbers, n=4, method="inclusive")
    return NumberSummary(count, float(median), float(lower), float(upper), suppressed=False)


def _shuffled(texts: list[str], seed: int | None) -> tuple[str, ...]:
    """Sorted first, so the order rows came in (and so when they came) never shows through."""
    texts.sort()
    if seed is not None:
        random.Random(seed).shuffle(texts)
    return tuple(texts)


def _english(text: Text) -> str:
    return text.get(ENGLISH) or next(iter(text.values()), "")


# --- responses ---------------------------------------------------------------------------

_STATUS_FIELDS = (
    ("finished", ResponseStatus.FINISHED),
    ("partial", ResponseStatus.PARTIAL),
    ("in_progress", ResponseStatus.STARTED),
)


def _response_counts(
    responses: Sequence[ResponseRow], min_count: int
) -> tuple[ResponseCounts, tuple[ResponseCounts, ...]]:
    """Totals and per-channel counts, suppressed together as one table."""
    seen = Counter((row.channel.value, row.status) for row in responses)
    for (_, status), n in list(seen.items()):
        seen[(ALL_CHANNELS, status)] += n
    names = [ALL_CHANNELS, *(channel.value for channel in Channel)]
    table = _Table()
    cells: dict[str, list[int]] = {}  # channel -> [started, finished, partial, in progress]
    for name in names:
        by_status = [seen[(name, status)] for _, status in _STATUS_FIELDS]
        row = [table.cell(sum(by_status)), *(table.cell(n) for n in by_status)]
        table.sums(row[0], tuple(row[1:]))
        cells[name] = row
    for column in range(4):
        table.sums(cells[ALL_CHANNELS][column], tuple(cells[name][column] for name in names[1:]))
    counts = table.suppress(min_count)
    made = {
        name: ResponseCounts(name, *(counts[cell] for cell in row)) for name, row in cells.items()
    }
    return made[ALL_CHANNELS], tuple(made[name] for name in names[1:])


def _response_fields(counts: ResponseCounts) -> tuple[tuple[str, Count], ...]:
    return (
        ("started", counts.started),
        ("finished", counts.finished),
        ("partial", counts.partial),
        ("in progress", counts.in_progress),
    )


# --- rendering helpers -------------------------------------------------------------------


def _count_json(count: Count) -> dict[str, object]:
    return {"count": count.value, "suppressed": count.suppressed}


def _response_json(counts: ResponseCounts) -> dict[str, object]:
    return {
        "started": _count_json(counts.started),
        "finished": _count_json(counts.finished),
        "partial": _count_json(counts.partial),
        "in_progress": _count_json(counts.in_progress),
    }


def _question_json(question: QuestionResult) -> dict[str, object]:
    number = question.number
    return {
        "id": question.id,
        "type": question.type.value,
        "text": question.text,
        "asked": _count_json(question.asked),
        "answered": _count_json(question.answered),
        "skipped": _count_json(question.skipped),
        "options": [
            {"id": option.id, "label": option.label, **_count_json(option.count)}
            for option in question.options
        ],
        "number": None
        if number is None
        else {
            "count": _count_json(number.count),
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


def _shown(count: Count, hidden: str) -> str:
    return hidden if count.value is None else str(count.value)


def _spreadsheet_safe(cell: str) -> str:
    return f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


# --- suppression -------------------------------------------------------------------------


@dataclass
class _Table:
    """Counts tied together by sums (a total and its parts), to be suppressed as one."""

    values: list[int] = field(default_factory=list)
    equations: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    visible: set[int] = field(default_factory=set)  # shown elsewhere: never hidden secondarily

    def cell(self, value: int) -> int:
        self.values.append(value)
        return len(self.values) - 1

    def sums(self, total: int, parts: tuple[int, ...]) -> None:
        self.equations.append((total, parts))

    def keep_visible(self, cell: int) -> None:
        self.visible.add(cell)

    def suppress(self, min_count: int) -> list[Count]:
        """Each cell as published: primary, then secondary suppression (module docstring)."""
        values = self.values
        hidden = [0 < value < min_count for value in values]
        while exposed := _exposed(values, hidden, self.equations):
            hidden_next = self._next_to_hide(exposed[0], hidden)
            if hidden_next is None:  # nothing left that may be hidden: hide all that can be
                hidden = [
                    h or (v > 0 and i not in self.visible)
                    for i, (h, v) in enumerate(zip(hidden, values, strict=True))
                ]
                break
            hidden[hidden_next] = True
        return [
            Count(None, True) if h else Count(v, False) for h, v in zip(hidden, values, strict=True)
        ]

    def _next_to_hide(self, exposed: int, hidden: list[bool]) -> int | None:
        """The smallest shown non-zero cell in a sum with `exposed` (or anywhere, failing that)."""

        def open_cells(cells: Iterable[int]) -> list[int]:
            return [
                c for c in cells if not hidden[c] and self.values[c] > 0 and c not in self.visible
            ]

        near = open_cells(
            cell
            for total, parts in self.equations
            if exposed == total or exposed in parts
            for cell in (total, *parts)
        )
        candidates = near or open_cells(range(len(self.values)))
        return min(candidates, key=lambda c: (self.values[c], c)) if candidates else None


def _exposed(
    values: Sequence[int], hidden: Sequence[bool], equations: Sequence[tuple[int, tuple[int, ...]]]
) -> list[int]:
    """Hidden cells whose exact value follows from the shown cells, the sums and `hidden >= 1`."""
    columns = [i for i, h in enumerate(hidden) if h]
    if not columns:
        return []
    position = {cell: j for j, cell in enumerate(columns)}
    rows: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for total, parts in equations:
        # total - sum(parts) = 0, with the shown cells moved to the right-hand side
        row = [Fraction(0)] * len(columns)
        constant = Fraction(0)
        for cell, sign in ((total, 1), *((part, -1) for part in parts)):
            if hidden[cell]:
                row[position[cell]] += sign
            else:
                constant -= sign * values[cell]
        if any(row):
            rows.append(row)
            rhs.append(constant)
    if not rows:
        return []
    fixed = _determined(rows, len(columns))
    if any(values[cell] == 1 for cell in columns):
        # y = x - 1 >= 0: is y_j the same at every point of {y >= 0, rows . y = rhs'}?
        shifted = [b - sum(row, Fraction(0)) for row, b in zip(rows, rhs, strict=True)]
        fixed |= {j for j in range(len(columns)) if j not in fixed and _pinned(rows, shifted, j)}
    return sorted(columns[j] for j in fixed)


def _determined(rows: list[list[Fraction]], width: int) -> set[int]:
    """Columns whose value the linear equations alone fix (a reduced row with one entry)."""
    matrix = [row[:] for row in rows]
    pivot_row = 0
    for column in range(width):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column]), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [entry / lead for entry in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column]:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivot_row += 1
    single: set[int] = set()
    for row in matrix[:pivot_row]:
        nonzero = [j for j, entry in enumerate(row) if entry]
        if len(nonzero) == 1:
            single.add(nonzero[0])
    return single


def _pinned(rows: list[list[Fraction]], rhs: list[Fraction], column: int) -> bool:
    """Whether y[column] takes one value only over {y >= 0 : rows . y = rhs} (non-empty)."""
    start = _feasible_tableau(rows, rhs)
    width = len(rows[0])
    highest = _maximise(start, [Fraction(1 if j == column else 0) for j in range(width)])
    lowest = _maximise(start, [Fraction(-1 if j == column else 0) for j in range(width)])
    return highest is not None and lowest is not None and highest == -lowest


_Tableau = tuple[list[list[Fraction]], list[int]]  # rows [coefficients..., rhs], basic columns


def _feasible_tableau(rows: list[list[Fraction]], rhs: list[Fraction]) -> _Tableau:
    """Phase one of the simplex method: a basic feasible solution, redundant rows dropped."""
    width, height = len(rows[0]), len(rows)
    tableau: list[list[Fraction]] = []
    for i, (row, b) in enumerate(zip(rows, rhs, strict=True)):
        sign = -1 if b < 0 else 1
        artificial = [Fraction(1 if k == i else 0) for k in range(height)]
        tableau.append([sign * a for a in row] + artificial + [sign * b])
    basis = [width + i for i in range(height)]
    cost = [Fraction(0)] * width + [Fraction(-1)] * height
    _optimise(tableau, basis, cost, width + height)
    keep: list[int] = []
    for r in range(height):
        if basis[r] >= width:
            column = next((j for j in range(width) if tableau[r][j]), None)
            if column is None:
                continue  # the row repeats others
            _pivot(tableau, basis, r, column)
        keep.append(r)
    return [[*tableau[r][:width], tableau[r][-1]] for r in keep], [basis[r] for r in keep]


def _maximise(start: _Tableau, cost: list[Fraction]) -> Fraction | None:
    """The most `cost . y` reaches from a feasible tableau, or None when it has no bound."""
    tableau = [row[:] for row in start[0]]
    basis = start[1][:]
    if not _optimise(tableau, basis, cost, len(cost)):
        return None
    return sum((cost[b] * tableau[r][-1] for r, b in enumerate(basis)), Fraction(0))


def _optimise(
    tableau: list[list[Fraction]], basis: list[int], cost: list[Fraction], width: int
) -> bool:
    """Simplex with Bland's rule (never cycles); False when the objective is unbounded."""
    while True:
        entering = next(
            (
                j
                for j in range(width)
                if j not in basis
                and cost[j]
                - sum((cost[b] * tableau[r][j] for r, b in enumerate(basis)), Fraction(0))
                > 0
            ),
            None,
        )
        if entering is None:
            return True
        ratios = [
            (tableau[r][-1] / tableau[r][entering], basis[r], r)
            for r in range(len(tableau))
            if tableau[r][entering] > 0
        ]
        if not ratios:
            return False
        _pivot(tableau, basis, min(ratios)[2], entering)


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, column: int) -> None:
    lead = tableau[row][column]
    tableau[row] = [entry / lead for entry in tableau[row]]
    for r in range(len(tableau)):
        if r != row and tableau[r][column]:
            factor = tableau[r][column]
            tableau[r] = [a - factor * b for a, b in zip(tableau[r], tableau[row], strict=True)]
    basis[row] = column
