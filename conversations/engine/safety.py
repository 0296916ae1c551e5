"""Safeguarding on a decision: helplines first when a message matched the screen, and the flag."""

from __future__ import annotations

from dataclasses import replace

from conversations import safety_replies
from conversations.engine.turn import TEXT_LIMIT, Decision, prepend, printable
from conversations.engine.world import World, default_language
from conversations.keywords import Keyword
from conversations.messages import Inbound
from conversations.redaction import redact
from conversations.screening import Level, remember
from conversations.state import ConversationState


def with_safety(
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
    redacted = redact(printable(inbound.text)).strip()[:TEXT_LIMIT]
    keep = running and found.level is not Level.FULL
    recent = remember(participant.recent_texts, redacted) if keep else ()
    if safety.model is not None and recent != participant.recent_texts:
        participant = replace(participant, recent_texts=recent)
        decision = replace(decision, participant=participant)
    chosen = decision.conversation.language if decision.conversation else participant.language
    if found.level is Level.NUDGE:
        language = chosen or default_language(world.catalogue)
        return prepend((safety_replies.nudge(safety, language),), (), decision)
    if found.level is not Level.FULL:
        return decision
    reply = safety_replies.respond(
        safety,
        found,
        inbound.text,
        redacted,
        participant,
        before,
        chosen,
        default_language(world.catalogue),
    )
    facts = () if preview else (reply.flagged,)
    return prepend((reply.message,), facts, replace(decision, participant=reply.participant))
