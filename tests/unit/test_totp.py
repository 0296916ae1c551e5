"""TOTP codes: one step either side of now, never a step already used, digits only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp

from bot.services import totp

NOW = datetime(2026, 12, 6, 12, 0, 10, tzinfo=UTC)


def test_a_code_is_good_one_step_either_side_and_not_two() -> None:
    secret = totp.new_secret()
    step = pyotp.TOTP(secret).timecode(NOW)
    for offset in (-1, 0, 1):
        code = pyotp.TOTP(secret).at(NOW, counter_offset=offset)
        assert totp.matching_step(secret, code, NOW, None) == step + offset
    for offset in (-2, 2):
        code = pyotp.TOTP(secret).at(NOW, counter_offset=offset)
        assert totp.matching_step(secret, code, NOW, None) is None


def test_a_used_step_and_older_ones_are_refused() -> None:
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    step = totp.matching_step(secret, code, NOW, None)
    assert step is not None
    assert totp.matching_step(secret, code, NOW, step) is None
    older = pyotp.TOTP(secret).at(NOW - timedelta(seconds=30))
    assert totp.matching_step(secret, older, NOW, step) is None


def test_spaces_are_fine_and_anything_else_is_refused() -> None:
    secret = totp.new_secret()
    code = pyotp.TOTP(secret).at(NOW)
    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", NOW, None) is not None
    for typed in ("", "12345", "1234567", "abcdef", "１２３４５６"):
        assert totp.matching_step(secret, typed, NOW, None) is None


def test_the_app_link_names_the_issuer_and_the_account() -> None:
    uri = totp.provisioning_uri(totp.new_secret(), "sam@council.gov.uk")
    assert uri.startswith("otpauth://totp/YouSaid:sam%40council.gov.uk?")
    assert "issuer=YouSaid" in uri
