"""Commands: STOP, DELETE, HELP, PRIVACY, EXIT, JOIN, MORE, START, and choosing a language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from conversations import rendering, safety_replies
from conversations.catalogue import Msg
from conversations.consultation_file import DEFAULT_WITHDRAWAL_DAYS
from conversations.engine.opening import opening, welcome_message
from conversations.engine.questions import current
from conversations.engine.turn import Decision, Turn, decide, ended, language_of
from conversations.engine.update_replies import recent_update
from conversations.engine.world import World, default_language
from conversations.facts import EraseRequested, Fact, OptedOut, ResponseStatus, Subscribed
from conversations.keywords import Keyword, language_choice
from conversations.messages import Channel, Outgoing
from conversations.model import UpdatesScope
from conversations.state import ConversationState, ParticipantState, Phase


def stop(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> Decision:
    """STOP: opted out, the conversation paused where it was, one confirmation."""
    if participant.opted_out:  # they have had the confirmation: stay silent
        return Decision(participant, conversation, (), ())
    facts: list[Fact] = []
    kept: ConversationState | None = None
    if conversation is not None and conversation.phase is Phase.QUESTION:
        facts.append(ended(conversation, ResponseStatus.PARTIAL))
        kept = replace(conversation, phase=Phase.STOPPED, last_active=world.now)
    elif conversation is not None and conversation.phase is Phase.STOPPED:
        kept = conversation
    facts.append(OptedOut())
    language = language_of(participant, conversation, world)
    line = rendering.say(world.catalogue, language, Msg.STOP_CONFIRM)
    stopped = replace(participant, opted_out=True, stop_notice_sent=False)
    return Decision(stopped, kept, (Outgoing(line),), tuple(facts))


def delete(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> Decision:
    """DELETE: everything this person sent is to be erased, and they start afresh."""
    tokens = list(dict.fromkeys(participant.responses.values()))
    if conversation is not None and conversation.respondent_token not in tokens:
        tokens.append(conversation.respondent_token)
    language = language_of(participant, conversation, world)
    line = rendering.say(world.catalogue, language, Msg.DELETE_DONE)
    erased = EraseRequested(respondent_tokens=tuple(tokens))
    return Decision(ParticipantState(), None, (Outgoing(line),), (erased,))


def help_messages(world: World, language: str) -> tuple[Outgoing, ...]:
    """Who can help: the configured helplines when given, else the catalogue's text."""
    if world.safety is not None:
        return (Outgoing(safety_replies.help_text(world.safety, language)),)
    if world.help_text:
        text = (
            world.help_text.get(language)
            or world.help_text.get(default_language(world.catalogue))
            or next(iter(world.help_text.values()))
        )
        return (Outgoing(text),)
    return (Outgoing(rendering.say(world.catalogue, language, Msg.HELP)),)


def keyword_handler(keyword: Keyword) -> Callable[[Turn], Decision] | None:
    """What answers this bot word when the participant has not stopped (None: no command)."""
    return _KEYWORD_HANDLERS.get(keyword)


def chosen_language(turn: Turn) -> str | None:
    """The language the message names, among those the consultation (or catalogue) speaks."""
    if turn.live is not None:
        return language_choice(turn.inbound.text, turn.live.consultation.languages)
    return language_choice(turn.inbound.text, turn.world.catalogue.languages())


def switch_language(turn: Turn, language: str) -> Decision:
    """Carry on in `language`: the welcome, the intro or the question again, in it."""
    participant = replace(turn.participant, language=language)
    live = turn.live
    if live is None:
        welcome_ = welcome_message(turn.world, language, turn.inbound.channel)
        return decide(turn, [welcome_], participant=participant)
    state = replace(live.state, language=language)
    switched = replace(turn, participant=participant, live=replace(live, state=state))
    replies = opening(switched, live.round_) if state.phase is Phase.INTRO else current(switched)
    return decide(switched, replies, conversation=state)


def language_answer(turn: Turn, offer: str, accepted: bool) -> Decision:
    """YES or NO to "Chcesz rozmawiać po polsku?": either way, the choice sticks."""
    if accepted:
        return switch_language(turn, offer)
    participant = replace(turn.participant, language=turn.language)
    kept = replace(turn, participant=participant)
    welcome_ = welcome_message(turn.world, turn.language, turn.inbound.channel)
    return decide(kept, current(kept) or [welcome_], participant=participant)


def _help(turn: Turn) -> Decision:
    return decide(turn, (*help_messages(turn.world, turn.language), *current(turn)))


def _privacy(turn: Turn) -> Decision:
    """The consent in full: what is kept and for how long, and until when DELETE works."""
    live = turn.live or turn.paused
    catalogue = turn.world.catalogue
    if live is not None:
        until = rendering.withdrawal_until(
            live.round_.closes_at, live.consultation.withdrawal_days, turn.language, catalogue
        )
    else:  # no consultation under way: the longest window an open one promises
        days = max(
            (r.consultation.withdrawal_days for r in turn.world.open_rounds),
            default=DEFAULT_WITHDRAWAL_DAYS,
        )
        until = rendering.say(catalogue, turn.language, Msg.CONSENT_UNTIL_OPEN, days=days)
    texts = rendering.privacy_texts(turn.language, catalogue, until)
    return decide(turn, [*(Outgoing(text) for text in texts), *current(turn)])


def _exit(turn: Turn) -> Decision:
    live = turn.live
    tip = _exit_tip(turn)
    if live is None:
        return decide(turn, [turn.say(Msg.EXIT_NONE) + tip])
    line = turn.say(Msg.EXIT_DONE, keyword=live.round_.keyword) + tip
    if live.state.phase is not Phase.QUESTION:
        return decide(turn, [line], conversation=None)
    stopped = replace(live.state, phase=Phase.STOPPED, last_active=turn.world.now)
    facts = (ended(live.state, ResponseStatus.PARTIAL),)
    return decide(turn, [line], conversation=stopped, facts=facts)


def _exit_tip(turn: Turn) -> str:
    """On SMS and WhatsApp the bot can't remove its texts (Telegram's channel deletes them)."""
    if turn.inbound.channel in (Channel.SMS, Channel.WHATSAPP):
        return "\n" + turn.say(Msg.EXIT_PHONE_TIP)
    return ""


def _join(turn: Turn) -> Decision:
    state = turn.live.state if turn.live else None
    subscribed = Subscribed(
        consultation_id=state.consultation_id if state else "",
        round_id=state.round_id if state else "",
        scope=UpdatesScope.FUTURE,
        language=turn.language,
        channel=turn.inbound.channel,
    )
    return decide(turn, [turn.say(Msg.JOIN_DONE), *current(turn)], facts=[subscribed])


def _more(turn: Turn) -> Decision:
    recent = recent_update(turn)
    if recent is not None and recent.more:
        return decide(turn, [recent.more, *current(turn)])
    return decide(turn, [turn.say(Msg.MORE_NONE), *current(turn)])


def _start_word(turn: Turn) -> Decision:
    """START when not stopped: carry on where things are, or the welcome."""
    welcome_ = welcome_message(turn.world, turn.language, turn.inbound.channel)
    return decide(turn, current(turn) or [welcome_])


_KEYWORD_HANDLERS: dict[Keyword, Callable[[Turn], Decision]] = {
    Keyword.HELP: _help,
    Keyword.EXIT: _exit,
    Keyword.JOIN: _join,
    Keyword.MORE: _more,
    Keyword.PRIVACY: _privacy,
    Keyword.START: _start_word,
}
