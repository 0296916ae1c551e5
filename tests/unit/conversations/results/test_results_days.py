"""Responses per day: every day from the first to the last, small days hidden as a finer
view hides them, and never a way to work a hidden one out from the total."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.results import DayRow, Hidden, ResponseRow, per_day

MONDAY = date(2026, 3, 2)


def rows(per_round_day: Sequence[tuple[str, int, int]]) -> tuple[list[DayRow], list[ResponseRow]]:
    """(round, day of March, how many) -> the day rows and matching response rows."""
    days, responses = [], []
    for round_id, day, n in per_round_day:
        days.append(DayRow(round_id, date(2026, 3, day), n))
        responses += [
            ResponseRow(f"{round_id}-{day}-{k}", round_id, Channel.SMS, ResponseStatus.FINISHED)
            for k in range(n)
        ]
    return days, responses


def labels(per_round_day: Sequence[tuple[str, int, int]], min_count: int = 3) -> list[str]:
    days, responses = rows(per_round_day)
    return [d.count.label(min_count) for d in per_day(days, responses, min_count)]


HIDDEN = "hidden to protect a small group"


def test_every_day_is_listed_with_zeros_and_a_small_day_is_hidden_with_another() -> None:
    days, responses = rows([("r1", 2, 5), ("r1", 3, 4), ("r1", 5, 1)])

    counted = per_day(days, responses, 3)

    assert [d.day for d in counted] == [date(2026, 3, n) for n in (2, 3, 4, 5)]
    assert counted[0].day == MONDAY
    shown = [d.count.label(3) for d in counted]
    assert shown[2] == "0"  # nobody that day: shown (zero points to nobody)
    assert shown[3] == HIDDEN  # the one person: a finer view never says "fewer than 3"
    assert counted[3].count.hidden is Hidden.PROTECTS
    # The total (10) is shown elsewhere: one hidden day alone would give the 1 away.
    assert sum(1 for s in shown if s == HIDDEN) == 2
    assert "1" not in shown


def test_days_big_enough_are_all_shown() -> None:
    assert labels([("r1", 2, 5), ("r1", 3, 4), ("r1", 4, 3)]) == ["5", "4", "3"]


def test_a_small_total_hides_every_day() -> None:
    days, responses = rows([("r1", 2, 1), ("r1", 4, 1)])

    counted = per_day(days, responses, 3)

    assert [d.count.label(3) for d in counted] == [HIDDEN] * 3  # the empty day too
    assert all(d.count.hidden is Hidden.WITH_TOTAL for d in counted)


def test_a_day_only_a_hidden_round_answered_on_is_hidden() -> None:
    # Round r2 has 2 responses (hidden in its round's view): its only day hides with it.
    shown = labels([("r1", 2, 6), ("r1", 3, 6), ("r2", 5, 2)])

    assert shown[-1] == HIDDEN
    assert "2" not in shown


def test_rounds_on_the_same_day_add_up_to_the_day() -> None:
    shown = labels([("r1", 2, 4), ("r2", 2, 4), ("r1", 3, 5), ("r2", 3, 5)])

    assert shown == ["8", "10"]


def test_no_responses_no_days() -> None:
    assert per_day([], [], 3) == ()


def test_a_day_of_a_hidden_round_hides_and_a_mixed_day_shows() -> None:
    # r2 (2 responses) is hidden in a round's view, and r1 (11) with it, since the total
    # (13) is shown. Day 2 only r1 answered on: it hides with r1's count (rule 3). Day 3
    # mixes both rounds, and its 7 pins neither round's share, so it is shown.
    days, responses = rows([("r1", 2, 6), ("r1", 3, 5), ("r2", 3, 2)])

    counted = per_day(days, responses, 3)

    assert [d.count.value for d in counted] == [None, 7]
