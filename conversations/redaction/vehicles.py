"""UK vehicle registrations, current and older plates."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Since 2001: "ab12cde" in any case; with spaces ("AB12 CDE", "ab 12 cde") only in
# capitals or after a cue ("yr10 and", "at 12 the" and "im 14 and" must stay).
CURRENT_PLATE = re.compile(r"(?<![\w-])[a-z]{2}\d{2}[a-z]{3}(?![\w-])", re.IGNORECASE)
SPACED_PLATE = re.compile(r"(?<![\w-])[a-z]{2}\s?\d{2}\s[a-z]{3}(?![\w-])", re.IGNORECASE)
# 1983-2001 ("P123 XYZ") and before ("XYZ 123P"): also only in capitals or after a cue,
# as "m25 and" would otherwise go.
OLDER_PLATE = re.compile(
    r"(?<![\w-])(?:[a-z]\d{1,3}\s?[a-z]{3}|[a-z]{3}\s?\d{1,3}[a-z])(?![\w-])", re.I
)
PLATE_CUE = re.compile(
    r"\b(?:reg|registration|plate|numberplate|car|van|motor|whip|rejestracja|rejestracyjny"
    r"|samoch[oó]d|auto)\b",
    re.IGNORECASE,
)
_PLATE_CUE_REACH = 40
# Roads written in capitals look like an older plate ("the M25 AND"): not without a cue.
_ROAD = re.compile(r"[amb]\d{1,4}", re.IGNORECASE)


def find_vehicle_registrations(text: str) -> Iterator[tuple[int, int]]:
    """Spans of UK number plates."""
    yield from (m.span() for m in CURRENT_PLATE.finditer(text))
    for pattern in (SPACED_PLATE, OLDER_PLATE):
        for m in pattern.finditer(text):
            plate = m.group()
            cued = PLATE_CUE.search(text, max(0, m.start() - _PLATE_CUE_REACH), m.start())
            road = _ROAD.fullmatch(plate.split()[0]) is not None
            if cued or (plate.isupper() and not road):
                yield m.span()
