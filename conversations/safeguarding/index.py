"""The match index: phrases in a trie of their words, searched along the words of a text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations.safeguarding.patterns import (
    FUZZY,
    FUZZY_MIN,
    GAP,
    GAP_WORDS,
    RANGE,
    Phrase,
    is_word,
)

Span = tuple[int, int, int]
"""A phrase found in a text: its index, and the text words it covers (start, end)."""


class Index:
    """Phrases in a trie of their words, plus the run-together form of literal phrases.

    Pattern words are of five kinds (see `patterns`). Each text word is classified once
    into the set of pattern words it satisfies; the trie is then walked along the text with
    those sets.
    """

    def __init__(self, phrases: Sequence[Phrase]) -> None:
        self.root = _Node()
        self.literal: set[str] = set()
        self.prefixes: dict[str, set[str]] = {}
        self.suffixes: dict[str, set[str]] = {}
        self.globs: list[tuple[str, re.Pattern[str]]] = []
        self.ranges: list[tuple[str, int, int]] = []
        fuzzy: set[str] = set()
        self.compact: dict[str, list[int]] = {}
        for i, phrase in enumerate(phrases):
            node = self.root
            for word in phrase.pattern:
                self._learn(word, fuzzy)
                node = node.next.setdefault(word, _Node())
            node.ends.append(i)
            if all(is_word(w) for w in phrase.pattern):
                joined = _join(w.removeprefix(FUZZY) for w in phrase.pattern)
                if len(joined) >= _COMPACT_MIN:
                    self.compact.setdefault(joined, []).append(i)
        # Every start of a run-together phrase, so that joining text words stops early.
        self.compact_starts = {c[:k] for c in self.compact for k in range(1, len(c) + 1)}
        self.longest_prefix = max(map(len, self.prefixes), default=0)
        self.longest_suffix = max(map(len, self.suffixes), default=0)
        # Fuzzy candidates by (first letter, length of the text word).
        self.near: dict[tuple[str, int], list[str]] = {}
        for word in fuzzy:
            for length in range(len(word) - 2, len(word) + 3):
                self.near.setdefault((word[0], length), []).append(word)

    def search(self, tokens: Sequence[str], cache: dict[str, frozenset[str]]) -> set[Span]:
        """The phrases found in `tokens`, with the words each covers; `cache` keeps what
        words satisfy."""
        keys = [cache[t] if t in cache else cache.setdefault(t, self._keys(t)) for t in tokens]
        found: set[Span] = set()
        for start in range(len(keys)):
            _walk(self.root, keys, start, start, found)
        found.update(self._compact(tokens))
        return found

    def _learn(self, word: str, fuzzy: set[str]) -> None:
        if word == GAP:
            return
        if word.startswith(FUZZY):
            fuzzy.add(word[1:])
        elif word.startswith(RANGE):
            low, high = word[1:].split("-")
            self.ranges.append((word, int(low), int(high)))
        elif "*" not in word:
            self.literal.add(word)
        elif word.count("*") == 1 and word.endswith("*"):
            self.prefixes.setdefault(word[:-1], set()).add(word)
        elif word.count("*") == 1 and word.startswith("*"):
            self.suffixes.setdefault(word[1:], set()).add(word)
        else:
            parts = (re.escape(p) for p in word.split("*"))
            self.globs.append((word, re.compile(".*".join(parts))))

    def _keys(self, token: str) -> frozenset[str]:
        keys: set[str] = set()
        if token in self.literal:
            keys.add(token)
        for k in range(1, min(len(token), self.longest_prefix) + 1):
            keys.update(self.prefixes.get(token[:k], ()))
        for k in range(1, min(len(token), self.longest_suffix) + 1):
            keys.update(self.suffixes.get(token[-k:], ()))
        keys.update(key for key, glob in self.globs if glob.fullmatch(token))
        if token.isdigit():
            if len(token) <= _MAX_NUMBER:
                number = int(token)
                keys.update(key for key, low, high in self.ranges if low <= number <= high)
        elif len(token) >= FUZZY_MIN - 1:
            keys.update(FUZZY + w for w in self._near(token))
        return frozenset(keys)

    def _near(self, token: str) -> list[str]:
        candidates = self.near.get((token[0], len(token)))
        if not candidates:
            return []
        found = process.extract(token, candidates, scorer=OSA.distance, score_cutoff=2, limit=None)
        return [w for w, distance, _ in found if distance <= _typos_allowed(w)]

    def _compact(self, tokens: Sequence[str]) -> set[Span]:
        found: set[Span] = set()
        starts = self.compact_starts
        for start in range(len(tokens)):
            joined = ""
            for end, token in enumerate(tokens[start : start + _COMPACT_WORDS], start + 1):
                if joined and token and token[0] == joined[-1]:
                    token = token[1:]
                joined += token
                if joined not in starts:
                    break
                found.update((i, start, end) for i in self.compact.get(joined, ()))
        return found


def inside(hit: Span, ordinary: Span) -> bool:
    """Whether the words `hit` matched all lie within those of an ordinary phrase."""
    return ordinary[1] <= hit[1] and hit[2] <= ordinary[2]


_FUZZY_TWO = 9  # letters a word needs before two typos are forgiven
_COMPACT_MIN = 4  # letters a phrase needs to match when its words are run together
_COMPACT_WORDS = 6  # text words joined at most when matching run-together phrases
_MAX_NUMBER = 4  # digits read as a number (a range); longer is no age


class _Node:
    """A trie node: the next pattern words, and the phrases that end here."""

    __slots__ = ("ends", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.ends: list[int] = []


def _walk(
    node: _Node, keys: Sequence[frozenset[str]], start: int, pos: int, found: set[Span]
) -> None:
    """Follow the trie from `node` along the text words from `pos` on, collecting phrases
    that began at `start`."""
    found.update((i, start, pos) for i in node.ends)
    after_gap = node.next.get(GAP)
    if after_gap is not None:
        for skip in range(pos, min(pos + GAP_WORDS, len(keys) - 1) + 1):
            for key in keys[skip]:
                child = after_gap.next.get(key)
                if child is not None:
                    _walk(child, keys, start, skip + 1, found)
    if pos < len(keys):
        for key in keys[pos]:
            child = node.next.get(key)
            if child is not None:
                _walk(child, keys, start, pos + 1, found)


def _typos_allowed(word: str) -> int:
    return 2 if len(word) >= _FUZZY_TWO else 1


def _join(words: Iterable[str]) -> str:
    """Words run together, collapsing a letter repeated across a join as text would be."""
    joined = ""
    for word in words:
        joined += word[1:] if joined and word and word[0] == joined[-1] else word
    return joined
