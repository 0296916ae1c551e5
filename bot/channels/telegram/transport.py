"""Telegram as a lane of the outbox loop: pushes on a private event loop.

The lane paces the calls itself, so the bot here has no rate limiter of its own (PTB's
would wait on the real clock, and pace a second time).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from datetime import timedelta
from typing import Any, TypeVar

from telegram import Bot
from telegram.error import TelegramError

from bot.addresses import Address
from bot.channels.telegram.sender import ChatPacer, TelegramSender
from bot.outbox.outcomes import Outcome, Retry
from bot.outbox.pacing import PER_CHAT
from bot.runtime import Runtime
from conversations.messages import Channel, Outgoing

__all__ = ["TelegramTransport"]

log = logging.getLogger(__name__)

T = TypeVar("T")

NOT_READY_WAIT = 30.0  # seconds: Telegram could not be reached to start


class TelegramTransport:
    """Telegram pushes on a private event loop, used only from the lane's own thread."""

    channels: tuple[Channel, ...] = (Channel.TELEGRAM,)
    per_chat: float = PER_CHAT

    def __init__(self, runtime: Runtime, bot: Bot | None = None) -> None:
        settings = runtime.settings
        self.rate = settings.telegram_rate
        api = settings.telegram_api_url.rstrip("/")
        self.bot = bot or Bot(
            settings.telegram_bot_token,
            base_url=f"{api}/bot",
            base_file_url=f"{api}/file/bot",
        )
        # The lane paces each chat; the channel's own pacer would wait on the real clock.
        self.sender = TelegramSender(runtime, self.bot, ChatPacer(0.0))
        self._loop = asyncio.new_event_loop()
        self._ready = False

    def cost(self, channel: Channel, message: Outgoing) -> int:
        """Telegram's limits count messages."""
        return 1

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        """Send one push (Telegram has no templates); starts the bot on first use."""
        if not self._ready:
            try:
                self._run(self.bot.initialize())
            except TelegramError as error:
                log.warning("telegram not reachable for pushes (%s)", type(error).__name__)
                return Retry("Telegram could not be reached", timedelta(seconds=NOT_READY_WAIT))
            self._ready = True
        return self._run(self.sender.send(address, message))

    def tidy(self) -> int:
        """Nothing to tidy: EXIT deletes a chat's messages when it is asked."""
        return 0

    def close(self) -> None:
        """Shut the bot down and close the private event loop."""
        if self._ready:
            self._run(self.bot.shutdown())
            self._ready = False
        self._loop.close()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(work)
