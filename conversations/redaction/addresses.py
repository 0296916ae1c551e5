"""Street addresses: "22 Hither Green Lane", "Wearside Rd at number 22", "ul. Długa 5"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.redaction.spans import words

_STREET_TYPE = (
    r"(?:road|rd|street|st|lane|ln|grove|gr|avenue|ave|av|close|cl|way|drive|dr|court|ct"
    r"|crescent|cres|gardens|gdns|place|pl|terrace|terr|tce|hill|park|estate|house|mews|walk"
    r"|row|square|sq|green|rise|vale|view|parade|broadway|gate|yard|wharf|grange|hall|heights"
    r"|tower|towers|lodge|buildings|mansions|passage|boulevard|embankment|circus|alley)\.?"
)
_NOT_A_STREET_NAME = (
    r"(?:a|an|the|of|to|in|on|at|by|and|or|but|so|my|me|i|im|we|you|u|ur|your|his|her|their"
    r"|our|is|was|are|were|be|been|it|its|this|that|these|those|for|with|from|near|down|up"
    r"|along|past|round|around|across|off|onto|into|over|under|behind|outside|inside|then"
    r"|times|time|min|mins|minute|minutes|hour|hours|hr|hrs|sec|secs|second|seconds|day|days"
    r"|week|weeks|month|months|year|years|yr|yrs|mile|miles|km|metres|meters|yards|feet|steps"
    r"|people|ppl|boys|girls|kids|lads|guys|men|women|friends|mates|more|other|different"
    r"|police|cars|bikes|buses|stops|just|only|too|very|really|not|no|pm|am|out|away|back)"
)
_STREET_NAME_WORD = rf"(?!{_NOT_A_STREET_NAME}\b)[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?"
_FLAT = r"(?:flat|apartment|apt|unit|room|mieszkanie)\.?\s*"
_HOUSE_NUMBER_WORD = r"(?:no|number|num|nr|numer)\.?\s*"
_HOUSE_NUMBER = r"\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)?"  # 12, 3b, 3/22
STREET_ADDRESS = re.compile(
    rf"(?P<flat>\b{_FLAT}(?:{_HOUSE_NUMBER}\s*,?\s+(?=\d))?)?"
    rf"(?:(?P<number_word>\b{_HOUSE_NUMBER_WORD})|(?<![\w£$€.,:/-])){_HOUSE_NUMBER}\b\s*,?\s+"
    rf"(?:{_STREET_NAME_WORD}\s+){{1,3}}(?P<type>{_STREET_TYPE})(?!\w)"
    rf"(?:,?\s+{_FLAT}{_HOUSE_NUMBER}\b)?",  # "22 Hither Green Lane flat 3"
    re.IGNORECASE,
)
# "Wearside Rd at number 22": the number after the street, said as a number. The search
# starts from each "number 22" and looks back, as trying every word as a street is slow.
HOUSE_NUMBER_SAID = re.compile(
    rf"\b(?:number|no\.|nr\.?|num)\s*{_HOUSE_NUMBER}\b",  # not "no 1": "Road no 1 problem"
    re.IGNORECASE,
)
STREET_BEFORE_NUMBER = re.compile(
    rf"\b(?:{_STREET_NAME_WORD}\s+){{1,3}}{_STREET_TYPE}\s*,?\s+(?:at\s+)?$", re.IGNORECASE
)
STREET_TYPE_BEFORE_NUMBER = re.compile(rf"\b{_STREET_TYPE}\s*,?\s+(?:at\s+)?$", re.IGNORECASE)
_STREET_BEFORE_NUMBER_REACH = 80
# "ul. Kwiatowa 12", "ulica Długa 5 m. 3": the Polish order, number last.
POLISH_STREET_ADDRESS = re.compile(
    rf"\b(?:ul\.|ulica|ulicy|ulicę|al\.|aleja|alei|os\.|osiedle|osiedlu)\s*"
    rf"(?:{_STREET_NAME_WORD}\s+){{1,3}}\d{{1,4}}[a-z]?(?:\s*/\s*\d+|\s+m\.?\s*\d+)?\b",
    re.IGNORECASE,
)
# Words that are streets only when written as one ("Hither Green Lane", not "3 people close").
_AMBIGUOUS_STREET_TYPES = words(
    "close cl way walk park place pl row square sq court ct hill green house rise vale view "
    "gate yard hall tower lodge drive dr st gr av"
)
ADDRESS_CUE = re.compile(
    r"(?<!\[)\b(?:live|lives|living|lived|stay|stays|staying|address|addy|at|house|home"
    r"|mieszkam|mieszka|przy|na|come to|go to)\W*$",
    re.IGNORECASE,
)
_ADDRESS_CUE_REACH = 30


def find_addresses(text: str) -> Iterator[tuple[int, int]]:
    """Spans of street addresses, with the house number."""
    for m in STREET_ADDRESS.finditer(text):
        street_type = m["type"].rstrip(".")
        ambiguous = street_type.lower() in _AMBIGUOUS_STREET_TYPES
        written_as_name = street_type[0].isupper()
        cued = (
            m["flat"]
            or m["number_word"]
            or ADDRESS_CUE.search(text, max(0, m.start() - _ADDRESS_CUE_REACH), m.start())
        )
        if not ambiguous or written_as_name or cued:
            yield m.span()
    for m in HOUSE_NUMBER_SAID.finditer(text):
        if not STREET_TYPE_BEFORE_NUMBER.search(text, max(0, m.start() - 20), m.start()):
            continue
        reach = max(0, m.start() - _STREET_BEFORE_NUMBER_REACH)
        street = STREET_BEFORE_NUMBER.search(text, reach, m.start())
        if street is not None:
            yield street.start(), m.end()
    yield from (m.span() for m in POLISH_STREET_ADDRESS.finditer(text))
