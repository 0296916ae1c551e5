"""The PTB Application without an updater, its webhook or polling, and each update's outcome.

PTB's custom-webhook shape with one change: the route awaits `process_update` and answers
only once the update's effects are committed, instead of dropping it on PTB's queue and
answering at once (which loses the update in flight when the process dies).
`process_update` logs a handler's exception and returns normally, so the outcome is
recorded here, by the handler and the error handler, and read back after it returns.

Webhook mode when YOUSAID_PUBLIC_URL is set: `set_webhook` on start, with a secret token.
Otherwise polling (a laptop): getUpdates in a loop that moves its offset past an update
only once that update is handled, so it has the webhook's guarantees too.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import Any

from starlette.concurrency import run_in_threadpool
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ContextTypes, TypeHandler

from bot.channels.telegram.handler import UpdateHandler
from bot.pipeline import Pipeline
from bot.runtime import Runtime, StartupError
from bot.services.telegram_chats import MAX_TRIES, ChatStore
from bot.settings import Settings

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/webhooks/telegram"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
POLL_TIMEOUT = 25  # seconds a getUpdates call waits for news
POLL_RETRY = 5.0  # seconds before polling again after a failure
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def setup_lines(settings: Settings) -> list[str]:
    """What `yousaid serve` prints about Telegram: off, webhook or polling."""
    if not settings.telegram_bot_token:
        return ["Telegram: off (set TELEGRAM_BOT_TOKEN to turn it on; see the README)"]
    if settings.public_url:
        url = settings.public_url.rstrip("/") + WEBHOOK_PATH
        return [f"Telegram: webhook at {url}, set on start with a secret token"]
    return [
        "Telegram: polling for updates (no YOUSAID_PUBLIC_URL; fine on a laptop, "
        "set it on a server for the webhook)"
    ]


def webhook_secret(runtime: Runtime) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the secret key; never none."""
    configured = runtime.settings.telegram_webhook_secret
    if configured:
        if not _SECRET.match(configured):
            raise StartupError(
                "TELEGRAM_WEBHOOK_SECRET may hold only letters, digits, _ and -, "
                "1 to 256 of them; or leave it unset to derive one from the secret key"
            )
        return configured
    return runtime.keys.message_digest("telegram-webhook-secret", "v1")


def build_application(settings: Settings) -> TelegramApp:
    """A PTB Application with no updater, pointed at TELEGRAM_API_URL, rate limited."""
    api = settings.telegram_api_url.rstrip("/")
    return (
        Application.builder()
        .token(settings.telegram_bot_token)
        .base_url(f"{api}/bot")
        .base_file_url(f"{api}/file/bot")
        # Overall pace across chats; RetryAfter is not retried inside the call but handed
        # back, so a webhook answers at once and the update comes again later.
        .rate_limiter(AIORateLimiter(overall_max_rate=settings.telegram_rate, max_retries=0))
        .updater(None)
        .build()
    )


class TelegramChannel:
    """The channel in one process: the application, the handler, webhook or polling."""

    def __init__(
        self, runtime: Runtime, pipeline: Pipeline, application: TelegramApp | None = None
    ) -> None:
        self.runtime = runtime
        self.secret = webhook_secret(runtime)
        self.application = application or build_application(runtime.settings)
        self.store = ChatStore(runtime)
        self.handler = UpdateHandler(runtime, pipeline, self.application.bot, self.store)
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)
        self._outcomes: dict[int, bool] = {}
        self._ready = False
        self._poller: asyncio.Task[None] | None = None

    @property
    def webhook_mode(self) -> bool:
        return bool(self.runtime.settings.public_url)

    @property
    def webhook_url(self) -> str:
        return self.runtime.settings.public_url.rstrip("/") + WEBHOOK_PATH

    async def process(self, update: Update) -> bool:
        """Handle one update; True when it may be acknowledged (handled, or given up on)."""
        try:
            await self.application.process_update(update)
        finally:
            handled = self._outcomes.pop(id(update), False)
        if handled:
            return True
        failures = await run_in_threadpool(self.store.note_failure, update.update_id)
        if failures >= MAX_TRIES:
            log.error(
                "telegram update failed %d times: recorded and acknowledged so it can't "
                "hold up the ones after it",
                failures,
            )
            return True
        return False

    async def ensure_ready(self) -> bool:
        """Initialise the application (getMe) if that has not worked yet."""
        if self._ready:
            return True
        try:
            await self.application.initialize()
        except TelegramError as error:
            log.warning(
                "telegram is not reachable yet (%s); trying again later", type(error).__name__
            )
            return False
        self._ready = True
        return True

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """For the web app's lifespan: set the webhook, or poll, until the app stops."""
        await self.ensure_ready()
        try:
            if self.webhook_mode:
                await self._set_webhook()
            else:
                self._poller = asyncio.create_task(self._poll(), name="telegram-polling")
            yield
        finally:
            if self._poller is not None:
                self._poller.cancel()
                with suppress(asyncio.CancelledError):
                    await self._poller
                self._poller = None
            if self._ready:
                await self.application.shutdown()
                self._ready = False

    async def _set_webhook(self) -> None:
        try:
            await self.application.bot.set_webhook(
                url=self.webhook_url,
                secret_token=self.secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        except TelegramError as error:
            log.error(
                "telegram webhook not set (%s: %s): check YOUSAID_PUBLIC_URL is the public "
                "https address of this server",
                type(error).__name__,
                getattr(error, "message", ""),
            )
            return
        log.info("telegram webhook set at %s", self.webhook_url)

    async def _poll(self) -> None:
        """getUpdates in a loop; the offset passes an update only once it is handled."""
        while not await self.ensure_ready():
            await asyncio.sleep(POLL_RETRY)
        bot = self.application.bot
        offset: int | None = None
        try:
            await bot.delete_webhook()  # getUpdates is refused while a webhook is set
        except TelegramError as error:
            log.warning("telegram webhook not removed before polling: %s", type(error).__name__)
        log.info("telegram polling for updates (no YOUSAID_PUBLIC_URL set)")
        while True:
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
                )
            except TelegramError as error:
                log.warning("telegram polling failed (%s); trying again", type(error).__name__)
                await asyncio.sleep(POLL_RETRY)
                continue
            for update in updates:
                if not await self.process(update):
                    await asyncio.sleep(POLL_RETRY)
                    break
                offset = update.update_id + 1

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.handler.handle(update)
        self._outcomes[id(update)] = True

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the error's type: its message can quote what was sent.
        log.error(
            "telegram update not handled, it will be tried again: error=%s",
            type(context.error).__name__,
        )
        if isinstance(update, Update):
            self._outcomes[id(update)] = False
