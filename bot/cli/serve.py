"""`yousaid serve`: the web app with the webhooks, in one process."""

from __future__ import annotations

import logging
import signal
from types import FrameType

import typer
import uvicorn

from bot.channels.telegram.setup import setup_lines as telegram_setup_lines
from bot.channels.twilio.routes import setup_lines as twilio_setup_lines
from bot.channels.twilio.signature import configured_overrides
from bot.cli.sender import NOT_SET_UP, BackgroundSender
from bot.logging_setup import configure_logging
from bot.runtime import open_runtime
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.web import create_app, server_limits


def serve(
    host: str = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", metavar="PORT", help="Port to listen on."),
) -> None:
    """Run the web app (webhooks and /healthz); creates the database and key on first start.

    The scheduler and the outbox sender run in the same process.

    \b
    Example:
      yousaid serve --host 0.0.0.0 --port 8000
    """
    configure_logging(logging.INFO)
    runtime = open_runtime()
    app = create_app(runtime)
    base = f"http://{host}:{port}"
    settings = runtime.settings
    typer.echo(f"YouSaid is running on {base} (health check: {base}/healthz).")
    typer.echo("Try the bot as a participant, in another terminal:  .venv/bin/yousaid chat")
    where = f"SQLite under {settings.var_dir}" if settings.is_sqlite else "PostgreSQL"
    typer.echo(f"Database: {where}")
    webhooks = _live_webhooks(app)
    typer.echo(
        "Webhooks live: " + (", ".join(webhooks) if webhooks else "none (no provider set up)")
    )
    for line in twilio_setup_lines(settings, configured_overrides(settings)):
        typer.echo(line)
    for line in telegram_setup_lines(settings):
        typer.echo(line)
    # The scheduler runs in background threads beside the web app; uvicorn returns on
    # SIGINT/SIGTERM, and the scheduler then finishes its run under way and lets go of its
    # lock, so another process can take over at once.
    scheduler = Scheduler(runtime)
    typer.echo(_scheduler_line(scheduler.take_lead()))
    scheduler.start()
    # The outbox sender (updates, reminders, invitations) runs in threads of its own too;
    # on the way out it finishes and records the messages under way.
    sender = BackgroundSender(runtime)
    started = sender.start()
    typer.echo(_sender_line(settings) if started else f"Outbox sender: off ({NOT_SET_UP}).")
    signal.signal(signal.SIGTERM, _exit_normally)
    try:
        limits = server_limits(settings)
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_config=None,
            access_log=False,
            limit_concurrency=limits.limit_concurrency,
            timeout_keep_alive=limits.timeout_keep_alive,
        )
    finally:
        sender.shutdown()
        scheduler.shutdown()


def _exit_normally(signum: int, frame: FrameType | None) -> None:
    """SIGTERM, once uvicorn has shut down (it raises the signal again after restoring this
    handler): leave through the `finally` above rather than being killed mid-way."""
    raise SystemExit(0)


def _scheduler_line(leading: bool) -> str:
    if leading:
        return (
            "Scheduler: running (rounds open and close on time, reminders and invitations, "
            "the privacy purge daily at 03:00)."
        )
    return (
        "Scheduler: standing by (another YouSaid process runs the schedule; this one takes "
        "over if it stops)."
    )


def _sender_line(settings: Settings) -> str:
    providers = []
    if settings.twilio_account_sid and settings.twilio_auth_token:
        providers.append("SMS and WhatsApp through Twilio")
    if settings.telegram_bot_token:
        providers.append("Telegram")
    return f"Outbox sender: running ({', '.join(providers)})."


def _live_webhooks(app: object) -> list[str]:
    routes = getattr(app, "routes", [])
    return [r.path for r in routes if getattr(r, "path", "").startswith("/webhooks")]
