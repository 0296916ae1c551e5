"""Results: what an officer sees, and what small-number suppression keeps from them."""

from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import Choice, Consultation, Question, QuestionType
from conversations.results import (
    AnswerRow,
    Count,
    Hidden,
    QuestionResult,
    ResponseRow,
    Results,
    summarise,
    to_csv,
    to_json,
    to_rows,
)
from conversations.safety_replies import WITHHELD
from conversations.state import AnswerValue

_keys = itertools.count()

SAFE = Question(
    id="safe_after_dark",
    type=QuestionType.CHOICE,
    text={"en": "How safe do you feel after dark?"},
    choices=(
        Choice("very", {"en": "Very safe"}),
        Choice("fairly", {"en": "Fairly safe"}),
        Choice("not_very", {"en": "Not very safe"}),
        Choice("not_at_all", {"en": "Not safe at all"}),
    ),
)
WHY = Question(id="why_unsafe", type=QuestionType.TEXT, text={"en": "What makes you feel unsafe?"})
SCHOOL = Question(
    id="safe_school",
    type=QuestionType.SCALE,
    text={"en": "How safe do you feel at school?"},
    min=1,
    max=5,
    labels={1: {"en": "Not at all"}, 5: {"en": "Completely"}},
)
HELP = Question(
    id="what_would_help",
    type=QuestionType.MULTI,
    text={"en": "What would help?"},
    choices=(
        Choice("lighting", {"en": "Better lighting"}),
        Choice("clubs", {"en": "Youth clubs open later"}),
        Choice("someone", {"en": "Someone to talk to"}),
    ),
)
TRAVEL = Question(
    id="minutes_to_school", type=QuestionType.NUMBER, text={"en": "Minutes to school?"}, min=0
)
HEAR_BACK = Question(id="hear_back", type=QuestionType.UPDATES, text={"en": "Hear back?"})


def consultation(*questions: Question, version: str = "v1") -> Consultation:
    return Consultation(
        id="feeling-safe",
        title="Feeling safe in your area",
        languages=("en",),
        keyword="SAFE",
        listed=True,
        withdrawal_days=14,
        intro={"en": "Hi"},
        closing={"en": "Thanks"},
        questions=questions,
        version=version,
    )


def answers(question_id: str, value: AnswerValue, n: int, version: str = "v1") -> list[AnswerRow]:
    """`n` answers from `n` different people."""
    return [
        AnswerRow(f"r{next(_keys)}", "round-1", version, question_id, value, value is None)
        for _ in range(n)
    ]


def responses(channel: Channel, status: ResponseStatus, n: int) -> list[ResponseRow]:
    return [ResponseRow(f"r{next(_keys)}", "round-1", channel, status) for _ in range(n)]


def result_for(results: Results, question_id: str) -> QuestionResult:
    return next(q for q in results.questions if q.id == question_id)


def option_counts(question: QuestionResult) -> dict[str, int | None]:
    return {option.id: option.count.value for option in question.options}


def choice_results(counts: dict[str, int], skipped: int = 0, min_count: int = 10) -> Results:
    rows = [row for choice, n in counts.items() for row in answers(SAFE.id, choice, n)]
    rows += answers(SAFE.id, None, skipped)
    return summarise([consultation(SAFE)], [], rows, min_count, shuffle_seed=1)


# --- suppression -------------------------------------------------------------------------


def test_counts_under_ten_are_hidden() -> None:
    results = choice_results({"very": 25, "fairly": 30, "not_very": 4, "not_at_all": 12})
    question = result_for(results, SAFE.id)
    counts = option_counts(question)

    assert counts["not_very"] is None
    assert question.options[2].count == Count(None, True, Hidden.SMALL)
    assert counts["very"] == 25
    assert counts["fairly"] == 30
    row = ("safe_after_dark", SAFE.text["en"], "Not very safe", "fewer than 10")
    assert row in to_rows(results)


def test_a_count_hidden_to_protect_another_says_so_not_fewer_than_ten() -> None:
    results = choice_results({"very": 40, "fairly": 30, "not_very": 3, "not_at_all": 22})
    question = result_for(results, SAFE.id)
    by_id = {option.id: option.count for option in question.options}

    assert by_id["not_very"].hidden is Hidden.SMALL
    assert by_id["not_at_all"] == Count(None, True, Hidden.PROTECTS)  # really 22
    rows = to_rows(results)
    assert (SAFE.id, SAFE.text["en"], "Not safe at all", "hidden to protect a small group") in rows
    assert (SAFE.id, SAFE.text["en"], "Not very safe", "fewer than 10") in rows


def test_zero_is_shown_as_zero() -> None:
    question = result_for(choice_results({"very": 25, "fairly": 30}), SAFE.id)

    assert option_counts(question) == {"very": 25, "fairly": 30, "not_very": 0, "not_at_all": 0}
    assert question.answered == Count(55, False)


def test_one_hidden_cell_cannot_be_worked_out_from_the_total() -> None:
    question = result_for(
        choice_results({"very": 40, "fairly": 30, "not_very": 3, "not_at_all": 12}), SAFE.id
    )
    counts = option_counts(question)
    hidden = [choice for choice, n in counts.items() if n is None]

    assert question.answered.value == 85  # the total stays: the next-smallest is hidden
    assert hidden == ["not_very", "not_at_all"]
    assert question.answered.value - sum(n or 0 for n in counts.values()) == 15  # not 3


def test_two_hidden_ones_are_not_given_away_by_the_total() -> None:
    # 52 - 50 = 2 shared by two hidden counts, each at least 1 (zeros are shown): both are 1.
    question = result_for(
        choice_results({"very": 50, "fairly": 1, "not_very": 1, "not_at_all": 0}), SAFE.id
    )
    counts = option_counts(question)

    assert counts["fairly"] is None
    assert counts["not_very"] is None
    assert counts["very"] is None or question.answered.value is None


def test_few_skips_hide_the_skip_count_and_one_more() -> None:
    question = result_for(choice_results({"very": 25, "fairly": 30}, skipped=2), SAFE.id)

    assert question.skipped.suppressed
    assert question.asked.suppressed or question.answered.suppressed


def test_a_small_total_hides_everything_under_it() -> None:
    question = result_for(choice_results({"very": 5, "fairly": 3}), SAFE.id)

    assert question.asked.suppressed
    assert question.answered.suppressed
    # Zeros too: "nobody said not very safe" of fewer than ten people says too much.
    assert option_counts(question) == dict.fromkeys(("very", "fairly", "not_very", "not_at_all"))
    assert {o.count.hidden for o in question.options} == {Hidden.WITH_TOTAL}


def test_the_threshold_can_be_changed() -> None:
    results = choice_results({"very": 25, "fairly": 6, "not_very": 4, "not_at_all": 3}, min_count=5)
    question = result_for(results, SAFE.id)

    assert option_counts(question) == {
        "very": 25,
        "fairly": 6,
        "not_very": None,
        "not_at_all": None,
    }
    row = ("safe_after_dark", SAFE.text["en"], "Not very safe", "fewer than 5")
    assert row in to_rows(results)


def test_nothing_is_hidden_with_a_threshold_of_one() -> None:
    question = result_for(choice_results({"very": 1, "fairly": 2}, min_count=1), SAFE.id)

    assert option_counts(question) == {"very": 1, "fairly": 2, "not_very": 0, "not_at_all": 0}


# --- free text ---------------------------------------------------------------------------


def test_free_text_hidden_when_few_answered() -> None:
    rows = [row for i in range(9) for row in answers(WHY.id, f"the park {i}", 1)]
    results = summarise([consultation(WHY)], [], rows, 10, shuffle_seed=7)
    question = result_for(results, WHY.id)

    assert question.answers == ()
    assert question.answers_suppressed
    assert json.loads(to_json(results))["questions"][0]["answers"] is None
    assert not any("the park" in cell for row in to_rows(results) for cell in row)


def test_free_text_listed_when_enough_answered() -> None:
    said = [f"answer {i}" for i in range(12)]
    rows = [row for text in said for row in answers(WHY.id, text, 1)]
    question = result_for(summarise([consultation(WHY)], [], rows, 10, shuffle_seed=7), WHY.id)

    assert sorted(question.answers) == sorted(said)
    assert not question.answers_suppressed


def test_a_flagged_answer_is_never_listed() -> None:
    said = [f"answer {i}" for i in range(12)]
    rows = [row for text in [*said, WITHHELD] for row in answers(WHY.id, text, 1)]
    question = result_for(summarise([consultation(WHY)], [], rows, 10, shuffle_seed=7), WHY.id)

    assert WITHHELD not in question.answers
    assert sorted(question.answers) == sorted(said)


def test_free_text_order_does_not_follow_the_order_answers_came_in() -> None:
    said = [f"answer {i:02}" for i in range(12)]
    forwards = [row for text in said for row in answers(WHY.id, text, 1)]
    backwards = list(reversed(forwards))

    first = result_for(summarise([consultation(WHY)], [], forwards, 10, 3), WHY.id).answers
    second = result_for(summarise([consultation(WHY)], [], backwards, 10, 3), WHY.id).answers
    other_seed = result_for(summarise([consultation(WHY)], [], forwards, 10, 4), WHY.id).answers

    assert first == second
    assert first != tuple(said)
    assert other_seed != first


def test_listing_free_text_hides_the_total_rather_than_the_answered_count() -> None:
    rows = [row for i in range(12) for row in answers(WHY.id, f"answer {i}", 1)]
    rows += answers(WHY.id, None, 3)
    question = result_for(summarise([consultation(WHY)], [], rows, 10, 1), WHY.id)

    assert len(question.answers) == 12  # anyone can count these...
    assert question.answered == Count(12, False)
    assert question.skipped.suppressed
    assert question.asked.suppressed  # ...so asked - 12 must not give the 3 skips away


def test_csv_keeps_free_text_from_running_as_a_formula() -> None:
    rows = [row for i in range(10) for row in answers(WHY.id, f"=HYPERLINK({i})", 1)]
    text = to_csv(summarise([consultation(WHY)], [], rows, 10, 1))
    cells = [row[2] for row in csv.reader(io.StringIO(text)) if row[0] == WHY.id]

    assert "'=HYPERLINK(0)" in cells
    assert not any(cell.startswith("=") for cell in cells)


# --- question types ----------------------------------------------------------------------


def test_multi_counts_every_pick() -> None:
    rows = answers(HELP.id, ("lighting", "clubs"), 12) + answers(HELP.id, ("clubs",), 10)
    question = result_for(summarise([consultation(HELP)], [], rows, 10, 1), HELP.id)

    assert question.answered == Count(22, False)
    assert option_counts(question) == {"lighting": 12, "clubs": 22, "someone": 0}


def test_multi_hides_a_choice_few_picked() -> None:
    rows = answers(HELP.id, ("lighting", "someone"), 3) + answers(HELP.id, ("lighting",), 20)
    question = result_for(summarise([consultation(HELP)], [], rows, 10, 1), HELP.id)

    assert option_counts(question) == {"lighting": 23, "clubs": 0, "someone": None}


def test_scale_counts_per_point_with_labels() -> None:
    rows = answers(SCHOOL.id, 1, 11) + answers(SCHOOL.id, 4, 14) + answers(SCHOOL.id, 5, 10)
    question = result_for(summarise([consultation(SCHOOL)], [], rows, 10, 1), SCHOOL.id)

    assert option_counts(question) == {"1": 11, "2": 0, "3": 0, "4": 14, "5": 10}
    assert [option.label for option in question.options] == [
        "1 (Not at all)",
        "2",
        "3",
        "4",
        "5 (Completely)",
    ]


def test_number_gives_median_and_quartiles() -> None:
    rows = [row for minutes in range(1, 21) for row in answers(TRAVEL.id, minutes, 1)]
    question = result_for(summarise([consultation(TRAVEL)], [], rows, 10, 1), TRAVEL.id)

    assert question.number is not None
    assert question.number.count == Count(20, False)
    assert question.number.median == 10.5
    assert question.number.lower_quartile == 5.75
    assert question.number.upper_quartile == 15.25


def test_number_statistics_hidden_when_few_answered() -> None:
    rows = [row for minutes in (5, 10, 40) for row in answers(TRAVEL.id, minutes, 1)]
    results = summarise([consultation(TRAVEL)], [], rows, 10, 1)
    number = result_for(results, TRAVEL.id).number

    assert number is not None
    assert number.suppressed
    assert (number.median, number.lower_quartile, number.upper_quartile) == (None, None, None)
    assert number.count.suppressed
    assert json.loads(to_json(results))["questions"][0]["number"]["median"] is None


def test_updates_counts_yes_and_no() -> None:
    rows = answers(HEAR_BACK.id, "yes", 14) + answers(HEAR_BACK.id, "no", 11)
    question = result_for(summarise([consultation(HEAR_BACK)], [], rows, 10, 1), HEAR_BACK.id)

    assert option_counts(question) == {"yes": 14, "no": 11}


def test_moving_on_after_the_hints_counts_as_skipped() -> None:
    rows = answers(SAFE.id, "very", 20)
    rows += [AnswerRow(f"r{next(_keys)}", "round-1", "v1", SAFE.id, None, False) for _ in range(11)]
    question = result_for(summarise([consultation(SAFE)], [], rows, 10, 1), SAFE.id)

    assert (question.asked.value, question.answered.value, question.skipped.value) == (31, 20, 11)


# --- versions ----------------------------------------------------------------------------


def test_versions_aggregate_by_question_and_choice_id() -> None:
    old = Question(
        id=SAFE.id,
        type=QuestionType.CHOICE,
        text={"en": "Do you feel safe at night?"},
        choices=(
            Choice("fairly", {"en": "Quite safe"}),
            Choice("very", {"en": "Very safe"}),
            Choice("unsafe", {"en": "Unsafe"}),
        ),
    )
    versions = [consultation(SAFE, version="v2"), consultation(old, version="v1")]
    rows = answers(SAFE.id, "very", 6, "v1") + answers(SAFE.id, "very", 7, "v2")
    rows += answers(SAFE.id, "fairly", 11, "v1") + answers(SAFE.id, "unsafe", 10, "v1")
    rows += answers(SAFE.id, "not_at_all", 12, "v2")
    question = result_for(summarise(versions, [], rows, 10, 1), SAFE.id)

    assert question.text == SAFE.text["en"]  # the latest wording
    assert [(o.id, o.label, o.count.value) for o in question.options] == [
        ("very", "Very safe", 13),
        ("fairly", "Fairly safe", 11),
        ("not_very", "Not very safe", 0),
        ("not_at_all", "Not safe at all", 12),
        ("unsafe", "Unsafe", 10),  # only the old version had it: listed after
    ]


def test_a_question_dropped_from_the_latest_version_is_still_counted() -> None:
    versions = [consultation(SAFE, version="v2"), consultation(SAFE, WHY, version="v1")]
    rows = answers(SAFE.id, "very", 10) + answers(WHY.id, "dark", 10)
    results = summarise(versions, [], rows, 10, 1)

    assert [q.id for q in results.questions] == [SAFE.id, WHY.id]
    assert result_for(results, WHY.id).answered.value == 10


# --- responses ---------------------------------------------------------------------------


def test_partial_responses_counted_per_channel() -> None:
    rows = responses(Channel.SMS, ResponseStatus.FINISHED, 30)
    rows += responses(Channel.SMS, ResponseStatus.PARTIAL, 12)
    rows += responses(Channel.TELEGRAM, ResponseStatus.FINISHED, 20)
    rows += responses(Channel.TELEGRAM, ResponseStatus.PARTIAL, 10)
    results = summarise([consultation(SAFE)], rows, [], 10, 1)
    by_channel = {counts.channel: counts for counts in results.by_channel}

    assert (results.total.started.value, results.total.finished.value) == (72, 50)
    assert results.total.partial.value == 22
    assert by_channel["sms"].partial == Count(12, False)
    assert by_channel["telegram"].partial == Count(10, False)
    assert by_channel["whatsapp"].started == Count(0, False)
    assert ("(responses)", "sms", "partial", "12") in to_rows(results)


def test_a_few_partial_responses_on_one_channel_stay_hidden() -> None:
    rows = responses(Channel.SMS, ResponseStatus.FINISHED, 30)
    rows += responses(Channel.SMS, ResponseStatus.PARTIAL, 2)
    rows += responses(Channel.TELEGRAM, ResponseStatus.FINISHED, 20)
    rows += responses(Channel.TELEGRAM, ResponseStatus.PARTIAL, 15)
    results = summarise([consultation(SAFE)], rows, [], 10, 1)
    sms = next(counts for counts in results.by_channel if counts.channel == "sms")

    assert sms.partial.suppressed
    assert sms.finished.suppressed or sms.started.suppressed  # 32 - 30 would say 2


# --- rendering ---------------------------------------------------------------------------


def test_json_marks_suppressed_counts_null() -> None:
    results = choice_results({"very": 25, "fairly": 30, "not_very": 4, "not_at_all": 12})
    document = json.loads(to_json(results))
    question = document["questions"][0]

    assert document["consultation"]["id"] == "feeling-safe"
    assert document["min_count"] == 10
    assert question["options"][2] == {
        "id": "not_very",
        "label": "Not very safe",
        "count": None,
        "suppressed": True,
        "hidden": "small",
        "shown_as": "fewer than 10",
    }
    assert question["options"][0]["count"] == 25
    assert question["answered"] == {"count": 71, "suppressed": False}
    assert set(document["responses"]["by_channel"]) == {channel.value for channel in Channel}


def test_table_rows_start_with_the_header() -> None:
    rows = to_rows(choice_results({"very": 25, "fairly": 30}))

    assert rows[0] == ("question_id", "question", "option", "count")
    assert ("(responses)", "all", "started", "0") in rows


def test_csv_has_a_header_and_one_row_per_count() -> None:
    results = choice_results({"very": 25, "fairly": 30, "not_very": 4, "not_at_all": 12})
    table = list(csv.reader(io.StringIO(to_csv(results))))

    assert table[0] == ["question_id", "question", "option", "count"]
    assert [SAFE.id, SAFE.text["en"], "Very safe", "25"] in table
    assert [SAFE.id, SAFE.text["en"], "Not very safe", "fewer than 10"] in table
    assert [SAFE.id, SAFE.text["en"], "(answered)", "71"] in table


# --- properties --------------------------------------------------------------------------


def bounds_of(count: Count, min_count: int, finer: bool = False) -> tuple[int, int | None]:
    """What a reader knows of a hidden count from its label (and its JSON reason); `finer`
    for a round's view or a breakdown, where small counts read "hidden to protect"."""
    if count.any_size:  # relabelled: its label no longer bounds it (a tiny threshold)
        return (0, None)
    if count.hidden is Hidden.SMALL:
        return (1, min_count - 1)
    if count.hidden is Hidden.PROTECTS:  # overall: shown until then, so at least min_count
        return (0, None) if finer else (min_count, None)
    return (0, None)  # hidden with its total: any size


def alternatives(
    values: Sequence[int],
    shown: Sequence[Count],
    sums: Sequence[tuple[int, Sequence[int]]],
    min_count: int,
    finer: Sequence[bool] = (),
) -> set[int]:
    """Hidden cells that some other table, agreeing with everything shown and every label,
    would change.

    Brute force over moves of +-1 per hidden cell that keep every sum, every shown count,
    and every hidden count within what its label says ("fewer than N": 1 to N - 1; hidden
    to protect: at least N, or any size when its total is hidden). A sum is checked as
    soon as its last cell has moved, to prune the search.
    """
    ends: dict[int, list[tuple[int, Sequence[int]]]] = {}
    for total, parts in sums:
        ends.setdefault(max(total, *parts), []).append((total, parts))
    movable: set[int] = set()

    def search(move: list[int]) -> None:
        cell = len(move)
        if cell == len(values):
            if any(move):
                movable.update(i for i, step in enumerate(move) if step)
            return
        steps = (-1, 0, 1) if shown[cell].suppressed else (0,)
        for step in steps:
            if shown[cell].suppressed:
                in_finer = bool(finer) and finer[cell]
                low, high = bounds_of(shown[cell], min_count, in_finer)
                moved = values[cell] + step
                if moved < low or (high is not None and moved > high):
                    continue
            move.append(step)
            if all(move[t] == sum(move[p] for p in parts) for t, parts in ends.get(cell, [])):
                search(move)
            move.pop()

    search([])
    return movable


def labels_are_true(
    values: Sequence[int], shown: Sequence[Count], min_count: int, finer: Sequence[bool] = ()
) -> None:
    for k, (value, count) in enumerate(zip(values, shown, strict=True)):
        if not count.suppressed:
            assert count.value == value
        else:
            low, high = bounds_of(count, min_count, bool(finer) and finer[k])
            assert value >= low, (value, count)
            assert high is None or value <= high, (value, count)
        if 0 < value < min_count:
            assert count.suppressed, "every small count is hidden"


small = st.one_of(st.integers(0, 12), st.integers(0, 60))


@settings(max_examples=300, deadline=None)
@given(
    counts=st.lists(small, min_size=2, max_size=4),
    skipped=small,
    min_count=st.sampled_from([3, 5, 10]),
)
def test_no_hidden_count_can_be_recovered_from_a_breakdown(
    counts: list[int], skipped: int, min_count: int
) -> None:
    choices = tuple(Choice(f"c{i}", {"en": f"Choice {i}"}) for i in range(len(counts)))
    question = Question(id="q", type=QuestionType.CHOICE, text={"en": "Q?"}, choices=choices)
    rows = [row for i, n in enumerate(counts) for row in answers("q", f"c{i}", n)]
    rows += answers("q", None, skipped)
    result = summarise([consultation(question)], [], rows, min_count, 1).questions[0]

    # cells: asked, answered, skipped, then the choices
    answered = sum(counts)
    values = [answered + skipped, answered, skipped, *counts]
    shown = [result.asked, result.answered, result.skipped]
    shown += [option.count for option in result.options]
    sums = [(0, (1, 2)), (1, tuple(range(3, len(values))))]
    hidden = {i for i, count in enumerate(shown) if count.suppressed}

    labels_are_true(values, shown, min_count)
    zeros_hidden = {i for i in hidden if values[i] == 0}
    assert all(shown[i].hidden is Hidden.WITH_TOTAL for i in zeros_hidden), "zeros are shown"
    small = {i for i in hidden if 0 < values[i] < min_count}
    assert alternatives(values, shown, sums, min_count) >= small
    # The brief's own words: the total minus the shown cells never names one hidden cell.
    if result.answered.value is not None:
        rest = result.answered.value - sum(o.count.value or 0 for o in result.options)
        hidden_options = [o for o in result.options if o.count.suppressed]
        assert len(hidden_options) != 1
        assert rest == 0 or rest > len(hidden_options)


@settings(max_examples=150, deadline=None)
@given(
    grid=st.lists(st.lists(small, min_size=3, max_size=3), min_size=2, max_size=2),
    min_count=st.sampled_from([3, 10]),
)
def test_no_hidden_response_count_can_be_recovered_from_the_channel_table(
    grid: list[list[int]], min_count: int
) -> None:
    statuses = (ResponseStatus.FINISHED, ResponseStatus.PARTIAL, ResponseStatus.STARTED)
    channels = (Channel.SMS, Channel.TELEGRAM)
    rows = [
        row
        for channel, counts in zip(channels, grid, strict=True)
        for status, n in zip(statuses, counts, strict=True)
        for row in responses(channel, status, n)
    ]
    results = summarise([consultation(SAFE)], rows, [], min_count, 1)
    by_channel = {counts.channel: counts for counts in results.by_channel}

    # cells, row by row (all, sms, telegram): started, finished, partial, in progress
    totals = [sum(column) for column in zip(*grid, strict=True)]
    values = [sum(totals), *totals]
    shown_rows = [results.total, by_channel["sms"], by_channel["telegram"]]
    for counts in grid:
        values += [sum(counts), *counts]
    shown = [
        count
        for counts in shown_rows
        for count in (counts.started, counts.finished, counts.partial, counts.in_progress)
    ]
    sums: list[tuple[int, tuple[int, ...]]] = [
        (4 * r, (4 * r + 1, 4 * r + 2, 4 * r + 3)) for r in range(3)
    ]
    sums += [(c, (4 + c, 8 + c)) for c in range(4)]
    hidden = {i for i, count in enumerate(shown) if count.suppressed}

    labels_are_true(values, shown, min_count)
    small = {i for i in hidden if 0 < values[i] < min_count}
    assert alternatives(values, shown, sums, min_count) >= small
