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
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import process
from rapidfuzz.distance import OSA

from conversations import yaml_lines
from conversations.problems import FileError

CATEGORIES: tuple[str, ...] = (
    "danger_now",
    "violence",
    "weapons",
    "self_harm",
    "abuse_home",
    "sexual_abuse",
    "grooming",
    "coercive_control",
    "exploitation",
    "child_age",
)

CATEGORY_NAMES: Mapping[str, str] = {
    "danger_now": "immediate danger",
    "violence": "violence and threats",
    "weapons": "weapons",
    "self_harm": "self-harm and suicide",
    "abuse_home": "abuse at home",
    "sexual_abuse": "sexual abuse and rape",
    "grooming": "grooming",
    "coercive_control": "coercive control",
    "exploitation": "exploitation",
    "child_age": "a child giving their age",
    "classifier": "found by the classifier (no list phrase)",  # CLASSIFIER
}
"""Plain names for the review queue and the safeguarding lead's reports."""

CLASSIFIER = "classifier"
"""The category named when only the classifier found a disclosure (conversations.screening)."""

ORDINARY = "ordinary"
"""The list section of phrases that are no disclosure (see the module docstring)."""

COMPANION_ONLY = "child_age"
"""A category reported only together with another one ("im 12" alone is no disclosure)."""

GAP_WORDS = 3
"""How many other words ``...`` in a phrase stands for, at most."""


class ListError(FileError):
    """A word list that can't be used, with the file, the line and how to fix it."""


@dataclass(frozen=True)
class Phrase:
    """One phrase of a word list, ready to match (a phrase naming a group is several)."""

    category: str
    text: str  # as the list writes it
    file: str
    line: int
    pattern: tuple[str, ...]  # normalised words; see `_Index` for the kinds


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
    _index: _Index = field(init=False, repr=False, compare=False)
    _ordinary_index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index(self.phrases))
        object.__setattr__(self, "_ordinary_index", _Index(self.ordinary))

    @property
    def files(self) -> tuple[str, ...]:
        """The list files these phrases came from, in order."""
        return tuple(dict.fromkeys(p.file for p in self.phrases))


def parse_lists(sources: Mapping[str, str]) -> SafeguardingLists:
    """Parse word lists (file name -> YAML text) into one set. Raises ListError."""
    phrases: list[Phrase] = []
    ordinary: list[Phrase] = []
    for file, text in sources.items():
        for phrase in _parse_file(file, text):
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
    for tokens in _variants(text):
        found_here = index.search(tokens, cache)
        if found_here and lists.ordinary:  # only then: it costs as much as the search
            safe = ordinary.search(tokens, ordinary_cache)
            topic = topic or bool(safe)
            found_here = {h for h in found_here if not any(_inside(h, s) for s in safe)}
        hits.update(i for i, _, _ in found_here)
    found = (lists.phrases[i] for i in sorted(hits))
    unique = dict.fromkeys(Match(p.category, p.text, p.file, p.line) for p in found)
    return Reading(tuple(unique), topic)


def normalise(text: str) -> str:
    """`text` as the screen reads it (the plain reading; leetspeak is a second reading)."""
    return " ".join(_words(text, leet=None))


# --- reading text ---------------------------------------------------------------------

_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "ð": "d"})
_APOSTROPHES = re.compile("['’‘`´ʼ]")
# Combining marks left by decomposing Latin, Greek and Cyrillic letters ("ś" -> "s" + mark).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Contractions written with an apostrophe, spelled out: without it "he'll" would read as
# "hell". Written without one ("dont", "cant") they are text-speak, in _SPEAK_SOURCE.
_CONTRACTIONS = tuple(
    (re.compile(pattern.replace("'", "['’‘`´ʼ]")), words)
    for pattern, words in (
        (r"\bcan't\b", "can not"),
        (r"\bwon't\b", "will not"),
        (r"\bshan't\b", "shall not"),
        (r"(?<=\w)n't\b", " not"),
        (r"(?<=\w)'ll\b", " will"),
        (r"(?<=\w)'re\b", " are"),
        (r"(?<=\w)'ve\b", " have"),
        (r"(?<=\w)'m\b", " am"),
        (r"(?<=\w)'d\b", " would"),
    )
)
_RUN = re.compile(r"(?:[^\W_]|[@$])+")
_PIECE = re.compile(r"[^\W\d_]+|\d+")
_REPEAT = re.compile(r"([^\W\d_])\1+")
_LEET = {"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
_LEET_CHARS = frozenset({*_LEET, "1"})

# Text-speak read as the words it stands for, in text and phrases alike. Keys and values
# are collapsed the same way as everything else when the module loads.
_SPEAK_SOURCE = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "2": "to",
    "4": "for",
    "im": "i am",
    "ima": "i am going to",
    "imma": "i am going to",
    "ive": "i have",
    "hes": "he is",
    "shes": "she is",
    "theyre": "they are",
    "youre": "you are",
    "dont": "do not",
    "dnt": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "cant": "can not",
    "cannot": "can not",
    "wont": "will not",
    "isnt": "is not",
    "wasnt": "was not",
    "gonna": "going to",
    "finna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "bf": "boyfriend",
    "gf": "girlfriend",
    "cos": "because",
    "coz": "because",
    "cuz": "because",
    "bc": "because",
    "rn": "right now",
    "msg": "message",
    "msgs": "messages",
    "thru": "through",
    "abt": "about",
    "yrs": "years",
}


def _collapse(word: str) -> str:
    return _REPEAT.sub(r"\1", word)


_SPEAK: dict[str, tuple[str, ...]] = {
    _collapse(k): tuple(_collapse(w) for w in v.split()) for k, v in _SPEAK_SOURCE.items()
}


def _fold(text: str) -> str:
    """Lower case, no accents, contractions spelled out, no apostrophes."""
    folded = text.casefold()
    if not folded.isascii():
        folded = _COMBINING.sub("", unicodedata.normalize("NFKD", folded)).translate(_FOLD)
    if _APOSTROPHES.search(folded):
        for contraction, words in _CONTRACTIONS:
            folded = contraction.sub(words, folded)
        folded = _APOSTROPHES.sub("", folded)
    return folded


def _words(text: str, leet: str | None, *, speak: bool = True) -> list[str]:
    """Normalised words of `text`; `leet` is what 1 stands for, or None to read digits as digits."""
    return _read(_fold(text), leet, speak=speak)


def _read(folded: str, leet: str | None, *, speak: bool = True) -> list[str]:
    """Normalised words of already folded text."""
    if leet is not None:
        folded = _RUN.sub(lambda run: _unleet(run.group(), leet), folded)
    words = _PIECE.findall(_REPEAT.sub(r"\1", folded))
    if not speak:
        return words
    out: list[str] = []
    for word in words:
        spoken = _SPEAK.get(word)
        if spoken is None:
            out.append(word)
        else:
            out.extend(spoken)
    return out


def _unleet(run: str, one: str) -> str:
    """A word with digits or @ $ in it read as leetspeak; a number stays a number."""
    if run.isdigit() or not _LEET_CHARS.intersection(run) or not any(c.isalpha() for c in run):
        return run
    return "".join(one if c == "1" else _LEET.get(c, c) for c in run)


def _variants(text: str) -> list[list[str]]:
    """The readings of `text` to screen: digits as digits, then leetspeak with 1 as i and as l."""
    folded = _fold(text)
    readings = [_read(folded, leet=None)]
    if not _LEET_CHARS.isdisjoint(folded):
        for one in ("i", "l"):
            leet = _read(folded, leet=one)
            if all(leet != r for r in readings):
                readings.append(leet)
    return [[_START, *r, _END] for r in readings]


# --- matching -------------------------------------------------------------------------

_GAP = "..."
_START = "\x02"  # <start>: no text word can be this, as words hold letters and digits only
_END = "\x03"  # <end>
_ANCHORS = {"start": _START, "end": _END}
_FUZZY = "~"  # a pattern word starting with ~ also matches a near miss of the word after it
_RANGE = "#"  # "#5-17": any whole number from 5 to 17
_FUZZY_MIN = 5  # letters a word needs before a typo in it is forgiven
_FUZZY_TWO = 9  # letters a word needs before two typos are forgiven
_COMPACT_MIN = 4  # letters a phrase needs to match when its words are run together
_COMPACT_WORDS = 6  # text words joined at most when matching run-together phrases
_MAX_NUMBER = 4  # digits read as a number (a range); longer is no age


_Span = tuple[int, int, int]
"""A phrase found in a text: its index, and the text words it covers (start, end)."""


class _Node:
    """A trie node: the next pattern words, and the phrases that end here."""

    __slots__ = ("ends", "next")

    def __init__(self) -> None:
        self.next: dict[str, _Node] = {}
        self.ends: list[int] = []


class _Index:
    """Phrases in a trie of their words, plus the run-together form of literal phrases.

    Pattern words are of five kinds: a literal word (``hits``), a fuzzy word (``~touches``),
    a wildcard (``stab*``), a number range (``#5-17``) and a gap (``...``). Each text word is
    classified once into the set of pattern words it satisfies; the trie is then walked
    along the text with those sets.
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
            if all(_is_word(w) for w in phrase.pattern):
                joined = _join(w.removeprefix(_FUZZY) for w in phrase.pattern)
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

    def _learn(self, word: str, fuzzy: set[str]) -> None:
        if word == _GAP:
            return
        if word.startswith(_FUZZY):
            fuzzy.add(word[1:])
        elif word.startswith(_RANGE):
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

    def search(self, tokens: Sequence[str], cache: dict[str, frozenset[str]]) -> set[_Span]:
        """The phrases found in `tokens`, with the words each covers; `cache` keeps what
        words satisfy."""
        keys = [cache[t] if t in cache else cache.setdefault(t, self._keys(t)) for t in tokens]
        found: set[_Span] = set()
        for start in range(len(keys)):
            _walk(self.root, keys, start, start, found)
        found.update(self._compact(tokens))
        return found

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
        elif len(token) >= _FUZZY_MIN - 1:
            keys.update(_FUZZY + w for w in self._near(token))
        return frozenset(keys)

    def _near(self, token: str) -> list[str]:
        candidates = self.near.get((token[0], len(token)))
        if not candidates:
            return []
        found = process.extract(token, candidates, scorer=OSA.distance, score_cutoff=2, limit=None)
        return [w for w, distance, _ in found if distance <= _typos_allowed(w)]

    def _compact(self, tokens: Sequence[str]) -> set[_Span]:
        found: set[_Span] = set()
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


def _inside(hit: _Span, ordinary: _Span) -> bool:
    """Whether the words `hit` matched all lie within those of an ordinary phrase."""
    return ordinary[1] <= hit[1] and hit[2] <= ordinary[2]


def _walk(
    node: _Node, keys: Sequence[frozenset[str]], start: int, pos: int, found: set[_Span]
) -> None:
    """Follow the trie from `node` along the text words from `pos` on, collecting phrases
    that began at `start`."""
    found.update((i, start, pos) for i in node.ends)
    after_gap = node.next.get(_GAP)
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


def _is_word(word: str) -> bool:
    return word != _GAP and "*" not in word and not word.startswith(_RANGE)


def _join(words: Iterable[str]) -> str:
    """Words run together, collapsing a letter repeated across a join as text would be."""
    joined = ""
    for word in words:
        joined += word[1:] if joined and word and word[0] == joined[-1] else word
    return joined


# --- reading the lists ----------------------------------------------------------------

_GROUPS = "groups"
_GROUP_NAME = re.compile(r"[a-z][a-z0-9_]*")
_GROUP_REF = re.compile(r"<([^<>]*)>")
_RANGE_REF = re.compile(r"(\d{1,4})-(\d{1,4})")
_MAX_COMBINATIONS = 5000
_GLOB_MIN_LETTERS = 3


def _parse_file(file: str, text: str) -> list[Phrase]:
    try:
        document = yaml_lines.read(text)
    except yaml_lines.YamlError as error:
        issue = error.issue
        raise ListError(file, issue.line, issue.message, issue.fix) from None
    if document is None:
        return []
    if document.issues:
        issue = document.issues[0]
        raise ListError(file, issue.line, issue.message, issue.fix)
    data = document.data
    if not isinstance(data, dict):
        raise ListError(
            file, 1, "the file is not a set of categories", _fix_categories("start each with")
        )
    groups = _parse_groups(file, data.get(_GROUPS), document)
    phrases: list[Phrase] = []
    for category, items in data.items():
        if category == _GROUPS:
            continue
        line = document.key_line((category,))
        if category not in CATEGORIES and category != ORDINARY:
            raise ListError(file, line, f"'{category}' is not a category", _fix_categories("use"))
        for n, item in enumerate(_items(file, line, items)):
            item_line = document.line((category, n))
            source = _phrase_text(file, item_line, item)
            for pattern in _compile(file, item_line, source, groups):
                phrases.append(Phrase(category, source, file, item_line, pattern))
    return phrases


def _parse_groups(
    file: str, data: object, document: yaml_lines.Document
) -> dict[str, list[tuple[str, ...]]]:
    if data is None:
        return {}
    line = document.key_line((_GROUPS,))
    if not isinstance(data, dict):
        raise ListError(
            file,
            line,
            "'groups' is not a set of named word lists",
            "write each group as 'name:' with its words below it, each on a line starting '- '",
        )
    groups: dict[str, list[tuple[str, ...]]] = {}
    for name, items in data.items():
        name_line = document.key_line((_GROUPS, name))
        if not _GROUP_NAME.fullmatch(name) or name in _ANCHORS:
            raise ListError(
                file,
                name_line,
                f"'{name}' is not a usable group name",
                "use lower-case letters, digits and _ only, starting with a letter"
                " (start and end are taken)",
            )
        members: list[tuple[str, ...]] = []
        for n, item in enumerate(_items(file, name_line, items)):
            item_line = document.line((_GROUPS, name, n))
            source = _phrase_text(file, item_line, item)
            if _GROUP_REF.search(source):
                raise ListError(
                    file, item_line, "a group can't name another group", "write the words out"
                )
            members.extend(_compile_words(file, item_line, source, {}))
        groups[name] = members
    return groups


def _items(file: str, line: int, items: object) -> list[object]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise ListError(
            file,
            line,
            "the phrases here are not a list",
            "put each phrase on its own line below, starting with '- '",
        )
    return items


def _phrase_text(file: str, line: int, item: object) -> str:
    if isinstance(item, dict):
        raise ListError(
            file,
            line,
            "this phrase reads as 'key: value' because of the ': ' in it",
            "put the phrase in quotes, or leave out the colon",
        )
    if isinstance(item, list):
        raise ListError(file, line, "this phrase is a list", "write one phrase per '- ' line")
    if item is None or isinstance(item, bool):
        raise ListError(
            file, line, "this line holds no phrase", "write the phrase after '- ', or remove it"
        )
    return str(item)


def _compile(
    file: str, line: int, source: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    """The patterns of one phrase: one per combination of its groups' words."""
    patterns = []
    for words in _compile_words(file, line, source, groups):
        _check(file, line, source, words)
        counted = sum(1 for w in words if w not in (_GAP, _START, _END))
        patterns.append(tuple(_mark_fuzzy(w) if counted > 1 else w for w in words))
    return list(dict.fromkeys(patterns))


def _compile_words(
    file: str, line: int, source: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    choices: list[list[tuple[str, ...]]] = []
    for raw in source.split():
        choices.append(_compile_word(file, line, raw, groups))
    combinations = 1
    for options in choices:
        combinations *= len(options)
    if combinations > _MAX_COMBINATIONS:
        raise ListError(
            file,
            line,
            f"this phrase stands for {combinations} combinations of group words",
            "split it into several phrases, or use smaller groups",
        )
    return [tuple(w for part in combo for w in part) for combo in itertools.product(*choices)]


def _compile_word(
    file: str, line: int, raw: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    if raw in (_GAP, "…"):
        return [(_GAP,)]
    ref = _GROUP_REF.fullmatch(raw)
    if ref:
        inside = ref.group(1)
        if inside in _ANCHORS:
            return [(_ANCHORS[inside],)]
        if inside[:1].isdigit():
            return [(_range(file, line, inside),)]
        return _group(file, line, inside, groups)
    if "<" in raw or ">" in raw:
        raise ListError(
            file,
            line,
            f"'{raw}' has a < or > that is not a whole group name like <family>",
            "write the group as its own word, like '<family> hits me', or remove the bracket",
        )
    if "*" in raw:
        return [(_glob(file, line, raw),)]
    return [tuple(_words(raw, leet=None))]


def _range(file: str, line: int, text: str) -> str:
    found = _RANGE_REF.fullmatch(text)
    if not found or int(found.group(1)) > int(found.group(2)):
        raise ListError(
            file,
            line,
            f"'<{text}>' is not a number range",
            "write the smallest and largest number with a dash, like <5-17>",
        )
    return f"{_RANGE}{int(found.group(1))}-{int(found.group(2))}"


def _group(
    file: str, line: int, name: str, groups: Mapping[str, list[tuple[str, ...]]]
) -> list[tuple[str, ...]]:
    members = groups.get(name)
    if not members:
        known = ", ".join(sorted(groups)) or "none yet"
        raise ListError(
            file,
            line,
            f"there is no group '{name}' with words in this file",
            f"add it under 'groups:' at the top, or use one of: {known}",
        )
    return members


def _glob(file: str, line: int, raw: str) -> str:
    parts = ["".join(_words(part, leet=None, speak=False)) for part in raw.split("*")]
    glob = "*".join(parts)
    glob = re.sub(r"\*+", "*", glob)
    if sum(len(p) for p in parts) < _GLOB_MIN_LETTERS:
        raise ListError(
            file,
            line,
            f"'{raw}' would match far too many words",
            f"give a * word at least {_GLOB_MIN_LETTERS} letters, like 'stab*'",
        )
    return glob


def _check(file: str, line: int, source: str, words: tuple[str, ...]) -> None:
    solid = [w for w in words if w not in (_GAP, _START, _END)]
    if not solid:
        raise ListError(
            file, line, f"'{source}' has no letters or numbers to match", "write a phrase in words"
        )
    if (
        words[0] == _GAP
        or words[-1] == _GAP
        or any(a == b == _GAP for a, b in itertools.pairwise(words))
    ):
        raise ListError(
            file,
            line,
            f"'{source}' has '...' at an end or twice in a row",
            "put '...' only between two words, like 'step dad ... touch*'",
        )
    if len(solid) == 1:
        word = solid[0]
        if word.startswith(_RANGE):
            raise ListError(
                file,
                line,
                f"'{source}' is only a number range and would match any number",
                "add the words around it, like 'i am <5-17>'",
            )
        if _is_word(word) and len(word) < 2:
            raise ListError(
                file,
                line,
                f"'{source}' is a single letter and would match too much",
                "write a longer word or a phrase",
            )


def _mark_fuzzy(word: str) -> str:
    return _FUZZY + word if _is_word(word) and word.isalpha() and len(word) >= _FUZZY_MIN else word


def _fix_categories(verb: str) -> str:
    return f"{verb} one of: {', '.join(CATEGORIES)} (or 'groups', '{ORDINARY}')"
