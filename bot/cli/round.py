"""`yousaid round schedule|list|show|close|cancel`: when consultations take answers."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import typer

from bot.cli.common import command_group, consultation_argument, round_argument
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services import round_actions
from bot.services.round_actions import RoundRow
from bot.services.round_dates import RoundDates, closes_words, delete_words, due_words
from bot.services.rounds import RoundError, RoundRequest, shown_status
from bot.times import describe, describe_duration
from conversations.quiet_hours import QuietWindow, is_quiet

app = command_group("Schedule and manage consultation rounds.")


# The options of `round schedule`, kept apart so the command reads as its steps.
_OPENS = typer.Option(
    ...,
    "--opens",
    metavar="TIME",
    help="When it opens: 2026-07-01, 2026-07-01T09:00, or now.",
    show_default=False,
)
_CLOSES = typer.Option(
    ...,
    "--closes",
    metavar="TIME",
    help="When it closes: 2026-07-21 (the whole day), or 2026-07-21T17:00.",
    show_default=False,
)
_CHANNELS = typer.Option(
    None,
    "--channels",
    metavar="LIST",
    help="Only these, like sms,whatsapp,telegram,terminal (default: all).",
)
_KEYWORD = typer.Option(
    None,
    "--keyword",
    metavar="WORD",
    help="The word to text for this round (default: the consultation's).",
)
_REMINDER = typer.Option(
    None,
    "--reminder",
    metavar="LENGTH",
    help="Remind people who stop part-way after this long, like 2d.",
)
_INVITE = typer.Option(
    False, "--invite", help="Invite everyone who asked to hear about new questions."
)
_RESULTS_DATE = typer.Option(
    None,
    "--results-date",
    metavar="DATE",
    help="When results will be shared (told to late texters).",
)


@app.command()
def schedule(
    consultation: str = consultation_argument(),
    opens: str = _OPENS,
    closes: str = _CLOSES,
    channels: str | None = _CHANNELS,
    keyword: str | None = _KEYWORD,
    reminder: str | None = _REMINDER,
    invite: bool = _INVITE,
    results_date: str | None = _RESULTS_DATE,
) -> None:
    """Schedule a round. Times are in YOUSAID_TIMEZONE (Europe/London by default).

    \b
    Example:
      yousaid round schedule feeling-safe --opens 2026-07-01T09:00 --closes 2026-07-21
    """
    runtime = open_runtime()
    zone, now = runtime.settings.zone, runtime.clock.now()
    request = RoundRequest(
        consultation, opens, closes, channels, keyword, reminder, invite, results_date
    )
    try:
        view = round_actions.schedule(runtime, request)
    except RoundError as error:
        raise CommandError(str(error)) from None
    row, dates, word, round_id = view.row, view.dates, view.keyword, view.row.id
    typer.echo(f"Round {round_id} of {consultation} is scheduled.")
    for label, value in _details(row, dates, word, zone, now):
        typer.echo(f"  {label}: {value}")
    if invite and _in_quiet_hours(runtime.settings.quiet_window, row.opens_at, zone):
        typer.echo(
            "  Note: it opens in quiet hours, so the invitations wait until they end "
            f"({runtime.settings.quiet_hours})."
        )
    typer.echo("The scheduler (`yousaid serve` or `yousaid scheduler run`) opens and closes it.")


@app.command("list")
def list_rounds() -> None:
    """Every round: when it opens and closes, its keyword and where it stands.

    \b
    Example:
      yousaid round list
    """
    runtime = open_runtime()
    zone, now = runtime.settings.zone, runtime.clock.now()
    rounds = round_actions.every_round(runtime)
    rows = [(view.row, view.keyword, view.dates) for view in rounds.views]
    if not rows:
        typer.echo("No rounds yet. Schedule one with `yousaid round schedule CONSULTATION ...`.")
        return
    # One block a round, not a table: ids and dates must never be cut to fit a terminal.
    typer.echo(f"Times in {zone.key}.")
    for row, word, dates in rows:
        typer.echo("")
        typer.echo(
            f"Round {row.id} of {row.consultation_id}, keyword {word}: {shown_status(row, now)}"
        )
        typer.echo(f"  Opens: {describe(row.opens_at, zone)}")
        typer.echo(f"  Closes: {closes_words(dates, zone)}")
        typer.echo(f"  DELETE erases answers until: {delete_words(dates)}")
        if extras := _extras(row):
            typer.echo(f"  Also: {extras}")
    typer.echo("")
    typer.echo(_scheduler_line(rounds.scheduler_last_ran, zone))


@app.command()
def show(round_id: str = round_argument()) -> None:
    """One round in full: times, keyword, channels, reminders and invitations.

    \b
    Example:
      yousaid round show 3fa2b1c0
    """
    runtime = open_runtime()
    zone, now = runtime.settings.zone, runtime.clock.now()
    try:
        found = round_actions.detail(runtime, round_id)
    except RoundError as error:
        raise CommandError(str(error)) from None
    row, word, dates = found.view.row, found.view.keyword, found.view.dates
    invitation, reminded = found.invitation, found.reminders_sent
    typer.echo(f"Round {row.id} of {row.consultation_id}")
    invitations = None
    if invitation is not None:
        status, count = invitation
        invitations = {
            "pending": "when it opens (not sent yet)",
            "queued": f"{count} queued when it opened",
            "skipped": "not sent: it closed first",
            "cancelled": "not sent: cancelled",
        }.get(status.value, status.value)
    for label, value in _details(row, dates, word, zone, now, invitations):
        typer.echo(f"  {label}: {value}")
    if row.reminder_after is not None:
        typer.echo(f"  Reminders sent: {reminded}")


@app.command()
def close(round_id: str = round_argument()) -> None:
    """Close an open round now; the answers it has are kept.

    \b
    Example:
      yousaid round close 3fa2b1c0
    """
    runtime = open_runtime()
    zone, now = runtime.settings.zone, runtime.clock.now()
    try:
        dates = round_actions.close(runtime, round_id).dates
    except RoundError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"Round {round_id} is closed now ({describe(now, zone)}): it takes no more answers.")
    if dates.closed_at is not None and dates.closes_at is not None:
        typer.echo(f"  It was due to close {due_words(dates.closes_at, zone)}.")
    typer.echo(
        f"  People who answered can still text DELETE to erase their answers until "
        f"{delete_words(dates)}; after that nobody can link answers to anyone."
    )


@app.command()
def cancel(round_id: str = round_argument()) -> None:
    """Call off a round that has not opened yet; its invitations never go.

    \b
    Example:
      yousaid round cancel 3fa2b1c0
    """
    try:
        round_actions.cancel(open_runtime(), round_id)
    except RoundError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"Round {round_id} is cancelled; it will not open.")


# --- helpers ---------------------------------------------------------------------------


def _details(
    row: RoundRow,
    dates: RoundDates,
    keyword: str,
    zone: ZoneInfo,
    now: datetime,
    invitations: str | None = None,
) -> list[tuple[str, str]]:
    where = ", ".join(c.value for c in row.channels) if row.channels else "every channel"
    lines = [
        ("Opens", describe(row.opens_at, zone)),
        ("Closes", closes_words(dates, zone)),
        ("DELETE erases answers until", delete_words(dates)),
        ("Status", shown_status(row, now)),
        ("Keyword", keyword),
        ("Channels", where),
        (
            "Reminder",
            f"after {describe_duration(row.reminder_after)} without an answer"
            if row.reminder_after
            else "none",
        ),
        ("Invitations", invitations or ("when it opens" if row.invite else "none")),
    ]
    if row.results_at is not None:
        results = row.results_at.astimezone(zone)
        shown = (
            f"{results:%a} {results.day} {results:%b %Y}"
            if results.time() == time()
            else describe(row.results_at, zone)
        )
        lines.append(("Results shared", shown))
    return lines


def _extras(row: RoundRow) -> str:
    parts = []
    if row.channels:
        parts.append(",".join(c.value for c in row.channels))
    if row.reminder_after:
        parts.append(f"reminder {describe_duration(row.reminder_after)}")
    if row.invite:
        parts.append("invite")
    return "; ".join(parts)


def _scheduler_line(last: datetime | None, zone: ZoneInfo) -> str:
    if last is None:
        return "The scheduler has not run yet: start `yousaid serve` or `yousaid scheduler run`."
    return f"The scheduler last ran {describe(last, zone)}."


def _in_quiet_hours(window: QuietWindow | None, when: datetime, zone: ZoneInfo) -> bool:
    return is_quiet(when.astimezone(zone), window)
