"""Whether someone who asked to hear back can be sent a push now, and how."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from conversations.messages import Channel

WHATSAPP_WINDOW = timedelta(hours=24)  # free-form WhatsApp only this long after they wrote


class Reach(StrEnum):
    """Whether a recipient can get a push now, and how."""

    OK = "ok"
    TEMPLATE = "template"  # WhatsApp outside the 24-hour window: the approved template
    NO_TEMPLATE = "no_template"  # WhatsApp outside the window and no template for the language
    NO_ADDRESS = "no_address"  # the address is gone (nothing to send to)
    TERMINAL = "terminal"  # answered in `yousaid chat`: nowhere to push to
    NO_CHANNEL = "no_channel"


REACH_REASONS: Mapping[Reach, str] = {
    Reach.NO_TEMPLATE: (
        "WhatsApp, last message over 24 hours ago, and no approved template for the "
        "language in TWILIO_WHATSAPP_TEMPLATES"
    ),
    Reach.NO_ADDRESS: "no address kept for them",
    Reach.TERMINAL: "answered in the terminal (yousaid chat): nowhere to send",
    Reach.NO_CHANNEL: "no channel known for them",
}


@dataclass(frozen=True)
class Recipient:
    """One person who asked to hear back, as far as reaching them goes."""

    pseudonym: str
    channel: Channel | None
    language: str
    has_address: bool
    last_message_at: datetime | None  # when they last wrote to us


def reach(
    recipient: Recipient, now: datetime, templates: Mapping[str, str]
) -> tuple[Reach, str | None]:
    """How `recipient` can be sent a push now, and the WhatsApp template's content SID."""
    if recipient.channel is None:
        return Reach.NO_CHANNEL, None
    if recipient.channel is Channel.TERMINAL:
        return Reach.TERMINAL, None
    if not recipient.has_address:
        return Reach.NO_ADDRESS, None
    if recipient.channel is Channel.WHATSAPP:
        last = recipient.last_message_at
        if last is None or now - last >= WHATSAPP_WINDOW:
            template = templates.get(recipient.language)
            if template is None:
                return Reach.NO_TEMPLATE, None
            return Reach.TEMPLATE, template
    return Reach.OK, None


def can_reach(recipient: Recipient, at: datetime, templates: Mapping[str, str]) -> bool:
    """Whether a push to `recipient` can go at `at`: the one rule for the dry run, the
    send and the top-up, so they never disagree on who gets an update."""
    how, _ = reach(recipient, at, templates)
    return how in (Reach.OK, Reach.TEMPLATE) and recipient.channel is not None
