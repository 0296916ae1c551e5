"""How many SMS segments a text costs (3GPP TS 23.038 alphabets, TS 23.040 concatenation).

A text that fits the GSM 7-bit default alphabet is sent as GSM-7: 160 septets in one
segment, 153 a segment once it is split (the rest is the concatenation header). The
extension characters ^ { } [ ] ~ | € \\ and form feed cost two septets (an escape and the
character). One character outside the alphabet (a typographic ’, an emoji, ł) sends the
whole text as UCS-2: 70 UTF-16 units in one segment, 67 a segment once split; an emoji
outside the Basic Multilingual Plane is two units.

Like phones and Twilio, a split never cuts an escape pair or a surrogate pair in two: such
a pair moves whole to the next segment, which can cost one segment more than length/153.
The empty text counts as one segment: sending it still sends a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

GSM7: Final = "GSM-7"
UCS2: Final = "UCS-2"

GSM7_SINGLE: Final = 160
GSM7_MULTI: Final = 153
UCS2_SINGLE: Final = 70
UCS2_MULTI: Final = 67

# The GSM 7-bit default alphabet, in table order (0x00-0x7F; 0x1B is the escape).
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
) - {"\x1b"}
# The default extension table: each costs an escape septet plus its own.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")


@dataclass(frozen=True)
class SegmentCount:
    """The encoding a text goes out in, its segments, and why it is UCS-2 if it is."""

    encoding: str  # GSM7 or UCS2
    segments: int
    length: int  # septets for GSM-7, UTF-16 code units for UCS-2
    culprits: tuple[str, ...] = ()  # characters that forced UCS-2, first seen first


def count_segments(text: str) -> SegmentCount:
    """Count the SMS segments `text` costs and say which characters made it UCS-2."""
    culprits = tuple(
        dict.fromkeys(c for c in text if c not in GSM7_BASIC and c not in GSM7_EXTENSION)
    )
    if culprits:
        units = [len(c.encode("utf-16-le")) // 2 for c in text]
        return SegmentCount(UCS2, _pack(units, UCS2_SINGLE, UCS2_MULTI), sum(units), culprits)
    septets = [2 if c in GSM7_EXTENSION else 1 for c in text]
    return SegmentCount(GSM7, _pack(septets, GSM7_SINGLE, GSM7_MULTI), sum(septets))


def _pack(sizes: list[int], single: int, multi: int) -> int:
    """Segments needed for characters of these sizes, never splitting one character."""
    if sum(sizes) <= single:
        return 1
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return segments
