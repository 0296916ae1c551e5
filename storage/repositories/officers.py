"""Officers' accounts, their signed-in sessions and failed sign-ins, for the console.

Tokens arrive here already hashed (the service hashes them): this module never sees a
password, a set-up link or a session cookie.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import new_id
from storage.models_console import ConsoleSession, Officer, SigninAttempt

__all__ = ["ConsolePurge", "OfficerRow", "OfficersRepository", "SessionRow"]


@dataclass(frozen=True)
class ConsolePurge:
    """What one purge of the console's records deleted."""

    sessions: int
    signin_attempts: int
    accounts: int


@dataclass(frozen=True)
class OfficerRow:
    id: str
    email: str
    role: str
    password_hash: str | None
    setup_expires: datetime | None
    created_at: datetime
    disabled_at: datetime | None
    second_factor: bool = False  # a TOTP second factor is on

    @property
    def disabled(self) -> bool:
        return self.disabled_at is not None


@dataclass(frozen=True)
class SessionRow:
    digest: str
    officer: OfficerRow
    csrf: str
    last_seen: datetime
    stage: str = "full"  # or `code` / `enrol`: half-signed-in (see ConsoleSession)
    created_at: datetime | None = None


class OfficersRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # Accounts

    def add(
        self, email: str, role: str, setup_digest: str, expires: datetime, now: datetime
    ) -> OfficerRow:
        """A new account with a set-up link and no password yet."""
        row = Officer(
            id=new_id(),
            email=email,
            role=role,
            setup_digest=setup_digest,
            setup_expires=expires,
            created_at=now,
        )
        self._session.add(row)
        self._session.flush()
        return _officer(row)

    def by_email(self, email: str) -> OfficerRow | None:
        row = self._session.scalar(select(Officer).where(Officer.email == email))
        return None if row is None else _officer(row)

    def by_setup_digest(self, digest: str) -> OfficerRow | None:
        row = self._session.scalar(select(Officer).where(Officer.setup_digest == digest))
        return None if row is None else _officer(row)

    def all(self) -> list[OfficerRow]:
        """Every account, by e-mail."""
        return [
            _officer(row) for row in self._session.scalars(select(Officer).order_by(Officer.email))
        ]

    def set_setup(self, officer_id: str, digest: str, expires: datetime) -> None:
        """A new set-up link; the old one and the password stop working."""
        self._session.execute(
            update(Officer)
            .where(Officer.id == officer_id)
            .values(setup_digest=digest, setup_expires=expires, password_hash=None)
        )

    def set_password(self, officer_id: str, password_hash: str) -> None:
        """The password is set; the set-up link is used up."""
        self._session.execute(
            update(Officer)
            .where(Officer.id == officer_id)
            .values(password_hash=password_hash, setup_digest=None, setup_expires=None)
        )

    def disable(self, officer_id: str, now: datetime) -> None:
        """Disabled: no password, no link, every session ended."""
        self._session.execute(
            update(Officer)
            .where(Officer.id == officer_id)
            .values(disabled_at=now, password_hash=None, setup_digest=None, setup_expires=None)
        )
        self.end_sessions(officer_id)

    def enable(self, officer_id: str) -> None:
        self._session.execute(
            update(Officer).where(Officer.id == officer_id).values(disabled_at=None)
        )

    # Sessions

    def start_session(
        self, digest: str, officer_id: str, csrf: str, now: datetime, stage: str = "full"
    ) -> None:
        self._session.add(
            ConsoleSession(
                digest=digest,
                officer_id=officer_id,
                csrf=csrf,
                created_at=now,
                last_seen=now,
                stage=stage,
            )
        )

    def session(self, digest: str) -> SessionRow | None:
        """The session and its account, or None."""
        found = self._session.execute(
            select(ConsoleSession, Officer)
            .join(Officer, Officer.id == ConsoleSession.officer_id)
            .where(ConsoleSession.digest == digest)
        ).first()
        if found is None:
            return None
        held, officer = found
        return SessionRow(
            held.digest, _officer(officer), held.csrf, held.last_seen, held.stage, held.created_at
        )

    def touch_session(self, digest: str, now: datetime) -> None:
        self._session.execute(
            update(ConsoleSession).where(ConsoleSession.digest == digest).values(last_seen=now)
        )

    def end_session(self, digest: str) -> None:
        self._session.execute(delete(ConsoleSession).where(ConsoleSession.digest == digest))

    def end_sessions(self, officer_id: str) -> None:
        self._session.execute(delete(ConsoleSession).where(ConsoleSession.officer_id == officer_id))

    # Failed sign-ins

    def record_failure(self, kind: str, key: str, now: datetime) -> None:
        self._session.add(SigninAttempt(id=new_id(), kind=kind, key=key, at=now))

    def failures_since(self, kind: str, key: str, since: datetime) -> int:
        statement = select(func.count()).where(
            SigninAttempt.kind == kind, SigninAttempt.key == key, SigninAttempt.at >= since
        )
        return int(self._session.scalar(statement) or 0)

    def clear_failures(self, kind: str, key: str) -> None:
        self._session.execute(
            delete(SigninAttempt).where(SigninAttempt.kind == kind, SigninAttempt.key == key)
        )

    # Retention

    def purge(
        self, *, idle_before: datetime, attempts_before: datetime, disabled_before: datetime
    ) -> ConsolePurge:
        """Delete sessions idle since before `idle_before`, failed sign-ins from before
        `attempts_before` and accounts disabled before `disabled_before`; counts by kind."""
        sessions = self._session.execute(
            delete(ConsoleSession).where(ConsoleSession.last_seen < idle_before)
        )
        attempts = self._session.execute(
            delete(SigninAttempt).where(SigninAttempt.at < attempts_before)
        )
        gone = list(
            self._session.scalars(
                select(Officer.id).where(
                    Officer.disabled_at.is_not(None), Officer.disabled_at < disabled_before
                )
            )
        )
        if gone:
            self._session.execute(delete(ConsoleSession).where(ConsoleSession.officer_id.in_(gone)))
            self._session.execute(delete(Officer).where(Officer.id.in_(gone)))
        return ConsolePurge(_count(sessions), _count(attempts), len(gone))


def _officer(row: Officer) -> OfficerRow:
    return OfficerRow(
        row.id,
        row.email,
        row.role,
        row.password_hash,
        row.setup_expires,
        row.created_at,
        row.disabled_at,
        row.totp_enabled_at is not None,
    )


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
