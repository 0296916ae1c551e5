"""Scheduling, closing and cancelling rounds, with every check an officer's input needs.

The command line (bot/cli/round.py) only reads options and prints; this module decides,
and bot/services/round_dates.py says when a round opens, closes and can be withdrawn from.
Every refusal is a `RoundError` whose message says what is wrong and what to do instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.times import TimeError, describe, describe_close, parse_duration, parse_time
from conversations.consultation_file import ID_PATTERN
from conversations.keywords import is_reserved, normalise
from conversations.messages import Channel
from storage.repositories.conversations import IDLE_EXPIRY
from storage.repositories.round_rows import RoundRow, RoundStatus
from storage.repositories.schedule import InvitationStatus
from storage.uow import UnitOfWork

__all__ = [
    "MIN_REMINDER",
    "RoundError",
    "RoundRequest",
    "cancel_round",
    "close_round",
    "effective_keyword",
    "parse_channels",
    "schedule_round",
    "shown_status",
]

MIN_REMINDER = timedelta(hours=1)  # sooner is pushy: people answer in their own time
_LIVE = (RoundStatus.SCHEDULED, RoundStatus.OPEN)


class RoundError(Exception):
    """A round can't be scheduled, closed or cancelled as asked; the message says why."""


@dataclass(frozen=True)
class RoundRequest:
    """`yousaid round schedule` as typed: every value still text, checked by schedule_round."""

    consultation_id: str
    opens: str
    closes: str
    channels: str | None = None
    keyword: str | None = None
    reminder: str | None = None
    invite: bool = False
    results_date: str | None = None


def schedule_round(uow: UnitOfWork, request: RoundRequest, zone: ZoneInfo, now: datetime) -> str:
    """Check the request and schedule the round; returns its id. RoundError when it can't be."""
    stored = uow.consultations.latest(request.consultation_id)
    if stored is None:
        known = ", ".join(c.id for c in uow.consultations.all_latest()) or "none yet"
        raise RoundError(
            f"there is no consultation '{request.consultation_id}' (loaded: {known}); "
            "load it first with `yousaid consultation load FILE`"
        )
    try:
        opens = parse_time(request.opens, zone, now, name="--opens")
        closes = parse_time(request.closes, zone, now, end_of_day=True, name="--closes")
        reminder = (
            parse_duration(request.reminder, "--reminder") if request.reminder is not None else None
        )
        results_at = (
            parse_time(request.results_date, zone, now, name="--results-date")
            if request.results_date is not None
            else None
        )
    except TimeError as error:
        raise RoundError(str(error)) from None
    _check_times(opens, closes, results_at, zone, now)
    keyword = _keyword(request.keyword) if request.keyword is not None else None
    channels = parse_channels(request.channels) if request.channels is not None else None
    if reminder is not None:
        _check_reminder(reminder)
    if request.invite and not stored.listed:
        raise RoundError(
            f"{stored.id} is unlisted (listed: false), so no message ever names it, and an "
            "invitation would; schedule it without --invite"
        )
    _check_overlap(uow, keyword or stored.keyword, opens, closes, zone)
    round_id = uow.rounds.schedule(
        stored.id,
        opens,
        closes,
        now,
        keyword=keyword,
        channels=channels,
        reminder_after=reminder,
        invite=request.invite,
        results_at=results_at,
    )
    if request.invite:
        uow.schedule.add_invitation(round_id)
    return round_id


def close_round(uow: UnitOfWork, round_id: str, now: datetime) -> RoundRow:
    """Close an open round now: it takes no more answers; what it has stays."""
    row = _existing(uow, round_id)
    if row.status is RoundStatus.CANCELLED:
        raise RoundError(f"round {round_id} was cancelled; it never opened")
    if row.status is RoundStatus.CLOSED or (row.closes_at is not None and row.closes_at <= now):
        raise RoundError(f"round {round_id} has closed already")
    if row.opens_at > now:
        raise RoundError(
            f"round {round_id} hasn't opened yet; to call it off, use "
            f"`yousaid round cancel {round_id}`"
        )
    uow.rounds.close(round_id, now)
    uow.schedule.end_round(round_id, now)
    closed = uow.rounds.get(round_id)
    assert closed is not None
    return closed


def cancel_round(uow: UnitOfWork, round_id: str, now: datetime) -> RoundRow:
    """Call off a round that has not opened: it never will, and its invitations never go."""
    row = _existing(uow, round_id)
    if row.status is RoundStatus.CANCELLED:
        raise RoundError(f"round {round_id} is cancelled already")
    if row.status is RoundStatus.CLOSED or row.opens_at <= now:
        raise RoundError(
            f"round {round_id} has opened already, so its answers count; to stop it taking "
            f"more, use `yousaid round close {round_id}`"
        )
    if not uow.rounds.move(round_id, [RoundStatus.SCHEDULED], RoundStatus.CANCELLED):
        raise RoundError(f"round {round_id} has just opened; use `yousaid round close {round_id}`")
    uow.schedule.settle_invitations(round_id, InvitationStatus.CANCELLED, now)
    cancelled = uow.rounds.get(round_id)
    assert cancelled is not None
    return cancelled


def parse_channels(text: str) -> tuple[Channel, ...]:
    """`sms,whatsapp` -> the channels; RoundError naming the valid ones otherwise."""
    names = [part.strip().lower() for part in text.split(",") if part.strip()]
    valid = ", ".join(c.value for c in Channel)
    if not names:
        raise RoundError(f"--channels is empty; name one or more of {valid}, like sms,telegram")
    unknown = [name for name in names if name not in {c.value for c in Channel}]
    if unknown:
        raise RoundError(
            f"--channels has {', '.join(repr(u) for u in unknown)}, which is not a channel; "
            f"use {valid}, separated by commas"
        )
    return tuple(dict.fromkeys(Channel(name) for name in names))


def effective_keyword(uow: UnitOfWork, row: RoundRow) -> str:
    """The word that starts the round: its own, or its consultation's latest."""
    if row.keyword:
        return row.keyword
    stored = uow.consultations.latest(row.consultation_id)
    return stored.keyword.upper() if stored is not None else "?"


def shown_status(row: RoundRow, now: datetime) -> str:
    """The round's status as it stands at `now`, whether or not the scheduler has run."""
    if row.status is RoundStatus.CANCELLED:
        return "cancelled"
    if row.status is RoundStatus.CLOSED or (row.closes_at is not None and row.closes_at <= now):
        return "closed"
    return "open" if row.opens_at <= now else "scheduled"


# --- checks ----------------------------------------------------------------------------


def _check_times(
    opens: datetime, closes: datetime, results_at: datetime | None, zone: ZoneInfo, now: datetime
) -> None:
    if opens < now:
        raise RoundError(
            f"--opens {describe(opens, zone)} is in the past; use --opens now to open it at once"
        )
    if closes <= now:
        raise RoundError(f"--closes {describe_close(closes, zone)} is in the past")
    if closes <= opens:
        raise RoundError(
            f"--closes {describe_close(closes, zone)} is not after --opens "
            f"{describe(opens, zone)}; a round must close after it opens"
        )
    if results_at is not None and results_at < closes:
        raise RoundError(
            f"--results-date {describe(results_at, zone)} comes before the round closes "
            f"({describe_close(closes, zone)}); results can only be shared after"
        )


def _check_reminder(reminder: timedelta) -> None:
    if reminder < MIN_REMINDER:
        raise RoundError("--reminder must be at least 1h: give people time to answer")
    if reminder >= IDLE_EXPIRY:
        raise RoundError(
            "--reminder must be shorter than 7 days: a conversation left for 7 days has "
            "ended, so there would be nothing to remind about"
        )


def _keyword(text: str) -> str:
    word = text.strip()
    if not ID_PATTERN.fullmatch(word):
        raise RoundError(
            f"--keyword '{word}' can't be texted as one word; use letters, digits, - or _ "
            "(at most 64), like SAFE"
        )
    if is_reserved(word):
        raise RoundError(
            f"--keyword '{word}' is one of the words the bot itself listens for; choose another"
        )
    return word.upper()


def _check_overlap(
    uow: UnitOfWork, keyword: str, opens: datetime, closes: datetime, zone: ZoneInfo
) -> None:
    """No two rounds may take the same keyword at the same time: a text couldn't say which."""
    wanted = normalise(keyword)
    for row in uow.rounds.all():
        if row.status not in _LIVE or normalise(effective_keyword(uow, row)) != wanted:
            continue
        if row.opens_at < closes and (row.closes_at is None or opens < row.closes_at):
            until = describe_close(row.closes_at, zone) if row.closes_at is not None else "no end"
            fix = (
                f"close it first with `yousaid round close {row.id}`"
                if row.closes_at is None
                else "choose times that don't overlap"
            )
            raise RoundError(
                f"round {row.id} of {row.consultation_id} uses the keyword {keyword.upper()} "
                f"from {describe(row.opens_at, zone)} to {until}; {fix}, or give this round "
                "its own --keyword"
            )


def _existing(uow: UnitOfWork, round_id: str) -> RoundRow:
    row = uow.rounds.get(round_id)
    if row is None:
        raise RoundError(f"there is no round {round_id}; `yousaid round list` shows them all")
    return row
