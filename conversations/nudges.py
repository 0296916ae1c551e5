"""Messages the bot sends unprompted for a round: a reminder and an invitation.

Both start with a neutral first line, because a lock screen shows it to whoever holds the
phone; the consultation is named only after it (and an unlisted one is never invited to).
"""

from __future__ import annotations

from datetime import datetime

from conversations import dates, rendering
from conversations.catalogue import Catalogue, Msg
from conversations.messages import Outgoing
from conversations.model import Consultation
from conversations.state import ConversationState, Phase

__all__ = ["invitation", "reminder"]


def reminder(
    consultation: Consultation, state: ConversationState, catalogue: Catalogue
) -> Outgoing | None:
    """The one reminder to someone who stopped mid-way: the question they were on, again
    (with its buttons), after a neutral line. None when there is nothing to come back to."""
    if state.phase is not Phase.QUESTION or state.question_id is None:
        return None
    try:
        question = consultation.question(state.question_id)
    except KeyError:
        return None
    language = state.language
    lead = (
        rendering.say(catalogue, language, Msg.REMIND_HELLO),
        rendering.say(catalogue, language, Msg.REMIND_LEFT),
    )
    return rendering.render_question(consultation, question, language, catalogue, lead)


def invitation(
    consultation: Consultation,
    keyword: str,
    language: str,
    catalogue: Catalogue,
    closes_at: datetime | None,
) -> Outgoing:
    """An invitation to a round that has just opened; `closes_at` in local time."""
    lines = [
        rendering.say(catalogue, language, Msg.INVITE_HELLO),
        rendering.say(
            catalogue, language, Msg.INVITE_ROUND, title=consultation.title, keyword=keyword
        ),
    ]
    if closes_at is not None:
        until = dates.last_day(closes_at, language)
        lines.append(rendering.say(catalogue, language, Msg.INVITE_UNTIL, date=until))
    lines.append(rendering.say(catalogue, language, Msg.INVITE_STOP))
    return Outgoing("\n".join(lines))
