"""Dates of birth: dates after "born" or "dob", or too long ago to be an event."""

from __future__ import annotations

import re
from collections.abc import Iterator

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|stycz(?:eń|en|nia)|lut(?:y|ego)|mar(?:zec|ca)|kwie(?:cień|cien|tnia)|maj(?:a)?"
    r"|czerw(?:iec|ca)|lip(?:iec|ca)|sierp(?:ień|ien|nia)|wrze(?:sień|sien|śnia|snia)"
    r"|październik(?:a)?|pazdziernik(?:a)?|listopad(?:a)?|grud(?:zień|zien|nia))\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'?\d{2})"
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?![\d/-]|\.\d)"
)
# "3/4" only counts after "born", "bday" ...; anywhere else it is a score or a fraction.
DAY_AND_MONTH = re.compile(r"(?<![\d/.-])(?P<day>\d{1,2})[/.](?P<month>\d{1,2})(?![\d/]|\.\d)")
ISO_DATE = re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d/.-])")
WORDY_DATE = re.compile(
    rf"\b(?:{_ORDINAL}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+(?:the\s+)?{_ORDINAL})"
    rf"(?:,?\s+(?P<year>{_YEAR}))?(?![\w/])",
    re.IGNORECASE,
)
BIRTH_CUE = re.compile(
    r"(?:\bborn|\bd\.?o\.?b\b\.?|\bdate of birth|\bbirth ?day(?:'s|’s|s)?|\bb-?day(?:'s|’s|s)?"
    r"|\bb'day|\bb\.(?=\s*\d)|\burodzi(?:łam|łem|lam|lem|ła|ł|la|l)\s+się|\bur\.|\bdata urodzenia"
    r"|\burodziny(?: mam)?)"
    r"(?:\s*[:.-]\s*|\s+(?:is|was|on|the|its|it's|it’s|jest|to|mam|się|sie|in)\b)*\s*$",
    re.IGNORECASE,
)
_BIRTH_CUE_REACH = 40  # characters before a date searched for "born", "dob" ...
# Full dates from this year on are far more likely to be when something happened than the
# birth date of someone texting, so without "born"/"dob" they stay readable.
_EVENT_YEARS_FROM = 2020


def find_birth_dates(text: str) -> Iterator[tuple[int, int]]:
    """Spans of dates that are someone's date of birth."""
    for pattern in (NUMERIC_DATE, ISO_DATE, WORDY_DATE, DAY_AND_MONTH):
        for m in pattern.finditer(text):
            parts = m.groupdict()
            if parts.get("day") and not _is_day_and_month(int(parts["day"]), int(parts["month"])):
                continue
            year = parts.get("year")
            long_ago = year is not None and _full_year(int(year.lstrip("'"))) < _EVENT_YEARS_FROM
            if long_ago or _after_birth_cue(text, m.start()):
                yield m.span()


def _is_day_and_month(day: int, month: int) -> bool:
    """Either way round, as someone may write the American way."""
    smaller, larger = sorted((day, month))
    return 1 <= smaller <= 12 and larger <= 31


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return 2000 + year if year < 40 else 1900 + year


def _after_birth_cue(text: str, start: int) -> bool:
    return BIRTH_CUE.search(text, max(0, start - _BIRTH_CUE_REACH), start) is not None
