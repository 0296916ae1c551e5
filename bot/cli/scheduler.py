"""`yousaid scheduler run`: the scheduler alone, for deployments that split the parts."""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer

from bot.cli.common import command_group
from bot.logging_setup import configure_logging
from bot.runtime import open_runtime
from bot.scheduler import Scheduler

app = command_group("Run the scheduler on its own.")


@app.command()
def run(
    once: bool = typer.Option(
        False, "--once", help="Do what is due now, then stop (for cron, or to catch up)."
    ),
) -> None:
    """Open and close rounds, send reminders and invitations, purge daily; until stopped.

    \b
    Example:
      yousaid scheduler run --once
    """
    configure_logging(logging.INFO)
    runtime = open_runtime()
    scheduler = Scheduler(runtime)
    if once:
        report = scheduler.tick()
        scheduler.shutdown()
        if not report.leader:
            typer.echo("Another scheduler is running; it does the work. Nothing done here.")
            return
        typer.echo(
            f"Closed {len(report.closed)} round(s), opened {len(report.opened)}; queued "
            f"{report.invitations} invitation(s) and {report.reminders} reminder(s)."
        )
        if report.failed:
            typer.echo(f"These steps failed and will be tried again: {', '.join(report.failed)}")
            raise typer.Exit(1)
        return
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    scheduler.start()
    typer.echo("The scheduler is running. Stop it with Ctrl-C.")
    try:
        stop.wait()
    finally:
        scheduler.shutdown()
        typer.echo("The scheduler has stopped.")
