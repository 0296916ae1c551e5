"""How `yousaid update` shows an update: the plan (who gets it, at what cost, who can't be
reached and why), each message as sent, how its messages stand, and a progress bar."""

from __future__ import annotations

import time
from zoneinfo import ZoneInfo

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from bot.runtime import Runtime
from bot.services import update_progress
from bot.services.update_progress import DETAILS, PushCounts
from bot.services.update_send import SHORT_ID, cost_words
from bot.services.updates import Prepared
from bot.times import describe
from conversations.updates import REACH_REASONS, Reach

__all__ = ["DETAILS", "SHORT_ID", "counts_line", "follow", "print_messages", "print_plan"]

FOLLOW_EVERY = 0.5  # seconds between looks at the progress
NO_SENDER_HINT_AFTER = 20.0  # seconds without progress before suggesting a sender is missing


def print_plan(prepared: Prepared, cap: int | None, zone: ZoneInfo) -> None:
    """Who gets it (for an update sent before: who it would add), the cost, who can't be
    reached and why; the same figures a send then queues."""
    plan = prepared.plan
    update = prepared.update
    existing = prepared.existing
    if existing is None:
        typer.echo(
            f"Update for {update.consultation_id} (file {update.digest}): "
            f"{plan.recipients} people can be reached"
        )
    else:
        state = "cancelled" if existing.cancelled_at is not None else "sent"
        typer.echo(
            f"Update {existing.id[:SHORT_ID]} for {update.consultation_id} was {state} on "
            f"{describe(existing.created_at, zone)}; {prepared.already} people have it or "
            f"have it queued. {plan.recipients} more can be reached now"
        )
    for group in plan.groups:
        each = cost_words(group.channel, group.cost_each)
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


def print_messages(prepared: Prepared) -> None:
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


def _reach_words(how: Reach) -> str:
    return REACH_REASONS.get(how, how.value)


def counts_line(counts: PushCounts) -> str:
    return (
        f"queued {counts.queued}, sending {counts.sending}, sent {counts.sent} "
        f"(delivered {counts.delivered}), failed {counts.failed}, "
        f"unreachable {counts.unreachable}, unknown {counts.unknown}, "
        f"cancelled {counts.cancelled}"
    )


def follow(runtime: Runtime, update_id: str) -> None:
    """A progress bar until every message is sent, failed or accounted for."""
    last_change, last_done = time.monotonic(), -1
    hinted = False
    try:
        with Progress(
            TextColumn("Sending"), BarColumn(), MofNCompleteColumn(), transient=False
        ) as progress:
            task = progress.add_task("send", total=None)
            while True:
                counts = update_progress.counts(runtime, update_id)
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
    typer.echo(counts_line(counts))
