"""Guessing which offered language a message is written in (langdetect).

Only a guess, used to pick the language of a first reply: a participant can always
choose another by texting its name. Short texts are guessed badly ("co to jest" comes out
Spanish), so anything under three words gets no guess at all.
"""

from __future__ import annotations

from collections.abc import Sequence

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

# langdetect samples at random; a fixed seed makes the same text get the same guess.
DetectorFactory.seed = 0

MIN_WORDS = 3
# A guess below this probability is no guess.
MIN_PROBABILITY = 0.5
# More text than this adds time, not accuracy.
MAX_CHARACTERS = 1000


def detect_language(text: str, offered: Sequence[str]) -> str | None:
    """The offered language `text` is most likely in, or None for short or unclear texts."""
    sample = text[:MAX_CHARACTERS]
    if len(sample.split()) < MIN_WORDS:
        return None
    try:
        guesses = detect_langs(sample)
    except LangDetectException:  # no letters to go on: digits, emoji, punctuation
        return None
    for guess in guesses:
        code = str(guess.lang).split("-")[0]
        if code in offered and guess.prob >= MIN_PROBABILITY:
            return code
    return None
