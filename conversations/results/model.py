"""What results are made of: the rows storage gives, and the counts as published."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.model import QuestionType
from conversations.results.labels import Count
from conversations.state import AnswerValue

__all__ = [
    "ALL_CHANNELS",
    "AnswerRow",
    "Breakdown",
    "BreakdownQuestion",
    "Group",
    "NumberSummary",
    "Option",
    "QuestionResult",
    "ResponseCounts",
    "ResponseRow",
    "Results",
]

ALL_CHANNELS = "all"


@dataclass(frozen=True)
class ResponseRow:
    """One response (one person's run through a round), as storage returns it."""

    respondent_key: str  # opaque; groups one response's answers, links to no person
    round_id: str
    channel: Channel
    status: ResponseStatus


@dataclass(frozen=True)
class AnswerRow:
    """One answer (or skip) of one response; pending and released answers alike."""

    respondent_key: str
    round_id: str
    version: str
    question_id: str
    value: AnswerValue
    skipped: bool
    # False while the answer waits to be released in a mixed batch: it is counted, but its
    # free text is not listed until then (listed alone, it would single out one response).
    released: bool = True


@dataclass(frozen=True)
class Option:
    """One choice, scale point or yes/no of a question, with how many picked it."""

    id: str  # the choice id, the scale point ("3"), or "yes"/"no"
    label: str  # English text as the latest version words it
    count: Count


@dataclass(frozen=True)
class NumberSummary:
    """A number question's answers: median and quartiles, None when too few answered."""

    count: Count
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    suppressed: bool


@dataclass(frozen=True)
class QuestionResult:
    """One question's results."""

    id: str
    type: QuestionType
    text: str  # English, as the latest version words it
    asked: Count
    answered: Count
    skipped: Count
    options: tuple[Option, ...] = ()  # choice, multi, scale, yesno, updates
    number: NumberSummary | None = None  # number questions only
    answers: tuple[str, ...] = ()  # text questions: the free-text answers, in random order
    answers_suppressed: bool = False  # text questions answered by fewer than min_count


@dataclass(frozen=True)
class ResponseCounts:
    """How many responses started, finished, ended part-way or are still going."""

    channel: str  # a Channel value, or ALL_CHANNELS
    started: Count
    finished: Count
    partial: Count
    in_progress: Count


@dataclass(frozen=True)
class Group:
    """One answer of the question results are broken down by, and how many gave it.
    The last group is everyone who didn't answer it (skipped, or never asked): its size
    is not shown."""

    id: str  # the option id, or NO_ANSWER
    label: str
    count: Count | None  # None for the no-answer group


@dataclass(frozen=True)
class BreakdownQuestion:
    """One question's answers, per group: `answered[g]` answered it in group g, and each
    option's counts per group (none for text and number questions)."""

    id: str
    type: QuestionType
    text: str
    answered: tuple[Count, ...]
    options: tuple[tuple[Option, tuple[Count, ...]], ...]


@dataclass(frozen=True)
class Breakdown:
    """Every other question, broken down by the answers to one (`--by`)."""

    by_id: str
    by_text: str
    groups: tuple[Group, ...]
    questions: tuple[BreakdownQuestion, ...]


@dataclass(frozen=True)
class Results:
    """A consultation's results, safe to publish: overall, or one round's."""

    consultation_id: str
    title: str
    version: str  # the latest version's digest
    min_count: int
    total: ResponseCounts
    by_channel: tuple[ResponseCounts, ...]  # every channel, in Channel order
    questions: tuple[QuestionResult, ...]
    round_id: str | None = None  # None: every round together
    breakdown: Breakdown | None = None
