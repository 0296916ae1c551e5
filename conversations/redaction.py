"""Redaction of personal details in free text, before it is stored.

A span of personal detail becomes a tag such as ``[phone]``; nothing of the
original span is kept.
"""

from __future__ import annotations

import re

import phonenumbers

REDACTION_TAGS: tuple[str, ...] = (
    "[phone]",
    "[email]",
    "[postcode]",
    "[address]",
    "[handle]",
    "[card]",
    "[bank]",
    "[dob]",
)


def redact(text: str) -> str:
    """Return ``text`` with every span of personal detail replaced by a tag."""
    try:
        text = EMAIL.sub("[email]", text)
        return _redact_phones(text)
    except Exception:  # never let a library bug leak the text or crash the caller
        return "[redacted]"


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DIGIT_RUN = re.compile(r"\+?\(?\d[\d ()\-]{8,}\d")


def _redact_phones(text: str) -> str:
    # POSSIBLE, not VALID: Ofcom's drama numbers (07700 900xxx) and fresh ranges are not "valid".
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    spans = [(m.start, m.end) for m in matcher if sum(c.isdigit() for c in m.raw_string) >= 8]
    for m in DIGIT_RUN.finditer(text):
        if sum(c.isdigit() for c in m.group()) >= 10:
            spans.append(m.span())
    for start, end in sorted(_merge(spans), reverse=True):
        text = text[:start] + "[phone]" + text[end:]
    return text


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
