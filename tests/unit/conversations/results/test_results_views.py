"""Views an officer can put side by side (overall, each round, a breakdown by another
question's answers) never let a hidden count be worked out, together or apart."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import Choice, Consultation, Question, QuestionType
from conversations.results import AnswerRow, Count, Hidden, ResponseRow, summarise
from tests.unit.conversations.results.test_results import alternatives, labels_are_true

_keys = itertools.count()

SAFE = Question(
    id="safe",
    type=QuestionType.CHOICE,
    text={"en": "Safe?"},
    choices=(Choice("yes", {"en": "Safe"}), Choice("no", {"en": "Not safe"})),
)
AGE = Question(
    id="age",
    type=QuestionType.CHOICE,
    text={"en": "Age?"},
    choices=(Choice("young", {"en": "Under 16"}), Choice("old", {"en": "16 or over"})),
)


def consultation(*questions: Question) -> Consultation:
    return Consultation(
        id="c",
        title="C",
        languages=("en",),
        keyword="C",
        listed=True,
        withdrawal_days=14,
        intro={"en": "Hi"},
        closing={"en": "Thanks"},
        questions=questions,
        version="v1",
    )


def rows_for(round_id: str, counts: Sequence[int], skipped: int) -> list[AnswerRow]:
    found = []
    for choice, n in zip(("yes", "no"), counts, strict=True):
        found += [
            AnswerRow(f"r{next(_keys)}", round_id, "v1", "safe", choice, False) for _ in range(n)
        ]
    found += [
        AnswerRow(f"r{next(_keys)}", round_id, "v1", "safe", None, True) for _ in range(skipped)
    ]
    return found


def view_cells(result: object) -> list[Count]:
    question = result.questions[0]  # type: ignore[attr-defined]
    return [
        question.asked,
        question.answered,
        question.skipped,
        *(o.count for o in question.options),
    ]


small = st.integers(0, 14)


@settings(max_examples=60, deadline=None)
@given(
    first=st.tuples(small, small, st.integers(0, 4)),
    second=st.tuples(small, small, st.integers(0, 4)),
    min_count=st.sampled_from([3, 10]),
)
def test_two_rounds_and_the_total_side_by_side_give_nothing_away(
    first: tuple[int, int, int], second: tuple[int, int, int], min_count: int
) -> None:
    rows = rows_for("A", first[:2], first[2]) + rows_for("B", second[:2], second[2])
    c = consultation(SAFE)
    views = [
        summarise([c], [], rows, min_count, 1),
        summarise([c], [], rows, min_count, 1, round_id="A"),
        summarise([c], [], rows, min_count, 1, round_id="B"),
    ]

    def cell_values(data: tuple[int, int, int]) -> list[int]:
        yes, no, skip = data
        return [yes + no + skip, yes + no, skip, yes, no]

    overall = [a + b for a, b in zip(cell_values(first), cell_values(second), strict=True)]
    # Interleaved (overall, A, B cell by cell) so the brute force can prune early.
    values, shown = [], []
    for k in range(5):
        for view, data in zip(
            views, (overall, cell_values(first), cell_values(second)), strict=True
        ):
            values.append(data[k])
            shown.append(view_cells(view)[k])
    index = {(v, k): 3 * k + v for v in range(3) for k in range(5)}
    sums = []
    for v in range(3):  # asked = answered + skipped; answered = yes + no
        sums.append((index[(v, 0)], (index[(v, 1)], index[(v, 2)])))
        sums.append((index[(v, 1)], (index[(v, 3)], index[(v, 4)])))
    for k in range(5):  # every overall count is the two rounds'
        sums.append((index[(0, k)], (index[(1, k)], index[(2, k)])))
    hidden = {i for i, count in enumerate(shown) if count.suppressed}
    finer = [i % 3 != 0 for i in range(len(values))]  # the rounds' cells

    labels_are_true(values, shown, min_count, finer)
    # Every hidden small count could be another: none can be worked out.
    found = alternatives(values, shown, sums, min_count, finer)
    assert found >= {i for i in hidden if 0 < values[i] < min_count}
    # A round's count hidden overall is hidden in every round: no round gives it back.
    for k in range(5):
        if shown[index[(0, k)]].suppressed:
            assert shown[index[(1, k)]].suppressed
            assert shown[index[(2, k)]].suppressed


@settings(max_examples=40, deadline=None)
@given(
    grid=st.lists(st.lists(st.integers(0, 13), min_size=3, max_size=3), min_size=2, max_size=2),
    min_count=st.sampled_from([3, 10]),
)
def test_a_breakdown_beside_the_overall_counts_gives_nothing_away(
    grid: list[list[int]], min_count: int
) -> None:
    """grid[s][a]: people who said s (yes, no) to safe, in age group a (young, old, none)."""
    rows: list[AnswerRow] = []
    for s, choice in enumerate(("yes", "no")):
        for a, band in enumerate(("young", "old", None)):
            for _ in range(grid[s][a]):
                key = f"r{next(_keys)}"
                rows.append(AnswerRow(key, "A", "v1", "safe", choice, False))
                rows.append(AnswerRow(key, "A", "v1", "age", band, band is None))
    results = summarise([consultation(SAFE, AGE)], [], rows, min_count, 1, by="age")
    assert results.breakdown is not None
    safe, age = results.questions
    [broken] = results.breakdown.questions

    # cells: safe yes, no; age young, old; X[s][a] (a: young, old, none); T[a]; then what
    # nobody is shown but a reader knows is there: U[a] = age a - T[a], at least 0.
    unseen = Count(None, True, Hidden.WITH_TOTAL)  # bounds: at least 0
    shown = [o.count for o in safe.options] + [o.count for o in age.options]
    shown += [count for _, counts in broken.options for count in counts]
    shown += [*broken.answered, unseen, unseen]
    yes, no = (sum(r) for r in grid)
    young, old = grid[0][0] + grid[1][0], grid[0][1] + grid[1][1]
    values = [yes, no, young, old, *grid[0], *grid[1]]
    values += [grid[0][a] + grid[1][a] for a in range(3)]
    values += [0, 0]  # everyone here answered safe (but nothing shown says so)
    sums = [
        (0, (4, 5, 6)),  # safe yes = its three groups
        (1, (7, 8, 9)),
        (10, (4, 7)),  # T[young] = yes + no in it
        (11, (5, 8)),
        (12, (6, 9)),
        (2, (10, 13)),  # age young = T[young] + U[young]
        (3, (11, 14)),
    ]
    hidden = {i for i, count in enumerate(shown) if count.suppressed}
    finer = [4 <= i < 13 for i in range(len(values))]  # the breakdown's cells

    labels_are_true(values, shown, min_count, finer)
    found = alternatives(values, shown, sums, min_count, finer)
    assert found >= {i for i in hidden if 0 < values[i] < min_count and i < 13}


def test_a_breakdown_counts_everyone_who_started_too() -> None:
    """Everyone who started answered safe, and the responses say how many started: then
    a breakdown's groups add up to the age answers exactly, and must still give nothing
    away (3 in 'old' and 1 with no age, of 4 who said no, threshold 3)."""
    rows: list[AnswerRow] = []
    starts: list[ResponseRow] = []
    for band in ("old", "old", "old", None):
        key = f"r{next(_keys)}"
        rows.append(AnswerRow(key, "A", "v1", "safe", "no", False))
        rows.append(AnswerRow(key, "A", "v1", "age", band, band is None))
        starts.append(ResponseRow(key, "A", Channel.SMS, ResponseStatus.FINISHED))
    results = summarise([consultation(SAFE, AGE)], starts, rows, 3, 1, by="age")
    assert results.breakdown is not None
    [broken] = results.breakdown.questions
    no_old, no_none = broken.options[1][1][1], broken.options[1][1][2]

    assert results.total.started.value == 4
    assert results.questions[0].answered.value == 4
    # Shown 4 started, 4 said no: the no-answer group and "old" can't both be shown, nor
    # one alone with the other worked out.
    assert no_old.suppressed
    assert no_none.suppressed


def test_a_hidden_overall_count_is_hidden_in_every_breakdown_cell_under_it() -> None:
    rows: list[AnswerRow] = []
    for choice, band, n in (("yes", "young", 20), ("yes", "old", 15), ("no", "old", 4)):
        for _ in range(n):
            key = f"r{next(_keys)}"
            rows.append(AnswerRow(key, "A", "v1", "safe", choice, False))
            rows.append(AnswerRow(key, "A", "v1", "age", band, False))
    results = summarise([consultation(SAFE, AGE)], [], rows, 10, 1, by="age")
    assert results.breakdown is not None
    [broken] = results.breakdown.questions
    no = dict(zip(("young", "old", "none"), broken.options[1][1], strict=True))

    assert results.questions[0].options[1].count.hidden is Hidden.SMALL  # "no": 4
    # Under it, even the zero for "young" is hidden: else young + old would give the 4.
    assert {count.hidden for count in no.values()} == {Hidden.WITH_TOTAL}
