"""Outbound SMS and WhatsApp through Twilio's REST API, answering in the outbox's outcomes.

Twilio takes no idempotency key, so the outcome says plainly when a message may or may not
have gone (`Unsure`): the outbox must not send such a message again (at most once).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from urllib3.exceptions import MaxRetryError, NewConnectionError

from bot.addresses import Address
from bot.channels.twilio.adapter import STATUS_PATH
from bot.channels.twilio.client import DEFAULT_TIMEOUT, RestClient, TwilioNotConfigured
from bot.channels.twilio.signature import configured_overrides, public_url
from bot.outbox.outcomes import Blocked, NotNow, Outcome, Refused, Retry, Sent, Unsure
from bot.settings import Settings
from conversations.messages import Channel

# Our own words for Twilio's codes: Twilio's messages quote the phone number.
PERMANENT_REASONS: Mapping[int, str] = {
    21211: "not a valid phone number",
    21610: "the person opted out with Twilio (texted STOP to this number)",
    21614: "not a mobile number",
    21617: "the message is longer than Twilio's 1,600 characters",
    30007: "filtered by the mobile network as spam",
    63016: "outside WhatsApp's 24-hour window: send an approved template instead",
}
# Codes that mean this person can't be reached at all (not just this message).
PERSON_CODES = frozenset({21610, 21211, 21614})
WHATSAPP_WINDOW_CODE = 63016
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
    ) -> Outcome:
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
            return Retry("Twilio did not accept a connection in time", NETWORK_WAIT)
        except requests.ConnectionError as error:
            if _never_connected(error):
                return Retry("could not connect to Twilio", NETWORK_WAIT)
            return Unsure("the connection to Twilio broke after the message was sent")
        except requests.Timeout:
            return Unsure("Twilio did not answer in time; the message may have been sent")
        except requests.RequestException:
            return Unsure("the call to Twilio failed part-way")
        cost = _segments(message.num_segments) if channel is Channel.SMS else 1
        return Sent(str(message.sid), cost)

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

    def _refused(self, status: int, code: int) -> Outcome:
        after = self.rest.retry_after()
        if status == 429:
            wait = timedelta(seconds=after) if after is not None else RATE_LIMIT_WAIT
            return Retry("Twilio asked us to slow down", wait)
        if status >= 500:
            wait = timedelta(seconds=after) if after is not None else SERVER_ERROR_WAIT
            return Retry(f"Twilio had a server error ({status})", wait)
        if status in (401, 403):
            return Retry(
                "Twilio refused our credentials: check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
                AUTH_FAILURE_WAIT,
            )
        if code == WHATSAPP_WINDOW_CODE:
            return NotNow(f"twilio {code}: outside WhatsApp's 24-hour window", code)
        reason = PERMANENT_REASONS.get(code, f"Twilio refused the message (error {code})")
        if code in PERSON_CODES:
            return Blocked(f"twilio {code}: {reason}", code)
        return Refused(f"twilio {code}: {reason}", code)


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
