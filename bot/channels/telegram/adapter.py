"""Telegram's Update in, send_message arguments out: the channel's translation layer.

Only private chats are ours: a group or channel is never a place for a consultation, so
updates from one are not parsed at all. Commands become the words the engine listens for
(`/exit` is EXIT), and `/start KEYWORD` (a t.me deep link) is the keyword itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from telegram import (
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from bot.addresses import Address
from bot.pipeline import Received
from conversations.messages import Button, Channel, Inbound, Outgoing

log = logging.getLogger(__name__)

PROVIDER = "telegram"
MAX_TEXT = 4096  # Telegram's limit per message, in UTF-16 code units
MAX_CALLBACK_DATA = 64  # bytes
MAX_INBOUND = 10_000  # like the other channels: longer text is cut, never refused
CHECK = "✓"

# Commands a person may tap in Telegram's menu, and the word each one means.
COMMAND_WORDS = {
    "help": "HELP",
    "stop": "STOP",
    "exit": "EXIT",
    "delete": "DELETE",
    "skip": "SKIP",
    "back": "BACK",
}
START_WORD = "START"
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(.*))?$", re.DOTALL)
_DEEP_LINK = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SHORT_LABEL = 4  # scale points, Yes/No: several to a row
_ROW = 6


@dataclass(frozen=True)
class Tap:
    """A tapped inline button, and the message it was under (when still readable)."""

    query_id: str
    data: str
    message_id: int | None
    text: str | None
    markup: InlineKeyboardMarkup | None


@dataclass(frozen=True)
class Parsed:
    """One update from a private chat, ready for the pipeline."""

    received: Received
    update_id: int
    chat_id: int
    message_id: int | None  # the person's own message, which EXIT deletes too
    tap: Tap | None = None


def parse(update: Update) -> Parsed | None:
    """The pipeline's view of an update, or None when it is not ours to answer."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None or chat.type != Chat.PRIVATE or user.is_bot:
        return None
    inbound: Inbound
    message_id: int | None = None
    tap: Tap | None = None
    if update.callback_query is not None:
        query = update.callback_query
        if not query.data:
            return None
        tap = _tap(query.id, query.data, query.message)
        inbound = Inbound(Channel.TELEGRAM, "", button=query.data)
    elif update.message is not None:
        message = update.message
        message_id = message.message_id
        if message.text is not None:
            text = command_text(message.text)[:MAX_INBOUND]
            # The app's language (untrusted; a short code like "pl" or "pt-br"): a hint
            # the engine may ask about, never a switch.
            hint = (user.language_code or "")[:16] or None
            inbound = Inbound(
                Channel.TELEGRAM, text, start=is_deep_link(message.text), language_hint=hint
            )
        elif message.effective_attachment is not None or message.caption is not None:
            caption = (message.caption or "")[:MAX_INBOUND]
            inbound = Inbound(Channel.TELEGRAM, caption, has_media=True)
        else:
            return None  # a service message (auto-delete timer and the like)
    elif update.edited_message is not None:
        inbound = Inbound(Channel.TELEGRAM, "", has_media=True)
    else:
        return None
    received = Received(
        address=Address.telegram(user.id),
        inbound=inbound,
        provider=PROVIDER,
        provider_id=str(update.update_id),
    )
    return Parsed(received, update.update_id, chat.id, message_id, tap)


def command_text(text: str) -> str:
    """What a command means to the engine; any other text is passed as it is."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return text
    name, rest = match.group(1).lower(), (match.group(2) or "").strip()
    if name == "start":
        # t.me/<bot>?start=SAFE arrives as "/start SAFE": the keyword starts it at once.
        return rest if _DEEP_LINK.match(rest) else START_WORD
    return COMMAND_WORDS.get(name, text)


def is_deep_link(text: str) -> bool:
    """`/start KEYWORD`: a t.me link or QR code asking for one consultation."""
    match = _COMMAND.match(text.strip())
    if match is None or match.group(1).lower() != "start":
        return False
    return bool(_DEEP_LINK.match((match.group(2) or "").strip()))


def send_kwargs(chat_id: int, message: Outgoing) -> list[dict[str, Any]]:
    """Arguments for one `send_message` call per part; the buttons go on the last part."""
    parts = split_text(message.text)
    markup = keyboard(message.buttons)
    calls: list[dict[str, Any]] = []
    for index, part in enumerate(parts):
        kwargs: dict[str, Any] = {"chat_id": chat_id, "text": part, "protect_content": True}
        if markup is not None and index == len(parts) - 1:
            kwargs["reply_markup"] = markup
        calls.append(kwargs)
    return calls


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """`text` in parts Telegram takes, cut at a line break or space where one is near."""
    parts: list[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        cut = _fit(rest, limit)
        gap = rest.rfind("\n", 0, cut)  # a line break if one is near, else a space
        if gap <= cut // 2:
            gap = rest.rfind(" ", 0, cut)
        if gap > cut // 2:
            cut = gap
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts


def utf16_length(text: str) -> int:
    """Telegram counts text in UTF-16 code units: most emoji count two."""
    return len(text.encode("utf-16-le")) // 2


def keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """Inline buttons: short ones (scale points, Yes/No) side by side, others one a row."""
    if not buttons:
        return None
    if any(not 1 <= len(b.data.encode()) <= MAX_CALLBACK_DATA for b in buttons):
        # Never expected (the engine keeps data short); typing the answer still works.
        log.warning("telegram buttons left off: callback data over 64 bytes")
        return None
    keys = [InlineKeyboardButton(b.label, callback_data=b.data) for b in buttons]
    if all(len(b.label) <= _SHORT_LABEL for b in buttons):
        rows = [keys[i : i + _ROW] for i in range(0, len(keys), _ROW)]
    elif len(keys) == 2:
        rows = [keys]
    else:
        rows = [[key] for key in keys]
    return InlineKeyboardMarkup(rows)


def is_multi(tap: Tap) -> bool:
    """Whether the tapped message is a multi-choice question (it has a Done button)."""
    if tap.markup is None:
        return False
    prefix = tap.data.rsplit("|", 1)[0]
    done = f"{prefix}|done"
    return tap.data != done and any(b.callback_data == done for b in _buttons(tap.markup))


def toggled(markup: InlineKeyboardMarkup, data: str) -> InlineKeyboardMarkup:
    """The keyboard with the tapped button's tick turned on or off."""
    rows = []
    for row in markup.inline_keyboard:
        new_row = []
        for button in row:
            label = button.text
            if button.callback_data == data:
                ticked = label.startswith(f"{CHECK} ")
                label = label.removeprefix(f"{CHECK} ") if ticked else f"{CHECK} {label}"
            new_row.append(InlineKeyboardButton(label, callback_data=button.callback_data))
        rows.append(new_row)
    return InlineKeyboardMarkup(rows)


def picked_text(tap: Tap) -> str | None:
    """The question's text with what was picked under it, or None when it can't be shown."""
    if tap.text is None or tap.markup is None:
        return None
    buttons = _buttons(tap.markup)
    if tap.data.endswith("|done"):
        picks = [b.text.removeprefix(f"{CHECK} ") for b in buttons if b.text.startswith(CHECK)]
    else:
        picks = [b.text for b in buttons if b.callback_data == tap.data]
    if not picks:
        return None
    text = f"{tap.text}\n\n{CHECK} {', '.join(picks)}"
    return text if utf16_length(text) <= MAX_TEXT else None


def _tap(query_id: str, data: str, message: object) -> Tap:
    if isinstance(message, Message):
        markup = message.reply_markup
        return Tap(query_id, data, message.message_id, message.text, markup)
    return Tap(query_id, data, None, None, None)  # too old for Telegram to show it


def _buttons(markup: InlineKeyboardMarkup) -> list[InlineKeyboardButton]:
    return [button for row in markup.inline_keyboard for button in row]


def _fit(text: str, limit: int) -> int:
    """The longest prefix of `text` within `limit` UTF-16 units, as a character count."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)
