"""The officers' console tables: accounts, signed-in sessions, sign-in attempts.

None of them holds anything about a participant. Passwords are argon2 hashes; set-up links
and session cookies are random tokens kept only as their SHA-256, so a copy of the
database signs nobody in. A second factor's TOTP secret is AES-GCM encrypted (storage/
crypto.py), sealed to its account's row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import ID, NAME, SHORT, Base, UTCDateTime

__all__ = ["ConsoleSession", "Officer", "SigninAttempt"]

EMAIL = 254  # RFC 5321's longest address
DIGEST = 64  # hex SHA-256
HASH = 128  # an argon2id encoded hash is about 100 characters


class Officer(Base):
    """One officer's account. `setup_digest` is the one-time set-up link's token digest,
    valid until `setup_expires`; `disabled_at` is set when an admin disables it.

    The second factor: `totp_secret_enc` is the encrypted TOTP secret, on once
    `totp_enabled_at` is set (before that, one waiting to be confirmed with a code);
    `totp_last_step` is the time-step of the last code used, so a code works only once."""

    __tablename__ = "officers"

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    email: Mapped[str] = mapped_column(String(EMAIL), unique=True)
    role: Mapped[str] = mapped_column(String(SHORT))
    password_hash: Mapped[str | None] = mapped_column(String(HASH))
    setup_digest: Mapped[str | None] = mapped_column(String(DIGEST), unique=True)
    setup_expires: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_secret_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)


class ConsoleSession(Base):
    """A signed-in browser: the cookie's token digest, its account and CSRF token, and
    when it was last used (a session idle past the limit no longer signs anyone in).
    `stage` is `full`, or a half-signed-in browser's next step after the password:
    `code` (the second factor's code) or `enrol` (set a second factor up first)."""

    __tablename__ = "console_sessions"

    digest: Mapped[str] = mapped_column(String(DIGEST), primary_key=True)
    officer_id: Mapped[str] = mapped_column(
        String(ID), ForeignKey("officers.id", ondelete="CASCADE"), index=True
    )
    csrf: Mapped[str] = mapped_column(String(DIGEST))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    stage: Mapped[str] = mapped_column(String(SHORT), server_default="full")


class SigninAttempt(Base):
    """One failed sign-in, for the rate limit: `key` is a digest of the account's e-mail
    or of the client's IP address (`kind` says which), never either in plain."""

    __tablename__ = "signin_attempts"
    __table_args__ = (Index("ix_signin_attempts_key_at", "key", "at"),)

    id: Mapped[str] = mapped_column(String(ID), primary_key=True)
    kind: Mapped[str] = mapped_column(String(SHORT))
    key: Mapped[str] = mapped_column(String(NAME))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
