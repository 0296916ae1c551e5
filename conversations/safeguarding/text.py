"""Reading text: the normalisation that messages and list phrases both go through.

Lower case, accents folded, contractions spelled out, apostrophes dropped, repeated letters
collapsed, text-speak expanded, and leetspeak read as a second reading of a message.
"""

from __future__ import annotations

import re
import unicodedata

START = "\x02"  # <start>: no text word can be this, as words hold letters and digits only
END = "\x03"  # <end>


def normalise(text: str) -> str:
    """`text` as the screen reads it (the plain reading; leetspeak is a second reading)."""
    return " ".join(words(text, leet=None))


def words(text: str, leet: str | None, *, speak: bool = True) -> list[str]:
    """Normalised words of `text`; `leet` is what 1 stands for, or None to read digits as digits."""
    return _read(_fold(text), leet, speak=speak)


def variants(text: str) -> list[list[str]]:
    """The readings of `text` to screen: digits as digits, then leetspeak with 1 as i and as l."""
    folded = _fold(text)
    readings = [_read(folded, leet=None)]
    if not _LEET_CHARS.isdisjoint(folded):
        for one in ("i", "l"):
            leet = _read(folded, leet=one)
            if all(leet != r for r in readings):
                readings.append(leet)
    return [[START, *r, END] for r in readings]


_FOLD = str.maketrans({"ł": "l", "đ": "d", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "ð": "d"})
_APOSTROPHES = re.compile("['’‘`´ʼ]")
# Combining marks left by decomposing Latin, Greek and Cyrillic letters ("ś" -> "s" + mark).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Contractions written with an apostrophe, spelled out: without it "he'll" would read as
# "hell". Written without one ("dont", "cant") they are text-speak, in _SPEAK_SOURCE.
_CONTRACTIONS = tuple(
    (re.compile(pattern.replace("'", "['’‘`´ʼ]")), spelled)
    for pattern, spelled in (
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
        for contraction, spelled in _CONTRACTIONS:
            folded = contraction.sub(spelled, folded)
        folded = _APOSTROPHES.sub("", folded)
    return folded


def _read(folded: str, leet: str | None, *, speak: bool = True) -> list[str]:
    """Normalised words of already folded text."""
    if leet is not None:
        folded = _RUN.sub(lambda run: _unleet(run.group(), leet), folded)
    found = _PIECE.findall(_REPEAT.sub(r"\1", folded))
    if not speak:
        return found
    out: list[str] = []
    for word in found:
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
