"""The outbox sender's providers: Twilio (SMS, WhatsApp) and Telegram, as `Transport`s.

Each turns the channel's typed send result into the sender's `Outcome`. The lanes pace
the calls themselves, so the Telegram bot here has no rate limiter of its own (PTB's would
wait on the real clock, and pace a second time).
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
from bot.channels.telegram import delivery
from bot.channels.telegram.sender import ChatPacer, TelegramSender
from bot.channels.twilio import sender as twilio
from bot.outbox_sender import (
    PER_CHAT,
    NotNow,
    Outcome,
    Refused,
    Retry,
    Sent,
    Transport,
    Unsure,
)
from bot.runtime import Runtime
from bot.settings import Settings
from conversations.messages import Channel, Outgoing
from conversations.segments import count_segments

__all__ = ["TelegramTransport", "TwilioTransport", "configured_transports"]

log = logging.getLogger(__name__)

T = TypeVar("T")

# Twilio codes that mean this person can't be reached at all (not just this message).
PERSON_CODES = frozenset({21610, 21211, 21614})
WHATSAPP_WINDOW_CODE = 63016
NOT_READY_WAIT = 30.0  # seconds: Telegram could not be reached to start


class TwilioTransport:
    """SMS and WhatsApp through Twilio's REST API; the rate counts SMS segments."""

    channels: tuple[Channel, ...] = (Channel.SMS, Channel.WHATSAPP)
    per_chat: float = 0.0

    def __init__(self, settings: Settings, sender: twilio.TwilioSender | None = None) -> None:
        self.rate = settings.twilio_rate
        self.sender = sender or twilio.TwilioSender.with_callbacks(settings)

    def cost(self, channel: Channel, message: Outgoing) -> int:
        if channel is Channel.SMS:
            return count_segments(message.text).segments
        return 1

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        if template is not None:
            # The approved template's {{1}} is the update's neutral first line.
            first_line = message.text.split("\n", 1)[0]
            result = self.sender.send(
                address, channel, content_sid=template, content_variables={"1": first_line}
            )
        else:
            result = self.sender.send(address, channel, message.text)
        return self._outcome(channel, message, result)

    def close(self) -> None:
        """Nothing to release: the twilio client opens a connection per call."""

    def _outcome(self, channel: Channel, message: Outgoing, result: twilio.SendResult) -> Outcome:
        if isinstance(result, twilio.Accepted):
            cost = result.segments if channel is Channel.SMS else self.cost(channel, message)
            return Sent(result.sid, cost)
        if isinstance(result, twilio.RetryLater):
            return Retry(result.reason, result.after)
        if isinstance(result, twilio.PermanentFailure):
            if result.code == WHATSAPP_WINDOW_CODE:
                return NotNow(f"twilio {result.code}: outside WhatsApp's 24-hour window")
            reason = f"twilio {result.code}: {result.reason}"
            return Refused(reason, person=result.code in PERSON_CODES)
        return Unsure(result.reason)


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
        return 1

    def send(
        self, address: Address, channel: Channel, message: Outgoing, template: str | None
    ) -> Outcome:
        if not self._ready:
            try:
                self._run(self.bot.initialize())
            except TelegramError as error:
                log.warning("telegram not reachable for pushes (%s)", type(error).__name__)
                return Retry("Telegram could not be reached", timedelta(seconds=NOT_READY_WAIT))
            self._ready = True
        result = self._run(self.sender.send(address, message))
        return _telegram_outcome(result)

    def close(self) -> None:
        if self._ready:
            self._run(self.bot.shutdown())
            self._ready = False
        self._loop.close()

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return self._loop.run_until_complete(work)


def _telegram_outcome(result: delivery.SendResult) -> Outcome:
    if isinstance(result, delivery.Accepted):
        ref = str(result.message_ids[-1]) if result.message_ids else None
        return Sent(ref, 1)
    if isinstance(result, delivery.RetryLater):
        if result.message_ids:  # part of it is on the phone already: never again
            return Unsure(f"{result.reason}, after part of the message went")
        return Retry(result.reason, result.after)
    if isinstance(result, delivery.Blocked):
        return Refused("telegram: the person blocked the bot", person=True)
    if isinstance(result, delivery.PermanentFailure):
        return Refused(result.reason, person=False)
    return Unsure(result.reason)


def configured_transports(runtime: Runtime) -> list[Transport]:
    """A transport for each provider the settings set up."""
    settings = runtime.settings
    found: list[Transport] = []
    if settings.twilio_account_sid and settings.twilio_auth_token:
        found.append(TwilioTransport(settings))
    if settings.telegram_bot_token:
        found.append(TelegramTransport(runtime))
    return found
