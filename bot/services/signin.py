"""Signing in to the console: passwords (and second-factor codes) checked under a rate
limit, sessions that end after 8 idle hours (YOUSAID_CONSOLE_IDLE_HOURS) or at sign-out.

With a second factor on, the password gives only a half-signed-in session (stage `code`)
that opens no console page; the right code ends it and starts a full one. When an admin
requires a second factor and the account has none, the half-signed-in stage is `enrol`:
only the set-up page opens until one is on. Either lasts 15 minutes. Wrong codes count
toward the same limits as wrong passwords.

The browser holds a random session token; the database holds only its keyed digest, the
account and the session's CSRF token. Failed sign-ins are counted per account and per
client address (both kept as digests), so the limit holds across `--workers N`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.services import passwords, totp
from storage.repositories.audit import detail_of
from storage.repositories.officers import OfficerRow
from storage.uow import UnitOfWork

__all__ = [
    "ACCOUNT_LIMIT",
    "ALL_STAGES",
    "FULL",
    "IP_LIMIT",
    "LIMIT_WINDOW",
    "PENDING",
    "Refused",
    "Session",
    "SignedIn",
    "current",
    "enter_code",
    "promote",
    "sign_in",
    "sign_out",
]

LIMIT_WINDOW = timedelta(minutes=10)
ACCOUNT_LIMIT = 5  # failures per account per window
IP_LIMIT = 20  # failures per client address per window (an office shares one)
PENDING = timedelta(minutes=15)  # how long a half-signed-in session lasts
FULL = frozenset({"full"})
ALL_STAGES = frozenset({"full", "code", "enrol"})
# A session's last use is written at most this often, not on every page.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class SignedIn:
    """A new session: the token for the cookie and the CSRF token for forms; `stage` is
    `full`, or `code` / `enrol` when the password was right but a second step is due."""

    token: str
    csrf: str
    officer: OfficerRow
    stage: str = "full"


@dataclass(frozen=True)
class Refused:
    """Why a sign-in was refused: `too_many` (rate-limited) or `wrong` (anything else:
    unknown e-mail, wrong password, disabled account; the page never says which)."""

    reason: str


@dataclass(frozen=True)
class Session:
    """The signed-in officer of a request, with the session's CSRF token and stage."""

    officer: OfficerRow
    csrf: str
    stage: str = "full"


def sign_in(runtime: Runtime, email: str, password: str, client: str) -> SignedIn | Refused:
    """Check the password under the rate limit; start a session when it matches (a
    half-signed-in one when a second factor is on, or required and not set up yet)."""
    now = runtime.clock.now()
    keys = runtime.keys
    account = keys.console_digest("account", email.strip().lower())
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        if _limited(uow, runtime, email, client, now):
            return Refused("too_many")
        officer = uow.officers.by_email(email.strip().lower())
        hashed = None if officer is None or officer.disabled else officer.password_hash
        if officer is None or not passwords.verify(hashed, password):
            _record_failure(uow, runtime, email, client, now)
            return Refused("wrong")
        if officer.second_factor:
            stage = "code"
        elif uow.second_factor.required():
            stage = "enrol"
        else:
            stage = "full"
            uow.officers.clear_failures("account", account)
            uow.audit.record("officer.sign_in", detail_of(account=officer.email), now)
        return _start(uow, runtime, officer, stage, now)


def enter_code(runtime: Runtime, token: str, code: str, client: str) -> SignedIn | Refused:
    """The second step: a half-signed-in session's code, under the same rate limit as
    passwords. The right code (not used before) ends that session and starts a full one."""
    now = runtime.clock.now()
    held = current(runtime, token, stages=frozenset({"code"}))
    if held is None:
        return Refused("wrong")
    officer = held.officer
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        if _limited(uow, runtime, officer.email, client, now):
            return Refused("too_many")
        state = uow.second_factor.state(officer.id)
        step = None
        if state.on and state.secret is not None:
            step = totp.matching_step(state.secret, code, now, state.last_step)
        if step is None or not uow.second_factor.use_step(officer.id, step):
            _record_failure(uow, runtime, officer.email, client, now)
            return Refused("wrong")
        return _finish(uow, runtime, officer, token, now)


def promote(runtime: Runtime, token: str) -> SignedIn | None:
    """A half-signed-in session whose second step is done (the set-up page turned a
    second factor on) becomes a full one, under a new token."""
    now = runtime.clock.now()
    held = current(runtime, token, stages=frozenset({"enrol"}))
    if held is None:
        return None
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        return _finish(uow, runtime, held.officer, token, now)


def current(runtime: Runtime, token: str, *, stages: frozenset[str] = FULL) -> Session | None:
    """The session of a cookie's token, if it is still good (not idle past the limit, the
    account not disabled, its stage one of `stages`: by default only a full sign-in; a
    half-signed-in one only for 15 minutes); its last use moves to now."""
    now = runtime.clock.now()
    digest = runtime.keys.console_digest("session", token)
    idle = timedelta(hours=runtime.settings.console_idle_hours)
    with runtime.db.unit_of_work() as uow:
        held = uow.officers.session(digest)
    if held is None or held.officer.disabled or held.stage not in stages:
        return None
    stale = held.stage != "full" and (held.created_at is None or now - held.created_at >= PENDING)
    if now - held.last_seen >= idle or stale:
        sign_out(runtime, token)
        return None
    if now - held.last_seen >= _TOUCH_EVERY:
        with runtime.db.unit_of_work() as uow:
            uow.begin_write()
            uow.officers.touch_session(digest, now)
    return Session(held.officer, held.csrf, held.stage)


def sign_out(runtime: Runtime, token: str) -> None:
    """End the session on the server: its cookie no longer signs anyone in."""
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.officers.end_session(runtime.keys.console_digest("session", token))


def _limited(uow: UnitOfWork, runtime: Runtime, email: str, client: str, now: datetime) -> bool:
    keys, since = runtime.keys, now - LIMIT_WINDOW
    account = keys.console_digest("account", email.strip().lower())
    address = keys.console_digest("ip", client)
    return (
        uow.officers.failures_since("account", account, since) >= ACCOUNT_LIMIT
        or uow.officers.failures_since("ip", address, since) >= IP_LIMIT
    )


def _record_failure(
    uow: UnitOfWork, runtime: Runtime, email: str, client: str, now: datetime
) -> None:
    account = runtime.keys.console_digest("account", email.strip().lower())
    uow.officers.record_failure("account", account, now)
    uow.officers.record_failure("ip", runtime.keys.console_digest("ip", client), now)


def _start(
    uow: UnitOfWork, runtime: Runtime, officer: OfficerRow, stage: str, now: datetime
) -> SignedIn:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    digest = runtime.keys.console_digest("session", token)
    uow.officers.start_session(digest, officer.id, csrf, now, stage)
    return SignedIn(token, csrf, officer, stage)


def _finish(
    uow: UnitOfWork, runtime: Runtime, officer: OfficerRow, token: str, now: datetime
) -> SignedIn:
    """The half-signed-in session ends; a full one starts (a new token: the old cookie,
    seen before the second step, signs nobody in)."""
    uow.officers.end_session(runtime.keys.console_digest("session", token))
    uow.officers.clear_failures("account", runtime.keys.console_digest("account", officer.email))
    uow.audit.record("officer.sign_in", detail_of(account=officer.email), now)
    return _start(uow, runtime, officer, "full", now)
