"""The turn being built: one inbound message, what it meets, and the decision it makes."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from conversations import rendering
from conversations.catalogue import Msg
from conversations.engine.world import OpenRound, World, default_language
from conversations.facts import (
    AnswerRecorded,
    Fact,
    FeedbackGiven,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
    Unsubscribed,
)
from conversations.messages import Inbound, Outgoing
from conversations.model import Consultation
from conversations.state import ConversationState, ParticipantState

TEXT_LIMIT = 1000  # characters kept of a free-text answer


@dataclass(frozen=True)
class Decision:
    """What one message does: the new states, the replies, and the facts to record."""

    participant: ParticipantState
    conversation: ConversationState | None
    replies: tuple[Outgoing, ...]
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class Live:
    """A conversation with the consultation version and the open round it runs on."""

    state: ConversationState
    consultation: Consultation
    round_: OpenRound


@dataclass(frozen=True)
class Turn:
    """One inbound message and what it meets."""

    participant: ParticipantState
    inbound: Inbound
    world: World
    live: Live | None = None  # under way: intro or a question waiting
    paused: Live | None = None  # stopped mid-way (EXIT, STOP) and can carry on

    @property
    def language(self) -> str:
        if self.live is not None:
            return self.live.state.language
        return self.participant.language or default_language(self.world.catalogue)

    def say(self, key: Msg, **params: object) -> str:
        return rendering.say(self.world.catalogue, self.language, key, **params)

    def kept(self) -> ConversationState | None:
        """The conversation as it stands, when this turn changes nothing about it."""
        found = self.live or self.paused
        return None if found is None else found.state


class Keep(Enum):
    """The marker for "leave the conversation as the turn found it"."""

    KEEP = "keep"


KEEP = Keep.KEEP


def decide(
    turn: Turn,
    replies: Sequence[Outgoing | str],
    *,
    participant: ParticipantState | None = None,
    conversation: ConversationState | Keep | None = KEEP,
    facts: Sequence[Fact] = (),
) -> Decision:
    """The decision of `turn`: what is not given stays as the turn found it."""
    return Decision(
        participant=turn.participant if participant is None else participant,
        conversation=turn.kept() if conversation is KEEP else conversation,
        replies=tuple(Outgoing(r) if isinstance(r, str) else r for r in replies),
        facts=tuple(facts),
    )


def prepend(replies: Sequence[Outgoing], facts: Sequence[Fact], decision: Decision) -> Decision:
    """`decision` with these replies and facts before its own."""
    return replace(decision, replies=(*replies, *decision.replies), facts=(*facts, *decision.facts))


def kept_out_of_results(decision: Decision) -> Decision:
    """`decision` without the facts that would count in results (a preview's)."""
    facts = tuple(f for f in decision.facts if not isinstance(f, _RESULT_FACTS))
    return replace(decision, facts=facts)


def language_of(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> str:
    """The language to reply in: the conversation's, else the participant's, else the default."""
    if conversation is not None:
        return conversation.language
    return participant.language or default_language(world.catalogue)


def ended(conversation: ConversationState, status: ResponseStatus) -> ResponseEnded:
    """The fact that the conversation's response ended with `status`."""
    return ResponseEnded(conversation.respondent_token, conversation.round_id, status)


def printable(text: str) -> str:
    """Drop control characters (keeping line breaks): they only garble results."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


_RESULT_FACTS = (
    ResponseStarted,
    AnswerRecorded,
    ResponseEnded,
    Subscribed,
    Unsubscribed,
    FeedbackGiven,
)
