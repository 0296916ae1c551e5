"""Twilio's X-Twilio-Signature, checked against the public URL Twilio was given.

The app sits behind a proxy, so the host a request arrives on is not the one Twilio signed:
the URL is rebuilt from YOUSAID_PUBLIC_URL, the route's path and the query string exactly as
it arrived. Webhook connection overrides (`#rc=3&rp=all&ct=...`) are a URL fragment, which
never reaches the server; Twilio's documentation does not say whether the signed URL
includes it, so when TWILIO_WEBHOOK_OVERRIDES names the fragment the signature may match the
URL with or without it. Both are HMACs under the auth token, so neither weakens the check.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from twilio.request_validator import RequestValidator

from bot.settings import Settings

SIGNATURE_HEADER = "X-Twilio-Signature"


def configured_overrides(settings: Settings) -> str:
    """The connection-override fragment (TWILIO_WEBHOOK_OVERRIDES), without its '#'."""
    return settings.twilio_webhook_overrides.strip().lstrip("#")


def public_url(base: str, path: str, query: str = "", overrides: str = "") -> str:
    """The URL Twilio is told to call: the public base, the path, a query, the overrides."""
    url = base.rstrip("/") + path
    if query:
        url += "?" + query
    if overrides:
        url += "#" + overrides.lstrip("#")
    return url


class SignatureCheck:
    """Validates one webhook's signature with twilio's RequestValidator."""

    def __init__(self, auth_token: str, base_url: str, overrides: str = "") -> None:
        self._validator = RequestValidator(auth_token)
        self._base = base_url
        self._overrides = overrides

    def candidates(self, path: str, query: str) -> tuple[str, ...]:
        """The URLs Twilio may have signed for a request to `path` with `query`."""
        plain = public_url(self._base, path, query)
        if not self._overrides:
            return (plain,)
        return (plain, public_url(self._base, path, query, self._overrides))

    def valid(
        self,
        path: str,
        query: str,
        params: Mapping[str, str] | Sequence[tuple[str, str]],
        signature: str | None,
    ) -> bool:
        """Whether `signature` is Twilio's for this path, query and form parameters."""
        if not signature:
            return False
        form = _MultiParams(params)
        return any(
            self._validator.validate(url, form, signature) for url in self.candidates(path, query)
        )


class _MultiParams:
    """Form parameters with repeated names, in the shape RequestValidator reads (getlist)."""

    def __init__(self, params: Mapping[str, str] | Sequence[tuple[str, str]]) -> None:
        pairs = list(params.items()) if isinstance(params, Mapping) else list(params)
        self._values: dict[str, list[str]] = {}
        for name, value in pairs:
            self._values.setdefault(name, []).append(value)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def getlist(self, name: str) -> list[str]:
        return self._values[name]
