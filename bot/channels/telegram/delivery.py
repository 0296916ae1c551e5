"""Sending through the Bot API, answering in the outbox's outcomes, and the small edits
around it.

Telegram takes no idempotency key, so an outcome says plainly when a message may or may
not have gone (`Unsure`): nothing sends such a message again (at most once). Every outcome
carries the ids of the parts that did go, so EXIT can delete them later; a wait asked for
after a part went is `Unsure` too (that part is on the phone: never again).
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from contextlib import suppress
from datetime import timedelta

import httpx
from telegram import Bot, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from bot.channels.telegram.adapter import send_kwargs
from bot.outbox.outcomes import Blocked, Outcome, Refused, Retry, Sent, Unsure
from conversations.messages import Outgoing

log = logging.getLogger(__name__)

MAX_DELETE = 100  # message ids per deleteMessages call
SERVER_ERROR_WAIT = timedelta(seconds=30)
TOKEN_REFUSED_WAIT = timedelta(minutes=5)
BLOCKED = "telegram: the person blocked the bot"


async def send(bot: Bot, chat_id: int, message: Outgoing) -> Outcome:
    """Send `message` (in parts when long), protected from forwarding and saving."""
    sent: list[int] = []
    for kwargs in send_kwargs(chat_id, message):
        try:
            reply = await bot.send_message(**kwargs)
        except TelegramError as error:
            return _failed(error, tuple(sent))
        sent.append(reply.message_id)
    return _sent(tuple(sent))


async def delete(bot: Bot, chat_id: int, message_ids: Sequence[int]) -> Outcome:
    """Delete messages from the chat, 100 a call; Sent lists the ids asked for."""
    done: list[int] = []
    for start in range(0, len(message_ids), MAX_DELETE):
        batch = list(message_ids[start : start + MAX_DELETE])
        try:
            await bot.delete_messages(chat_id, batch)
        except BadRequest as error:
            # Some may be gone already or too old; the rest of the batch still goes.
            log.warning("telegram could not delete a batch of messages: %s", error.message)
        except TelegramError as error:
            return _failed(error, tuple(done))
        done += batch
    return _sent(tuple(done))


async def edit(
    bot: Bot,
    chat_id: int,
    message_id: int,
    *,
    text: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
) -> bool:
    """Change a question's text and buttons (None: no buttons); False when it can't be."""
    try:
        if text is not None:
            await bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
        else:
            await bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=markup
            )
    except BadRequest as error:
        if "not modified" not in error.message:
            log.info("telegram message left as it was: %s", error.message)
        return False
    except Forbidden:
        # Blocked: tidying an old question is moot; the next send records the block.
        return False
    return True


async def answer_tap(bot: Bot, query_id: str, text: str | None = None) -> None:
    """Stop the button's spinner; a query too old to answer is no harm."""
    with suppress(BadRequest):
        await bot.answer_callback_query(query_id, text=text)


def _sent(message_ids: tuple[int, ...]) -> Sent:
    ref = str(message_ids[-1]) if message_ids else None
    return Sent(ref, 1, message_ids)


def _failed(error: TelegramError, sent: tuple[int, ...]) -> Outcome:
    if isinstance(error, Forbidden):
        return Blocked(BLOCKED, message_ids=sent)
    if isinstance(error, RetryAfter):
        return _retry("Telegram asked us to slow down", _wait(error), sent)
    if isinstance(error, TimedOut):
        return Unsure("Telegram did not answer in time; the message may have been sent", sent)
    if isinstance(error, BadRequest):
        return Refused(f"Telegram refused the message: {error.message}", message_ids=sent)
    if isinstance(error, InvalidToken):
        return _retry(
            "Telegram refused the bot token: check TELEGRAM_BOT_TOKEN", TOKEN_REFUSED_WAIT, sent
        )
    if isinstance(error, NetworkError):
        cause = error.__cause__
        if cause is None or isinstance(cause, httpx.ConnectError):
            # Telegram answered with a server error, or we never reached it: not sent.
            return _retry("Telegram could not take the message now", SERVER_ERROR_WAIT, sent)
        return Unsure("the connection to Telegram broke part-way", sent)
    return Unsure(f"Telegram answered {type(error).__name__}", sent)


def _retry(reason: str, after: timedelta, sent: tuple[int, ...]) -> Outcome:
    """Nothing more went: a retry, unless a part is on the phone already (never again)."""
    if sent:
        return Unsure(f"{reason}, after part of the message went", sent)
    return Retry(reason, after)


def _wait(error: RetryAfter) -> timedelta:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB 22 warns that the int form will change
        value = error.retry_after
    return value if isinstance(value, timedelta) else timedelta(seconds=value)
