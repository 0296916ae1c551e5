"""Payment card numbers (checked by Luhn, or in fours) and their security codes."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Unbroken, in fours, or the 4-6-5 of American Express.
CARD_NUMBER = re.compile(
    r"(?<![\d-])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})"
    r"(?![\d-])"
)
CARD_SECURITY_CODE = re.compile(
    r"\b(?:cvv2?|cvc2?|cv2|security code|exp(?:iry|ires)?)\s*[:.-]?\s*"
    r"(?P<value>\d{3,4}|\d\d/\d\d)\b",
    re.IGNORECASE,
)


def find_card_details(text: str) -> Iterator[tuple[int, int]]:
    """Spans of card numbers, security codes and expiry dates."""
    for m in CARD_NUMBER.finditer(text):
        digits = [int(c) for c in m.group() if c.isdecimal()]
        groups = re.split(r"[ -]", m.group())
        if _luhn_valid(digits) or (len(groups) == 4 and all(len(g) == 4 for g in groups)):
            yield m.span()
    yield from (m.span("value") for m in CARD_SECURITY_CODE.finditer(text))


def _luhn_valid(digits: list[int]) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0
