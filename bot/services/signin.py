"""Signing in to the console: passwords checked under a rate limit, sessions that end
after 8 idle hours (YOUSAID_CONSOLE_IDLE_HOURS) or at sign-out.

The browser holds a random session token; the database holds only its keyed digest, the
account and the session's CSRF token. Failed sign-ins are counted per account and per
client address (both kept as digests), so the limit holds across `--workers N`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from bot.runtime import Runtime
from bot.services import passwords
from storage.repositories.audit import detail_of
from storage.repositories.officers import OfficerRow

__all__ = [
    "ACCOUNT_LIMIT",
    "IP_LIMIT",
    "LIMIT_WINDOW",
    "Refused",
    "Session",
    "SignedIn",
    "current",
    "sign_in",
    "sign_out",
]

LIMIT_WINDOW = timedelta(minutes=10)
ACCOUNT_LIMIT = 5  # failures per account per window
IP_LIMIT = 20  # failures per client address per window (an office shares one)
# A session's last use is written at most this often, not on every page.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the cookie and the CSRF token for forms."""

    token: str
    csrf: str
    officer: OfficerRow


@dataclass(frozen=True)
class Refused:
    """Why a sign-in was refused: `too_many` (rate-limited) or `wrong` (anything else:
    unknown e-mail, wrong password, disabled account; the page never says which)."""

    reason: str


@dataclass(frozen=True)
class Session:
    """The signed-in officer of a request, with the session's CSRF token."""

    officer: OfficerRow
    csrf: str


def sign_in(runtime: Runtime, email: str, password: str, client: str) -> SignedIn | Refused:
    """Check the password under the rate limit; start a session when it matches."""
    now = runtime.clock.now()
    keys = runtime.keys
    account = keys.console_digest("account", email.strip().lower())
    address = keys.console_digest("ip", client)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        since = now - LIMIT_WINDOW
        if (
            uow.officers.failures_since("account", account, since) >= ACCOUNT_LIMIT
            or uow.officers.failures_since("ip", address, since) >= IP_LIMIT
        ):
            return Refused("too_many")
        officer = uow.officers.by_email(email.strip().lower())
        hashed = None if officer is None or officer.disabled else officer.password_hash
        if officer is None or not passwords.verify(hashed, password):
            uow.officers.record_failure("account", account, now)
            uow.officers.record_failure("ip", address, now)
            return Refused("wrong")
        uow.officers.clear_failures("account", account)
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        uow.officers.start_session(keys.console_digest("session", token), officer.id, csrf, now)
        uow.audit.record("officer.sign_in", detail_of(account=officer.email), now)
    return SignedIn(token, csrf, officer)


def current(runtime: Runtime, token: str) -> Session | None:
    """The session of a cookie's token, if it is still good (not idle past the limit, the
    account not disabled); its last use moves to now."""
    now = runtime.clock.now()
    digest = runtime.keys.console_digest("session", token)
    idle = timedelta(hours=runtime.settings.console_idle_hours)
    with runtime.db.unit_of_work() as uow:
        held = uow.officers.session(digest)
    if held is None or held.officer.disabled:
        return None
    if now - held.last_seen >= idle:
        sign_out(runtime, token)
        return None
    if now - held.last_seen >= _TOUCH_EVERY:
        with runtime.db.unit_of_work() as uow:
            uow.begin_write()
            uow.officers.touch_session(digest, now)
    return Session(held.officer, held.csrf)


def sign_out(runtime: Runtime, token: str) -> None:
    """End the session on the server: its cookie no longer signs anyone in."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.officers.end_session(runtime.keys.console_digest("session", token))
