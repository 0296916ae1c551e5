"""A browser's part in the console tests over plain HTTP: it keeps the cookies it is
given (Secure ones too, though the test app listens on plain http), reads the CSRF token
from each page, and signs in."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from bot.clock import FixedClock
from bot.runtime import Runtime
from bot.services import officers

PASSWORD = "purple kettle harbour"
_TOKEN = re.compile(r'name="(csrf|form_token)" value="([^"]*)"')


class Visitor:
    """One browser: its own cookies; follows no redirects, so tests see them."""

    def __init__(self, base_url: str, address: str = "127.0.0.1") -> None:
        self.client = httpx.Client(base_url=base_url, timeout=30, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        self.tokens: dict[str, str] = {}

    def get(self, path: str, *, html: bool = True, **headers: str) -> httpx.Response:
        accept = {"Accept": "text/html"} if html else {"Accept": "application/json"}
        response = self.client.get(path, headers={**accept, **headers, **self._cookie()})
        return self._keep(response)

    def post(
        self, path: str, data: dict[str, str], *, token: str | None = "csrf", **headers: str
    ) -> httpx.Response:
        """POST a form; `token` names the page token to add (csrf or form_token), or None."""
        form = dict(data)
        if token is not None and token in self.tokens:
            form.setdefault(token, self.tokens[token])
        response = self.client.post(
            path, data=form, headers={"Accept": "text/html", **headers, **self._cookie()}
        )
        return self._keep(response)

    def sign_in(self, email: str, password: str = PASSWORD, **headers: str) -> httpx.Response:
        self.get("/console/sign-in")
        return self.post(
            "/console/sign-in",
            {"email": email, "password": password},
            token="form_token",
            **headers,
        )

    def close(self) -> None:
        self.client.close()

    def _cookie(self) -> dict[str, str]:
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def _keep(self, response: httpx.Response) -> httpx.Response:
        for header in response.headers.get_list("set-cookie"):
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0].strip('"')
            if value and "max-age=0" not in header.lower():
                self.cookies[name] = value
            else:
                self.cookies.pop(name, None)
        for kind, value in _TOKEN.findall(response.text):
            self.tokens[kind] = value
        return response


def make_officer(runtime: Runtime, email: str, role: str = "officer") -> str:
    """An account with PASSWORD set through its set-up link; returns the e-mail."""
    link = officers.add(runtime, email, role)
    officers.set_password(runtime, link.url.rsplit("/", 1)[1], PASSWORD)
    return email


def later(runtime: Runtime, by: timedelta) -> None:
    """Move the app's clock on."""
    clock = runtime.clock
    assert isinstance(clock, FixedClock)
    clock.set(clock.now() + by)
