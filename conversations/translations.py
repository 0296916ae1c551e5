"""What `consultation validate` says about a consultation's translations: which still
need a native speaker's review, and where a translation costs more SMS than the default
language (money, on every message to every person who answers in it).

A consultation file marks its unreviewed languages with a comment line, the same words
the catalogues use: `# Needs review by a native speaker: pl, pt, so`. Remove a code once
a native speaker has read that language's texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from conversations.catalogue import NEEDS_REVIEW, Catalogue
from conversations.model import Consultation
from conversations.preview import PreviewMessage
from conversations.segments import count_segments

_MARK = re.compile(rf"^\s*#\s*{re.escape(NEEDS_REVIEW)}\s*:\s*(.+?)\s*$", re.MULTILINE)
_CODE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{2,8})?")


@dataclass(frozen=True)
class Costlier:
    """One message that costs more segments in `language` than in the default."""

    name: str
    language: str
    segments: int
    default_segments: int


def unreviewed_languages(source: str, consultation: Consultation) -> list[str]:
    """The consultation's languages its file marks as needing review, in its order."""
    marked = {
        code
        for line in _MARK.findall(source)
        for code in re.split(r"[\s,]+", line.lower())
        if _CODE.fullmatch(code)
    }
    return [code for code in consultation.languages if code in marked]


def unreviewed_system_messages(
    consultation: Consultation, catalogue: Catalogue
) -> list[tuple[str, int]]:
    """(language, how many of the bot's own messages in it still need review)."""
    counts = [(code, len(catalogue.unreviewed(code))) for code in consultation.languages]
    return [(code, count) for code, count in counts if count]


def costlier_than_default(
    messages: Sequence[PreviewMessage], default_language: str
) -> list[Costlier]:
    """Messages that cost more SMS segments in their language than in the default one."""
    default = {
        m.name: count_segments(m.text).segments for m in messages if m.language == default_language
    }
    found = []
    for message in messages:
        if message.language == default_language or message.name not in default:
            continue
        segments = count_segments(message.text).segments
        if segments > default[message.name]:
            found.append(Costlier(message.name, message.language, segments, default[message.name]))
    return found
