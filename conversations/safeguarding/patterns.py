"""Phrases and the words of their patterns: the syntax the list parser writes and the index reads.

A pattern word is of five kinds: a literal word (``hits``), a fuzzy word (``~touches``), a
wildcard (``stab*``), a number range (``#5-17``) and a gap (``...``); the anchors <start>
and <end> are the marks `text.variants` puts around every reading.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.safeguarding.text import END, START

GAP_WORDS = 3
"""How many other words ``...`` in a phrase stands for, at most."""

GAP = "..."
ANCHORS = {"start": START, "end": END}
FUZZY = "~"  # a pattern word starting with ~ also matches a near miss of the word after it
RANGE = "#"  # "#5-17": any whole number from 5 to 17
FUZZY_MIN = 5  # letters a word needs before a typo in it is forgiven


@dataclass(frozen=True)
class Phrase:
    """One phrase of a word list, ready to match (a phrase naming a group is several)."""

    category: str
    text: str  # as the list writes it
    file: str
    line: int
    pattern: tuple[str, ...]  # normalised words; see this module's docstring for the kinds


def is_word(word: str) -> bool:
    """Whether a pattern word is a plain word (literal or fuzzy), not a gap, glob or range."""
    return word != GAP and "*" not in word and not word.startswith(RANGE)
