"""Results of a consultation round: counts per question and choice, with small-number suppression."""

from __future__ import annotations

from dataclasses import dataclass

from conversations.facts import ResponseStatus
from conversations.messages import Channel
from conversations.state import AnswerValue


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
