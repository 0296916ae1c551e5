"""Times and lengths of time as officers type them, read in YOUSAID_TIMEZONE.

`--opens 2026-07-01`, `--opens 2026-07-01T09:00`, `--opens "2026-07-01 09:00:30"`,
`--opens now`; `--reminder 2d`. A wall-clock time that a clock change skips or repeats is
refused with a plain way out, never silently moved: a round opening an hour early or late
is exactly the kind of surprise an officer can't see coming.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = [
    "TimeError",
    "describe",
    "describe_close",
    "describe_day",
    "describe_duration",
    "parse_duration",
    "parse_time",
]

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
_WITH_OFFSET = re.compile(_DATE_TIME.pattern + r"(Z|[+-]\d{2}:?\d{2})", re.IGNORECASE)
_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?", re.IGNORECASE)
_EXAMPLES = "write it like 2026-07-01, 2026-07-01T09:00 or 2026-07-01 09:00:00, or now"
_SEARCH_LIMIT = 24 * 60  # minutes: no clock change skips or repeats more than a day


class TimeError(ValueError):
    """A time or length an officer wrote that can't be used; the message says what to write."""


def parse_time(
    text: str, zone: ZoneInfo, now: datetime, *, end_of_day: bool = False, name: str = "time"
) -> datetime:
    """The moment `text` means, in UTC.

    `now`; an ISO date (its midnight, or with `end_of_day` the midnight that ends it, so
    `--closes 2026-07-21` takes answers all that day); a date and time with or without
    seconds, read in `zone`; or one with an explicit offset. `name` starts error messages.
    """
    said = text.strip()
    if said.lower() == "now":
        return now.astimezone(UTC)
    if _DATE_ONLY.fullmatch(said):
        day = _date(said, name)
        if end_of_day:
            day += timedelta(days=1)
        return _localise(datetime.combine(day, time()), zone, name).astimezone(UTC)
    if _WITH_OFFSET.fullmatch(said):
        return _datetime(said, name).astimezone(UTC)
    if _DATE_TIME.fullmatch(said):
        return _localise(_datetime(said, name), zone, name).astimezone(UTC)
    raise TimeError(f"{name} '{said}' is not a date or time I can read; {_EXAMPLES}")


def parse_duration(text: str, name: str = "length") -> timedelta:
    """A length like 2d, 12h, 90m, 1w or 1d12h (weeks, days, hours, minutes)."""
    said = text.strip().replace(" ", "")
    match = _DURATION.fullmatch(said)
    if not said or match is None:
        raise TimeError(
            f"{name} '{text.strip()}' is not a length I can read; "
            "write it like 2d (days), 12h (hours), 90m (minutes) or 1d12h"
        )
    weeks, days, hours, minutes = (int(part or 0) for part in match.groups())
    length = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes)
    if length <= timedelta(0):
        raise TimeError(f"{name} must be longer than nothing, like 2d")
    return length


def describe(when: datetime, zone: ZoneInfo) -> str:
    """A moment as an officer reads it: `Wed 1 Jul 2026 09:00 BST`."""
    local = when.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"


def describe_close(when: datetime, zone: ZoneInfo) -> str:
    """Like `describe`, but a close at midnight reads as the end of the day before."""
    local = when.astimezone(zone)
    if local.time() == time():
        before = local.date() - timedelta(days=1)
        return f"the end of {describe_day(before)} (midnight {local.tzname()})"
    return describe(when, zone)


def describe_day(day: date) -> str:
    """A day as an officer reads it: `Mon 4 Jan 2027`."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def describe_duration(length: timedelta) -> str:
    """`2 days`, `1 day 12 hours`, `90 minutes`."""
    minutes = int(length.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    return " ".join(parts) or "no time"


# --- helpers ---------------------------------------------------------------------------


def _date(text: str, name: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TimeError(f"{name} '{text}' is not a real date; {_EXAMPLES}") from None


def _datetime(text: str, name: str) -> datetime:
    try:
        return datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        raise TimeError(f"{name} '{text}' is not a real date and time; {_EXAMPLES}") from None


def _localise(wall: datetime, zone: ZoneInfo, name: str) -> datetime:
    """`wall` (naive) as a moment in `zone`; TimeError when a clock change skips or repeats it."""
    early = wall.replace(tzinfo=zone, fold=0)
    late = wall.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    shown = f"{wall:%Y-%m-%d %H:%M}"
    if _exists(wall, zone):  # it exists, twice: the clocks go back
        start, end = _repeated_span(wall, zone)
        first = _with_offset(early)
        second = _with_offset(late)
        raise TimeError(
            f"{name} {shown} happens twice in {zone.key}: the clocks go back that night, so "
            f"{start:%H:%M} to {end:%H:%M} comes round twice. Choose a time outside that "
            f"hour, or add the offset: {first} for the first time, {second} for the second"
        )
    start, end = _skipped_span(wall, zone)
    raise TimeError(
        f"{name} {shown} doesn't exist in {zone.key}: the clocks go forward that night and "
        f"skip from {start:%H:%M} to {end:%H:%M}. Choose a time outside that hour"
    )


def _exists(wall: datetime, zone: ZoneInfo) -> bool:
    moment = wall.replace(tzinfo=zone)
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall


def _repeated(wall: datetime, zone: ZoneInfo) -> bool:
    return (
        wall.replace(tzinfo=zone, fold=0).utcoffset()
        != wall.replace(tzinfo=zone, fold=1).utcoffset()
    )


def _skipped_span(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first wall-clock minute the change skips, and the first one after the gap."""
    minute = timedelta(minutes=1)
    start = wall.replace(second=0, microsecond=0)
    for _ in range(_SEARCH_LIMIT):
        if _exists(start - minute, zone):
            break
        start -= minute
    end = wall.replace(second=0, microsecond=0) + minute
    for _ in range(_SEARCH_LIMIT):
        if _exists(end, zone):
            break
        end += minute
    return start, end


def _repeated_span(wall: datetime, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first wall-clock minute that comes round twice, and the first one after them."""
    minute = timedelta(minutes=1)
    start = wall.replace(second=0, microsecond=0)
    for _ in range(_SEARCH_LIMIT):
        if not _repeated(start - minute, zone):
            break
        start -= minute
    end = wall.replace(second=0, microsecond=0) + minute
    for _ in range(_SEARCH_LIMIT):
        if not _repeated(end, zone):
            break
        end += minute
    return start, end


def _with_offset(moment: datetime) -> str:
    offset = moment.strftime("%z")
    return f"{moment:%Y-%m-%dT%H:%M}{offset[:3]}:{offset[3:]}"
