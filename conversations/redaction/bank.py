"""Bank details: sort codes, account numbers near a bank word, IBANs."""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.redaction.spans import blank_out

SORT_CODE = re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])")
SPACED_SORT_CODE = re.compile(
    r"\bsort(?:\s*code)?\s*[:.-]?\s*(?P<value>\d{2}\s?\d{2}\s?\d{2})\b", re.I
)
ACCOUNT_NUMBER = re.compile(r"(?<![\d-])(?<!\d\s)\d{4}\s?\d{4}(?![\d-]|\s\d)")
BANK_CUE = re.compile(
    r"\b(?:account|acc|acct|a/c|sort|konto|konta|rachunek|rachunku|bank)\b", re.IGNORECASE
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")
POLISH_ACCOUNT_NUMBER = re.compile(r"(?<!\d)\d{2}(?:\s?\d{4}){6}(?!\d)")
_BANK_CUE_REACH = 40  # characters either side of an 8-digit number


def find_bank_details(text: str) -> Iterator[tuple[int, int]]:
    """Spans of sort codes, account numbers and IBANs."""
    sort_codes = [m.span() for m in SORT_CODE.finditer(text)]
    sort_codes += [m.span("value") for m in SPACED_SORT_CODE.finditer(text)]
    yield from sort_codes
    without_sort_codes = blank_out(text, sort_codes)
    for m in ACCOUNT_NUMBER.finditer(without_sort_codes):
        near_start = max(0, m.start() - _BANK_CUE_REACH)
        near_end = m.end() + _BANK_CUE_REACH
        if BANK_CUE.search(text, near_start, near_end) or SORT_CODE.search(
            text, near_start, near_end
        ):
            yield m.span()
    yield from (m.span() for m in IBAN.finditer(text))
    yield from (m.span() for m in POLISH_ACCOUNT_NUMBER.finditer(text))
