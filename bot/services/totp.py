"""TOTP codes (RFC 6238, as authenticator apps make them): a new secret, the link an app
reads from a QR code, and which time-step a code is valid for.

A code is accepted one 30-second step either side of now (a phone's clock drifts), and
only for a step later than the last one used, so a code seen over a shoulder is no use.
Nothing here logs: a secret or a code is never written anywhere but the encrypted column.
"""

from __future__ import annotations

from datetime import datetime

import pyotp
from pyotp import utils

__all__ = ["ISSUER", "matching_step", "new_secret", "normalised", "provisioning_uri"]

ISSUER = "YouSaid"
DIGITS = 6
_WINDOW = 1  # steps either side of now


def new_secret() -> str:
    """A random base32 secret (160 bits)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def normalised(code: str) -> str:
    """A typed code without spaces or dashes ("123 456" is 123456)."""
    return "".join(ch for ch in code if ch not in " -\t")


def matching_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time-step `code` is valid for at `now` (within one step either side), if it is
    later than `last_step`; None for a wrong, stale or reused code."""
    code = normalised(code)
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    if not totp.verify(code, for_time=now, valid_window=_WINDOW):
        return None
    current = totp.timecode(now)
    for step in range(current - _WINDOW, current + _WINDOW + 1):
        later = last_step is None or step > last_step
        if later and utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None
