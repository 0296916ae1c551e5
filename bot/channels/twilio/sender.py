"""Outbound SMS and WhatsApp through Twilio's REST API, with a typed result for the outbox.

Twilio takes no idempotency key, so the result says plainly when a message may or may not
have gone (`Unknown`): the outbox must not send such a message again (at most once).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from urllib3.exceptions import MaxRetryError, NewConnectionError

from bot.addresses import Address
from bot.channels.twilio.adapter import STATUS_PATH
from bot.channels.twilio.client import DEFAULT_TIMEOUT, RestClient, TwilioNotConfigured
from bot.channels.twilio.signature import configured_overrides, public_url
from bot.settings import Settings
from conversations.messages import Channel


@dataclass(frozen=True)
class Accepted:
    """Twilio took the message; `sid` matches its status callbacks."""

    sid: str
    segments: int


@dataclass(frozen=True)
class RetryLater:
    """Nothing was sent; try again after `after`."""

    reason: str
    after: timedelta


@dataclass(frozen=True)
class PermanentFailure:
    """Twilio refused this message for good (its error `code`); do not send it again."""

    code: int
    reason: str


@dataclass(frozen=True)
class Unknown:
    """The call broke after the request left: the message may have been sent. Never resend."""

    reason: str


SendResult = Accepted | RetryLater | PermanentFailure | Unknown

# Our own words for Twilio's codes: Twilio's messages quote the phone number.
PERMANENT_REASONS: Mapping[int, str] = {
    21211: "not a valid phone number",
    21610: "the person opted out with Twilio (texted STOP to this number)",
    21614: "not a mobile number",
    21617: "the message is longer than Twilio's 1,600 characters",
    30007: "filtered by the mobile network as spam",
    63016: "outside WhatsApp's 24-hour window: send an approved template instead",
}
AUTH_FAILURE_WAIT = timedelta(minutes=5)
RATE_LIMIT_WAIT = timedelta(seconds=5)
SERVER_ERROR_WAIT = timedelta(seconds=30)
NETWORK_WAIT = timedelta(seconds=30)


class TwilioSender:
    """Sends one message at a time; safe to share between threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        status_callback: str | None = None,
    ) -> None:
        self.settings = settings
        self.rest = RestClient(settings, timeout=timeout)
        self.status_callback = status_callback

    @classmethod
    def with_callbacks(
        cls, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT
    ) -> TwilioSender:
        """A sender whose messages report delivery to this app's status webhook."""
        callback = None
        if settings.public_url:
            overrides = configured_overrides(settings)
            callback = public_url(settings.public_url, STATUS_PATH, "", overrides)
        return cls(settings, timeout=timeout, status_callback=callback)

    def send(
        self,
        to: Address,
        channel: Channel,
        text: str | None = None,
        *,
        content_sid: str | None = None,
        content_variables: Mapping[str, str] | None = None,
    ) -> SendResult:
        """Send `text` (or a WhatsApp template) to a phone address on SMS or WhatsApp."""
        if to.scheme != "tel":
            raise ValueError("Twilio sends only to phone addresses")
        params = self._route(to.value, channel)
        if text is not None:
            params["body"] = text
        if content_sid is not None:
            params["content_sid"] = content_sid
            if content_variables:
                params["content_variables"] = json.dumps(dict(content_variables))
        if self.status_callback:
            params["status_callback"] = self.status_callback
        self.rest.reset()
        try:
            message = self.rest.messages.create(**params)
        except (TwilioRestException, TwilioServiceException) as error:
            return self._refused(int(error.status), _code(error))
        except requests.ConnectTimeout:
            return RetryLater("Twilio did not accept a connection in time", NETWORK_WAIT)
        except requests.ConnectionError as error:
            if _never_connected(error):
                return RetryLater("could not connect to Twilio", NETWORK_WAIT)
            return Unknown("the connection to Twilio broke after the message was sent")
        except requests.Timeout:
            return Unknown("Twilio did not answer in time; the message may have been sent")
        except requests.RequestException:
            return Unknown("the call to Twilio failed part-way")
        return Accepted(str(message.sid), _segments(message.num_segments))

    def _route(self, number: str, channel: Channel) -> dict[str, object]:
        if channel is Channel.SMS:
            sender = self.settings.twilio_from
            if not sender:
                raise TwilioNotConfigured("set TWILIO_FROM (a number or an MG... service SID)")
            return {"to": number, **_sender(sender, whatsapp=False)}
        if channel is Channel.WHATSAPP:
            sender = self.settings.twilio_whatsapp_from
            if not sender and self.settings.twilio_from.startswith("MG"):
                sender = self.settings.twilio_from  # a service can hold WhatsApp senders too
            if not sender:
                raise TwilioNotConfigured("set TWILIO_WHATSAPP_FROM to send on WhatsApp")
            return {"to": f"whatsapp:{number}", **_sender(sender, whatsapp=True)}
        raise ValueError(f"Twilio does not send on {channel}")

    def _refused(self, status: int, code: int) -> SendResult:
        after = self.rest.retry_after()
        if status == 429:
            wait = timedelta(seconds=after) if after is not None else RATE_LIMIT_WAIT
            return RetryLater("Twilio asked us to slow down", wait)
        if status >= 500:
            wait = timedelta(seconds=after) if after is not None else SERVER_ERROR_WAIT
            return RetryLater(f"Twilio had a server error ({status})", wait)
        if status in (401, 403):
            return RetryLater(
                "Twilio refused our credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                AUTH_FAILURE_WAIT,
            )
        reason = PERMANENT_REASONS.get(code, f"Twilio refused the message (error {code})")
        return PermanentFailure(code, reason)


def _sender(sender: str, *, whatsapp: bool) -> dict[str, object]:
    if sender.startswith("MG"):
        return {"messaging_service_sid": sender}
    if whatsapp and not sender.startswith("whatsapp:"):
        sender = f"whatsapp:{sender}"
    return {"from_": sender}


def _code(error: TwilioRestException | TwilioServiceException) -> int:
    try:
        return int(error.code) if error.code is not None else int(error.status)
    except (TypeError, ValueError):
        return int(error.status)


def _segments(value: object) -> int:
    try:
        return max(1, int(str(value)))
    except ValueError:
        return 1


def _never_connected(error: requests.ConnectionError) -> bool:
    """Whether the connection failed before any byte of the request went out."""
    cause = error.args[0] if error.args else None
    return isinstance(cause, MaxRetryError) and isinstance(cause.reason, NewConnectionError)
