"""The one inbound and one outbound message type every channel speaks."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    SMS = "sms"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    TERMINAL = "terminal"


@dataclass(frozen=True)
class Inbound:
    """What a participant sent, already parsed from the provider's payload."""

    channel: Channel
    text: str  # "" when the message had no text
    has_media: bool = False  # a picture, voice note, sticker...
    button: str | None = None  # callback data of a tapped button (Telegram)
    # The person asked to start the consultation named by `text` (a Telegram deep link),
    # so even mid-way through another one it is a request, never an answer.
    start: bool = False
    # The language the person's app is set to (Telegram's language_code), when known:
    # a hint for the first message, used as a guess would be (asked, never switched).
    language_hint: str | None = None


@dataclass(frozen=True)
class Button:
    label: str
    data: str  # at most 64 bytes (Telegram's limit); never holds answer text


@dataclass(frozen=True)
class Outgoing:
    """One message the bot sends. Channels decide how to render buttons."""

    text: str
    buttons: tuple[Button, ...] = ()
    # Set on a question's message so a channel can later edit away its buttons.
    question_ref: str | None = None
    extras: tuple[str, ...] = field(default_factory=tuple)
