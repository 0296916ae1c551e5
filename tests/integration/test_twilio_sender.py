"""The Twilio sender, on the real twilio client, against a local fake of the Messages API."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.addresses import Address
from bot.channels.twilio.client import TwilioNotConfigured
from bot.channels.twilio.sender import TwilioSender
from bot.outbox.outcomes import Blocked, NotNow, Outcome, Refused, Retry, Sent, Unsure
from bot.settings import Settings
from conversations.messages import Channel
from tests.fakes.twilio_api import FakeTwilio

PERSON = Address.phone("07700 900123")
NUMBER_DIGITS = "7700900123"


@pytest.fixture
def fake() -> Iterator[FakeTwilio]:
    with FakeTwilio() as running:
        yield running


def settings_for(fake: FakeTwilio, **overrides: str) -> Settings:
    values = {
        "twilio_account_sid": fake.account_sid,
        "twilio_auth_token": fake.auth_token,
        "twilio_from": "+447700900000",
        "twilio_whatsapp_from": "+447700900001",
        "twilio_api_url": fake.url,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def sender_for(fake: FakeTwilio, timeout: float = 5.0, **overrides: str) -> TwilioSender:
    return TwilioSender(settings_for(fake, **overrides), timeout=timeout)


def test_an_sms_goes_from_our_number_and_reports_its_segments(fake: FakeTwilio) -> None:
    result = sender_for(fake).send(PERSON, Channel.SMS, "Hi! " + "x" * 200)

    assert isinstance(result, Sent)
    assert result.cost == 2
    [sent] = fake.sent()
    assert sent["sid"] == result.ref
    assert sent["to"] == "+447700900123"
    assert sent["from"] == "+447700900000"


def test_a_messaging_service_sid_is_used_as_the_sender(fake: FakeTwilio) -> None:
    sender = sender_for(fake, twilio_from="MG" + "a" * 32)

    result = sender.send(PERSON, Channel.SMS, "Hello")

    assert isinstance(result, Sent)
    [sent] = fake.sent()
    assert sent["messaging_service_sid"] == "MG" + "a" * 32
    assert sent["from"] is None


def test_whatsapp_goes_from_the_whatsapp_sender_with_prefixes(fake: FakeTwilio) -> None:
    result = sender_for(fake).send(PERSON, Channel.WHATSAPP, "Hello on WhatsApp")

    assert isinstance(result, Sent)
    [sent] = fake.sent()
    assert sent["to"] == "whatsapp:+447700900123"
    assert sent["from"] == "whatsapp:+447700900001"


def test_a_whatsapp_template_is_sent_by_content_sid(fake: FakeTwilio) -> None:
    fake.outside_window.add("+447700900123")

    result = sender_for(fake).send(
        PERSON, Channel.WHATSAPP, content_sid="HX" + "1" * 32, content_variables={"1": "SAFE"}
    )

    assert isinstance(result, Sent)
    assert fake.sent()[0]["content_sid"] == "HX" + "1" * 32


def test_the_status_callback_url_goes_with_each_message(fake: FakeTwilio) -> None:
    sender = TwilioSender(
        settings_for(fake), status_callback="https://council.example/webhooks/twilio/status"
    )

    sender.send(PERSON, Channel.SMS, "Hello")

    assert fake.calls[-1].form["StatusCallback"] == "https://council.example/webhooks/twilio/status"


def test_a_body_over_1600_characters_is_refused_for_good(fake: FakeTwilio) -> None:
    result = sender_for(fake).send(PERSON, Channel.SMS, "a" * 1601)

    assert result == Refused(
        "twilio 21617: the message is longer than Twilio's 1,600 characters", 21617
    )
    assert fake.sent() == []


def test_a_body_of_exactly_1600_characters_is_accepted(fake: FakeTwilio) -> None:
    result = sender_for(fake).send(PERSON, Channel.SMS, "a" * 1600)

    assert isinstance(result, Sent)
    assert result.cost == 11


@pytest.mark.parametrize(
    ("setup", "code", "outcome"),
    [
        ("unsubscribed", 21610, Blocked),
        ("landlines", 21614, Blocked),
        ("outside_window", 63016, NotNow),
        ("filtered", 30007, Refused),
    ],
)
def test_twilio_refusals_for_this_person_are_permanent(
    fake: FakeTwilio, setup: str, code: int, outcome: type[Outcome]
) -> None:
    getattr(fake, setup).add("+447700900123")
    channel = Channel.WHATSAPP if setup == "outside_window" else Channel.SMS

    result = sender_for(fake).send(PERSON, channel, "Hello")

    assert isinstance(result, outcome)
    assert isinstance(result, Blocked | NotNow | Refused)
    assert result.code == code
    assert NUMBER_DIGITS not in result.reason


def test_an_invalid_number_is_refused_for_good_without_quoting_it(fake: FakeTwilio) -> None:
    result = sender_for(fake).send(Address("tel", "+4412"), Channel.SMS, "Hello")

    assert isinstance(result, Blocked)
    assert result.code == 21211
    assert "4412" not in result.reason


def test_too_many_requests_waits_as_long_as_twilio_asks(fake: FakeTwilio) -> None:
    fake.fail_next(status=429, code=20429, retry_after=7)

    result = sender_for(fake).send(PERSON, Channel.SMS, "Hello")

    assert result == Retry("Twilio asked us to slow down", timedelta(seconds=7))
    assert fake.sent() == []


def test_a_retry_after_is_not_carried_over_to_the_next_refusal(fake: FakeTwilio) -> None:
    sender = sender_for(fake)
    fake.fail_next(status=429, code=20429, retry_after=7)
    fake.fail_next(status=429, code=20429)

    sender.send(PERSON, Channel.SMS, "Hello")
    second = sender.send(PERSON, Channel.SMS, "Hello")

    assert isinstance(second, Retry)
    assert second.after == timedelta(seconds=5)


def test_a_server_error_is_retried_later_and_then_goes_through(fake: FakeTwilio) -> None:
    sender = sender_for(fake)
    fake.fail_next(status=500)

    first = sender.send(PERSON, Channel.SMS, "Hello")
    second = sender.send(PERSON, Channel.SMS, "Hello")

    assert isinstance(first, Retry)
    assert isinstance(second, Sent)
    assert len(fake.sent()) == 1


def test_a_timeout_may_have_sent_the_message_so_it_is_not_retried(fake: FakeTwilio) -> None:
    fake.stall_next()

    result = sender_for(fake, timeout=0.3).send(PERSON, Channel.SMS, "Hello")

    assert isinstance(result, Unsure)
    assert [c.method for c in fake.calls] == ["POST"]  # the request did reach Twilio


def test_no_connection_at_all_is_retried_later(fake: FakeTwilio) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    sender = sender_for(fake, twilio_api_url=f"http://127.0.0.1:{closed_port}")

    result = sender.send(PERSON, Channel.SMS, "Hello")

    assert isinstance(result, Retry)


def test_wrong_credentials_wait_rather_than_fail_the_message(fake: FakeTwilio) -> None:
    sender = sender_for(fake, twilio_auth_token="not-the-token")

    result = sender.send(PERSON, Channel.SMS, "Hello")

    assert isinstance(result, Retry)
    assert "TWILIO_AUTH_TOKEN" in result.reason


def test_a_sender_needs_credentials_and_a_from_number(fake: FakeTwilio) -> None:
    with pytest.raises(TwilioNotConfigured, match="TWILIO_AUTH_TOKEN"):
        sender_for(fake, twilio_auth_token="")
    with pytest.raises(TwilioNotConfigured, match="TWILIO_WHATSAPP_FROM"):
        sender_for(fake, twilio_whatsapp_from="").send(PERSON, Channel.WHATSAPP, "Hi")


def test_nothing_about_the_person_reaches_the_logs(
    fake: FakeTwilio, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sender = sender_for(fake)
    fake.fail_next(status=500)

    sender.send(PERSON, Channel.SMS, "my secret answer")
    sender.send(PERSON, Channel.WHATSAPP, "my secret answer")

    assert NUMBER_DIGITS not in caplog.text
    assert "secret answer" not in caplog.text
    assert fake.auth_token not in caplog.text


def test_a_sender_with_callbacks_asks_for_delivery_reports_at_our_webhook(
    fake: FakeTwilio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TWILIO_WEBHOOK_OVERRIDES", "rc=3&rp=all")
    sender = TwilioSender.with_callbacks(settings_for(fake, public_url="https://council.example/"))

    sender.send(PERSON, Channel.SMS, "Hello")

    assert fake.calls[-1].form["StatusCallback"] == (
        "https://council.example/webhooks/twilio/status#rc=3&rp=all"
    )
