"""A small linear classifier for the safeguarding screen, scored in plain Python.

Word lists catch the words people use; they cannot tell "he hits me" from "men hit women
round here". This model reads the same normalised words (see `safeguarding.normalise`)
and scores how likely a text is a disclosure by the writer or someone close to them, as
opposed to talk about the topic. It is logistic regression over:

- words and pairs of words ("hits me", "my dad");
- cues of person and time: first person ("i", "me", "my"), someone close ("my brother"),
  now or recently ("tonight", "last night", "again"), and talk about the topic ("people",
  "round here", "the police should");
- which word-list categories matched (``list:violence``) and whether an ordinary phrase
  matched (``list:ordinary``), so the model learns how far each list is to be trusted.

The weights are a data file built deterministically from the labelled corpus by
``scripts/build_safeguarding_model.py``; this module only reads and scores them, so the
running bot imports no machine-learning library. Long texts are scored in windows of
`WINDOW_WORDS` words and the highest window counts, so a disclosure at the end of a long
answer is not drowned out; at most `MAX_WINDOWS` windows are scored.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from conversations.problems import FileError

WINDOW_WORDS = 40
"""Words scored together; a longer text is scored in overlapping windows."""

MAX_WINDOWS = 8
"""Windows scored at most (the rest of a very long text is left to the word lists)."""

READ_WORDS = WINDOW_WORDS // 2 * (MAX_WINDOWS + 1)
"""Words the windows cover; past that the model has not read the whole text."""

FORMAT = 1
"""The version of the model file's shape; a file of another version is refused."""


class ModelError(FileError):
    """A model file that can't be used, with the file, the line and how to fix it."""


@dataclass(frozen=True)
class Model:
    """The weights of the classifier and the two thresholds chosen on the dev split."""

    bias: float
    weights: Mapping[str, float]
    full: float  # a score at or above it gets the full helplines message
    nudge: float  # at or above it (and under `full`), the one-line nudge
    corpus: str = ""  # SHA-256 of the training data, to tell which corpus built it


def parse_model(file: str, text: str) -> Model:
    """The model in a JSON file's text. Raises ModelError with a fix."""
    rebuild = "rebuild it with scripts/build_safeguarding_model.py"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ModelError(file, error.lineno, "this is not valid JSON", rebuild) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelError(file, 1, f"this is not a model file of format {FORMAT}", rebuild)
    try:
        weights = {str(k): float(v) for k, v in dict(data["weights"]).items()}
        model = Model(
            bias=float(data["bias"]),
            weights=weights,
            full=float(data["full"]),
            nudge=float(data["nudge"]),
            corpus=str(data.get("corpus", "")),
        )
    except (KeyError, TypeError, ValueError):
        problem = "the model file lacks a field or has a bad one"
        raise ModelError(file, 1, problem, rebuild) from None
    if not 0 < model.nudge <= model.full < 1:
        raise ModelError(file, 1, "its thresholds are out of order", rebuild)
    return model


def dump_model(model: Model) -> str:
    """The model as the JSON text `parse_model` reads (sorted, so builds compare equal)."""
    data = {
        "format": FORMAT,
        "corpus": model.corpus,
        "bias": round(model.bias, 4),
        "full": model.full,
        "nudge": model.nudge,
        "weights": {k: round(v, 4) for k, v in sorted(model.weights.items())},
    }
    return json.dumps(data, indent=0, sort_keys=True, ensure_ascii=True) + "\n"


def features(words: Sequence[str], listed: Iterable[str] = ()) -> list[str]:
    """The features of normalised `words`, plus ``list:<category>`` for each list match."""
    found = [f"list:{c}" for c in listed]
    found.extend(_cues(words))
    previous = "<s>"
    for word in words:
        found.append("w:" + word)
        found.append(f"b:{previous} {word}")
        previous = word
    found.append(f"b:{previous} </s>")
    return found


def windows(words: Sequence[str]) -> list[Sequence[str]]:
    """`words` in the windows that are scored (one window for a short text)."""
    if len(words) <= WINDOW_WORDS:
        return [words]
    step = WINDOW_WORDS // 2
    starts = range(0, len(words) - step, step)
    return [words[s : s + WINDOW_WORDS] for s in starts][:MAX_WINDOWS]


def score(model: Model, found: Iterable[str]) -> float:
    """The probability, by the model, that text with these features is a disclosure."""
    weights = model.weights
    total = model.bias + sum(weights.get(f, 0.0) for f in found)
    return _sigmoid(total)


def strongest(model: Model, found: Iterable[str], count: int = 3) -> tuple[str, ...]:
    """The features that pushed hardest towards "disclosure", as a reviewer can read them."""
    weights = model.weights
    pushed = {f: weights[f] for f in set(found) if weights.get(f, 0.0) > 0}
    best = sorted(pushed, key=lambda f: (-pushed[f], f))
    # List matches are named by their phrase elsewhere; here only what the model read.
    readable = [_readable(f) for f in best if not f.startswith("list:")]
    return tuple(dict.fromkeys(readable))[:count]


# --- helpers ----------------------------------------------------------------------------


def _split(words: str) -> list[str]:
    return words.split()


_FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine", "am", "ja", "mnie", "mi", "moj"})
_CLOSE = frozenset(
    _split(
        """mum mom mam dad father mother stepdad stepmum brother sister bro sis cousin uncle
    aunty auntie aunt nan gran grandad boyfriend girlfriend partner husband wife ex friend
    mate bestie son daughter baby carer mama tata brat siostra chlopak dziewczyna maz zona
    kolega kolezanka wujek ciocia ojczym macocha przyjaciel przyjaciolka"""
    )
)
_RECENT = frozenset(
    _split(
        """now tonight today yesterday again keeps always still every week weekend lately
    currently teraz dzis dzisiaj wczoraj znowu ciagle zawsze caly"""
    )
)
_TOPIC = frozenset(
    _split(
        """people kids young youth area estate borough council police government news film
    documentary should lesson school schools survey questions ask society ludzie dzieci
    mlodzi okolica osiedle rada policja powinni wiadomosci"""
    )
)


def _cues(words: Sequence[str]) -> list[str]:
    cues = []
    present = set(words)
    if present & _FIRST_PERSON:
        cues.append("cue:first")
    if any(a in ("my", "moj", "moja", "moje", "mojego") and b in _CLOSE for a, b in _pairs(words)):
        cues.append("cue:close")
    if present & _RECENT:
        cues.append("cue:recent")
    if present & _TOPIC:
        cues.append("cue:topic")
    if not cues:
        cues.append("cue:none")
    return cues


def _pairs(words: Sequence[str]) -> Iterable[tuple[str, str]]:
    return itertools.pairwise(words)


def _readable(feature: str) -> str:
    kind, _, value = feature.partition(":")
    if kind == "b":
        value = value.replace("<s>", "(start)").replace("</s>", "(end)")
    if kind == "cue":
        return _CUE_NAMES.get(value, value)
    return f'"{value}"'


_CUE_NAMES = {
    "first": "first person",
    "close": "someone close",
    "recent": "now or recently",
    "topic": "talk of the topic",
    "none": "no cue",
}


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)
