"""Dispatch: which handler a message meets, in the order the engine's rules say wins."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from conversations import language_question, rendering
from conversations.catalogue import Msg
from conversations.engine.buttons import button
from conversations.engine.commands import (
    chosen_language,
    help_messages,
    keyword_handler,
    language_answer,
    switch_language,
)
from conversations.engine.opening import first_contact, intro_reply, start
from conversations.engine.questions import answer, current
from conversations.engine.turn import Decision, Live, Turn, decide, ended, language_of, prepend
from conversations.engine.world import (
    OpenRound,
    World,
    known_round_named,
    open_round,
    round_named,
    version,
)
from conversations.facts import Fact, OptedIn, ResponseStatus
from conversations.keywords import Keyword
from conversations.messages import Inbound, Outgoing
from conversations.state import ConversationState, ParticipantState, Phase

IDLE_LIMIT = timedelta(days=7)  # a conversation untouched this long has ended


def respond(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
    keyword: Keyword | None,
) -> Decision:
    """The reply to a message from someone who has not stopped (STOP and DELETE aside)."""
    turn, replies, facts = _resolve(participant, conversation, inbound, world)
    decision = prepend(replies, facts, _dispatch(turn, keyword))
    if decision.conversation is not None and decision.conversation.active:
        decision = replace(
            decision, conversation=replace(decision.conversation, last_active=world.now)
        )
    return decision


def after_stop(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
    keyword: Keyword | None,
) -> Decision:
    """After STOP: HELP, START or a round's keyword get a reply; the rest one notice at most."""
    language = language_of(participant, conversation, world)
    if keyword is Keyword.HELP:
        return Decision(participant, conversation, help_messages(world, language), ())
    back_in = replace(participant, opted_out=False, stop_notice_sent=False)
    if keyword is Keyword.START:
        hello = Outgoing(rendering.say(world.catalogue, language, Msg.START_BACK))
        decision = respond(back_in, conversation, inbound, world, keyword)
        return prepend((hello,), (OptedIn(),), decision)
    if keyword is None and round_named(inbound.text, world, inbound.channel) is not None:
        return prepend((), (OptedIn(),), respond(back_in, conversation, inbound, world, None))
    if participant.stop_notice_sent:
        return Decision(participant, conversation, (), ())
    notice = Outgoing(rendering.say(world.catalogue, language, Msg.STOP_NOTICE))
    return Decision(replace(participant, stop_notice_sent=True), conversation, (notice,), ())


def _resolve(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
) -> tuple[Turn, tuple[Outgoing, ...], tuple[Fact, ...]]:
    """Find the conversation's round and version; end it if it has closed or gone idle."""
    turn = Turn(participant, inbound, world)
    if conversation is None:
        return turn, (), ()
    round_ = open_round(world, conversation.round_id)
    consultation = None if round_ is None else version(conversation, round_, world)
    idle = world.now - conversation.last_active > IDLE_LIMIT
    if round_ is not None and consultation is not None and not idle:
        live = Live(conversation, consultation, round_)
        if conversation.active:
            return replace(turn, live=live), (), ()
        if conversation.phase is Phase.STOPPED and conversation.question_id is not None:
            return replace(turn, paused=live), (), ()
        return turn, (), ()  # finished: this message is a first contact
    if not conversation.active:
        return turn, (), ()
    facts: tuple[Fact, ...] = ()
    if conversation.phase is Phase.QUESTION:
        facts = (ended(conversation, ResponseStatus.PARTIAL),)
    replies: tuple[Outgoing, ...] = ()
    if round_ is None and known_round_named(inbound.text, world) is None:
        language = language_of(participant, conversation, world)
        replies = (Outgoing(rendering.say(world.catalogue, language, Msg.CLOSED)),)
    return turn, replies, facts


def _dispatch(turn: Turn, keyword: Keyword | None) -> Decision:
    participant, offer = language_question.take(turn.participant)
    turn = replace(turn, participant=participant)
    if turn.inbound.button is not None:
        return button(turn, turn.inbound.button)
    handler = keyword_handler(keyword) if keyword is not None else None
    if handler is not None:
        return handler(turn)
    if offer is not None and keyword in (Keyword.YES, Keyword.NO):
        return language_answer(turn, offer, keyword is Keyword.YES)
    language = chosen_language(turn)
    if language is not None:
        return switch_language(turn, language)
    if turn.live is None:
        return first_contact(turn)
    if turn.inbound.start:
        asked = round_named(turn.inbound.text, turn.world, turn.inbound.channel)
        if asked is not None:
            return _start_asked(turn, turn.live, asked)
    if turn.live.state.phase is Phase.INTRO:
        return intro_reply(turn, turn.live, keyword)
    return answer(turn, turn.live, keyword)


def _start_asked(turn: Turn, live: Live, asked: OpenRound) -> Decision:
    """A deep link mid-way: the same consultation carries on; another one replaces it."""
    if asked.round_id == live.round_.round_id:
        return decide(turn, current(turn))
    facts: tuple[Fact, ...] = ()
    if live.state.phase is Phase.QUESTION:
        facts = (ended(live.state, ResponseStatus.PARTIAL),)
    return prepend((), facts, start(replace(turn, live=None), asked))
