"""A small fake of the Telegram Bot API over real HTTP on 127.0.0.1, run in a thread.

The real python-telegram-bot library talks to it through `TELEGRAM_API_URL`. It checks what
the real server checks where YouSaid depends on it: the token in the path, 4,096 characters
a message (counted in UTF-16 units, as Telegram counts), 1-64 bytes of callback data,
deleting only messages younger than 48 hours and at most 100 per `deleteMessages` call,
editing only messages that exist, "message is not modified", callback queries answered
once, HTTPS webhook URLs and secret token characters, getUpdates refused while a webhook is
set, and 403 Forbidden for a chat whose user blocked the bot. Every call is recorded.

It also plays the users: `text`, `tap`, `sticker`, `block`... make the update JSON a real
Telegram would post, and register the user's message in the chat, so deleting and editing
behave as they would.

This module puts together the parts in `tests/fakes/telegram/` and names what tests use.
"""

from __future__ import annotations

from tests.fakes.telegram.methods import (
    DELETE_WINDOW,
    MAX_ANSWER_TEXT,
    MAX_CALLBACK_DATA,
    MAX_DELETE,
    MAX_TEXT,
    utf16_length,
)
from tests.fakes.telegram.records import (
    BOT_ID,
    TOKEN,
    USERNAME,
    ApiError,
    Call,
    Scripted,
    Stored,
    every_message_ever,
)
from tests.fakes.telegram.server import BotServer
from tests.fakes.telegram.users import BotUsers

__all__ = [
    "BOT_ID",
    "DELETE_WINDOW",
    "MAX_ANSWER_TEXT",
    "MAX_CALLBACK_DATA",
    "MAX_DELETE",
    "MAX_TEXT",
    "TOKEN",
    "USERNAME",
    "ApiError",
    "Call",
    "FakeBotApi",
    "Scripted",
    "Stored",
    "every_message_ever",
    "utf16_length",
]


class FakeBotApi(BotServer, BotUsers):
    """Start with `with FakeBotApi(now=clock.now) as api:`; point the bot at `api.url`."""
