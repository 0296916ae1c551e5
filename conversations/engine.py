"""The conversation engine: (participant, conversation, consultation, inbound, world) -> decision.

Pure: no I/O, no clock, no randomness. The caller passes the time and a fresh random
respondent token in `World`, and stores the returned state and facts in one transaction.

What wins, in order, at every step: STOP (and the rest of the opt-out family); DELETE;
after STOP, only START, HELP, DELETE or a consultation keyword get a normal reply; then a
tapped button; HELP, EXIT, JOIN, MORE, START; a language's name; and only then the message
is read as an answer (or, with no conversation under way, as a first contact).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

from conversations import (
    conditions,
    dates,
    language_question,
    matching,
    rendering,
    safety_replies,
)
from conversations.catalogue import Catalogue, Msg
from conversations.consultation_file import DEFAULT_WITHDRAWAL_DAYS
from conversations.facts import (
    AnswerRecorded,
    EraseRequested,
    Fact,
    FeedbackGiven,
    OptedIn,
    OptedOut,
    ResponseEnded,
    ResponseStarted,
    ResponseStatus,
    Subscribed,
    Unsubscribed,
)
from conversations.keywords import Keyword, classify, language_choice, normalise, words
from conversations.messages import Channel, Inbound, Outgoing
from conversations.model import Consultation, Question, QuestionType, UpdatesScope
from conversations.redaction import redact
from conversations.safety_replies import Safety
from conversations.screening import Level, remember
from conversations.state import AnswerValue, ConversationState, ParticipantState, Phase

IDLE_LIMIT = timedelta(days=7)  # a conversation untouched this long has ended
TEXT_LIMIT = 1000  # characters kept of a free-text answer
MAX_REASKS = 2  # an unmatched answer brings the question again at most this often
UPDATE_REPLY_WINDOW = timedelta(days=14)  # a reply this soon after an update is feedback on it
YES = "yes"
NO = "no"


@dataclass(frozen=True)
class OpenRound:
    """A round taking answers now: its keyword starts its consultation."""

    round_id: str
    consultation: Consultation
    keyword: str  # upper-case; the round's own or the consultation's
    closes_at: datetime | None  # None: open with no end
    channels: tuple[Channel, ...] | None = None  # where it can be answered; None: everywhere


@dataclass(frozen=True)
class KnownRound:
    """A round not taking answers now (yet to open, or closed): its keyword gets a kind
    line saying so, rather than the welcome. Times are local."""

    round_id: str
    keyword: str  # upper-case; the round's own or the consultation's
    opens_at: datetime
    closes_at: datetime | None
    results_at: datetime | None = None  # when results will be shared, if the officer said


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
    # Language -> the full help text (the configured helplines); None: the catalogue's.
    help_text: Mapping[str, str] | None = None
    # The safeguarding screen and the helplines (HELP's text too); None: no screening.
    safety: Safety | None = None
    # Rounds not open now, one per keyword (an upcoming one before a closed one).
    other_rounds: tuple[KnownRound, ...] = ()
    # The last "you said, we did" update this participant was sent, if any lately.
    recent_update: RecentUpdate | None = None


@dataclass(frozen=True)
class RecentUpdate:
    """An update pushed to the participant: a reply to it is feedback, MORE gets the rest."""

    update_id: str
    consultation_id: str
    sent_at: datetime
    thanks: str  # the answer to a reply, in the language the update went in
    more: str | None = None  # every action, for MORE


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
    inbound = rendering.typed_word(inbound)
    keyword = None if inbound.button is not None else classify(inbound.text)
    if keyword is Keyword.STOP:
        decision = _stop(participant, conversation, world)
    elif keyword is Keyword.DELETE:
        decision = _delete(participant, conversation, world)
    elif participant.opted_out:
        decision = _after_stop(participant, conversation, inbound, world, keyword)
    else:
        decision = _respond(participant, conversation, inbound, world, keyword)
    preview = world.preview or (conversation is not None and conversation.preview)
    decision = _with_safety(decision, conversation, inbound, world, keyword, preview)
    return _kept_out_of_results(decision) if preview else decision


def welcome(participant: ParticipantState, world: World) -> Decision:
    """The neutral welcome a first contact gets (names listed consultations' keywords)."""
    language = participant.language or _default_language(world.catalogue)
    return Decision(participant, None, (_welcome_message(world, language),), ())


def begin(
    participant: ParticipantState, round_: OpenRound, inbound: Inbound, world: World
) -> Decision:
    """Start `round_`'s consultation at once (a deep link, `yousaid chat --consultation`)."""
    facts: tuple[Fact, ...] = ()
    if participant.opted_out:  # following a link to a consultation is asking for it
        participant = replace(participant, opted_out=False, stop_notice_sent=False)
        facts = (OptedIn(),)
    decision = _prepend((), facts, _start(_Turn(participant, inbound, world), round_))
    decision = _with_safety(decision, None, inbound, world, None, world.preview)
    return _kept_out_of_results(decision) if world.preview else decision


# --- one turn ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Live:
    """A conversation with the consultation version and the open round it runs on."""

    state: ConversationState
    consultation: Consultation
    round_: OpenRound


@dataclass(frozen=True)
class _Turn:
    """One inbound message and what it meets."""

    participant: ParticipantState
    inbound: Inbound
    world: World
    live: _Live | None = None  # under way: intro or a question waiting
    paused: _Live | None = None  # stopped mid-way (EXIT, STOP) and can carry on

    @property
    def language(self) -> str:
        if self.live is not None:
            return self.live.state.language
        return self.participant.language or _default_language(self.world.catalogue)

    def say(self, key: Msg, **params: object) -> str:
        return rendering.say(self.world.catalogue, self.language, key, **params)

    def kept(self) -> ConversationState | None:
        """The conversation as it stands, when this turn changes nothing about it."""
        found = self.live or self.paused
        return None if found is None else found.state


class _Keep(Enum):
    KEEP = "keep"


_KEEP = _Keep.KEEP


def _decide(
    turn: _Turn,
    replies: Sequence[Outgoing | str],
    *,
    participant: ParticipantState | None = None,
    conversation: ConversationState | _Keep | None = _KEEP,
    facts: Sequence[Fact] = (),
) -> Decision:
    return Decision(
        participant=turn.participant if participant is None else participant,
        conversation=turn.kept() if conversation is _KEEP else conversation,
        replies=tuple(Outgoing(r) if isinstance(r, str) else r for r in replies),
        facts=tuple(facts),
    )


def _prepend(replies: Sequence[Outgoing], facts: Sequence[Fact], decision: Decision) -> Decision:
    return replace(decision, replies=(*replies, *decision.replies), facts=(*facts, *decision.facts))


_RESULT_FACTS = (
    ResponseStarted,
    AnswerRecorded,
    ResponseEnded,
    Subscribed,
    Unsubscribed,
    FeedbackGiven,
)


def _kept_out_of_results(decision: Decision) -> Decision:
    facts = tuple(f for f in decision.facts if not isinstance(f, _RESULT_FACTS))
    return replace(decision, facts=facts)


# --- STOP, DELETE and after STOP ------------------------------------------------------


def _stop(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> Decision:
    if participant.opted_out:  # they have had the confirmation: stay silent
        return Decision(participant, conversation, (), ())
    facts: list[Fact] = []
    kept: ConversationState | None = None
    if conversation is not None and conversation.phase is Phase.QUESTION:
        facts.append(_ended(conversation, ResponseStatus.PARTIAL))
        kept = replace(conversation, phase=Phase.STOPPED, last_active=world.now)
    elif conversation is not None and conversation.phase is Phase.STOPPED:
        kept = conversation
    facts.append(OptedOut())
    language = _language_of(participant, conversation, world)
    line = rendering.say(world.catalogue, language, Msg.STOP_CONFIRM)
    stopped = replace(participant, opted_out=True, stop_notice_sent=False)
    return Decision(stopped, kept, (Outgoing(line),), tuple(facts))


def _delete(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> Decision:
    tokens = list(dict.fromkeys(participant.responses.values()))
    if conversation is not None and conversation.respondent_token not in tokens:
        tokens.append(conversation.respondent_token)
    language = _language_of(participant, conversation, world)
    line = rendering.say(world.catalogue, language, Msg.DELETE_DONE)
    erased = EraseRequested(respondent_tokens=tuple(tokens))
    return Decision(ParticipantState(), None, (Outgoing(line),), (erased,))


def _after_stop(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
    keyword: Keyword | None,
) -> Decision:
    language = _language_of(participant, conversation, world)
    if keyword is Keyword.HELP:
        return Decision(participant, conversation, _help_messages(world, language), ())
    back_in = replace(participant, opted_out=False, stop_notice_sent=False)
    if keyword is Keyword.START:
        hello = Outgoing(rendering.say(world.catalogue, language, Msg.START_BACK))
        decision = _respond(back_in, conversation, inbound, world, keyword)
        return _prepend((hello,), (OptedIn(),), decision)
    if keyword is None and _round_named(inbound.text, world, inbound.channel) is not None:
        return _prepend((), (OptedIn(),), _respond(back_in, conversation, inbound, world, None))
    if participant.stop_notice_sent:
        return Decision(participant, conversation, (), ())
    notice = Outgoing(rendering.say(world.catalogue, language, Msg.STOP_NOTICE))
    return Decision(replace(participant, stop_notice_sent=True), conversation, (notice,), ())


def _help_messages(world: World, language: str) -> tuple[Outgoing, ...]:
    """Who can help: the configured helplines when given, else the catalogue's text."""
    if world.safety is not None:
        return (Outgoing(safety_replies.help_text(world.safety, language)),)
    if world.help_text:
        text = (
            world.help_text.get(language)
            or world.help_text.get(_default_language(world.catalogue))
            or next(iter(world.help_text.values()))
        )
        return (Outgoing(text),)
    return (Outgoing(rendering.say(world.catalogue, language, Msg.HELP)),)


# --- safeguarding ---------------------------------------------------------------------


def _with_safety(
    decision: Decision,
    before: ConversationState | None,
    inbound: Inbound,
    world: World,
    keyword: Keyword | None,
    preview: bool,
) -> Decision:
    """Helplines first when the message matched the screen; the flag for the review queue.

    A message that is only a bot word (HELP, STOP, SKIP...) is not screened: HELP already
    gives the full helplines, and none of them says anything to review.
    """
    participant = decision.participant
    if safety_replies.new_conversation(before, decision.conversation) and (
        participant.helplines_shown or participant.recent_texts
    ):
        participant = replace(participant, helplines_shown=False, recent_texts=())
        decision = replace(decision, participant=participant)
    # Kept only while a consultation runs, so no text outlives the conversation it was in.
    running = decision.conversation is not None and decision.conversation.active
    if participant.recent_texts and not running:
        participant = replace(participant, recent_texts=())
        decision = replace(decision, participant=participant)
    safety = world.safety
    if safety is None or keyword is not None:
        return decision
    found = safety_replies.verdict(inbound.text, safety, participant.recent_texts)
    if found.level is Level.NONE and safety.model is None:
        return decision
    redacted = redact(_printable(inbound.text)).strip()[:TEXT_LIMIT]
    keep = running and found.level is not Level.FULL
    recent = remember(participant.recent_texts, redacted) if keep else ()
    if safety.model is not None and recent != participant.recent_texts:
        participant = replace(participant, recent_texts=recent)
        decision = replace(decision, participant=participant)
    chosen = decision.conversation.language if decision.conversation else participant.language
    if found.level is Level.NUDGE:
        language = chosen or _default_language(world.catalogue)
        return _prepend((safety_replies.nudge(safety, language),), (), decision)
    if found.level is not Level.FULL:
        return decision
    reply = safety_replies.respond(
        safety,
        found.categories,
        inbound.text,
        redacted,
        participant,
        before,
        chosen,
        _default_language(world.catalogue),
    )
    facts = () if preview else (reply.flagged,)
    return _prepend((reply.message,), facts, replace(decision, participant=reply.participant))


# --- everything else ------------------------------------------------------------------


def _respond(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
    keyword: Keyword | None,
) -> Decision:
    turn, replies, facts = _resolve(participant, conversation, inbound, world)
    decision = _prepend(replies, facts, _dispatch(turn, keyword))
    if decision.conversation is not None and decision.conversation.active:
        decision = replace(
            decision, conversation=replace(decision.conversation, last_active=world.now)
        )
    return decision


def _resolve(
    participant: ParticipantState,
    conversation: ConversationState | None,
    inbound: Inbound,
    world: World,
) -> tuple[_Turn, tuple[Outgoing, ...], tuple[Fact, ...]]:
    """Find the conversation's round and version; end it if it has closed or gone idle."""
    turn = _Turn(participant, inbound, world)
    if conversation is None:
        return turn, (), ()
    round_ = _open_round(world, conversation.round_id)
    consultation = None if round_ is None else _version(conversation, round_, world)
    idle = world.now - conversation.last_active > IDLE_LIMIT
    if round_ is not None and consultation is not None and not idle:
        live = _Live(conversation, consultation, round_)
        if conversation.active:
            return replace(turn, live=live), (), ()
        if conversation.phase is Phase.STOPPED and conversation.question_id is not None:
            return replace(turn, paused=live), (), ()
        return turn, (), ()  # finished: this message is a first contact
    if not conversation.active:
        return turn, (), ()
    facts: tuple[Fact, ...] = ()
    if conversation.phase is Phase.QUESTION:
        facts = (_ended(conversation, ResponseStatus.PARTIAL),)
    replies: tuple[Outgoing, ...] = ()
    if round_ is None and _known_round_named(inbound.text, world) is None:
        language = _language_of(participant, conversation, world)
        replies = (Outgoing(rendering.say(world.catalogue, language, Msg.CLOSED)),)
    return turn, replies, facts


def _dispatch(turn: _Turn, keyword: Keyword | None) -> Decision:
    participant, offer = language_question.take(turn.participant)
    turn = replace(turn, participant=participant)
    if turn.inbound.button is not None:
        return _button(turn, turn.inbound.button)
    handler = _KEYWORD_HANDLERS.get(keyword) if keyword is not None else None
    if handler is not None:
        return handler(turn)
    if offer is not None and keyword in (Keyword.YES, Keyword.NO):
        return _language_answer(turn, offer, keyword is Keyword.YES)
    language = _chosen_language(turn)
    if language is not None:
        return _switch_language(turn, language)
    if turn.live is None:
        return _first_contact(turn)
    if turn.inbound.start:
        asked = _round_named(turn.inbound.text, turn.world, turn.inbound.channel)
        if asked is not None:
            return _start_asked(turn, turn.live, asked)
    if turn.live.state.phase is Phase.INTRO:
        return _intro_reply(turn, turn.live, keyword)
    return _answer(turn, turn.live, keyword)


def _start_asked(turn: _Turn, live: _Live, asked: OpenRound) -> Decision:
    """A deep link mid-way: the same consultation carries on; another one replaces it."""
    if asked.round_id == live.round_.round_id:
        return _decide(turn, _current(turn))
    facts: tuple[Fact, ...] = ()
    if live.state.phase is Phase.QUESTION:
        facts = (_ended(live.state, ResponseStatus.PARTIAL),)
    return _prepend((), facts, _start(replace(turn, live=None), asked))


def _help(turn: _Turn) -> Decision:
    return _decide(turn, (*_help_messages(turn.world, turn.language), *_current(turn)))


def _privacy(turn: _Turn) -> Decision:
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
    return _decide(turn, [*(Outgoing(text) for text in texts), *_current(turn)])


def _exit(turn: _Turn) -> Decision:
    live = turn.live
    tip = _exit_tip(turn)
    if live is None:
        return _decide(turn, [turn.say(Msg.EXIT_NONE) + tip])
    line = turn.say(Msg.EXIT_DONE, keyword=live.round_.keyword) + tip
    if live.state.phase is not Phase.QUESTION:
        return _decide(turn, [line], conversation=None)
    stopped = replace(live.state, phase=Phase.STOPPED, last_active=turn.world.now)
    facts = (_ended(live.state, ResponseStatus.PARTIAL),)
    return _decide(turn, [line], conversation=stopped, facts=facts)


def _exit_tip(turn: _Turn) -> str:
    """On SMS and WhatsApp the bot can't remove its texts (Telegram's channel deletes them)."""
    if turn.inbound.channel in (Channel.SMS, Channel.WHATSAPP):
        return "\n" + turn.say(Msg.EXIT_PHONE_TIP)
    return ""


def _join(turn: _Turn) -> Decision:
    state = turn.live.state if turn.live else None
    subscribed = Subscribed(
        consultation_id=state.consultation_id if state else "",
        round_id=state.round_id if state else "",
        scope=UpdatesScope.FUTURE,
        language=turn.language,
        channel=turn.inbound.channel,
    )
    return _decide(turn, [turn.say(Msg.JOIN_DONE), *_current(turn)], facts=[subscribed])


def _more(turn: _Turn) -> Decision:
    recent = _recent_update(turn)
    if recent is not None and recent.more:
        return _decide(turn, [recent.more, *_current(turn)])
    return _decide(turn, [turn.say(Msg.MORE_NONE), *_current(turn)])


def _start_word(turn: _Turn) -> Decision:
    """START when not stopped: carry on where things are, or the welcome."""
    welcome_ = _welcome_message(turn.world, turn.language, turn.inbound.channel)
    return _decide(turn, _current(turn) or [welcome_])


_KEYWORD_HANDLERS = {
    Keyword.HELP: _help,
    Keyword.EXIT: _exit,
    Keyword.JOIN: _join,
    Keyword.MORE: _more,
    Keyword.PRIVACY: _privacy,
    Keyword.START: _start_word,
}


def _current(turn: _Turn) -> tuple[Outgoing, ...]:
    """The message waiting for a reply, again: the question, or how to start."""
    live = turn.live
    if live is None:
        return ()
    if live.state.phase is Phase.INTRO:
        return (Outgoing(turn.say(Msg.INTRO_HINT)),)
    question = _current_question(live)
    if question is None:
        return ()
    return (_render(turn, live, question),)


# --- languages -------------------------------------------------------------------------


def _chosen_language(turn: _Turn) -> str | None:
    if turn.live is not None:
        return language_choice(turn.inbound.text, turn.live.consultation.languages)
    return language_choice(turn.inbound.text, turn.world.catalogue.languages())


def _switch_language(turn: _Turn, language: str) -> Decision:
    participant = replace(turn.participant, language=language)
    live = turn.live
    if live is None:
        welcome_ = _welcome_message(turn.world, language, turn.inbound.channel)
        return _decide(turn, [welcome_], participant=participant)
    state = replace(live.state, language=language)
    switched = replace(turn, participant=participant, live=replace(live, state=state))
    replies = _opening(switched, live.round_) if state.phase is Phase.INTRO else _current(switched)
    return _decide(switched, replies, conversation=state)


def _language_answer(turn: _Turn, offer: str, accepted: bool) -> Decision:
    """YES or NO to "Chcesz rozmawiać po polsku?": either way, the choice sticks."""
    if accepted:
        return _switch_language(turn, offer)
    participant = replace(turn.participant, language=turn.language)
    kept = replace(turn, participant=participant)
    welcome_ = _welcome_message(turn.world, turn.language, turn.inbound.channel)
    return _decide(kept, _current(kept) or [welcome_], participant=participant)


def _default_language(catalogue: Catalogue) -> str:
    languages = catalogue.languages()
    return languages[0] if languages else "en"


def _language_of(
    participant: ParticipantState, conversation: ConversationState | None, world: World
) -> str:
    if conversation is not None:
        return conversation.language
    return participant.language or _default_language(world.catalogue)


# --- replies to updates ----------------------------------------------------------------


def _recent_update(turn: _Turn) -> RecentUpdate | None:
    recent = turn.world.recent_update
    if recent is None or turn.world.now - recent.sent_at > UPDATE_REPLY_WINDOW:
        return None
    return recent


def _update_reply(turn: _Turn, recent: RecentUpdate) -> Decision:
    """Any text after an update, with no conversation running: thanks, and feedback on it."""
    text = turn.inbound.text
    kept = redact(_printable(text)).strip()[:TEXT_LIMIT]
    if turn.world.safety is not None and safety_replies.categories(text, turn.world.safety):
        kept = safety_replies.WITHHELD  # its words go only to the review queue (redacted)
    facts = [FeedbackGiven(recent.update_id, recent.consultation_id, kept)] if kept else []
    return _decide(turn, [recent.thanks], facts=facts)


# --- first contact and the opening ----------------------------------------------------


def _first_contact(turn: _Turn) -> Decision:
    round_ = _round_named(turn.inbound.text, turn.world, turn.inbound.channel)
    if round_ is not None:
        return _start(turn, round_)
    elsewhere = _round_named(turn.inbound.text, turn.world)
    if elsewhere is not None:
        return _decide(turn, [_other_channel(turn, elsewhere)])
    known = _known_round_named(turn.inbound.text, turn.world)
    if known is not None:
        return _decide(turn, [_not_open(turn, known)])
    recent = _recent_update(turn)
    if recent is not None and turn.inbound.text.strip():
        return _update_reply(turn, recent)
    language = turn.participant.language or _default_language(turn.world.catalogue)
    replies = [_welcome_message(turn.world, language, turn.inbound.channel)]
    catalogue = turn.world.catalogue
    asked = language_question.ask(
        turn.participant, turn.inbound, catalogue.languages(), language, catalogue
    )
    if asked is None:
        return _decide(turn, replies)
    participant, question = asked
    return _decide(turn, [*replies, question], participant=participant)


def _other_channel(turn: _Turn, round_: OpenRound) -> str:
    """An open round's keyword from a channel the round is not on."""
    where = ", ".join(_CHANNEL_NAMES[c] for c in round_.channels or () if c in _CHANNEL_NAMES)
    lines = [turn.say(Msg.ROUND_OTHER_CHANNEL)]
    if where:
        lines.append(turn.say(Msg.ROUND_OPEN_ON, where=where))
    return "\n".join(lines)


def _not_open(turn: _Turn, known: KnownRound) -> str:
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


def _welcome_message(world: World, language: str, channel: Channel | None = None) -> Outgoing:
    catalogue = world.catalogue
    listed: dict[str, OpenRound] = {}
    for round_ in world.open_rounds:
        if round_.consultation.listed and _answerable_on(round_, channel, world):
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


def _start(turn: _Turn, round_: OpenRound) -> Decision:
    """The keyword of `round_`: its opening, carrying on, or "you've taken part"."""
    if round_.round_id in turn.participant.responses:
        paused = turn.paused
        if paused is not None and paused.state.round_id == round_.round_id:
            return _resume(turn, paused)
        return _decide(turn, [turn.say(Msg.START_ALREADY)])
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
    opened = replace(turn, live=_Live(state, consultation, round_), paused=None)
    return _decide(opened, _opening(opened, round_), conversation=state)


def _opening(turn: _Turn, round_: OpenRound) -> tuple[Outgoing, ...]:
    return rendering.opening(round_.consultation, turn.language, turn.world.catalogue)


def _resume(turn: _Turn, paused: _Live) -> Decision:
    state = replace(paused.state, phase=Phase.QUESTION, reasks=0, skip_pending=False)
    live = replace(paused, state=state)
    resumed = replace(turn, live=live, paused=None)
    question = _current_question(live)
    if question is None:
        return _advance(resumed, live, state, None, (), ())
    lead = (resumed.say(Msg.START_RESUME),)
    return _decide(resumed, [_render(resumed, live, question, lead)], conversation=state)


def _intro_reply(turn: _Turn, live: _Live, keyword: Keyword | None) -> Decision:
    if keyword is Keyword.YES:
        return _consent_given(turn, live)
    if keyword is Keyword.NO:
        line = turn.say(Msg.INTRO_DECLINED, keyword=live.round_.keyword)
        return _decide(turn, [line], conversation=None)
    round_ = _round_named(turn.inbound.text, turn.world, turn.inbound.channel)
    if round_ is not None:
        return _start(replace(turn, live=None), round_)
    if not turn.inbound.text.strip():
        return _decide(turn, [turn.say(Msg.TEXT_ONLY), turn.say(Msg.INTRO_HINT)])
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
        return _decide(turn, [hint, question], participant=participant)
    return _decide(turn, [turn.say(Msg.INTRO_HINT)])


def _consent_given(turn: _Turn, live: _Live) -> Decision:
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
    return _advance(turn, live, state, None, (), (started,))


# --- questions -------------------------------------------------------------------------


def _answer(turn: _Turn, live: _Live, keyword: Keyword | None) -> Decision:
    question = _current_question(live)
    if question is None:  # a state this version can't place: carry on from the top
        return _advance(turn, live, live.state, None, (), ())
    if keyword is Keyword.SKIP:
        return _skip(turn, live, question)
    if keyword is Keyword.BACK:
        return _back(turn, live, question)
    text = turn.inbound.text
    if not text.strip():
        return _decide(turn, [_render(turn, live, question, (turn.say(Msg.TEXT_ONLY),))])
    if question.type is QuestionType.TEXT:
        return _record_text(turn, live, question, text)
    value = _match(question, text, live.state.language)
    if value is None:
        return _reask(turn, live, question)
    return _record(turn, live, question, value)


def _skip(turn: _Turn, live: _Live, question: Question) -> Decision:
    if not question.optional and not live.state.skip_pending:
        pending = replace(live.state, skip_pending=True)
        return _decide(turn, [turn.say(Msg.SKIP_CONFIRM)], conversation=pending)
    return _record(turn, live, question, None, skipped=True)


def _back(turn: _Turn, live: _Live, question: Question) -> Decision:
    """Ask the question before this one again (this one, on the first)."""
    history = live.state.history
    target, kept_history = question, history
    if len(history) >= 2 and history[-1] == question.id:
        previous = _question_or_none(live.consultation, history[-2])
        if previous is not None:
            target, kept_history = previous, history[:-1]
    state = replace(
        live.state, question_id=target.id, history=kept_history, reasks=0, skip_pending=False
    )
    return _decide(turn, [_render(turn, live, target)], conversation=state)


def _reask(turn: _Turn, live: _Live, question: Question) -> Decision:
    if live.state.reasks >= MAX_REASKS:
        lead = (turn.say(Msg.REASK_MOVE_ON),)
        return _record(turn, live, question, None, lead=lead)
    state = replace(live.state, reasks=live.state.reasks + 1, skip_pending=False)
    hint = _reask_hint(turn, question)
    return _decide(turn, [_render(turn, live, question, (hint,))], conversation=state)


def _reask_hint(turn: _Turn, question: Question) -> str:
    kind = question.type
    if kind is QuestionType.MULTI:
        return turn.say(Msg.REASK_MULTI)
    if kind in (QuestionType.YESNO, QuestionType.UPDATES):
        return turn.say(Msg.REASK_YESNO)
    if kind in (QuestionType.SCALE, QuestionType.NUMBER):
        if question.min is None or question.max is None:
            return turn.say(Msg.REASK_NUMBER_ANY)
        key = Msg.REASK_SCALE if kind is QuestionType.SCALE else Msg.REASK_NUMBER
        return turn.say(key, min=question.min, max=question.max)
    return turn.say(Msg.REASK_CHOICE)


def _record_text(turn: _Turn, live: _Live, question: Question, text: str) -> Decision:
    kept = redact(_printable(text)).strip()
    if kept and safety_replies.categories(text, turn.world.safety):
        # Counted as answered, but its words go only to the review queue (redacted).
        return _record(turn, live, question, safety_replies.WITHHELD)
    if not kept:
        return _decide(turn, [_render(turn, live, question, (turn.say(Msg.TEXT_ONLY),))])
    lead: tuple[str, ...] = ()
    if len(kept) > TEXT_LIMIT:
        kept = kept[:TEXT_LIMIT]
        lead = (turn.say(Msg.TEXT_CUT, limit=TEXT_LIMIT),)
    return _record(turn, live, question, kept, lead=lead)


def _record(
    turn: _Turn,
    live: _Live,
    question: Question,
    value: AnswerValue,
    *,
    skipped: bool = False,
    lead: tuple[str, ...] = (),
) -> Decision:
    """Record an answer (None: skipped or not understood) and go on to the next question."""
    state = live.state
    recorded = AnswerRecorded(
        respondent_token=state.respondent_token,
        consultation_id=state.consultation_id,
        version=state.version,
        round_id=state.round_id,
        question_id=question.id,
        value=value,
        skipped=skipped,
    )
    facts = (recorded, *_subscription(turn, state, question, value))
    answered = replace(state, answers={**state.answers, question.id: value})
    return _advance(turn, live, answered, question.id, lead, facts)


def _subscription(
    turn: _Turn, state: ConversationState, question: Question, value: AnswerValue
) -> tuple[Fact, ...]:
    """Asking for updates, or taking it back (NO after going BACK to an earlier YES)."""
    if question.type is not QuestionType.UPDATES:
        return ()
    before = state.answers.get(question.id)
    if value == YES and before != YES:
        subscribed = Subscribed(
            consultation_id=state.consultation_id,
            round_id=state.round_id,
            scope=question.scope,
            language=state.language,
            channel=turn.inbound.channel,
        )
        return (subscribed,)
    if value != YES and before == YES:
        return (Unsubscribed(consultation_id=state.consultation_id, scope=question.scope),)
    return ()


def _advance(
    turn: _Turn,
    live: _Live,
    state: ConversationState,
    after: str | None,
    lead: tuple[str, ...],
    facts: tuple[Fact, ...],
) -> Decision:
    """Ask the next question that applies after `after` (None: from the top), or finish."""
    question = _next_question(live.consultation, after, state.answers)
    if question is None:
        return _finish(turn, live, state, lead, facts)
    asked = replace(
        state,
        phase=Phase.QUESTION,
        question_id=question.id,
        history=(*state.history, question.id),
        reasks=0,
        skip_pending=False,
    )
    reply = _render(turn, live, question, lead)
    return _decide(turn, [reply], conversation=asked, facts=facts)


def _finish(
    turn: _Turn,
    live: _Live,
    state: ConversationState,
    lead: tuple[str, ...],
    facts: tuple[Fact, ...],
) -> Decision:
    closing = rendering.localised(live.consultation.closing, state.language)
    finished = replace(state, phase=Phase.FINISHED, question_id=None, last_active=turn.world.now)
    ended = _ended(state, ResponseStatus.FINISHED)
    text = "\n".join((*lead, closing))
    return _decide(turn, [text], conversation=finished, facts=(*facts, ended))


def _render(turn: _Turn, live: _Live, question: Question, lead: Sequence[str] = ()) -> Outgoing:
    language = live.state.language
    return rendering.render_question(
        live.consultation, question, language, turn.world.catalogue, lead
    )


# --- buttons --------------------------------------------------------------------------


def _button(turn: _Turn, data: str) -> Decision:
    """A tapped button: an answer to the question waiting, or one that has passed."""
    live = turn.live
    parsed = rendering.read_button(data)
    question = None if live is None else _current_question(live)
    if live is None or question is None or parsed is None or live.state.phase is not Phase.QUESTION:
        return _passed(turn)
    ref, index = parsed
    if ref != rendering.question_ref(live.consultation, question):
        return _passed(turn)
    if question.type is QuestionType.MULTI:
        return _multi_button(turn, live, question, index)
    value = _button_value(question, index)
    if value is None:
        return _passed(turn)
    return _record(turn, live, question, value)


def _passed(turn: _Turn) -> Decision:
    current = _current(turn) or (_welcome_message(turn.world, turn.language, turn.inbound.channel),)
    return _decide(turn, [turn.say(Msg.BUTTON_PASSED), *current])


def _button_value(question: Question, index: str) -> AnswerValue:
    if question.type in (QuestionType.YESNO, QuestionType.UPDATES):
        return {rendering.YES_INDEX: YES, rendering.NO_INDEX: NO}.get(index)
    number = _button_number(index)
    if number is None:
        return None
    if question.type is QuestionType.CHOICE:
        return _choice_at(question, number)
    if (
        question.type is QuestionType.SCALE
        and question.min is not None
        and question.max is not None
    ):
        return number if question.min <= number <= question.max else None
    return None


def _button_number(index: str) -> int | None:
    return int(index) if index.isdecimal() and len(index) <= 6 else None


def _choice_at(question: Question, number: int | None) -> str | None:
    if number is None or not 1 <= number <= len(question.choices):
        return None
    return question.choices[number - 1].id


def _multi_button(turn: _Turn, live: _Live, question: Question, index: str) -> Decision:
    """Picks build up in the answers until Done (they are recorded only then)."""
    before = live.state.answers.get(question.id)
    picks = before if isinstance(before, tuple) else ()
    if index == rendering.DONE:
        if not picks:
            return _reask(turn, live, question)
        return _record(turn, live, question, picks)
    choice = _choice_at(question, _button_number(index))
    if choice is None:
        return _passed(turn)
    chosen = set(picks) ^ {choice}
    ordered = tuple(c.id for c in question.choices if c.id in chosen)
    state = replace(live.state, answers={**live.state.answers, question.id: ordered})
    numbers = [str(n) for n, c in enumerate(question.choices, 1) if c.id in chosen]
    done = turn.say(Msg.BUTTON_DONE)
    line = turn.say(Msg.MULTI_PICKED, picked=", ".join(numbers) or "-", done=done)
    return _decide(turn, [line], conversation=state)


# --- helpers --------------------------------------------------------------------------


def _match(question: Question, text: str, language: str) -> AnswerValue:
    """The answer `text` gives to `question`, or None when it gives none."""
    kind = question.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        options = [
            matching.Option(c.id, _in_all_languages(c.text, language)) for c in question.choices
        ]
        if kind is QuestionType.CHOICE:
            return matching.match_choice(text, options)
        return matching.match_multi(text, options)
    if kind is QuestionType.SCALE and question.min is not None and question.max is not None:
        labels = {p: _in_all_languages(t, language) for p, t in question.labels.items()}
        return matching.match_scale(text, question.min, question.max, labels)
    if kind in (QuestionType.SCALE, QuestionType.NUMBER):
        return matching.match_integer(text, question.min, question.max)
    said = matching.match_yes_no(text)
    return None if said is None else (YES if said else NO)


def _in_all_languages(text: Mapping[str, str], language: str) -> tuple[str, ...]:
    """The text in the conversation's language first, then every other: mixing is fine."""
    first = text.get(language)
    others = [t for lang, t in text.items() if lang != language]
    return tuple(([first] if first is not None else []) + others)


def _next_question(
    consultation: Consultation, after: str | None, answers: Mapping[str, AnswerValue]
) -> Question | None:
    ids = [q.id for q in consultation.questions]
    start = ids.index(after) + 1 if after in ids else 0
    for question in consultation.questions[start:]:
        if _applies(question, answers):
            return question
    return None


def _applies(question: Question, answers: Mapping[str, AnswerValue]) -> bool:
    if not question.when:
        return True
    try:
        return conditions.parse(question.when).evaluate(answers)
    except conditions.ConditionError:  # the loader refuses these; asking is the safe side
        return True


def _current_question(live: _Live) -> Question | None:
    question_id = live.state.question_id
    return None if question_id is None else _question_or_none(live.consultation, question_id)


def _question_or_none(consultation: Consultation, question_id: str) -> Question | None:
    try:
        return consultation.question(question_id)
    except KeyError:
        return None


def _open_round(world: World, round_id: str) -> OpenRound | None:
    return next((r for r in world.open_rounds if r.round_id == round_id), None)


def _round_named(text: str, world: World, channel: Channel | None = None) -> OpenRound | None:
    """The open round whose keyword `text` is, answerable on `channel` (None: any)."""
    said = normalise(text)
    if not said:
        return None
    return next(
        (
            r
            for r in world.open_rounds
            if normalise(r.keyword) == said and _answerable_on(r, channel, world)
        ),
        None,
    )


def _answerable_on(round_: OpenRound, channel: Channel | None, world: World) -> bool:
    """Whether the round takes answers on `channel`. A preview (an officer trying it in the
    terminal) may try any round."""
    if channel is None or round_.channels is None or world.preview:
        return True
    return channel in round_.channels


def _known_round_named(text: str, world: World) -> KnownRound | None:
    """The round not open now whose keyword `text` is (when no open round has it)."""
    said = normalise(text)
    if not said or any(normalise(r.keyword) == said for r in world.open_rounds):
        return None
    return next((r for r in world.other_rounds if normalise(r.keyword) == said), None)


def _version(
    conversation: ConversationState, round_: OpenRound, world: World
) -> Consultation | None:
    """The consultation version the conversation started on, if it can still be found."""
    key = (conversation.consultation_id, conversation.version)
    if world.versions and key in world.versions:
        return world.versions[key]
    current = round_.consultation
    return current if (current.id, current.version) == key else None


def _ended(conversation: ConversationState, status: ResponseStatus) -> ResponseEnded:
    return ResponseEnded(conversation.respondent_token, conversation.round_id, status)


def _printable(text: str) -> str:
    """Drop control characters (keeping line breaks): they only garble results."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
