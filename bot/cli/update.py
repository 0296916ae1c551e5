"""`yousaid update send|status|cancel`: "you said, we did" updates to those who asked.

`send` decides (bot/services/updates.py): it checks the file, quotes the results, finds who
gets it, and queues one outbox message per person in one transaction; the sender (inside
`yousaid serve`, or `yousaid sender run`) delivers them. It then follows progress until
done, unless the send is scheduled or waits for quiet hours to end. The same file again,
or `--again UPDATE`, adds whoever has asked since.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from bot.cli.common import command_group, consultation_argument
from bot.cli.errors import CommandError
from bot.cli.update_views import (
    DETAILS,
    SHORT_ID,
    counts_line,
    follow,
    print_messages,
    print_plan,
)
from bot.config_files import consultation_files
from bot.runtime import Runtime, open_runtime
from bot.services import update_progress, update_send
from bot.services.update_progress import StoredUpdate, UpdateNotFound, UpdateStatus
from bot.services.update_queue import Queued, queue
from bot.services.updates import Prepared, UpdateRefused, prepare
from bot.times import describe

app = command_group('Send "you said, we did" updates and follow them.')


# The options of `update send`, kept apart so the command reads as its steps.
_FILE = typer.Option(None, "--file", metavar="FILE", help="The update file (YAML).")
_AGAIN = typer.Option(
    None,
    "--again",
    metavar="UPDATE",
    help="Send this update again (its id from `update status`), cancelled or not.",
)
_AT = typer.Option(
    None,
    "--at",
    metavar="TIME",
    help="Send from then: 2026-07-01T10:00 (YOUSAID_TIMEZONE), or now.",
)
_DRY_RUN = typer.Option(False, "--dry-run", help="Show who gets what and the cost; send nothing.")
_MAX_SEGMENTS = typer.Option(
    None,
    "--max-segments",
    min=1,
    metavar="N",
    help="Refuse to send more (default YOUSAID_MAX_SEGMENTS).",
)
_WAIT = typer.Option(
    True, "--wait/--no-wait", help="Follow progress until done (default), or return at once."
)


@app.command()
def send(
    consultation: str = consultation_argument(),
    file: Path | None = _FILE,
    again: str | None = _AGAIN,
    at: str | None = _AT,
    dry_run: bool = _DRY_RUN,
    max_segments: int | None = _MAX_SEGMENTS,
    wait: bool = _WAIT,
) -> None:
    """Send an update to everyone who asked to hear back about CONSULTATION, once each.

    It reaches everyone who has asked by the time it goes out (now, or --at). Sending it
    again (the same file, or --again UPDATE) adds those who asked since; nobody gets it
    twice. --again also sends a cancelled update to those who haven't had it.

    \b
    Example:
      yousaid update send feeling-safe --file update.yaml --dry-run
      yousaid update send feeling-safe --again 3fa2b1c0
    """
    if (file is None) == (again is None):
        raise CommandError("give --file FILE for an update, or --again UPDATE to send one again")
    runtime = open_runtime()
    now = runtime.clock.now()
    try:
        send_after = update_send.send_time(runtime, at, now)
        prepared = _prepared(runtime, consultation, file, again, send_after)
        for warning in prepared.warnings:
            typer.echo(f"warning: {warning}")
        update_send.refuse_cancelled(runtime, consultation, prepared, again is not None)
        cap = update_send.cap_of(runtime, max_segments)
        print_plan(prepared, cap, runtime.settings.zone)
        if dry_run:
            print_messages(prepared)
            typer.echo("Dry run: nothing was sent.")
            return
        if update_send.nobody_to_queue(prepared, send_after, now):
            _nobody(runtime, consultation, prepared, wait)
            return
        update_send.refuse_over_cap(prepared, cap)
    except UpdateRefused as refused:
        raise CommandError(str(refused)) from None
    _queue_and_follow(runtime, consultation, prepared, send_after, now, again=again, wait=wait)


@app.command()
def status(
    consultation: str = consultation_argument(),
) -> None:
    """Each update of CONSULTATION: how its messages stand, and the replies it got.

    \b
    Example:
      yousaid update status feeling-safe
    """
    runtime = open_runtime()
    zone = runtime.settings.zone
    rows = update_progress.standings(runtime, consultation)
    if not rows:
        typer.echo(f"No updates sent for {consultation} yet.")
        return
    for row in rows:
        update = row.update
        state = " (cancelled)" if update.status is UpdateStatus.CANCELLED else ""
        typer.echo(
            f"Update {update.id[:SHORT_ID]}{state}: decided {describe(update.created_at, zone)}, "
            f"sending from {describe(update.send_after, zone)}; "
            f"{update.recipients} people, {update.cost} segments"
        )
        typer.echo("  " + counts_line(row.counts))
        for (kind, detail), count in sorted(row.reasons.items()):
            typer.echo(f"  {kind}: {count} ({DETAILS.get(detail, detail)})")
        typer.echo(f"  replies: {row.replies} (`yousaid feedback list {consultation}`)")


@app.command()
def cancel(
    consultation: str = consultation_argument(),
    update_id: str | None = typer.Option(
        None, "--update", metavar="UPDATE", help="Only this update (its id from `update status`)."
    ),
) -> None:
    """Stop what has not gone yet (a message being sent at this moment still goes).

    \b
    Example:
      yousaid update cancel feeling-safe --update 3fa2b1c0
    """
    try:
        done = update_progress.cancel(open_runtime(), consultation, update_id)
    except UpdateNotFound as error:
        raise CommandError(str(error)) from None
    for cancelled in done:
        short = cancelled.update_id[:SHORT_ID]
        typer.echo(
            f"Update {short}: cancelled {cancelled.stopped} not yet sent; {cancelled.sent} had "
            f"gone. To send it later to those who haven't had it: "
            f"`yousaid update send {consultation} --again {short}`"
        )


# --- helpers ----------------------------------------------------------------------------------


def _queue_and_follow(
    runtime: Runtime,
    consultation: str,
    prepared: Prepared,
    send_after: datetime,
    now: datetime,
    *,
    again: str | None,
    wait: bool,
) -> None:
    """Queue the pushes, say so, then follow them (unless sending starts later)."""
    zone = runtime.settings.zone
    queued = queue(runtime, prepared, send_after, again=again is not None)
    typer.echo(_queued_line(runtime, queued, prepared.existing))
    starts, why = update_send.starts(runtime, send_after, now)
    if why is not None:
        typer.echo(
            f"Sending starts {describe(starts, zone)} ({why}); anyone who asks to hear back "
            f"before then gets it too. `yousaid update status {consultation}` follows it."
        )
        return
    if wait:
        follow(runtime, queued.update_id)


def _prepared(
    runtime: Runtime, consultation: str, file: Path | None, again: str | None, at: datetime
) -> Prepared:
    try:
        if again is not None:
            return update_send.prepare_again(runtime, consultation, again, at)
        assert file is not None
        sources = consultation_files(file)
        if len(sources) != 1 or file.is_dir():
            raise CommandError(f"{file}: give one update file, not a folder")
        return prepare(runtime, consultation, sources[0].text, str(file), at=at)
    except UpdateRefused as refused:
        for problem in refused.problems:
            typer.echo(str(problem), err=True)
        raise CommandError(str(refused)) from None


def _queued_line(runtime: Runtime, queued: Queued, existing: StoredUpdate | None) -> str:
    short = queued.update_id[:SHORT_ID]
    if existing is None:
        return (
            f"Queued update {short} for {queued.recipients} people. Its id is {short}: "
            f"`update status`, `update cancel --update {short}` and `--again {short}` name it."
        )
    if queued.reopened:
        return f"Update {short} goes out again: queued for {queued.recipients} people."
    when = describe(existing.created_at, runtime.settings.zone)
    return (
        f"Update {short} was sent on {when}; queued it for {queued.recipients} more people "
        "who have asked since. Nobody gets it twice."
    )


def _nobody(runtime: Runtime, consultation: str, prepared: Prepared, wait: bool) -> None:
    """Nothing to queue: say why, and follow an update sent before that is still going."""
    existing = prepared.existing
    if existing is None:
        if prepared.plan.unreachable:
            typer.echo(
                f"Nobody who asked to hear back about {consultation} can be reached now: "
                "nothing was sent."
            )
        else:
            typer.echo(f"Nobody has asked to hear back about {consultation} yet: nothing to send.")
        return
    counts = update_progress.counts(runtime, existing.id)
    typer.echo(
        f"Update {existing.id[:SHORT_ID]}: nobody new has asked since it was sent; "
        "nothing is sent twice."
    )
    typer.echo("  " + counts_line(counts))
    if wait and counts.queued + counts.sending:
        follow(runtime, existing.id)
