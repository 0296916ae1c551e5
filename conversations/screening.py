"""The safeguarding decision: the word lists and the classifier together, on a text and
on the last few texts of the conversation joined.

- **full**: the classifier is confident the writer (or someone close) is in danger or
  being harmed, or at risk of harming themselves: the full helplines message goes out
  before the next question.
- **nudge**: unsure (the score is between the two thresholds): one line with no numbers
  in it ("If you're not safe, text HELP."), and the consultation goes on.
- **none**: nothing is said.

With no model (a deployment without ``config/safeguarding/model.json``) every list match
is "full", as before the classifier existed. A disclosure split over several texts
("my stepdad" ... "comes in my room at night") is caught by also scoring the last
`CONTEXT_TEXTS` texts joined with this one.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

from conversations import classifier
from conversations.classifier import Model
from conversations.safeguarding import (
    CLASSIFIER,
    COMPANION_ONLY,
    Reading,
    SafeguardingLists,
    normalise,
    read,
)

CONTEXT_TEXTS = 2
"""Earlier texts joined with the new one, so a disclosure split over three is caught."""

CONTEXT_CHARS = 300
"""Characters of each earlier text kept for the join (a bound, whatever people send)."""

MAX_CHARS = 2000
"""Characters of a text joined with the earlier ones (the word lists read all of it)."""


class Level(enum.Enum):
    """What the person gets."""

    NONE = "none"
    NUDGE = "nudge"
    FULL = "full"


@dataclass(frozen=True)
class Verdict:
    """The screen's decision on one text, and why, for the safeguarding lead."""

    level: Level
    categories: tuple[str, ...] = ()  # list categories, or (CLASSIFIER,)
    score: float = 0.0  # the classifier's probability; 1.0 or 0.0 without a model
    reasons: tuple[str, ...] = ()  # the list phrases, or the strongest features
    # Which rules fired, as labels with no text of the message in them: "list:FILE:LINE"
    # for each list phrase that matched, "score:0.87" when the classifier scored it.
    rules: tuple[str, ...] = ()


NOTHING = Verdict(Level.NONE)


def assess(
    text: str,
    lists: SafeguardingLists,
    model: Model | None,
    context: Sequence[str] = (),
) -> Verdict:
    """The decision on `text`, also read after the last texts in `context`. Never raises."""
    reading = read(text, lists)
    alone = _decide(text, reading, model)
    if model is None or not context or alone.level is Level.FULL:
        return alone
    earlier = [t[:CONTEXT_CHARS] for t in context[-CONTEXT_TEXTS:]]
    # The join is read by the classifier only (with this text's list matches): running
    # the lists again on it would double the cost of every message.
    joined = _decide(" ".join([*earlier, text[:MAX_CHARS]]), reading, model)
    # The join only adds what this text completes; it never demotes what the text said.
    if (_rank(joined), joined.score) > (_rank(alone), alone.score):
        return joined
    return alone


def remember(context: Sequence[str], text: str) -> tuple[str, ...]:
    """The context to keep after `text`: the last `CONTEXT_TEXTS` texts with words in
    them, each bounded."""
    if not any(c.isalpha() for c in text):  # "3", "2026": nothing to join with
        return tuple(context)
    return (*context, text[:CONTEXT_CHARS])[-CONTEXT_TEXTS:]


def text_features(text: str, reading: Reading) -> list[list[str]]:
    """The classifier's features of `text`, one list per window (the build uses it too).

    `reading` is what the word lists found (in `text`, or in the newest text of a join).
    """
    return _features(normalise(text).split(), reading)


# --- helpers ----------------------------------------------------------------------------


def _decide(text: str, reading: Reading, model: Model | None) -> Verdict:
    categories = tuple(sorted({m.category for m in reading.matches}))
    listed = () if set(categories) <= {COMPANION_ONLY} else categories
    phrases = tuple(dict.fromkeys(f'list {m.category}: "{m.phrase}"' for m in reading.matches))
    rules = tuple(dict.fromkeys(f"list:{m.file}:{m.line}" for m in reading.matches))
    if model is None:
        if not listed:
            return NOTHING
        return Verdict(Level.FULL, listed, 1.0, phrases, rules)
    words = normalise(text).split()
    if listed and len(words) > classifier.READ_WORDS:
        # Too long for the model to read all of it: the lists have, so trust them.
        return Verdict(Level.FULL, listed, 1.0, phrases, rules)
    best, best_features = 0.0, []
    for found_features in _features(words, reading):
        value = classifier.score(model, found_features)
        if value >= best:
            best, best_features = value, found_features
    if best >= model.full:
        level = Level.FULL
    elif best >= model.nudge:
        level = Level.NUDGE
    else:
        return Verdict(Level.NONE, (), best)
    reasons = phrases + classifier.strongest(model, best_features)
    return Verdict(level, listed or (CLASSIFIER,), best, reasons, (*rules, f"score:{best:.2f}"))


def _features(words: Sequence[str], reading: Reading) -> list[list[str]]:
    listed = sorted({m.category for m in reading.matches})
    if reading.topic:
        listed.append("ordinary")
    return [classifier.features(window, listed) for window in classifier.windows(words)]


def _rank(verdict: Verdict) -> int:
    return {Level.NONE: 0, Level.NUDGE: 1, Level.FULL: 2}[verdict.level]
