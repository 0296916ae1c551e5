"""Phone numbers, UK and abroad, leaving helplines and dates readable."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers

from conversations.redaction.spans import blank_out

# phonenumbers misses long runs of digits that are not numbers it knows ("7700900123").
DIGIT_RUN = re.compile(r"\+?\(?\d(?:[ .()-]{0,3}\d){9,}")
_MIN_DIGIT_RUN = 10
_MIN_PHONE_DIGITS = 8  # POSSIBLE matches "2023"; real numbers, even local ones, are longer
# Shapes phonenumbers takes for numbers that are not: "12.03.2024", "2019-2021".
NOT_A_PHONE_NUMBER = re.compile(
    r"\d{1,2}([/.-])\d{1,2}\1\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d\d\s*[-/–]\s*(?:19|20)\d\d"
)
# Helplines people are told about (DESIGN.md "Safety") are public, not personal.
_PUBLIC_NUMBERS = frozenset(
    ["08001111", "08082000247", "08085002222", "116123", "08088005000", "0800555111", "85258"]
)


def find_phone_numbers(text: str) -> Iterator[tuple[int, int]]:
    """Spans of phone numbers, with their brackets and leading "+"."""
    long_runs = [span for span in _digit_runs(text) if _could_be_phone_number(text, *span)]
    yield from long_runs
    # Long runs are blanked out first: phonenumbers takes a while over each candidate, and a
    # message full of digits holds thousands of them.
    rest = blank_out(text, long_runs)
    # POSSIBLE, not VALID: Ofcom's drama numbers (07700 900xxx) and new ranges are not "valid".
    matcher = phonenumbers.PhoneNumberMatcher(rest, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if _could_be_phone_number(text, match.start, match.end):
            yield _with_brackets(text, match.start, match.end)


def _digit_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in DIGIT_RUN.finditer(text):
        if sum(c.isdecimal() for c in m.group()) >= _MIN_DIGIT_RUN:
            yield _with_brackets(text, *m.span())


def _could_be_phone_number(text: str, start: int, end: int) -> bool:
    digits = "".join(c for c in text[start:end] if c.isdecimal())
    return (
        len(digits) >= _MIN_PHONE_DIGITS
        and digits not in _PUBLIC_NUMBERS
        and NOT_A_PHONE_NUMBER.fullmatch(text, start, end) is None
    )


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number's span over a leading "+" or "(" and a closing ")"."""
    while start > 0 and text[start - 1] in "+(":
        start -= 1
    if end < len(text) and text[end] == ")" and "(" in text[start:end]:
        end += 1
    return start, end
