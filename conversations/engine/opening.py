"""The opening: first contact, the welcome, starting a round, resuming it, and its intro."""

from __future__ import annotations

from dataclasses import replace

from conversations import dates, language_question, rendering
from conversations.catalogue import Msg
from conversations.engine.questions import advance, current_question, render
from conversations.engine.turn import Decision, Live, Turn, decide
from conversations.engine.update_replies import recent_update, update_reply
from conversations.engine.world import (
    KnownRound,
    OpenRound,
    World,
    answerable_on,
    default_language,
    known_round_named,
    round_named,
)
from conversations.facts import ResponseStarted
from conversations.keywords import Keyword, normalise, words
from conversations.messages import Channel, Outgoing
from conversations.state import ConversationState, Phase


def first_contact(turn: Turn) -> Decision:
    """A message with no conversation under way: a round's keyword, feedback, or the welcome."""
    round_ = round_named(turn.inbound.text, turn.world, turn.inbound.channel)
    if round_ is not None:
        return start(turn, round_)
    elsewhere = round_named(turn.inbound.text, turn.world)
    if elsewhere is not None:
        return decide(turn, [_other_channel(turn, elsewhere)])
    known = known_round_named(turn.inbound.text, turn.world)
    if known is not None:
        return decide(turn, [_not_open(turn, known)])
    recent = recent_update(turn)
    if recent is not None and turn.inbound.text.strip():
        return update_reply(turn, recent)
    language = turn.participant.language or default_language(turn.world.catalogue)
    replies = [welcome_message(turn.world, language, turn.inbound.channel)]
    catalogue = turn.world.catalogue
    asked = language_question.ask(
        turn.participant, turn.inbound, catalogue.languages(), language, catalogue
    )
    if asked is None:
        return decide(turn, replies)
    participant, question = asked
    return decide(turn, [*replies, question], participant=participant)


def welcome_message(world: World, language: str, channel: Channel | None = None) -> Outgoing:
    """The neutral welcome: the listed rounds' keywords, the languages they speak, the footer."""
    catalogue = world.catalogue
    listed: dict[str, OpenRound] = {}
    for round_ in world.open_rounds:
        if round_.consultation.listed and answerable_on(round_, channel, world):
            listed.setdefault(normalise(round_.keyword), round_)
    lines: list[str] = []
    if listed:
        lines.append(rendering.say(catalogue, language, Msg.WELCOME_HELLO))
        lines += [
            rendering.say(
                catalogue,
                language,
                Msg.WELCOME_ROUND,
                keyword=r.keyword,
                title=r.consultation.title,
            )
            for r in listed.values()
        ]
    else:
        lines.append(rendering.say(catalogue, language, Msg.WELCOME_NONE_OPEN))
    # Only languages a consultation named here can be answered in: offering another would
    # switch someone into a language none of the questions are written in.
    offered = dict.fromkeys(code for r in listed.values() for code in r.consultation.languages)
    offers = rendering.language_offers(list(offered), language, catalogue)
    if offers:
        lines.append(offers)
    lines.append(rendering.say(catalogue, language, Msg.WELCOME_FOOTER))
    return Outgoing("\n".join(lines))


def start(turn: Turn, round_: OpenRound) -> Decision:
    """The keyword of `round_`: its opening, carrying on, or "you've taken part"."""
    if round_.round_id in turn.participant.responses:
        paused = turn.paused
        if paused is not None and paused.state.round_id == round_.round_id:
            return _resume(turn, paused)
        return decide(turn, [turn.say(Msg.START_ALREADY)])
    consultation = round_.consultation
    chosen = turn.participant.language
    language = chosen if chosen in consultation.languages else consultation.default_language
    now = turn.world.now
    state = ConversationState(
        consultation_id=consultation.id,
        version=consultation.version,
        round_id=round_.round_id,
        respondent_token=turn.world.new_token,
        language=language,
        phase=Phase.INTRO,
        started_at=now,
        last_active=now,
        preview=turn.world.preview,
    )
    opened = replace(turn, live=Live(state, consultation, round_), paused=None)
    return decide(opened, opening(opened, round_), conversation=state)


def opening(turn: Turn, round_: OpenRound) -> tuple[Outgoing, ...]:
    """The round's intro and consent, in the turn's language."""
    return rendering.opening(round_.consultation, turn.language, turn.world.catalogue)


def intro_reply(turn: Turn, live: Live, keyword: Keyword | None) -> Decision:
    """A message while the intro waits: YES starts, NO declines, anything else gets the hint."""
    if keyword is Keyword.YES:
        return _consent_given(turn, live)
    if keyword is Keyword.NO:
        line = turn.say(Msg.INTRO_DECLINED, keyword=live.round_.keyword)
        return decide(turn, [line], conversation=None)
    round_ = round_named(turn.inbound.text, turn.world, turn.inbound.channel)
    if round_ is not None:
        return start(replace(turn, live=None), round_)
    if not turn.inbound.text.strip():
        return decide(turn, [turn.say(Msg.TEXT_ONLY), turn.say(Msg.INTRO_HINT)])
    asked = language_question.ask(
        turn.participant,
        turn.inbound,
        live.consultation.languages,
        live.state.language,
        turn.world.catalogue,
    )
    if asked is not None:
        participant, question = asked
        hint = Outgoing(turn.say(Msg.INTRO_HINT))
        return decide(turn, [hint, question], participant=participant)
    return decide(turn, [turn.say(Msg.INTRO_HINT)])


def _other_channel(turn: Turn, round_: OpenRound) -> str:
    """An open round's keyword from a channel the round is not on."""
    where = ", ".join(_CHANNEL_NAMES[c] for c in round_.channels or () if c in _CHANNEL_NAMES)
    lines = [turn.say(Msg.ROUND_OTHER_CHANNEL)]
    if where:
        lines.append(turn.say(Msg.ROUND_OPEN_ON, where=where))
    return "\n".join(lines)


def _not_open(turn: Turn, known: KnownRound) -> str:
    """A round's keyword while it is not open: when it opens, or that it has closed."""
    language = turn.language
    if known.opens_at > turn.world.now:
        when = dates.moment(known.opens_at, language)
        return turn.say(Msg.ROUND_NOT_YET, date=when, keyword=known.keyword)
    lines = [turn.say(Msg.ROUND_CLOSED)]
    if known.results_at is not None and known.results_at > turn.world.now:
        lines.append(turn.say(Msg.ROUND_RESULTS, date=dates.day(known.results_at.date(), language)))
    lines.append(turn.say(Msg.ROUND_JOIN, join=words(Keyword.JOIN, language)[0]))
    return "\n".join(lines)


_CHANNEL_NAMES = {Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp", Channel.TELEGRAM: "Telegram"}


def _resume(turn: Turn, paused: Live) -> Decision:
    state = replace(paused.state, phase=Phase.QUESTION, reasks=0, skip_pending=False)
    live = replace(paused, state=state)
    resumed = replace(turn, live=live, paused=None)
    question = current_question(live)
    if question is None:
        return advance(resumed, live, state, None, (), ())
    lead = (resumed.say(Msg.START_RESUME),)
    return decide(resumed, [render(resumed, live, question, lead)], conversation=state)


def _consent_given(turn: Turn, live: Live) -> Decision:
    state = live.state
    started = ResponseStarted(
        respondent_token=state.respondent_token,
        consultation_id=state.consultation_id,
        version=state.version,
        round_id=state.round_id,
        channel=turn.inbound.channel,
    )
    responses = {**turn.participant.responses, state.round_id: state.respondent_token}
    turn = replace(turn, participant=replace(turn.participant, responses=responses))
    return advance(turn, live, state, None, (), (started,))
