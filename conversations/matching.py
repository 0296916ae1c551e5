"""Turning a typed answer into a choice, a number, or yes/no.

A choice goes in the design's order: an exact number ("2", "2.", " 2 "), then an exact id
or label in any language (any case, accents optional, punctuation ignored), then a fuzzy
match, taken only when it is good enough AND clearly better than every other option.
Anything less is None, and the engine asks again: asking again costs a message, a wrong
answer spoils the results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from conversations.keywords import Keyword, classify, normalise

# A fuzzy match needs at least this score (0-100) ...
FUZZY_THRESHOLD = 85.0
# ... and must beat the best other option by this much.
FUZZY_MARGIN = 10.0
# Shorter answers (letters, spaces not counted) never match fuzzily: "a" is in too many labels.
FUZZY_MIN_LETTERS = 3
# Longer answers are not a choice being named; they never match fuzzily.
FUZZY_MAX_LENGTH = 200
# A word of the answer is "in" a label when it is this close to one of the label's words.
WORD_THRESHOLD = 80.0
# Words that say nothing about which option: they don't count as words a label lacks.
FILLERS = frozenset({"I", "IM", "ID", "MY", "FEEL", "THINK", "SAY", "ITS", "IT", "IS", "AM"})

# Words that turn a label round. Folded to one word before scoring, so "don't feel safe"
# and "not safe" agree; an option whose label disagrees with the answer on negation can't
# win fuzzily ("not very safe" is never "Very safe", "safe" is never "Not safe").
NEGATIONS = frozenset(
    {
        "NOT",
        "NO",
        "NEVER",
        "DONT",
        "DOESNT",
        "DIDNT",
        "ISNT",
        "ARENT",
        "WASNT",
        "WERENT",
        "CANT",
        "CANNOT",
        "WONT",
        "NIE",  # Polish: not, no
        "NIGDY",  # Polish: never
    }
)
_NOT = "NOT"

# fmt: off
_NUMBER_NAMES = (
    "ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN",
    "ELEVEN", "TWELVE", "THIRTEEN", "FOURTEEN", "FIFTEEN", "SIXTEEN", "SEVENTEEN", "EIGHTEEN",
    "NINETEEN", "TWENTY",
)
# fmt: on
NUMBER_WORDS: Mapping[str, int] = {word: value for value, word in enumerate(_NUMBER_NAMES)}

# Longer digit strings are not an answer anyone types (and int() refuses huge ones).
_MAX_DIGITS = 12
_INTEGER = re.compile(rf"([+\-−]?)\s*(\d{{1,{_MAX_DIGITS}}})")
_MINUS = re.compile(r"[-−]\s*\d")
# Between the picks of a multi answer: punctuation, or the words for "and".
_MULTI_SEPARATORS = re.compile(r"[,;/&+\n]+")
_AND_WORDS = frozenset({"AND", "ORAZ", "I"})


@dataclass(frozen=True)
class Option:
    """One choice: its id and its text in every language."""

    id: str
    labels: tuple[str, ...]


def match_choice(text: str, options: Sequence[Option]) -> str | None:
    """The id of the option `text` picks (number, exact words, clear fuzzy match), or None."""
    said = normalise(text)
    if not said:
        return None
    if said.isdecimal():
        # "-1" is no option's place: a minus sign is not punctuation around a number.
        index = None if _MINUS.search(text) else _small_int(said)
        if index is not None and 1 <= index <= len(options):
            return options[index - 1].id
        # A number that is no option's position may still be a label ("16" of ages).
        return _exact(said, options)
    return _exact(said, options) or _fuzzy(said, options)


def match_multi(text: str, options: Sequence[Option]) -> tuple[str, ...] | None:
    """The ids `text` picks ("1 3", "1,3", "1 and 3", "very, fairly"), in option order, or None."""
    picked: set[str] = set()
    for chunk in _MULTI_SEPARATORS.split(text):
        said = normalise(chunk)
        if not said:
            continue
        ids = _match_chunk(said, options)
        if ids is None:
            return None
        picked.update(ids)
    if not picked:
        return None
    return tuple(option.id for option in options if option.id in picked)


def match_integer(text: str, minimum: int | None, maximum: int | None) -> int | None:
    """A whole number within the bounds ("3", "3!", "-2", "three"), or None."""
    value = _parse_integer(text)
    if value is None:
        return None
    if minimum is not None and value < minimum:
        return None
    if maximum is not None and value > maximum:
        return None
    return value


def match_scale(
    text: str, minimum: int, maximum: int, labels: Mapping[int, Sequence[str]]
) -> int | None:
    """A point on the scale: a number in range, or a point's label (exact or clearly fuzzy)."""
    if _parse_integer(text) is not None:
        return match_integer(text, minimum, maximum)
    said = normalise(text)
    if not said:
        return None
    options = [
        Option(str(point), tuple(texts))
        for point, texts in labels.items()
        if minimum <= point <= maximum
    ]
    found = _exact(said, options, match_ids=False) or _fuzzy(said, options, match_ids=False)
    return None if found is None else int(found)


def match_yes_no(text: str) -> bool | None:
    """True for a yes word, False for a no word, in any supported language; else None."""
    keyword = classify(text)
    if keyword is Keyword.YES:
        return True
    if keyword is Keyword.NO:
        return False
    return None


def _match_chunk(said: str, options: Sequence[Option]) -> set[str] | None:
    """One comma-separated part of a multi answer: numbers, a label, or labels joined by 'and'."""
    words = said.split()
    if all(word.isdecimal() or word in _AND_WORDS for word in words):
        numbers = [word for word in words if word.isdecimal()]
        if not numbers:
            return None
        ids: set[str] = set()
        for number in numbers:
            index = _small_int(number)
            if index is None or not 1 <= index <= len(options):
                return None
            ids.add(options[index - 1].id)
        return ids
    whole = _exact(said, options)
    if whole is not None:
        return {whole}
    parts = _split_on_and(words)
    if len(parts) >= 2:
        picks: set[str] = set()
        for part in parts:
            pick = match_choice(part, options)
            if pick is None:
                break
            picks.add(pick)
        else:
            return picks
    fuzzy = _fuzzy(said, options)
    return None if fuzzy is None else {fuzzy}


def _split_on_and(words: list[str]) -> list[str]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word in _AND_WORDS:
            parts.append([])
        else:
            parts[-1].append(word)
    return [" ".join(part) for part in parts if part]


def _exact(said: str, options: Sequence[Option], *, match_ids: bool = True) -> str | None:
    """The one option whose id or a label is `said` once normalised; None if none or several."""
    found = {
        option.id
        for option in options
        if any(normalise(candidate) == said for candidate in _texts(option, match_ids))
    }
    return found.pop() if len(found) == 1 else None


def _fuzzy(said: str, options: Sequence[Option], *, match_ids: bool = True) -> str | None:
    """The option clearly closest to `said`, or None when none is close or two are."""
    letters = sum(1 for char in said if not char.isspace())
    if not FUZZY_MIN_LETTERS <= letters <= FUZZY_MAX_LENGTH:
        return None
    answer = _fold_negations(said)
    negated = _NOT in answer.split()
    best_id: str | None = None
    best = 0.0
    # Every option competes as a runner-up, even one barred from winning by negation:
    # "not very safe" is as close to "Very safe" as to "Not safe", so it is not clear.
    scores: dict[str, float] = {}
    for option in options:
        for candidate in _texts(option, match_ids):
            label = _fold_negations(normalise(candidate))
            if not label:
                continue
            score = _score(answer, label)
            scores[option.id] = max(scores.get(option.id, 0.0), score)
            if (_NOT in label.split()) == negated and score > best:
                best_id, best = option.id, score
    if best_id is None or best < FUZZY_THRESHOLD:
        return None
    runner_up = max((score for oid, score in scores.items() if oid != best_id), default=0.0)
    return best_id if best - runner_up >= FUZZY_MARGIN else None


def _score(answer: str, label: str) -> float:
    """How well `answer` names `label`, 0-100.

    Leaving words out is fine ("very" names "Very safe"); adding words the label lacks
    is not ("very safe but not at night" is not simply "Very safe"), so those cost.
    """
    score = fuzz.token_set_ratio(answer, label)
    label_words = label.split()
    extra = [
        word
        for word in answer.split()
        if word not in FILLERS
        and not any(fuzz.ratio(word, known) >= WORD_THRESHOLD for known in label_words)
    ]
    if extra:
        score = (score + fuzz.token_sort_ratio(answer, label)) / 2
    return score


def _texts(option: Option, match_ids: bool) -> tuple[str, ...]:
    return (option.id, *option.labels) if match_ids else option.labels


def _fold_negations(said: str) -> str:
    return " ".join(_NOT if word in NEGATIONS else word for word in said.split())


def _parse_integer(text: str) -> int | None:
    """The whole number `text` is, allowing spaces and trailing punctuation or emoji."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _INTEGER.match(folded)
    # Only spaces, punctuation or emoji may follow: "3!" is 3, "3.5" and "3 apples" are not.
    if match is not None and not normalise(folded[match.end() :]):
        sign = -1 if match.group(1) in ("-", "−") else 1
        return sign * int(match.group(2))
    return NUMBER_WORDS.get(normalise(text))


def _small_int(digits: str) -> int | None:
    return int(digits) if len(digits) <= _MAX_DIGITS else None
