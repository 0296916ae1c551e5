"""Pushes on Telegram (reminders, "you said, we did" updates), one message at a time.

Telegram's limits: about 30 messages a second across chats (PTB's AIORateLimiter on the
bot, see setup.build_application) and no more than one a second in one chat (the pacer
here). A RetryAfter comes back as Retry with Telegram's wait; a person who blocked
the bot is never sent to again (Blocked, without a call).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from starlette.concurrency import run_in_threadpool
from telegram import Bot

from bot.addresses import Address
from bot.channels.telegram import delivery
from bot.channels.telegram.setup import build_application
from bot.outbox.outcomes import Blocked, Outcome
from bot.runtime import Runtime
from bot.services.telegram_chats import ChatStore
from conversations.messages import Outgoing

__all__ = ["ChatPacer", "TelegramSender"]

PER_CHAT_INTERVAL = 1.0  # seconds between two messages to one chat


class ChatPacer:
    """At most one message per `interval` seconds to each chat; time and sleep are inputs."""

    def __init__(
        self,
        interval: float = PER_CHAT_INTERVAL,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self.interval = interval
        self._monotonic = monotonic
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, chat: str) -> None:
        """Return once a message may go to `chat`, and count it as sent now."""
        lock = self._locks.setdefault(chat, asyncio.Lock())
        async with lock:
            last = self._last.get(chat)
            if last is not None:
                delay = last + self.interval - self._monotonic()
                if delay > 0:
                    await self._sleep(delay)
            self._last[chat] = self._monotonic()
            self._forget_old()

    def _forget_old(self) -> None:
        if len(self._last) < 1000:
            return
        cutoff = self._monotonic() - self.interval
        for chat in [c for c, t in self._last.items() if t < cutoff]:
            del self._last[chat]
            lock = self._locks.get(chat)
            if lock is not None and not lock.locked():
                del self._locks[chat]


class TelegramSender:
    """Sends pushes to `tg:` addresses; safe to share between tasks of one event loop."""

    def __init__(self, runtime: Runtime, bot: Bot, pacer: ChatPacer | None = None) -> None:
        self.runtime = runtime
        self.bot = bot
        self.pacer = pacer or ChatPacer()
        self.store = ChatStore(runtime)

    @classmethod
    def connect(cls, runtime: Runtime) -> AbstractAsyncContextManager[Bot]:
        """The rate-limited bot for a sender of its own: `async with TelegramSender.connect(rt)
        as bot: sender = TelegramSender(rt, bot)`."""
        bot: Bot = build_application(runtime.settings).bot
        return bot

    async def send(self, to: Address, message: Outgoing) -> Outcome:
        """Send one push; the result says whether to retry, give up, or never try again."""
        if to.scheme != "tg":
            raise ValueError("Telegram sends only to tg: addresses")
        pseudonym = self.store.pseudonym(to.namespaced)
        if await run_in_threadpool(self.store.is_blocked, pseudonym):
            return Blocked(delivery.BLOCKED)
        await self.pacer.wait(pseudonym)
        # A private chat's id is the user's id.
        result = await delivery.send(self.bot, int(to.value), message)
        await run_in_threadpool(self.store.sent, pseudonym, None, message, result)
        return result
