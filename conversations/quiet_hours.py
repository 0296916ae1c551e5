"""Quiet hours: when nothing unprompted (updates, reminders, invitations) may go out.

A window is (start, end) in local wall-clock time, as `Settings.quiet_window` gives it;
it may run across midnight (21:00-08:00). The end is not quiet: at 08:00 sending may
start. A window whose start equals its end is no window. Times are compared on the local
clock, so the window keeps to the clock across both clock changes.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

QuietWindow = tuple[time, time]


def is_quiet(now_local: datetime, window: QuietWindow | None) -> bool:
    """Whether `now_local` (timezone-aware, in the local zone) falls in quiet hours."""
    if window is None:
        return False
    start, end = window
    moment = now_local.timetz().replace(tzinfo=None)
    if start == end:
        return False
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


def next_allowed(now_local: datetime, window: QuietWindow | None) -> datetime:
    """The first moment at or after `now_local` outside quiet hours, in its zone."""
    if now_local.tzinfo is None:
        raise ValueError("next_allowed takes a timezone-aware local time")
    if not is_quiet(now_local, window):
        return now_local
    assert window is not None
    start, end = window
    day = now_local.date()
    if start > end and now_local.timetz().replace(tzinfo=None) >= start:
        day += timedelta(days=1)  # in the evening part of a window across midnight
    wall = datetime.combine(day, end, tzinfo=now_local.tzinfo)
    # Through UTC and back: a wall time that a clock change skips becomes a real instant.
    return wall.astimezone(UTC).astimezone(now_local.tzinfo)
