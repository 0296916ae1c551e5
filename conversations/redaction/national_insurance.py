"""National Insurance numbers ("QQ 12 34 56 C", "ab123456d")."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Two letters, six digits (often in pairs), and a letter A-D that people often leave off.
# Any two letters, not only those HMRC issues: people write the example "QQ 12 34 56 C"
# and made-up or mistyped prefixes too, and taking out a stray 6-digit number costs little.
NATIONAL_INSURANCE = re.compile(
    r"(?<![\w-])[a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}(?:\s?[a-d])?(?![\w-])", re.IGNORECASE
)


def find_national_insurance_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Spans of National Insurance numbers ("QQ 12 34 56 C", "ab123456d")."""
    yield from (m.span() for m in NATIONAL_INSURANCE.finditer(text))
