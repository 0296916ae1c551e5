"""`yousaid serve`: the web app with the webhooks, in one process or `--workers N`.

With N workers (PostgreSQL only) uvicorn runs N worker processes that share the listening
socket; this process supervises them and runs the one scheduler and the one outbox sender
(each also behind its own advisory lock, so a second `yousaid serve` elsewhere stands by).
"""

from __future__ import annotations

import functools
import logging
import signal
from types import FrameType

import typer
import uvicorn
from starlette.applications import Starlette

from bot.channels.telegram.setup import setup_lines as telegram_setup_lines
from bot.channels.twilio.routes import setup_lines as twilio_setup_lines
from bot.channels.twilio.signature import configured_overrides
from bot.cli.errors import CommandError
from bot.cli.sender import NOT_SET_UP, BackgroundSender
from bot.logging_setup import configure_logging
from bot.runtime import open_runtime
from bot.scheduler import Scheduler
from bot.settings import Settings
from bot.web import create_app, server_limits

MAX_WORKERS = 64
WORKER_HEALTHCHECK_S = 60


# The options of `serve`, kept apart so the command reads as its steps.
_HOST = typer.Option("127.0.0.1", "--host", metavar="HOST", help="Address to listen on.")
_PORT = typer.Option(8000, "--port", metavar="PORT", help="Port to listen on.")
_WORKERS = typer.Option(
    1,
    "--workers",
    min=1,
    max=MAX_WORKERS,
    metavar="N",
    help="Web worker processes (PostgreSQL only; about one per core).",
)


def serve(
    host: str = _HOST,
    port: int = _PORT,
    workers: int = _WORKERS,
) -> None:
    """Run the web app (webhooks and /healthz); creates the database and key on first start.

    The scheduler and the outbox sender run in this process (one of each, however many
    web workers there are).

    \b
    Example:
      yousaid serve --host 0.0.0.0 --port 8000
      yousaid serve --workers 2        (PostgreSQL)
    """
    configure_logging(logging.INFO)
    runtime = open_runtime()
    refused = workers_refused(runtime.settings, workers)
    if refused is not None:
        runtime.db.close()
        raise CommandError(refused)
    app = create_app(runtime)
    settings = runtime.settings
    _announce(settings, app, host, port, workers)
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
        _run_web(settings, app, host, port, workers)
    finally:
        sender.shutdown()
        scheduler.shutdown()


def workers_refused(settings: Settings, workers: int) -> str | None:
    """Why `--workers N` can't run with these settings (None: it can)."""
    if workers <= 1:
        return None
    if settings.is_sqlite:
        return (
            "--workers above 1 needs PostgreSQL: SQLite lets one process write at a time, so "
            "more workers would only wait for each other. Set YOUSAID_DATABASE_URL to a "
            "postgresql:// database (see docs/deploy.md), or leave out --workers."
        )
    if settings.telegram_bot_token and not settings.public_url:
        return (
            "--workers above 1 needs Telegram in webhook mode: polling runs in one process "
            "only. Set YOUSAID_PUBLIC_URL (and TELEGRAM_WEBHOOK_SECRET), or leave out --workers."
        )
    return None


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


def _announce(settings: Settings, app: Starlette, host: str, port: int, workers: int) -> None:
    """Say where the bot runs, on which database, and which webhooks are live."""
    base = f"http://{host}:{port}"
    typer.echo(f"YouSaid is running on {base} (health check: {base}/healthz).")
    typer.echo("Try the bot as a participant, in another terminal:  .venv/bin/yousaid chat")
    where = f"SQLite under {settings.var_dir}" if settings.is_sqlite else "PostgreSQL"
    typer.echo(f"Database: {where}")
    if workers > 1:
        typer.echo(f"Web workers: {workers} processes (uvicorn's), sharing port {port}.")
    webhooks = _live_webhooks(app)
    typer.echo(
        "Webhooks live: " + (", ".join(webhooks) if webhooks else "none (no provider set up)")
    )
    for line in twilio_setup_lines(settings, configured_overrides(settings)):
        typer.echo(line)
    for line in telegram_setup_lines(settings):
        typer.echo(line)


def _run_web(settings: Settings, app: Starlette, host: str, port: int, workers: int) -> None:
    """Serve the web app under uvicorn until it is told to stop (SIGINT or SIGTERM)."""
    limits = server_limits(settings)
    run = functools.partial(
        uvicorn.run,
        host=host,
        port=port,
        log_config=None,
        access_log=False,
        limit_concurrency=limits.limit_concurrency,
        timeout_keep_alive=limits.timeout_keep_alive,
    )
    if workers > 1:
        # Import string and factory: each worker process builds its own app and runtime.
        # uvicorn kills and restarts a worker that misses a health ping for 5 s; a
        # starting worker on a busy machine (imports, word lists) can take longer, and
        # was then restarted forever without ever serving.
        run(
            "bot.web:worker_app",
            factory=True,
            workers=workers,
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
        )
    else:
        run(app)
