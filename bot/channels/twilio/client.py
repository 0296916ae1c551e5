"""The twilio REST client, built once from settings: timeout, base URL, quiet logger."""

from __future__ import annotations

import logging
import threading
from typing import Any

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from bot.settings import Settings

DEFAULT_TIMEOUT = 10.0  # seconds; a send or delete never holds a worker longer

# twilio's HTTP client logs each request's URL and parameters (numbers, bodies) at INFO.
# It gets its own logger that only ever passes warnings, whatever the root level is.
_http_log = logging.getLogger("bot.channels.twilio.http")
_http_log.setLevel(logging.WARNING)


class TwilioNotConfigured(RuntimeError):
    """A Twilio setting the operation needs is missing; the message names it."""


class RestClient:
    """A twilio `Client` plus the last response's Retry-After, per thread."""

    def __init__(self, settings: Settings, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        if not settings.twilio_account_sid or not settings.twilio_auth_token:
            raise TwilioNotConfigured(
                "set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN to send or delete Twilio messages"
            )
        self._seen = threading.local()
        http = TwilioHttpClient(
            timeout=timeout,
            logger=_http_log,
            request_hooks={"response": [self._remember]},
        )
        self.client = Client(
            settings.twilio_account_sid, settings.twilio_auth_token, http_client=http
        )
        if settings.twilio_api_url:
            # Tests and staging point the API at a local fake; an edge or region from the
            # environment would otherwise rewrite its host name.
            self.client.api.base_url = settings.twilio_api_url.rstrip("/")
            self.client.edge = None
            self.client.region = None

    @property
    def messages(self) -> Any:
        """The account's Messages list resource."""
        return self.client.api.v2010.account.messages

    def reset(self) -> None:
        """Forget the last response's headers in this thread (call before a request)."""
        self._seen.retry_after = None

    def retry_after(self) -> float | None:
        """Seconds from the last response's Retry-After header in this thread, if any."""
        value = getattr(self._seen, "retry_after", None)
        try:
            return max(0.0, float(value)) if value is not None else None
        except ValueError:
            return None

    def _remember(self, response: Any, *args: Any, **kwargs: Any) -> Any:
        self._seen.retry_after = response.headers.get("Retry-After")
        return response
