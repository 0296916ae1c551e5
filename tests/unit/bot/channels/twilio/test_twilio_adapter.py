"""Twilio's form in, TwiML out, and the signature check, without a server."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from twilio.request_validator import RequestValidator

from bot.channels.twilio.adapter import (
    BadWebhook,
    media_sids,
    parse_form,
    render_twiml,
    to_received,
)
from bot.channels.twilio.signature import SignatureCheck
from conversations.messages import Channel, Outgoing

FORM = "application/x-www-form-urlencoded"
SID = "SM" + "0" * 32
TOKEN = "auth-token"
ME = "a" * 32


def form_of(**fields: str) -> tuple[tuple[str, str], ...]:
    return parse_form(urlencode(fields).encode(), FORM)


def test_sms_and_whatsapp_from_one_number_are_one_participant() -> None:
    sms = to_received(form_of(From="+447700900123", MessageSid=SID, Body="SAFE"))
    whatsapp = to_received(form_of(From="whatsapp:+447700900123", MessageSid=SID, Body="SAFE"))

    assert sms.address == whatsapp.address
    assert sms.address.namespaced == "tel:+447700900123"
    assert sms.inbound.channel is Channel.SMS
    assert whatsapp.inbound.channel is Channel.WHATSAPP
    assert (sms.provider, sms.provider_id) == ("twilio", SID)


def test_a_picture_without_text_is_media() -> None:
    received = to_received(form_of(From="+447700900123", MessageSid=SID, Body="", NumMedia="1"))

    assert received.inbound.has_media
    assert received.inbound.text == ""


def test_a_tapped_whatsapp_quick_reply_is_read_as_its_text() -> None:
    received = to_received(
        form_of(From="whatsapp:+447700900123", MessageSid=SID, Body="", ButtonText="Yes")
    )

    assert received.inbound.text == "Yes"


def test_media_sids_come_from_the_media_urls() -> None:
    form = form_of(
        NumMedia="2",
        MediaUrl0=f"https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/{SID}/Media/ME{ME}",
        MediaUrl1="https://example.com/not-a-media-sid",
    )

    assert media_sids(form) == ("ME" + ME,)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"From=%2B447700900123&Body=hi", "application/json"),
        (b"From=%ff%fe&Body=hi", FORM),
        (b"\xff\xfe", FORM),
        (b"just some words", FORM),
    ],
)
def test_a_body_that_is_not_a_form_is_refused(body: bytes, content_type: str) -> None:
    with pytest.raises(BadWebhook):
        parse_form(body, content_type)


@pytest.mark.parametrize(
    "fields",
    [
        {"Body": "hi", "MessageSid": SID},
        {"From": "+447700900123", "Body": "hi"},
        {"From": "not a number", "MessageSid": SID},
        {"From": "+447700900123", "MessageSid": "SM/../../etc"},
        {"From": "+447700900123", "MessageSid": SID, "NumMedia": "lots"},
    ],
)
def test_a_form_missing_or_garbling_what_we_need_is_refused(fields: dict[str, str]) -> None:
    with pytest.raises(BadWebhook):
        to_received(form_of(**fields))


def test_the_error_never_quotes_the_number() -> None:
    with pytest.raises(BadWebhook) as caught:
        to_received(form_of(From="+44 7700 9001234567890", MessageSid=SID))

    assert "7700" not in str(caught.value)


def test_each_reply_is_one_message_with_its_status_callback() -> None:
    replies = [Outgoing("Hi & welcome <3"), Outgoing("Reply YES to start.")]
    urls = ["https://council.example/webhooks/twilio/status?outbox=1", None]

    root = ET.fromstring(render_twiml(replies, urls))

    messages = list(root.iter("Message"))
    assert [m.text for m in messages] == ["Hi & welcome <3", "Reply YES to start."]
    assert messages[0].get("action") == urls[0]
    assert messages[1].get("action") is None


def test_emoji_and_right_to_left_text_survive_and_control_characters_go() -> None:
    text = "Thanks 🙏 شكرا لك\x00\x07"

    root = ET.fromstring(render_twiml([Outgoing(text)]))

    assert [m.text for m in root.iter("Message")] == ["Thanks 🙏 شكرا لك"]


def test_no_replies_is_an_empty_response() -> None:
    root = ET.fromstring(render_twiml([]))

    assert root.tag == "Response"
    assert list(root) == []


def sign(url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(TOKEN).compute_signature(url, params))


def test_the_signature_is_checked_against_the_public_url_not_the_request_host() -> None:
    check = SignatureCheck(TOKEN, "https://council.example/")
    params = {"From": "+447700900123", "Body": "hi"}

    assert check.valid(
        "/webhooks/twilio", "", params, sign("https://council.example/webhooks/twilio", params)
    )
    assert not check.valid(
        "/webhooks/twilio", "", params, sign("http://127.0.0.1:8000/webhooks/twilio", params)
    )


def test_a_signature_over_other_parameters_is_refused() -> None:
    check = SignatureCheck(TOKEN, "https://council.example")
    signature = sign("https://council.example/webhooks/twilio", {"Body": "hi"})

    assert not check.valid("/webhooks/twilio", "", {"Body": "STOP"}, signature)
    assert not check.valid("/webhooks/twilio", "", {"Body": "hi"}, None)
    assert not check.valid("/webhooks/twilio", "", {"Body": "hi"}, "")


def test_connection_overrides_validate_with_or_without_the_fragment_in_the_signed_url() -> None:
    check = SignatureCheck(TOKEN, "https://council.example", "#rc=3&rp=all&ct=2000")
    params = {"Body": "hi"}
    base = "https://council.example/webhooks/twilio?x=1"

    assert check.valid("/webhooks/twilio", "x=1", params, sign(base, params))
    assert check.valid(
        "/webhooks/twilio", "x=1", params, sign(base + "#rc=3&rp=all&ct=2000", params)
    )
    assert not check.valid("/webhooks/twilio", "x=1", params, sign(base + "#rc=5", params))


def test_repeated_form_fields_are_all_signed() -> None:
    check = SignatureCheck(TOKEN, "https://council.example")
    pairs = [("Tag", "b"), ("Tag", "a")]
    signature = RequestValidator(TOKEN).compute_signature(
        "https://council.example/webhooks/twilio", _Multi(pairs)
    )

    assert check.valid("/webhooks/twilio", "", pairs, signature)
    assert not check.valid("/webhooks/twilio", "", pairs[:1], signature)


class _Multi:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.pairs = pairs

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter({k for k, _ in self.pairs})

    def getlist(self, name: str) -> list[str]:
        return [v for k, v in self.pairs if k == name]
