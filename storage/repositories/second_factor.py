"""Officers' second factors: the encrypted TOTP secret, whether it is on, the last code's
time-step, and the database-wide setting that requires one of everybody.

The secret is sealed to its account's row (storage/sealing.py); this module never sees a
code, only the time-step a service found it valid for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import Meta
from storage.models_console import Officer
from storage.sealing import Sealer, totp_aad

__all__ = ["REQUIRED_KEY", "SecondFactorRepository", "TotpState"]

REQUIRED_KEY = "console_second_factor_required"


@dataclass(frozen=True)
class TotpState:
    """One account's second factor: its secret (None: none at all), whether it is on
    (not just waiting to be confirmed) and the time-step of the last code used."""

    secret: str | None
    on: bool
    last_step: int | None


class SecondFactorRepository:
    def __init__(self, session: Session, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    def state(self, officer_id: str) -> TotpState:
        row = self._session.get(Officer, officer_id)
        if row is None or row.totp_secret_enc is None:
            return TotpState(None, False, None)
        secret = self._sealer.open(row.totp_secret_enc, totp_aad(officer_id)).decode()
        return TotpState(secret, row.totp_enabled_at is not None, row.totp_last_step)

    def set_waiting(self, officer_id: str, secret: str) -> None:
        """A new secret, off until confirmed with a code (replaces one waiting before)."""
        sealed = self._sealer.seal(secret.encode(), totp_aad(officer_id))
        self._set(officer_id, totp_secret_enc=sealed, totp_enabled_at=None, totp_last_step=None)

    def turn_on(self, officer_id: str, now: datetime, step: int) -> None:
        """The waiting secret is on; the confirming code's step is used up."""
        self._set(officer_id, totp_enabled_at=now, totp_last_step=step)

    def use_step(self, officer_id: str, step: int) -> bool:
        """Use up a code's time-step (and every older one); False when a later or the same
        step was used meanwhile (two tries with one code at once: only one wins)."""
        result = self._session.execute(
            update(Officer)
            .where(
                Officer.id == officer_id,
                or_(Officer.totp_last_step.is_(None), Officer.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    def clear(self, officer_id: str) -> None:
        """No second factor any more (off, or a lost phone): the secret is deleted."""
        self._set(officer_id, totp_secret_enc=None, totp_enabled_at=None, totp_last_step=None)

    def without_second_factor(self) -> list[str]:
        """The ids of accounts whose second factor is not on."""
        statement = select(Officer.id).where(Officer.totp_enabled_at.is_(None))
        return list(self._session.scalars(statement))

    # The setting

    def required(self) -> bool:
        value = self._session.scalar(select(Meta.value).where(Meta.key == REQUIRED_KEY))
        return value == "on"

    def set_required(self, on: bool) -> None:
        row = self._session.get(Meta, REQUIRED_KEY)
        if row is None:
            self._session.add(Meta(key=REQUIRED_KEY, value="on" if on else "off"))
        else:
            row.value = "on" if on else "off"

    def _set(self, officer_id: str, **values: object) -> None:
        self._session.execute(update(Officer).where(Officer.id == officer_id).values(**values))
