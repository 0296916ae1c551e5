"""Full UK postcodes, and Polish ones in an address."""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.redaction.spans import words

_POSTCODE_AREAS = words(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
    "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L "
    "LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S "
    "SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR "
    "WS WV YO ZE"
)
# Only a full postcode: an outward code alone ("SE13") names a district, not a home.
FULL_POSTCODE = re.compile(
    r"\b(?P<area>[A-Z]{1,2})\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)

# "ul. Długa 5, 00-590 Warszawa": only in an address with the town after it, as
# "10-100 People" is a range.
POLISH_POSTCODE = re.compile(r"(?<![\d-])(?P<code>\d{2}-\d{3})\s+[A-ZĆŁŚŹŻ][a-ząćęłńóśźż]+")
POLISH_ADDRESS_CUE = re.compile(r"\b(?:ul\.|ulica|ulicy|al\.|os\.|adres|kod)", re.IGNORECASE)
_POLISH_ADDRESS_CUE_REACH = 60


def find_postcodes(text: str) -> Iterator[tuple[int, int]]:
    """Spans of full postcodes."""
    for m in FULL_POSTCODE.finditer(text):
        if m["area"].upper() in _POSTCODE_AREAS:
            yield m.span()
    for m in POLISH_POSTCODE.finditer(text):
        if POLISH_ADDRESS_CUE.search(
            text, max(0, m.start() - _POLISH_ADDRESS_CUE_REACH), m.start()
        ):
            yield m.span("code")
