"""The Bot API methods the fake answers, each with the checks the real server makes.

4,096 characters a message (counted in UTF-16 units, as Telegram counts), 1-64 bytes of
callback data, deleting only messages younger than 48 hours and at most 100 per
`deleteMessages` call, editing only messages that exist, "message is not modified",
callback queries answered once, HTTPS webhook URLs and secret token characters, and 403
Forbidden for a chat whose user blocked the bot. A refusal is an `ApiError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from tests.fakes.telegram.records import ApiError, BotState, Stored
from tests.fakes.telegram.shapes import bot_user, message_json

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
MAX_DELETE = 100
DELETE_WINDOW = timedelta(hours=48)

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class BotMethods(BotState):
    """The methods, each taking the call's parameters and returning its `result`."""

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **bot_user(),
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if not url:
            self.webhook = None
            return True
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = dict(params)
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info = self.webhook or {}
        return {
            "url": info.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = _text(params)
        markup = _markup(params.get("reply_markup"))
        message_id = self._new_message_id(chat_id)
        stored = Stored(
            chat_id=chat_id,
            message_id=message_id,
            date=self.now(),
            from_bot=True,
            text=text,
            reply_markup=markup,
            protected=bool(params.get("protect_content")),
        )
        self.messages[(chat_id, message_id)] = stored
        return message_json(stored)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._editable(params)
        text = _text(params)
        markup = _markup(params.get("reply_markup"))
        if text == stored.text and markup == stored.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        stored.text, stored.reply_markup = text, markup
        return message_json(stored)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._editable(params)
        markup = _markup(params.get("reply_markup"))
        if markup == stored.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        stored.reply_markup = markup
        return message_json(stored)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if self._queries.get(query_id, True):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_ANSWER_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._queries[query_id] = True
        return True

    def _delete_messages(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params, sending=False)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        if len(ids) > MAX_DELETE:
            raise ApiError(400, "Bad Request: too many message identifiers specified")
        for message_id in ids:
            stored = self.messages.get((chat_id, int(message_id)))
            if stored is not None and not stored.deleted and self._young(stored):
                stored.deleted = True
        return True

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params, sending=False)
        stored = self.messages.get((chat_id, int(params.get("message_id", 0))))
        if stored is None or stored.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if not self._young(stored):
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        stored.deleted = True
        return True

    # --- the checks the methods share ------------------------------------------------------

    def _chat_id(self, params: dict[str, Any], *, sending: bool = True) -> int:
        raw = params.get("chat_id")
        if not isinstance(raw, int):
            raise ApiError(400, "Bad Request: chat not found")
        if raw not in self._known_chats:
            raise ApiError(400, "Bad Request: chat not found")
        if sending and raw in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return raw

    def _editable(self, params: dict[str, Any]) -> Stored:
        chat_id = self._chat_id(params)
        stored = self.messages.get((chat_id, int(params.get("message_id", 0))))
        if stored is None or stored.deleted or not stored.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _young(self, stored: Stored) -> bool:
        return self.now() - stored.date < DELETE_WINDOW


METHODS: dict[str, Callable[[BotMethods, dict[str, Any]], Any]] = {
    "getme": BotMethods._get_me,
    "setwebhook": BotMethods._set_webhook,
    "deletewebhook": BotMethods._delete_webhook,
    "getwebhookinfo": BotMethods._get_webhook_info,
    "sendmessage": BotMethods._send_message,
    "editmessagetext": BotMethods._edit_message_text,
    "editmessagereplymarkup": BotMethods._edit_message_reply_markup,
    "answercallbackquery": BotMethods._answer_callback_query,
    "deletemessages": BotMethods._delete_messages,
    "deletemessage": BotMethods._delete_message,
}


def _text(params: dict[str, Any]) -> str:
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def utf16_length(text: str) -> int:
    """Telegram counts text length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _markup(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = raw.get("inline_keyboard")
    if rows is None:
        return raw
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return raw if rows else None
