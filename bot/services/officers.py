"""Officers' console accounts: add one, list, disable, give a new set-up link (which also
clears a second factor: a lost phone), set the password from a link. The CLI
(`yousaid officer ...`) and the console's admin pages both call these; every change is
audited, in the same transaction."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.runtime import Runtime
from bot.services import passwords
from storage.repositories.audit import detail_of
from storage.repositories.officers import OfficerRow

__all__ = [
    "LINK_HOURS",
    "ROLES",
    "OfficerError",
    "OfficerRow",
    "SetupLink",
    "add",
    "all_officers",
    "disable",
    "link_target",
    "reset",
    "set_password",
]

ROLES = ("officer", "safeguarding", "admin")
LINK_HOURS = 24
SETUP_PATH = "/console/setup/"
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s.]{2,}$")


class OfficerError(Exception):
    """A plain message an officer can act on."""


@dataclass(frozen=True)
class SetupLink:
    """A one-time link where the account's owner sets their password."""

    email: str
    url: str
    expires: datetime


def add(runtime: Runtime, email: str, role: str = "officer") -> SetupLink:
    """A new account with `role`; its set-up link is valid for 24 hours."""
    email = _checked_email(email)
    if role not in ROLES:
        raise OfficerError(f"There is no role {role!r}. Use one of: {', '.join(ROLES)}.")
    now = runtime.clock.now()
    token, digest = _new_token(runtime)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        if uow.officers.by_email(email) is not None:
            raise OfficerError(
                f"{email} already has an account. "
                f"For a new set-up link: yousaid officer reset {email}"
            )
        uow.officers.add(email, role, digest, now + timedelta(hours=LINK_HOURS), now)
        uow.audit.record("officer.add", detail_of(account=email, role=role), now)
    return SetupLink(email, _url(runtime, token), now + timedelta(hours=LINK_HOURS))


def all_officers(runtime: Runtime) -> list[OfficerRow]:
    """Every account, by e-mail."""
    with runtime.db.unit_of_work() as uow:
        return uow.officers.all()


def disable(runtime: Runtime, email: str) -> None:
    """The account can no longer sign in; its sessions end now and its second factor is
    deleted."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        officer = _known(uow.officers.by_email(_folded(email)), email)
        uow.officers.disable(officer.id, now)
        uow.second_factor.clear(officer.id)
        uow.audit.record("officer.disable", detail_of(account=officer.email), now)


def reset(runtime: Runtime, email: str) -> SetupLink:
    """A new set-up link (valid 24 hours): the old password and link stop working, the
    second factor is cleared (a lost phone: a new one is set up after the password) and
    every session ends. A disabled account is enabled again."""
    now = runtime.clock.now()
    token, digest = _new_token(runtime)
    expires = now + timedelta(hours=LINK_HOURS)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        officer = _known(uow.officers.by_email(_folded(email)), email)
        uow.officers.set_setup(officer.id, digest, expires)
        uow.second_factor.clear(officer.id)
        uow.officers.enable(officer.id)
        uow.officers.end_sessions(officer.id)
        second_factor = "cleared" if officer.second_factor else None
        uow.audit.record(
            "officer.reset", detail_of(account=officer.email, second_factor=second_factor), now
        )
    return SetupLink(officer.email, _url(runtime, token), expires)


def link_target(runtime: Runtime, token: str) -> OfficerRow | None:
    """The account a set-up link is for, while the link is still valid."""
    digest = runtime.keys.console_digest("setup", token)
    with runtime.db.unit_of_work() as uow:
        officer = uow.officers.by_setup_digest(digest)
    if officer is None or officer.setup_expires is None or officer.disabled:
        return None
    return officer if runtime.clock.now() < officer.setup_expires else None


def set_password(runtime: Runtime, token: str, password: str) -> OfficerRow:
    """Set the password from a set-up link; raises OfficerError saying what to change."""
    officer = link_target(runtime, token)
    if officer is None:
        raise OfficerError("This link has expired or was already used. Ask an admin for a new one.")
    problem = passwords.problem_with(password, officer.email)
    if problem is not None:
        raise OfficerError(problem)
    hashed = passwords.hash_password(password)
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.officers.set_password(officer.id, hashed)
        uow.audit.record("officer.password", detail_of(account=officer.email), runtime.clock.now())
    return officer


def _checked_email(email: str) -> str:
    folded = _folded(email)
    if not _EMAIL.match(folded):
        raise OfficerError(
            f"{email!r} doesn't look like an e-mail address, like name@council.gov.uk."
        )
    return folded


def _folded(email: str) -> str:
    return email.strip().lower()


def _known(officer: OfficerRow | None, email: str) -> OfficerRow:
    if officer is None:
        raise OfficerError(f"There is no account for {email}. See them all: yousaid officer list")
    return officer


def _new_token(runtime: Runtime) -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, runtime.keys.console_digest("setup", token)


def _url(runtime: Runtime, token: str) -> str:
    base = runtime.settings.public_url.rstrip("/") or "http://127.0.0.1:8000"
    return f"{base}{SETUP_PATH}{token}"
