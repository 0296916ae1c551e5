"""`yousaid sender run`: the outbox sender alone (`yousaid serve` runs it too).

`BackgroundSender` is the same worker in threads beside the web app, with a clean stop:
each lane finishes the message it is sending and records it before the process ends.

Exactly one sender sends at a time: each takes the sender lock (storage/leader.py; an
advisory lock on PostgreSQL) and one that finds it taken stands by, trying again now and
then. The pacer lives in the sending process, so one sender per database is one pacer per
provider account, whatever the number of web workers.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import typer

from bot.channels.telegram.transport import TelegramTransport
from bot.channels.twilio.cleanup import CopyEraser
from bot.channels.twilio.transport import TwilioTransport
from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.logging_setup import configure_logging
from bot.outbox.loop import OutboxSender
from bot.outbox.transport import Transport
from bot.runtime import Runtime, open_runtime
from storage.leader import LeaderLock, leader_lock_for

app = command_group("Run the outbox sender on its own.")
log = logging.getLogger(__name__)

NOT_SET_UP = (
    "no provider is set up to send through: set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN "
    "(SMS, WhatsApp) or TELEGRAM_BOT_TOKEN"
)
ANOTHER_SENDS = "another outbox sender is running on this database; it sends what is due"
STANDBY_POLL_S = 15.0  # how often a standing-by sender tries the lock


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
    lock = leader_lock_for(runtime.db.engine, "sender")
    if once:
        if not lock.acquire():
            sender.close()
            typer.echo(f"Nothing sent: {ANOTHER_SENDS}.")
            return
        try:
            handled = sender.drain()
        finally:
            sender.close()
            lock.release()
        typer.echo(f"Dealt with {handled} message(s); nothing else is due now.")
        return
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    typer.echo("The outbox sender is running. Stop it with Ctrl-C.")
    try:
        run_when_leading(sender, lock, stop)
    finally:
        sender.close()
        typer.echo("The outbox sender has stopped.")


def run_when_leading(sender: OutboxSender, lock: LeaderLock, stop: threading.Event) -> None:
    """Send while holding the sender lock; stand by (quietly) while another sender has it."""
    told = False
    while not stop.is_set():
        if lock.acquire():
            try:
                sender.run(stop)
            finally:
                lock.release()
            return
        if not told:
            log.info("outbox sender standing by: %s", ANOTHER_SENDS)
            told = True
        stop.wait(STANDBY_POLL_S)


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
        lock = leader_lock_for(self.runtime.db.engine, "sender")
        self._thread = threading.Thread(
            target=run_when_leading,
            args=(self._sender, lock, self._stop),
            name="outbox-sender",
            daemon=True,
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


def configured_transports(runtime: Runtime) -> list[Transport]:
    """A transport for each provider the settings set up (Twilio's deletes its copies)."""
    settings = runtime.settings
    found: list[Transport] = []
    if settings.twilio_account_sid and settings.twilio_auth_token:
        found.append(TwilioTransport(settings, eraser=CopyEraser(runtime)))
    if settings.telegram_bot_token:
        found.append(TelegramTransport(runtime))
    return found
