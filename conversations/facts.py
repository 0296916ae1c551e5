"""Facts the engine decided, for the caller to record in the same transaction as the state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from conversations.messages import Channel
from conversations.model import UpdatesScope
from conversations.state import AnswerValue


class ResponseStatus(StrEnum):
    STARTED = "started"
    FINISHED = "finished"
    PARTIAL = "partial"  # stopped or expired before the end


@dataclass(frozen=True)
class ResponseStarted:
    respondent_token: str
    consultation_id: str
    version: str
    round_id: str
    channel: Channel


@dataclass(frozen=True)
class AnswerRecorded:
    """An answer (or a skip) to one question; a later one for the same question replaces it."""

    respondent_token: str
    consultation_id: str
    version: str
    round_id: str
    question_id: str
    value: AnswerValue
    skipped: bool = False


@dataclass(frozen=True)
class ResponseEnded:
    respondent_token: str
    round_id: str
    status: ResponseStatus


@dataclass(frozen=True)
class Subscribed:
    """Asked for updates (scope THIS) or invitations (scope FUTURE)."""

    consultation_id: str
    round_id: str
    scope: UpdatesScope
    language: str
    channel: Channel


@dataclass(frozen=True)
class Unsubscribed:
    consultation_id: str
    scope: UpdatesScope


@dataclass(frozen=True)
class OptedOut:
    pass


@dataclass(frozen=True)
class OptedIn:
    pass


@dataclass(frozen=True)
class EraseRequested:
    """DELETE: erase the address, subscriptions, state and (in the window) answers."""

    respondent_tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flagged:
    """A safeguarding match; the text is already redacted."""

    category: str
    text: str
    consultation_id: str | None
    round_id: str | None
    # The response it came up in (None: none under way), so DELETE can erase the item
    # within the withdrawal window; storage keeps only its keyed hash, as for answers.
    respondent_token: str | None = None
    # Why it was flagged: the screen's rule labels (`screening.Verdict.rules`), joined by
    # `safety_replies.RULE_SEPARATOR`; never any text of the message.
    reason: str | None = None


@dataclass(frozen=True)
class FeedbackGiven:
    """A reply to a "you said, we did" update: anonymous feedback on it, already redacted
    (withheld when the safeguarding screen matched it)."""

    update_id: str
    consultation_id: str
    text: str


Fact = (
    ResponseStarted
    | AnswerRecorded
    | ResponseEnded
    | Subscribed
    | Unsubscribed
    | OptedOut
    | OptedIn
    | EraseRequested
    | Flagged
    | FeedbackGiven
)
