"""`yousaid update send|status|cancel`: "you said, we did" updates to those who asked.

`send` decides: it checks the file, quotes the results, finds who asked, and queues one
outbox message per person in one transaction; the sender (inside `yousaid serve`, or
`yousaid sender run`) delivers them. It then follows progress until done, unless the send
is scheduled or waits for quiet hours to end.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.cli.common import command_group, consultation_argument
from bot.cli.errors import CommandError
from bot.config_files import consultation_files
from bot.outbox_sender import next_sending_time
from bot.runtime import Runtime, open_runtime
from bot.times import TimeError, describe, parse_time
from bot.update_send import Prepared, UpdateRefused, prepare, queue
from conversations.messages import Channel
from conversations.updates import REACH_REASONS, Reach
from storage.repositories.audit import detail_of
from storage.repositories.updates import PushCounts, StoredUpdate, UpdateStatus

app = command_group('Send "you said, we did" updates and follow them.')

FOLLOW_EVERY = 0.5  # seconds between looks at the progress
NO_SENDER_HINT_AFTER = 20.0  # seconds without progress before suggesting a sender is missing
SHORT_ID = 8

DETAILS = {
    "stopped": "said STOP before it went",
    "unsubscribed": "no longer wanted updates",
    "cancelled by an officer": "cancelled",
    **{reach.value: words for reach, words in REACH_REASONS.items()},
    "whatsapp_window": "outside WhatsApp's 24-hour window",
}


@app.command()
def send(
    consultation: str = consultation_argument(),
    file: Path = typer.Option(
        ..., "--file", metavar="FILE", help="The update file (YAML).", show_default=False
    ),
    at: str | None = typer.Option(
        None,
        "--at",
        metavar="TIME",
        help="Send from then: 2026-07-01T10:00 (YOUSAID_TIMEZONE), or now.",
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show who gets what and the cost; send nothing."
    ),
    max_segments: int | None = typer.Option(
        None,
        "--max-segments",
        min=1,
        metavar="N",
        help="Refuse to send more (default YOUSAID_MAX_SEGMENTS).",
    ),
    wait: bool = typer.Option(
        True, "--wait/--no-wait", help="Follow progress until done (default), or return at once."
    ),
) -> None:
    """Send an update to everyone who asked to hear back about CONSULTATION, once.

    \b
    Example:
      yousaid update send feeling-safe --file update.yaml --dry-run
    """
    sources = consultation_files(file)
    if len(sources) != 1 or file.is_dir():
        raise CommandError(f"{file}: give one update file, not a folder")
    runtime = open_runtime()
    try:
        prepared = prepare(runtime, consultation, sources[0].text, str(file))
    except UpdateRefused as refused:
        for problem in refused.problems:
            typer.echo(str(problem), err=True)
        raise CommandError(str(refused)) from None
    for warning in prepared.warnings:
        typer.echo(f"warning: {warning}")
    zone, now = runtime.settings.zone, runtime.clock.now()
    try:
        send_after = parse_time(at, zone, now, name="--at") if at else now
    except TimeError as error:
        raise CommandError(str(error)) from None
    if send_after < now:
        send_after = now
    cap = max_segments or runtime.settings.max_segments
    _print_plan(prepared, cap)
    if dry_run:
        _print_messages(prepared)
        typer.echo("Dry run: nothing was sent.")
        return
    existing = prepared.existing
    if existing is not None:
        _already(runtime, existing, wait)
        return
    if prepared.plan.recipients == 0 and not prepared.recipients:
        typer.echo(f"Nobody has asked to hear back about {consultation} yet: nothing to send.")
        return
    if cap is not None and prepared.plan.cost > cap:
        raise CommandError(
            f"this update costs {prepared.plan.cost} segments, over the cap of {cap} "
            "(--max-segments or YOUSAID_MAX_SEGMENTS); shorten it, or raise the cap"
        )
    queued = queue(runtime, prepared, send_after)
    if queued.resumed:  # another officer sent the same file a moment ago
        typer.echo("This update was queued already: nothing is sent twice.")
    else:
        typer.echo(f"Queued update {queued.update_id[:SHORT_ID]} for {queued.recipients} people.")
    starts = next_sending_time(runtime, send_after)
    if starts > now:
        why = "in quiet hours" if starts > send_after else "as scheduled"
        typer.echo(
            f"Sending starts {describe(starts, zone)} ({why}). "
            f"`yousaid update status {consultation}` follows it."
        )
        return
    if wait:
        _follow(runtime, queued.update_id)


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
    with runtime.db.unit_of_work() as uow:
        found = uow.updates.for_consultation(consultation)
        rows = [
            (
                u,
                uow.updates.counts(u.id),
                uow.updates.reasons(u.id),
                uow.updates.feedback(update_id=u.id),
            )
            for u in found
        ]
    if not rows:
        typer.echo(f"No updates sent for {consultation} yet.")
        return
    for update, counts, reasons, replies in rows:
        state = " (cancelled)" if update.status is UpdateStatus.CANCELLED else ""
        typer.echo(
            f"Update {update.id[:SHORT_ID]}{state}: decided {describe(update.created_at, zone)}, "
            f"sending from {describe(update.send_after, zone)}; "
            f"{update.recipients} people, {update.cost} segments"
        )
        typer.echo("  " + _counts_line(counts))
        for (kind, detail), count in sorted(reasons.items()):
            typer.echo(f"  {kind}: {count} ({DETAILS.get(detail, detail)})")
        typer.echo(f"  replies: {len(replies)} (`yousaid feedback list {consultation}`)")


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
    runtime = open_runtime()
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        chosen = _chosen(uow.updates.for_consultation(consultation), update_id, consultation)
        lines = []
        for update in chosen:
            stopped = uow.updates.cancel(update.id, now)
            counts = uow.updates.counts(update.id)
            uow.audit.record(
                "update.cancel",
                detail_of(
                    consultation=consultation, update=update.id, stopped=stopped, sent=counts.sent
                ),
                now,
            )
            lines.append(
                f"Update {update.id[:SHORT_ID]}: cancelled {stopped} not yet sent; "
                f"{counts.sent} had gone."
            )
    for line in lines:
        typer.echo(line)


# --- helpers ----------------------------------------------------------------------------------


def _chosen(
    updates: Sequence[StoredUpdate], wanted: str | None, consultation: str
) -> list[StoredUpdate]:
    if not updates:
        raise CommandError(f"no updates sent for {consultation}")
    if wanted is None:
        return [u for u in updates if u.status is not UpdateStatus.CANCELLED]
    found = [u for u in updates if u.id.startswith(wanted.lower())]
    if len(found) != 1:
        raise CommandError(f"no single update {wanted!r}; `yousaid update status` lists them")
    return found


def _print_plan(prepared: Prepared, cap: int | None) -> None:
    plan = prepared.plan
    update = prepared.update
    typer.echo(
        f"Update for {update.consultation_id} (file {update.digest}): "
        f"{plan.recipients} people can be reached"
    )
    for group in plan.groups:
        each = _cost_words(group.channel, group.cost_each)
        by_template = f", {group.template} by WhatsApp template" if group.template else ""
        typer.echo(
            f"  {group.channel.value:<9} {group.language:<3} {group.recipients:>6} people"
            f"{by_template}, {each}: {group.cost}"
        )
    unreachable = sum(plan.unreachable.values())
    if unreachable:
        typer.echo(f"Can't be reached: {unreachable}")
        for (channel, language, how), count in sorted(
            plan.unreachable.items(), key=lambda item: (str(item[0][0]), item[0][1])
        ):
            where = channel.value if channel is not None else "no channel"
            typer.echo(f"  {where:<9} {language:<3} {count:>6}: {_reach_words(how)}")
    limit = f" (cap {cap})" if cap is not None else ""
    typer.echo(f"Total: {plan.cost} segments{limit}")


def _print_messages(prepared: Prepared) -> None:
    typer.echo("")
    typer.echo("Each message as sent:")
    for language, rendered in prepared.rendered.items():
        shortened = "; shortened: MORE sends every action" if rendered.shortened else ""
        typer.echo(
            f"--- {language}: {rendered.segments} SMS segments ({rendered.encoding}){shortened}"
        )
        typer.echo(rendered.message)
        for note in rendered.notes:
            typer.echo(f"  note: {note}")
    typer.echo("")


def _cost_words(channel: Channel, each: int) -> str:
    if channel is Channel.SMS:
        return f"{each} segment{'' if each == 1 else 's'} each"
    if channel is Channel.WHATSAPP:
        return "1 message each"
    return "free"


def _reach_words(how: Reach) -> str:
    return REACH_REASONS.get(how, how.value)


def _counts_line(counts: PushCounts) -> str:
    return (
        f"queued {counts.queued}, sending {counts.sending}, sent {counts.sent} "
        f"(delivered {counts.delivered}), failed {counts.failed}, "
        f"unreachable {counts.unreachable}, unknown {counts.unknown}, "
        f"cancelled {counts.cancelled}"
    )


def _already(runtime: Runtime, existing: StoredUpdate, wait: bool) -> None:
    """The same file was sent before: say so, and follow what is left of it."""
    zone = runtime.settings.zone
    with runtime.db.unit_of_work() as uow:
        counts = uow.updates.counts(existing.id)
    when = describe(existing.created_at, zone)
    if existing.status is UpdateStatus.CANCELLED:
        raise CommandError(
            f"this update was sent on {when} and then cancelled; nothing more goes. "
            "To send news again, write it as a new file"
        )
    if counts.queued + counts.sending == 0:
        typer.echo(f"This update was sent on {when}: nothing is sent twice.")
        typer.echo("  " + _counts_line(counts))
        return
    typer.echo(f"This update was queued on {when}; resuming what has not gone yet.")
    if wait:
        _follow(runtime, existing.id)


def _follow(runtime: Runtime, update_id: str) -> None:
    """A progress bar until every message is sent, failed or accounted for."""
    last_change, last_done = time.monotonic(), -1
    hinted = False
    try:
        with Progress(
            TextColumn("Sending"), BarColumn(), MofNCompleteColumn(), transient=False
        ) as progress:
            task = progress.add_task("send", total=None)
            while True:
                with runtime.db.unit_of_work() as uow:
                    counts = uow.updates.counts(update_id)
                progress.update(task, total=counts.total, completed=counts.finished)
                if counts.finished >= counts.total:
                    break
                if counts.finished != last_done:
                    last_change, last_done = time.monotonic(), counts.finished
                elif not hinted and time.monotonic() - last_change > NO_SENDER_HINT_AFTER:
                    progress.console.print(
                        "Nothing has moved for a while: is a sender running? "
                        "`yousaid serve` or `yousaid sender run` delivers; this only follows."
                    )
                    hinted = True
                time.sleep(FOLLOW_EVERY)
    except KeyboardInterrupt:
        typer.echo("Stopped following. The update goes on: `yousaid update status` follows it.")
        return
    typer.echo(_counts_line(counts))
