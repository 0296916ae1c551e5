"""The JSON Telegram uses for the bot, users, private chats and messages.

Shared by the methods (what the server answers) and the users (the updates it posts), so
a message looks the same whichever way it reaches the bot.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram.records import BOT_ID, USERNAME, Stored


def bot_user() -> dict[str, Any]:
    """The bot as a Telegram `User`."""
    return {"id": BOT_ID, "is_bot": True, "first_name": "Have your say", "username": USERNAME}


def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}


def private(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Sam"}


def entities(text: str) -> dict[str, Any]:
    """A leading /command gets its bot_command entity, as Telegram adds it."""
    if not text.startswith("/"):
        return {}
    length = len(text.split(maxsplit=1)[0])
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}


def message_json(stored: Stored) -> dict[str, Any]:
    """A stored message as a Telegram `Message`."""
    message: dict[str, Any] = {
        "message_id": stored.message_id,
        "chat": private(stored.chat_id),
        "date": int(stored.date.timestamp()),
    }
    if stored.from_bot:
        message["from"] = bot_user()
        message["text"] = stored.text
        if stored.protected:
            message["has_protected_content"] = True
    else:
        message["from"] = user(stored.chat_id)
        if stored.kind == "text":
            message["text"] = stored.text
    if stored.reply_markup:
        message["reply_markup"] = stored.reply_markup
    return message
