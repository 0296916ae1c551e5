"""Times and lengths as officers type them for `yousaid round schedule`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.times import (
    TimeError,
    describe,
    describe_close,
    describe_duration,
    parse_duration,
    parse_time,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)
# Europe/London in 2026: clocks go forward at 01:00 on 29 March, back at 02:00 on 25 October.
SPRING = "2026-03-29"
AUTUMN = "2026-10-25"


def at(text: str, **options: bool) -> datetime:
    return parse_time(text, LONDON, NOW, name="--opens", **options)


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-07-01T09:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),  # BST is UTC+1
        ("2026-07-01 09:00", datetime(2026, 7, 1, 8, 0, tzinfo=UTC)),
        ("2026-07-01T09:00:30", datetime(2026, 7, 1, 8, 0, 30, tzinfo=UTC)),
        ("2026-12-01 09:00:00", datetime(2026, 12, 1, 9, 0, tzinfo=UTC)),  # GMT is UTC
        ("2026-07-01", datetime(2026, 6, 30, 23, 0, tzinfo=UTC)),  # local midnight
        ("2026-07-01T09:00+02:00", datetime(2026, 7, 1, 7, 0, tzinfo=UTC)),
        ("2026-07-01T09:00Z", datetime(2026, 7, 1, 9, 0, tzinfo=UTC)),
        ("  NOW ", NOW),
    ],
)
def test_times_are_read_in_the_council_time_zone(text: str, utc: datetime) -> None:
    assert at(text) == utc


def test_a_closing_date_takes_answers_all_that_day() -> None:
    closes = at("2026-07-21", end_of_day=True)
    assert closes.astimezone(LONDON) == datetime(2026, 7, 22, 0, 0, tzinfo=LONDON)
    assert describe_close(closes, LONDON) == "the end of Tue 21 Jul 2026 (midnight BST)"


def test_a_time_the_clocks_skip_is_refused_with_the_hour_to_avoid() -> None:
    with pytest.raises(TimeError) as error:
        at(f"{SPRING}T01:30")
    message = str(error.value)
    assert "doesn't exist in Europe/London" in message
    assert "forward" in message
    assert "01:00 to 02:00" in message


def test_a_time_the_clocks_repeat_is_refused_with_both_offsets_offered() -> None:
    with pytest.raises(TimeError) as error:
        at(f"{AUTUMN} 01:30:00")
    message = str(error.value)
    assert "happens twice" in message
    assert "back" in message
    assert f"{AUTUMN}T01:30+01:00" in message
    assert f"{AUTUMN}T01:30+00:00" in message


def test_the_offered_offsets_pick_each_of_the_repeated_times() -> None:
    first = at(f"{AUTUMN}T01:30+01:00")
    second = at(f"{AUTUMN}T01:30+00:00")
    assert second - first == timedelta(hours=1)


def test_times_either_side_of_a_clock_change_are_fine() -> None:
    assert at(f"{SPRING}T00:59") == datetime(2026, 3, 29, 0, 59, tzinfo=UTC)
    assert at(f"{SPRING}T02:00") == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert at(f"{AUTUMN}T00:59") == datetime(2026, 10, 24, 23, 59, tzinfo=UTC)
    assert at(f"{AUTUMN}T02:00") == datetime(2026, 10, 25, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["tomorrow", "1 July", "2026-02-30", "2026-07-01T25:00", "", "07/01/2026"]
)
def test_unreadable_times_say_how_to_write_one(text: str) -> None:
    with pytest.raises(TimeError) as error:
        at(text)
    assert str(error.value).startswith("--opens")
    assert "2026-07-01T09:00" in str(error.value)


@pytest.mark.parametrize(
    ("text", "length", "shown"),
    [
        ("2d", timedelta(days=2), "2 days"),
        ("12h", timedelta(hours=12), "12 hours"),
        ("1d12h", timedelta(days=1, hours=12), "1 day 12 hours"),
        ("90m", timedelta(minutes=90), "1 hour 30 minutes"),
        ("1W", timedelta(weeks=1), "7 days"),
    ],
)
def test_lengths_read_as_days_hours_and_minutes(text: str, length: timedelta, shown: str) -> None:
    assert parse_duration(text) == length
    assert describe_duration(length) == shown


@pytest.mark.parametrize("text", ["", "2", "two days", "0d", "-1d", "2x"])
def test_unreadable_lengths_say_how_to_write_one(text: str) -> None:
    with pytest.raises(TimeError) as error:
        parse_duration(text, "--reminder")
    assert str(error.value).startswith("--reminder")


def test_moments_are_described_in_local_time_with_the_zone_name() -> None:
    assert describe(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), LONDON) == "Wed 1 Jul 2026 09:00 BST"
    assert describe(datetime(2026, 12, 1, 9, 0, tzinfo=UTC), LONDON) == "Tue 1 Dec 2026 09:00 GMT"
