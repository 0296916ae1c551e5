"""Officers' passwords: the rule a new one must pass, and argon2 hashing.

The rule follows NCSC's guidance: long enough, not one of the most common, and no
composition rules (no "one capital, one symbol"). A password is never logged or kept in
plain; only its argon2id hash is stored.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "hash_password", "problem_with", "verify"]

MIN_LENGTH = 12
# Long passphrases are welcome; past this, hashing would be a way to burn CPU.
MAX_LENGTH = 256

_HASHER = PasswordHasher()


def problem_with(password: str, email: str) -> str | None:
    """Why `password` can't be used, in plain words, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. Three random words work well."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    folded = "".join(password.lower().split())
    if folded in _common() or len(set(folded)) <= 2:
        return "That password is too common. Try three random words."
    local = email.split("@", 1)[0].lower()
    if len(local) >= 4 and local in folded:
        return "Don't use your e-mail address in your password."
    return None


def hash_password(password: str) -> str:
    """The argon2id hash to store."""
    return _HASHER.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; False for an account with no password yet."""
    if password_hash is None or len(password) > MAX_LENGTH:
        # Same cost as a real check, so timing doesn't tell whether an account exists.
        _HASHER.hash("no account here")
        return False
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common() -> frozenset[str]:
    common = resources.files("config") / "console" / "common-passwords.txt"
    lines = common.read_text(encoding="utf-8").splitlines()
    return frozenset(
        "".join(line.lower().split()) for line in lines if line.strip() and not line.startswith("#")
    )
