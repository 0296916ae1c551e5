"""Twilio's webhook form in, TwiML out: SMS and WhatsApp are two channels of one adapter.

`From` is `+447700900123` on SMS and `whatsapp:+447700900123` on WhatsApp; both become the
same E.164 `tel:` address, so one number is one participant on both. Replies are text
only: the engine already numbers choices in the text, and buttons are Telegram's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import parse_qsl

from twilio.twiml.messaging_response import MessagingResponse

from bot.addresses import Address
from bot.pipeline import Received
from conversations.messages import Channel, Inbound, Outgoing

PROVIDER = "twilio"
INBOUND_PATH = "/webhooks/twilio"
STATUS_PATH = "/webhooks/twilio/status"
FORM_TYPE = "application/x-www-form-urlencoded"
MAX_TEXT = 10_000  # like the terminal: longer text is cut, never refused
WHATSAPP_PREFIX = "whatsapp:"

_SID = re.compile(r"^[A-Za-z0-9]{1,64}$")
# Characters XML 1.0 cannot carry; one in a reply would make the whole TwiML invalid.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class BadWebhook(ValueError):
    """A webhook body we cannot read; the message says what, never quoting the body."""


Form = tuple[tuple[str, str], ...]


def parse_form(body: bytes, content_type: str | None) -> Form:
    """The form fields of a webhook body, in order; BadWebhook when it is not a form."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type != FORM_TYPE:
        raise BadWebhook(f"expected {FORM_TYPE}, got {media_type or 'no content type'}")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text), errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise BadWebhook("the form is not valid URL-encoded UTF-8") from None
    return tuple(pairs)


def field(form: Form, name: str, default: str = "") -> str:
    """The last value of a form field (Twilio sends each once)."""
    for key, value in reversed(form):
        if key == name:
            return value
    return default


def to_received(form: Form) -> Received:
    """The pipeline's view of one inbound SMS or WhatsApp message."""
    sender = field(form, "From")
    sid = field(form, "MessageSid") or field(form, "SmsMessageSid")
    if not sender or not sid:
        raise BadWebhook("an inbound message needs From and MessageSid")
    if not _SID.match(sid):
        raise BadWebhook("MessageSid is not a Twilio SID")
    channel = Channel.WHATSAPP if sender.startswith(WHATSAPP_PREFIX) else Channel.SMS
    try:
        address = Address.phone(sender)
    except ValueError:
        raise BadWebhook("From is not a phone number") from None
    # A tapped WhatsApp quick reply comes as ButtonText with an empty Body.
    text = field(form, "Body") or field(form, "ButtonText")
    inbound = Inbound(channel=channel, text=text[:MAX_TEXT], has_media=media_count(form) > 0)
    return Received(address=address, inbound=inbound, provider=PROVIDER, provider_id=sid)


def media_count(form: Form) -> int:
    """How many media items (pictures, voice notes) the message carried."""
    raw = field(form, "NumMedia", "0").strip() or "0"
    if not raw.isdecimal():
        raise BadWebhook("NumMedia is not a number")
    return min(int(raw), 10)


def media_sids(form: Form) -> tuple[str, ...]:
    """The Media SIDs (ME...) named in MediaUrl0..N, to delete with the message."""
    sids = []
    for index in range(media_count(form)):
        url = field(form, f"MediaUrl{index}")
        last = url.rstrip("/").rsplit("/", 1)[-1]
        if last.startswith("ME") and _SID.match(last):
            sids.append(last)
    return tuple(sids)


def render_twiml(replies: Sequence[Outgoing], action: Sequence[str | None] = ()) -> str:
    """TwiML with one <Message> per reply; `action[i]` is reply i's status callback URL."""
    response = MessagingResponse()
    for index, reply in enumerate(replies):
        url = action[index] if index < len(action) else None
        response.message(_NOT_XML.sub("", reply.text), action=url, method="POST" if url else None)
    return str(response.to_xml(xml_declaration=True))
