"""`yousaid sender run`: the outbox sender alone (`yousaid serve` runs it too).

`BackgroundSender` is the same worker in threads beside the web app, with a clean stop:
each lane finishes the message it is sending and records it before the process ends.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer

from bot.channels.outbox_transports import configured_transports
from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.logging_setup import configure_logging
from bot.outbox_sender import OutboxSender
from bot.runtime import Runtime, open_runtime

app = command_group("Run the outbox sender on its own.")
log = logging.getLogger(__name__)

NOT_SET_UP = (
    "no provider is set up to send through: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN "
    "(SMS, WhatsApp) or TELEGRAM_BOT_TOKEN"
)


@app.command()
def run(
    once: bool = typer.Option(
        False, "--once", help="Send what is due now, then stop (for cron, or to catch up)."
    ),
) -> None:
    """Deliver queued updates, reminders and invitations, paced, until stopped.

    \b
    Example:
      yousaid sender run --once
    """
    configure_logging(logging.INFO)
    runtime = open_runtime()
    transports = configured_transports(runtime)
    if not transports:
        raise CommandError(NOT_SET_UP)
    sender = OutboxSender(runtime, transports)
    if once:
        try:
            handled = sender.drain()
        finally:
            sender.close()
        typer.echo(f"Dealt with {handled} message(s); nothing else is due now.")
        return
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    typer.echo("The outbox sender is running. Stop it with Ctrl-C.")
    try:
        sender.run(stop)
    finally:
        sender.close()
        typer.echo("The outbox sender has stopped.")


class BackgroundSender:
    """The sender in a thread of its own, started and stopped with the web app."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._sender: OutboxSender | None = None

    def start(self) -> bool:
        """Start delivering; False (and a log line) when no provider is set up."""
        transports = configured_transports(self.runtime)
        if not transports:
            log.info("outbox sender not started: %s", NOT_SET_UP)
            return False
        self._sender = OutboxSender(self.runtime, transports)
        self._thread = threading.Thread(
            target=self._sender.run, args=(self._stop,), name="outbox-sender", daemon=True
        )
        self._thread.start()
        return True

    def shutdown(self, timeout: float = 15.0) -> None:
        """Stop after the messages under way; release the providers' connections."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._sender is not None and (self._thread is None or not self._thread.is_alive()):
            self._sender.close()
