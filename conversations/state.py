"""What the engine remembers between messages: the participant and their current conversation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

AnswerValue = str | int | tuple[str, ...] | None
"""A stored answer: text or a choice id (str), a scale point or number (int),
multi-choice ids (tuple), ``"yes"``/``"no"`` for yesno and updates, None when skipped."""


def shown_answer(value: AnswerValue) -> str:
    """An answer as an officer reads it: `lighting, patrols` for several picks, `(skipped)`."""
    if value is None:
        return "(skipped)"
    if isinstance(value, tuple):
        return ", ".join(value) if value else "(none picked)"
    return str(value)


class Phase(StrEnum):
    INTRO = "intro"  # intro and consent sent, waiting for YES
    QUESTION = "question"  # a question is waiting for its answer
    FINISHED = "finished"
    STOPPED = "stopped"  # STOP or EXIT mid-way: a partial response


@dataclass(frozen=True)
class ParticipantState:
    """Everything known about one address, keyed elsewhere by its pseudonym."""

    language: str | None = None  # last language chosen or used
    opted_out: bool = False  # said STOP (or an opt-out word); only START undoes it
    stop_notice_sent: bool = False  # the one "You've stopped messages" line went out
    # Round id -> respondent token of each response this person gave that can still be
    # withdrawn (DELETE). Also answers "have I taken part in this round?". Storage drops
    # entries once the round's withdrawal window has passed, which unlinks them for good.
    responses: Mapping[str, str] = field(default_factory=dict)
    helplines_shown: bool = False  # the full safety message went out once already
    # The last texts screened (redacted, bounded; see conversations.screening), so that a
    # disclosure split over two or three texts is caught. Sealed with the rest of this
    # state; emptied after a full safety message and when a new conversation starts.
    recent_texts: tuple[str, ...] = ()
    # The language a message seemed to be written in, once the bot asked about it
    # ("Chcesz rozmawiać po polsku? TAK / NIE"): kept, so nobody is asked twice.
    language_asked: str | None = None
    language_offer_open: bool = False  # that question waits for YES or NO now


@dataclass(frozen=True)
class ConversationState:
    """One run through one consultation, on the version it started on."""

    consultation_id: str
    version: str
    round_id: str
    respondent_token: str  # random; links answers to one response, never to a person
    language: str
    phase: Phase
    started_at: datetime
    last_active: datetime
    question_id: str | None = None  # the question waiting for an answer
    answers: Mapping[str, AnswerValue] = field(default_factory=dict)
    history: tuple[str, ...] = ()  # questions asked, in order, for BACK
    reasks: int = 0  # how often the current question came again
    skip_pending: bool = False  # a required question got SKIP once
    preview: bool = False  # kept out of results (yousaid chat without --live)

    @property
    def active(self) -> bool:
        return self.phase in (Phase.INTRO, Phase.QUESTION)
