"""Spans of found detail: joining overlaps, masking them out, and putting tags in place."""

from __future__ import annotations

from collections.abc import Iterable

Span = tuple[int, int, str]

# Found spans are blanked out with this before the next kind is looked for, so that
# "40-11-62 12345678" is a sort code and an account number, not one long phone number.
MASK = "\x00"


def merge(spans: list[Span]) -> list[Span]:
    """Join overlapping spans, so that no part of one survives next to another's tag."""
    merged: list[Span] = []
    for start, end, tag in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_tag = merged[-1]
            merged[-1] = (last_start, max(end, last_end), last_tag)
        else:
            merged.append((start, end, tag))
    return merged


def blank_out(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with every span replaced by as many mask characters."""
    return replace(text, [(start, end, MASK * (end - start)) for start, end in spans])


def replace(text: str, spans: list[Span]) -> str:
    """Put each span's third part in its place; the spans are sorted and apart."""
    pieces: list[str] = []
    done = 0
    for start, end, replacement in spans:
        pieces.append(text[done:start])
        pieces.append(replacement)
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def words(text: str) -> frozenset[str]:
    """The set of the whitespace-separated words of `text` (for word lists)."""
    return frozenset(text.split())
