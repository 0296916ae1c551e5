"""Counting answers: which options a question has across versions, and who picked which."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from collections.abc import Sequence

from conversations.model import Consultation, Question, QuestionType, Text
from conversations.results.labels import Count
from conversations.results.model import NumberSummary
from conversations.state import AnswerValue

ENGLISH = "en"

OPTION_TYPES = frozenset(
    {
        QuestionType.CHOICE,
        QuestionType.MULTI,
        QuestionType.SCALE,
        QuestionType.YESNO,
        QuestionType.UPDATES,
    }
)
# Questions whose answer is one option: what `--by` can break results down by.
ONE_ANSWER_TYPES = OPTION_TYPES - {QuestionType.MULTI}
_YES_NO = {"yes": "Yes", "no": "No"}


def questions_across_versions(versions: Sequence[Consultation]) -> list[list[Question]]:
    """Each question id's versions, newest first; the latest's questions in its order first."""
    found: dict[str, list[Question]] = {}
    for consultation in versions:
        for question in consultation.questions:
            found.setdefault(question.id, []).append(question)
    return list(found.values())


def option_labels(
    kind: QuestionType, versions: Sequence[Question], given: Sequence[AnswerValue]
) -> dict[str, str]:
    """Option key -> label: every known option (from the newest version that has it), then
    any answer no version names, in a stable order."""
    labels = _known_options(kind, versions)
    canonical = {key.casefold(): key for key in labels}
    seen = {canonical.get(p.casefold(), p) for value in given for p in picks(kind, value)}
    unknown = sorted(key for key in seen if key not in labels)
    keys = [*labels, *unknown]
    if kind is QuestionType.SCALE:
        keys.sort(key=_scale_order)
    return {key: labels.get(key, key) for key in keys}


def picks(kind: QuestionType, value: AnswerValue) -> tuple[str, ...]:
    """The option keys an answer counts for: several for multi, one otherwise (once each)."""
    if value is None:
        return ()
    if kind is QuestionType.MULTI:
        found = value if isinstance(value, tuple) else (str(value),)
    elif isinstance(value, tuple):  # not expected for one-answer types; still one answer
        found = (",".join(value),)
    else:
        found = (str(value),)
    return tuple(dict.fromkeys(found))


def canonical_picks(
    kind: QuestionType, value: AnswerValue, labels: dict[str, str]
) -> tuple[str, ...]:
    """`picks`, spelled as the option keys in `labels` (answers compare without case)."""
    canonical = {key.casefold(): key for key in labels}
    return tuple(dict.fromkeys(canonical.get(p.casefold(), p) for p in picks(kind, value)))


def tally(
    kind: QuestionType, labels: dict[str, str], given: Sequence[AnswerValue]
) -> dict[str, int]:
    """How many answers count for each option in `labels` (every one listed, 0 for none)."""
    counted: Counter[str] = Counter()
    for value in given:
        counted.update(canonical_picks(kind, value, labels))
    return {key: counted[key] for key in labels}


def number_summary(count: Count, given: Sequence[AnswerValue], min_count: int) -> NumberSummary:
    numbers = sorted(v for v in given if isinstance(v, int) and not isinstance(v, bool))
    if not numbers or count.suppressed or len(given) < min_count:
        return NumberSummary(count, None, None, None, suppressed=bool(numbers))
    if len(numbers) == 1:
        only = float(numbers[0])
        return NumberSummary(count, only, only, only, suppressed=False)
    lower, median, upper = statistics.quantiles(numbers, n=4, method="inclusive")
    return NumberSummary(count, float(median), float(lower), float(upper), suppressed=False)


def shuffled(texts: list[str], seed: int | None) -> tuple[str, ...]:
    """Sorted first, so the order rows came in (and so when they came) never shows through."""
    texts.sort()
    if seed is not None:
        random.Random(seed).shuffle(texts)
    return tuple(texts)


def english(text: Text) -> str:
    return text.get(ENGLISH) or next(iter(text.values()), "")


def _known_options(kind: QuestionType, versions: Sequence[Question]) -> dict[str, str]:
    """Option key -> label, from the newest version that has each option."""
    if kind in (QuestionType.YESNO, QuestionType.UPDATES):
        return dict(_YES_NO)
    labels: dict[str, str] = {}
    for question in versions:
        if kind is QuestionType.SCALE:
            if question.min is None or question.max is None:
                continue
            for point in range(question.min, question.max + 1):
                label = question.labels.get(point)
                text = f"{point} ({english(label)})" if label else str(point)
                labels.setdefault(str(point), text)
        else:
            for choice in question.choices:
                labels.setdefault(choice.id, english(choice.text))
    return labels


def _scale_order(key: str) -> tuple[int, int, str]:
    try:
        return (0, int(key), "")
    except ValueError:
        return (1, 0, key)
