"""A round's dates in the words every command uses: when it opens, closes (or closed), and
until when people can text DELETE to erase their answers.

One rule for all of them, so `round schedule`, `round show`, `round list`, `round close` and
what participants are told can't disagree:
- the scheduled close (`closes_at`) never moves: the consent message promised that answers
  can be withdrawn until the close plus `withdrawal_days`, and closing early must not cut
  that short;
- a round closed early by an officer also has `closed_at`, when it really stopped;
- the last day DELETE erases answers is the local date of `closes_at + withdrawal_days`
  (the date the consent names), to the end of that day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from bot.library import Library
from bot.times import describe, describe_close, describe_day
from conversations import dates
from conversations.consultation_file import DEFAULT_WITHDRAWAL_DAYS
from storage.repositories.round_rows import RoundRow, RoundStatus
from storage.uow import UnitOfWork

__all__ = [
    "RoundDates",
    "closes_words",
    "dates_of",
    "delete_words",
    "due_words",
    "last_withdrawal_day",
    "withdrawal_days",
]


@dataclass(frozen=True)
class RoundDates:
    """When a round opens and closes, and until when its answers can be withdrawn."""

    opens_at: datetime
    closes_at: datetime | None  # as scheduled; None: no end yet
    closed_at: datetime | None  # when it really stopped, if it stopped early
    withdrawal_days: int
    last_delete_day: date | None  # DELETE erases answers until the end of this day


def dates_of(uow: UnitOfWork, library: Library, row: RoundRow, zone: ZoneInfo) -> RoundDates:
    """The round's dates, with the withdrawal window its consultation promised."""
    days = withdrawal_days(uow, library, row.id, row.consultation_id)
    last = None
    if row.closes_at is not None:
        last = last_withdrawal_day(row.closes_at, days, zone)
    closed_early = row.closed_at
    if closed_early is not None and row.closes_at is not None and closed_early >= row.closes_at:
        closed_early = None  # a round with no end, closed by hand: its close is that moment
    if row.status is RoundStatus.CANCELLED:
        last = None
    return RoundDates(row.opens_at, row.closes_at, closed_early, days, last)


def closes_words(dates: RoundDates, zone: ZoneInfo) -> str:
    """`the end of Sun 20 Dec 2026 (midnight GMT)`, or for a round closed early
    `closed early, Wed 2 Dec 2026 14:05 GMT (it was due to close at the end of ...)`."""
    if dates.closes_at is None:
        return "no end"
    if dates.closed_at is None:
        return describe_close(dates.closes_at, zone)
    due = due_words(dates.closes_at, zone)
    return f"closed early, {describe(dates.closed_at, zone)} (it was due to close {due})"


def due_words(closes_at: datetime, zone: ZoneInfo) -> str:
    """When a round is due to close, to follow "closes": `at Fri 3 Jul 2026 17:00 BST`,
    or `the end of Sun 20 Dec 2026 (midnight GMT)`."""
    described = describe_close(closes_at, zone)
    return described if described.startswith("the end of") else f"at {described}"


def delete_words(dates: RoundDates) -> str:
    """Until when DELETE erases answers: `the end of Mon 4 Jan 2027`."""
    if dates.last_delete_day is None:
        return f"{dates.withdrawal_days} days after it closes"
    return f"the end of {describe_day(dates.last_delete_day)}"


def last_withdrawal_day(closes_at: datetime, withdrawal_days: int, zone: tzinfo) -> date:
    """The last local day DELETE erases answers: the date the consent message names."""
    return dates.last_withdrawal_day(closes_at.astimezone(zone), withdrawal_days)


def withdrawal_days(uow: UnitOfWork, library: Library, round_id: str, consultation: str) -> int:
    """The longest window any version the round was answered on promised (the latest
    version too, when nobody answered)."""
    versions = uow.results.versions_in_round(round_id)
    latest = uow.consultations.latest(consultation)
    if latest is not None:
        versions.add(latest.version)
    days = [
        parsed.withdrawal_days
        for version in sorted(versions)
        if (parsed := library.version(uow, consultation, version)) is not None
    ]
    # A round whose consultation can't be read gets the loader's default window.
    return max(days, default=DEFAULT_WITHDRAWAL_DAYS)
