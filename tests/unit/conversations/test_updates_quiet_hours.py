"""Quiet hours: nothing unprompted goes out in them, on the local clock, across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conversations.quiet_hours import is_quiet, next_allowed

LONDON = ZoneInfo("Europe/London")
NIGHT = (time(21, 0), time(8, 0))


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=LONDON)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(2026, 7, 1, 22, 30), local(2026, 7, 2, 8, 0)),  # evening: next morning
        (local(2026, 7, 1, 3, 0), local(2026, 7, 1, 8, 0)),  # small hours: this morning
        (local(2026, 7, 1, 21, 0), local(2026, 7, 2, 8, 0)),  # the start is quiet
        (local(2026, 7, 1, 8, 0), local(2026, 7, 1, 8, 0)),  # the end is not
        (local(2026, 7, 1, 20, 59), local(2026, 7, 1, 20, 59)),
        (local(2026, 7, 1, 12, 0), local(2026, 7, 1, 12, 0)),
    ],
)
def test_a_window_across_midnight(now: datetime, expected: datetime) -> None:
    assert next_allowed(now, NIGHT) == expected


def test_a_window_within_one_day() -> None:
    lunch = (time(12, 0), time(13, 30))

    assert next_allowed(local(2026, 7, 1, 12, 15), lunch) == local(2026, 7, 1, 13, 30)
    assert next_allowed(local(2026, 7, 1, 11, 59), lunch) == local(2026, 7, 1, 11, 59)
    assert next_allowed(local(2026, 7, 1, 13, 30), lunch) == local(2026, 7, 1, 13, 30)


def test_no_window_and_an_empty_window_are_never_quiet() -> None:
    now = local(2026, 7, 1, 23, 0)

    assert next_allowed(now, None) == now
    assert next_allowed(now, (time(9, 0), time(9, 0))) == now
    assert not is_quiet(now, None)


def test_the_night_the_clocks_go_forward_ends_at_eight_on_the_new_clock() -> None:
    # 29 March 2026: 01:00 GMT becomes 02:00 BST.
    allowed = next_allowed(local(2026, 3, 28, 23, 30), NIGHT)

    assert allowed == local(2026, 3, 29, 8, 0)
    assert allowed.utcoffset() == timedelta(hours=1)
    assert allowed.astimezone(UTC) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_the_night_the_clocks_go_back_ends_at_eight_on_the_new_clock() -> None:
    # 25 October 2026: 02:00 BST becomes 01:00 GMT.
    allowed = next_allowed(local(2026, 10, 24, 22, 0), NIGHT)

    assert allowed.astimezone(UTC) == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_an_end_the_clocks_skip_becomes_a_real_moment() -> None:
    window = (time(0, 0), time(1, 30))  # 01:30 does not exist on 29 March 2026

    allowed = next_allowed(local(2026, 3, 29, 0, 30), window)

    assert allowed.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert not is_quiet(allowed, window)


def test_a_time_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        # Naive by design: the value under test is a time without a zone.
        next_allowed(datetime(2026, 7, 1, 22, 0), NIGHT)  # noqa: DTZ001


@given(
    # Naive by design: hypothesis takes naive bounds and adds the zone from `timezones`.
    moment=st.datetimes(
        min_value=datetime(2025, 1, 1),  # noqa: DTZ001
        max_value=datetime(2028, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    start=st.times(),
    end=st.times(),
)
def test_the_moment_given_is_never_quiet_never_earlier_and_within_a_day(
    moment: datetime, start: time, end: time
) -> None:
    now = moment.astimezone(LONDON)
    window = (start.replace(second=0, microsecond=0), end.replace(second=0, microsecond=0))

    allowed = next_allowed(now, window)

    assert allowed >= now
    assert allowed - now <= timedelta(hours=25)
    assert not is_quiet(allowed, window)
