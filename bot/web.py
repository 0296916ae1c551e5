"""The web app: webhooks for the channels, a health check and the officers' console.

Routes are async (Starlette); storage is synchronous SQLAlchemy. This is the one seam where
the two meet: every storage call from a route runs in Starlette's thread pool
(`run_in_threadpool`), so a slow database never blocks the event loop.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.channels.telegram.routes import TelegramWebhook
from bot.channels.telegram.setup import WEBHOOK_PATH as TELEGRAM_PATH
from bot.channels.telegram.setup import TelegramChannel
from bot.channels.twilio.routes import INBOUND_PATH as TWILIO_PATH
from bot.channels.twilio.routes import TwilioWebhooks
from bot.channels.twilio.signature import configured_overrides
from bot.console import console_mount, public_routes
from bot.console.headers import SecurityHeaders
from bot.logging_setup import configure_logging
from bot.pipeline import Pipeline
from bot.runtime import Runtime, open_runtime
from bot.settings import Settings
from bot.web_limits import BodyLimits, RouteLimit
from storage.db import ping

log = logging.getLogger(__name__)


def create_app(runtime: Runtime, extra_routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app; channels add their webhook routes through `extra_routes`."""
    pipeline = Pipeline(runtime)

    async def healthz(request: Request) -> Response:
        healthy = await run_in_threadpool(ping, runtime.db.engine)
        if healthy:
            return JSONResponse({"status": "ok"})
        log.warning("health check failed: the database does not answer")
        return JSONResponse({"status": "database unavailable"}, status_code=503)

    # Always mounted: without TWILIO_AUTH_TOKEN or YOUSAID_PUBLIC_URL they answer 503 and
    # log what is missing, rather than a silent 404 to a number pointed here too early.
    twilio = TwilioWebhooks(runtime, pipeline, overrides=configured_overrides(runtime.settings))
    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        *twilio.routes(),
        *extra_routes,
    ]
    if runtime.settings.console:
        routes.append(console_mount())
        routes += public_routes()  # /c/<id>: a public consultation's page, no sign-in
    telegram = None
    if runtime.settings.telegram_bot_token:
        telegram = TelegramChannel(runtime, pipeline)
        routes += TelegramWebhook(telegram).routes()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Telegram: set the webhook (or start polling) on start; shut PTB down at the end.
        if telegram is None:
            yield
            return
        async with telegram.running():
            yield

    middleware = [
        Middleware(SecurityHeaders, https=runtime.settings.secure_cookies),
        body_limits(runtime.settings),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, middleware=middleware)
    app.state.runtime = runtime
    app.state.pipeline = pipeline
    app.state.telegram = telegram
    return app


def worker_app() -> Starlette:
    """The app of one worker process of `yousaid serve --workers N` (uvicorn's factory).

    Each worker opens its own runtime (its own connection pool); the database is already
    migrated and the key checked by the process that started them. The scheduler and the
    outbox sender run in that parent process, never in a worker.
    """
    configure_logging(logging.INFO)
    return create_app(open_runtime())


@dataclass(frozen=True)
class ServerLimits:
    """What uvicorn is told for a webhook server (docs/security.md): past
    `limit_concurrency` requests in flight it answers 503 at once (Twilio and Telegram retry)
    rather than queue without end; an idle kept-alive connection is closed after
    `timeout_keep_alive` seconds, so idle sockets can't pile up."""

    limit_concurrency: int
    timeout_keep_alive: int


def server_limits(settings: Settings) -> ServerLimits:
    """The uvicorn limits from YOUSAID_LIMIT_CONCURRENCY and YOUSAID_KEEP_ALIVE."""
    return ServerLimits(settings.limit_concurrency, settings.keep_alive)


def body_limits(settings: Settings) -> Middleware:
    """Every route's body limit, applied before any route reads a byte (docs/security.md)."""
    routes = [
        RouteLimit(TWILIO_PATH, settings.twilio_max_body),  # and /webhooks/twilio/status
        RouteLimit(TELEGRAM_PATH, settings.telegram_max_body),
    ]
    return Middleware(
        BodyLimits, routes=routes, default=settings.max_body, timeout=settings.body_timeout
    )
