"""The safeguarding screen: does a message disclose danger or harm?

Tuned for recall, never for precision: a false alarm costs one kind message with the
helplines, a miss can cost a life. The word lists are data (``config/safeguarding/*.yaml``,
one file per language); the caller reads the files and passes their text to `parse_lists`.
Every language's list is screened at once, whatever language the conversation is in.

Text and phrases go through the same normalisation, so a phrase matches however it is
typed: lower case, accents folded ("się" ~ "sie"), apostrophes dropped ("i'm" ~ "im"),
other punctuation a space, repeated letters collapsed ("hiiits" ~ "hits"), common
text-speak expanded ("gonna" ~ "going to", "u" ~ "you", "im" ~ "i am"), and leetspeak read
both ways ("k1ll" ~ "kill", while "im 12" stays a number). Phrases match whole words; words
written together or apart still match ("stepdad" ~ "step dad", "kill my self" ~ "kill
myself"); in phrases of two or more words, a word of five letters or more also matches
with one typo (two from nine letters), as long as the first letter is right.

A list may also name ``ordinary`` phrases: ways of talking about a topic that are no
disclosure ("knife crime", "knife bins"). A match that lies wholly inside an ordinary
phrase is ignored; every other match in the message still counts, so "knife crime is bad
and my brother carries a knife" is still flagged.

The modules, each importing only those before it: `categories` (what can be disclosed),
`text` (the normalisation), `patterns` (a phrase and its pattern words), `index` (the
match index), `parser` (the list files). A later reading of a message (who does what to
whom, and when) belongs beside `text`, its pattern words in `patterns`, `index` and
`parser`; this module keeps the public API and the one reading that combines them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from conversations.safeguarding.categories import (
    CATEGORIES,
    CATEGORY_NAMES,
    CLASSIFIER,
    COMPANION_ONLY,
    ORDINARY,
)
from conversations.safeguarding.index import Index, inside
from conversations.safeguarding.parser import ListError, parse_file
from conversations.safeguarding.patterns import GAP_WORDS, Phrase
from conversations.safeguarding.text import normalise, variants

__all__ = [
    "CATEGORIES",
    "CATEGORY_NAMES",
    "CLASSIFIER",
    "COMPANION_ONLY",
    "GAP_WORDS",
    "ORDINARY",
    "ListError",
    "Match",
    "Phrase",
    "Reading",
    "SafeguardingLists",
    "matches",
    "normalise",
    "parse_lists",
    "read",
    "screen",
]


@dataclass(frozen=True)
class Match:
    """Which phrase of which list matched, for the review queue and for tuning."""

    category: str
    phrase: str
    file: str
    line: int


@dataclass(frozen=True)
class SafeguardingLists:
    """Every language's word lists, merged and indexed for screening."""

    phrases: tuple[Phrase, ...]
    ordinary: tuple[Phrase, ...] = ()  # no disclosure: matches wholly inside are ignored
    _index: Index = field(init=False, repr=False, compare=False)
    _ordinary_index: Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", Index(self.phrases))
        object.__setattr__(self, "_ordinary_index", Index(self.ordinary))

    @property
    def files(self) -> tuple[str, ...]:
        """The list files these phrases came from, in order."""
        return tuple(dict.fromkeys(p.file for p in self.phrases))


def parse_lists(sources: Mapping[str, str]) -> SafeguardingLists:
    """Parse word lists (file name -> YAML text) into one set. Raises ListError."""
    phrases: list[Phrase] = []
    ordinary: list[Phrase] = []
    for file, text in sources.items():
        for phrase in parse_file(file, text):
            (ordinary if phrase.category == ORDINARY else phrases).append(phrase)
    return SafeguardingLists(tuple(phrases), tuple(ordinary))


def screen(text: str, lists: SafeguardingLists) -> tuple[str, ...]:
    """The categories `text` matches, sorted; empty when it matched none. Never raises."""
    found = {m.category for m in matches(text, lists)}
    if found <= {COMPANION_ONLY}:
        return ()
    return tuple(sorted(found))


def matches(text: str, lists: SafeguardingLists) -> tuple[Match, ...]:
    """Every phrase that matched `text` (including a lone child_age), in list order."""
    return read(text, lists).matches


@dataclass(frozen=True)
class Reading:
    """What the lists found in one text: the phrases, and whether it talks of the topic."""

    matches: tuple[Match, ...]
    topic: bool  # a phrase matched, and an ``ordinary`` phrase occurs in the text too


def read(text: str, lists: SafeguardingLists) -> Reading:
    """The phrases that matched `text`, and whether it also holds an ordinary phrase
    (looked for only when a phrase matched, as that doubles the cost)."""
    index, ordinary = lists._index, lists._ordinary_index
    hits: set[int] = set()
    topic = False
    cache: dict[str, frozenset[str]] = {}  # text word -> pattern words it satisfies
    ordinary_cache: dict[str, frozenset[str]] = {}
    for tokens in variants(text):
        found_here = index.search(tokens, cache)
        if found_here and lists.ordinary:  # only then: it costs as much as the search
            safe = ordinary.search(tokens, ordinary_cache)
            topic = topic or bool(safe)
            found_here = {h for h in found_here if not any(inside(h, s) for s in safe)}
        hits.update(i for i, _, _ in found_here)
    found = (lists.phrases[i] for i in sorted(hits))
    unique = dict.fromkeys(Match(p.category, p.text, p.file, p.line) for p in found)
    return Reading(tuple(unique), topic)
