"""Questions: an answer read, recorded or asked again, on to the next question or the finish."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from conversations import conditions, matching, rendering, safety_replies
from conversations.catalogue import Msg
from conversations.engine.turn import TEXT_LIMIT, Decision, Live, Turn, decide, ended, printable
from conversations.facts import AnswerRecorded, Fact, ResponseStatus, Subscribed, Unsubscribed
from conversations.keywords import Keyword
from conversations.messages import Outgoing
from conversations.model import Consultation, Question, QuestionType
from conversations.redaction import redact
from conversations.state import AnswerValue, ConversationState, Phase

MAX_REASKS = 2  # an unmatched answer brings the question again at most this often
YES = "yes"
NO = "no"


def answer(turn: Turn, live: Live, keyword: Keyword | None) -> Decision:
    """A message while a question waits: SKIP, BACK, or an answer to it."""
    question = current_question(live)
    if question is None:  # a state this version can't place: carry on from the top
        return advance(turn, live, live.state, None, (), ())
    if keyword is Keyword.SKIP:
        return _skip(turn, live, question)
    if keyword is Keyword.BACK:
        return _back(turn, live, question)
    text = turn.inbound.text
    if not text.strip():
        return decide(turn, [render(turn, live, question, (turn.say(Msg.TEXT_ONLY),))])
    if question.type is QuestionType.TEXT:
        return _record_text(turn, live, question, text)
    value = _match(question, text, live.state.language)
    if value is None:
        return reask(turn, live, question)
    return record(turn, live, question, value)


def current(turn: Turn) -> tuple[Outgoing, ...]:
    """The message waiting for a reply, again: the question, or how to start."""
    live = turn.live
    if live is None:
        return ()
    if live.state.phase is Phase.INTRO:
        return (Outgoing(turn.say(Msg.INTRO_HINT)),)
    question = current_question(live)
    if question is None:
        return ()
    return (render(turn, live, question),)


def record(
    turn: Turn,
    live: Live,
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
    return advance(turn, live, answered, question.id, lead, facts)


def advance(
    turn: Turn,
    live: Live,
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
    reply = render(turn, live, question, lead)
    return decide(turn, [reply], conversation=asked, facts=facts)


def reask(turn: Turn, live: Live, question: Question) -> Decision:
    """The question again with a hint on how to answer it, or on to the next after two tries."""
    if live.state.reasks >= MAX_REASKS:
        lead = (turn.say(Msg.REASK_MOVE_ON),)
        return record(turn, live, question, None, lead=lead)
    state = replace(live.state, reasks=live.state.reasks + 1, skip_pending=False)
    hint = _reask_hint(turn, question)
    return decide(turn, [render(turn, live, question, (hint,))], conversation=state)


def render(turn: Turn, live: Live, question: Question, lead: Sequence[str] = ()) -> Outgoing:
    """`question` as a message in the conversation's language, after the `lead` lines."""
    language = live.state.language
    return rendering.render_question(
        live.consultation, question, language, turn.world.catalogue, lead
    )


def current_question(live: Live) -> Question | None:
    """The question waiting for an answer, if this version still has it."""
    question_id = live.state.question_id
    return None if question_id is None else _question_or_none(live.consultation, question_id)


def _skip(turn: Turn, live: Live, question: Question) -> Decision:
    if not question.optional and not live.state.skip_pending:
        pending = replace(live.state, skip_pending=True)
        return decide(turn, [turn.say(Msg.SKIP_CONFIRM)], conversation=pending)
    return record(turn, live, question, None, skipped=True)


def _back(turn: Turn, live: Live, question: Question) -> Decision:
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
    return decide(turn, [render(turn, live, target)], conversation=state)


def _reask_hint(turn: Turn, question: Question) -> str:
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


def _record_text(turn: Turn, live: Live, question: Question, text: str) -> Decision:
    kept = redact(printable(text)).strip()
    if kept and safety_replies.categories(text, turn.world.safety):
        # Counted as answered, but its words go only to the review queue (redacted).
        return record(turn, live, question, safety_replies.WITHHELD)
    if not kept:
        return decide(turn, [render(turn, live, question, (turn.say(Msg.TEXT_ONLY),))])
    lead: tuple[str, ...] = ()
    if len(kept) > TEXT_LIMIT:
        kept = kept[:TEXT_LIMIT]
        lead = (turn.say(Msg.TEXT_CUT, limit=TEXT_LIMIT),)
    return record(turn, live, question, kept, lead=lead)


def _subscription(
    turn: Turn, state: ConversationState, question: Question, value: AnswerValue
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


def _finish(
    turn: Turn,
    live: Live,
    state: ConversationState,
    lead: tuple[str, ...],
    facts: tuple[Fact, ...],
) -> Decision:
    closing = rendering.localised(live.consultation.closing, state.language)
    finished = replace(state, phase=Phase.FINISHED, question_id=None, last_active=turn.world.now)
    end = ended(state, ResponseStatus.FINISHED)
    text = "\n".join((*lead, closing))
    return decide(turn, [text], conversation=finished, facts=(*facts, end))


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


def _question_or_none(consultation: Consultation, question_id: str) -> Question | None:
    try:
        return consultation.question(question_id)
    except KeyError:
        return None
