"""Replies to a "you said, we did" update: thanks, and the reply kept as feedback on it."""

from __future__ import annotations

from conversations import safety_replies
from conversations.engine.turn import TEXT_LIMIT, Decision, Turn, decide, printable
from conversations.engine.world import UPDATE_REPLY_WINDOW, RecentUpdate
from conversations.facts import FeedbackGiven
from conversations.redaction import redact


def recent_update(turn: Turn) -> RecentUpdate | None:
    """The update this participant was sent, while a reply to it still counts as feedback."""
    recent = turn.world.recent_update
    if callable(recent):
        recent = recent()
    if recent is None or turn.world.now - recent.sent_at > UPDATE_REPLY_WINDOW:
        return None
    return recent


def update_reply(turn: Turn, recent: RecentUpdate) -> Decision:
    """Any text after an update, with no conversation running: thanks, and feedback on it."""
    text = turn.inbound.text
    kept = redact(printable(text)).strip()[:TEXT_LIMIT]
    if turn.world.safety is not None and safety_replies.categories(text, turn.world.safety):
        kept = safety_replies.WITHHELD  # its words go only to the review queue (redacted)
    facts = [FeedbackGiven(recent.update_id, recent.consultation_id, kept)] if kept else []
    return decide(turn, [recent.thanks], facts=facts)
