"""The conversation engine: (participant, conversation, consultation, inbound, world) -> decision.

Pure: no I/O, no clock, no randomness. The caller passes the time and a fresh random
respondent token in `World`, and stores the returned state and facts in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from conversations.catalogue import Catalogue
from conversations.facts import Fact
from conversations.messages import Inbound, Outgoing
from conversations.model import Consultation
from conversations.state import ConversationState, ParticipantState


@dataclass(frozen=True)
class OpenRound:
    """A round taking answers now: its keyword starts its consultation."""

    round_id: str
    consultation: Consultation
    keyword: str  # upper-case; the round's own or the consultation's
    closes_at: datetime | None  # None: open with no end


@dataclass(frozen=True)
class World:
    """Everything outside the participant that the engine decides on."""

    now: datetime  # timezone-aware
    open_rounds: tuple[OpenRound, ...]
    catalogue: Catalogue
    new_token: str  # a fresh random respondent token, used only if a response starts
    preview: bool = False  # answers kept out of results (yousaid chat without --live)
    # Consultations by (id, version) for conversations under way on an older version.
    versions: Mapping[tuple[str, str], Consultation] | None = None


@dataclass(frozen=True)
class Decision:
    participant: ParticipantState
    conversation: ConversationState | None
    replies: tuple[Outgoing, ...]
    facts: tuple[Fact, ...]


def handle(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
) -> Decision:
    """Decide what one inbound message does."""
    raise NotImplementedError


def welcome(participant: ParticipantState, world: World) -> Decision:
    """The neutral welcome a first contact gets (names listed consultations' keywords)."""
    raise NotImplementedError


def begin(participant: ParticipantState, round_: OpenRound, inbound: Inbound, world: World) -> Decision:
    """Start `round_`'s consultation at once (a deep link, `yousaid chat --consultation`)."""
    raise NotImplementedError
