"""Officers' second factor (TOTP): set one up and confirm it with a code, turn it off, and
the admin's setting that requires one of everybody. The console's pages and
`yousaid officer require-2fa` call these; every change is audited, never with the
secret or a code in it.

Signing in with the code is bot/services/signin.py's `enter_code`; `yousaid officer
reset` (bot/services/officers.py) clears a second factor, for a lost phone.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.runtime import Runtime
from bot.services import totp
from storage.repositories.audit import detail_of
from storage.repositories.officers import OfficerRow

__all__ = [
    "Enrolment",
    "SecondFactorError",
    "confirm",
    "is_on",
    "required",
    "set_required",
    "start",
    "turn_off",
    "waiting",
]

_WRONG_CODE = (
    "That code didn't work. Type the 6 digits your authenticator app shows now "
    "for YouSaid, then try again."
)


class SecondFactorError(Exception):
    """A plain message an officer can act on."""


@dataclass(frozen=True)
class Enrolment:
    """A second factor waiting to be confirmed: the secret to type in, and the link an
    authenticator app reads from the QR code. Show them to the account's owner only."""

    secret: str
    uri: str


def start(runtime: Runtime, officer: OfficerRow) -> Enrolment:
    """A new secret for `officer`, off until `confirm` gets a current code from it."""
    secret = totp.new_secret()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        if uow.second_factor.state(officer.id).on:
            raise SecondFactorError("Your second factor is already on.")
        uow.second_factor.set_waiting(officer.id, secret)
    return Enrolment(secret, totp.provisioning_uri(secret, officer.email))


def waiting(runtime: Runtime, officer: OfficerRow) -> Enrolment | None:
    """The secret started and not yet confirmed, if there is one."""
    with runtime.db.unit_of_work() as uow:
        state = uow.second_factor.state(officer.id)
    if state.secret is None or state.on:
        return None
    return Enrolment(state.secret, totp.provisioning_uri(state.secret, officer.email))


def is_on(runtime: Runtime, officer: OfficerRow) -> bool:
    """Whether `officer`'s second factor is on (now, not when they signed in)."""
    with runtime.db.unit_of_work() as uow:
        return uow.second_factor.state(officer.id).on


def confirm(runtime: Runtime, officer: OfficerRow, code: str) -> None:
    """Turn the waiting second factor on, given a current code from it; raises
    SecondFactorError when the code is wrong (nothing changes then)."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        state = uow.second_factor.state(officer.id)
        if state.secret is None or state.on:
            raise SecondFactorError("Start again: choose \u201cSet up a second factor\u201d.")
        step = totp.matching_step(state.secret, code, now, state.last_step)
        if step is None:
            raise SecondFactorError(_WRONG_CODE)
        uow.second_factor.turn_on(officer.id, now, step)
        uow.audit.record("officer.second_factor_on", detail_of(account=officer.email), now)


def turn_off(runtime: Runtime, officer: OfficerRow, code: str) -> None:
    """Turn `officer`'s second factor off, given a current code from it (so a browser
    left signed in can't do it); refused while an admin requires one of everybody."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        if uow.second_factor.required():
            raise SecondFactorError(
                "Your admin requires a second factor for every account, so it stays on."
            )
        state = uow.second_factor.state(officer.id)
        if not state.on or state.secret is None:
            raise SecondFactorError("Your second factor is already off.")
        step = totp.matching_step(state.secret, code, now, state.last_step)
        if step is None or not uow.second_factor.use_step(officer.id, step):
            raise SecondFactorError(_WRONG_CODE)
        uow.second_factor.clear(officer.id)
        uow.audit.record("officer.second_factor_off", detail_of(account=officer.email), now)


def required(runtime: Runtime) -> bool:
    """Whether every account must have a second factor."""
    with runtime.db.unit_of_work() as uow:
        return uow.second_factor.required()


def set_required(runtime: Runtime, on: bool) -> int:
    """Require a second factor of everybody (or stop). Turning it on signs out every
    account without one, so each sets one up at their next sign-in; returns how many
    accounts that is."""
    now = runtime.clock.now()
    with runtime.db.unit_of_work() as uow:
        uow.begin_write()
        uow.second_factor.set_required(on)
        without = uow.second_factor.without_second_factor()
        if on:
            for officer_id in without:
                uow.officers.end_sessions(officer_id)
        uow.audit.record(
            "officer.require_second_factor", detail_of(required="on" if on else "off"), now
        )
    return len(without)
