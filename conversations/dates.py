"""Dates as participants read them, in their language: `1 July 2026`, `1 July 2026, 09:00`.

Pass local times (the caller converts to the council's zone): a participant's day is a
local one.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from babel.core import UnknownLocaleError
from babel.dates import format_date

__all__ = ["day", "last_day", "last_withdrawal_day", "moment"]

# Babel's plain "en" writes American dates ("July 30, 2026"); the service is British.
_LOCALES = {"en": "en_GB"}


def day(when: date, language: str) -> str:
    """A day in words: `1 July 2026`, `1 lipca 2026`."""
    try:
        return str(format_date(when, format="long", locale=_LOCALES.get(language, language)))
    except (UnknownLocaleError, ValueError):
        return str(format_date(when, format="long", locale=_LOCALES["en"]))


def moment(when: datetime, language: str) -> str:
    """A local time: its day, and the time of day unless it is midnight."""
    shown = day(when.date(), language)
    return shown if when.time() == time() else f"{shown}, {when:%H:%M}"


def last_withdrawal_day(closes: datetime, withdrawal_days: int) -> date:
    """The last day answers can be withdrawn (DELETE): the local date `withdrawal_days`
    after the close, to the end of that day. `closes` in local time."""
    return (closes + timedelta(days=withdrawal_days)).date()


def last_day(closes: datetime, language: str) -> str:
    """The last moment something is open: a close at midnight is the whole day before."""
    if closes.time() == time():
        return day(closes.date() - timedelta(days=1), language)
    return moment(closes, language)
