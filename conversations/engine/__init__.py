"""The conversation engine: (participant, conversation, consultation, inbound, world) -> decision.

Pure: no I/O, no clock, no randomness. The caller passes the time and a fresh random
respondent token in `World`, and stores the returned state and facts in one transaction.

What wins, in order, at every step: STOP (and the rest of the opt-out family); DELETE;
after STOP, only START, HELP, DELETE or a consultation keyword get a normal reply; then a
tapped button; HELP, EXIT, JOIN, MORE, START; a language's name; and only then the message
is read as an answer (or, with no conversation under way, as a first contact).

The modules, each importing only those above it: `world` (rounds, the world, round lookup),
`turn` (the turn and its decision), `questions`, `update_replies`, `opening`, `buttons`,
`commands`, `dispatch` (what wins), `safety` (the screen on every decision); this module
holds the three ways in.
"""

from __future__ import annotations

from dataclasses import replace

from conversations import rendering
from conversations.engine.commands import delete, stop
from conversations.engine.dispatch import after_stop, respond
from conversations.engine.opening import start, welcome_message
from conversations.engine.safety import with_safety
from conversations.engine.turn import Decision, Turn, kept_out_of_results, prepend
from conversations.engine.world import (
    UPDATE_REPLY_WINDOW,
    KnownRound,
    OpenRound,
    RecentUpdate,
    World,
    default_language,
)
from conversations.facts import Fact, OptedIn
from conversations.keywords import Keyword, classify
from conversations.messages import Inbound
from conversations.state import ConversationState, ParticipantState

__all__ = [
    "UPDATE_REPLY_WINDOW",
    "Decision",
    "KnownRound",
    "OpenRound",
    "RecentUpdate",
    "World",
    "begin",
    "handle",
    "welcome",
]


def handle(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
) -> Decision:
    """Decide what one inbound message does."""
    inbound = rendering.typed_word(inbound)
    keyword = None if inbound.button is not None else classify(inbound.text)
    if keyword is Keyword.STOP:
        decision = stop(participant, conversation, world)
    elif keyword is Keyword.DELETE:
        decision = delete(participant, conversation, world)
    elif participant.opted_out:
        decision = after_stop(participant, conversation, inbound, world, keyword)
    else:
        decision = respond(participant, conversation, inbound, world, keyword)
    preview = world.preview or (conversation is not None and conversation.preview)
    decision = with_safety(decision, conversation, inbound, world, keyword, preview)
    return kept_out_of_results(decision) if preview else decision


def welcome(participant: ParticipantState, world: World) -> Decision:
    """The neutral welcome a first contact gets (names listed consultations' keywords)."""
    language = participant.language or default_language(world.catalogue)
    return Decision(participant, None, (welcome_message(world, language),), ())


def begin(
    participant: ParticipantState, round_: OpenRound, inbound: Inbound, world: World
) -> Decision:
    """Start `round_`'s consultation at once (a deep link, `yousaid chat --consultation`)."""
    facts: tuple[Fact, ...] = ()
    if participant.opted_out:  # following a link to a consultation is asking for it
        participant = replace(participant, opted_out=False, stop_notice_sent=False)
        facts = (OptedIn(),)
    decision = prepend((), facts, start(Turn(participant, inbound, world), round_))
    decision = with_safety(decision, None, inbound, world, None, world.preview)
    return kept_out_of_results(decision) if world.preview else decision
