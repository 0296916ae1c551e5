"""What a safeguarding match adds to a reply: the helplines at once, and a flag for review.

The engine screens every inbound text with every language's word list (see
`conversations.safeguarding`). On a match the person gets the full helplines message the
first time in a conversation and a one-line reminder that HELP works after that, before
anything else the bot says; the conversation then carries on as it would. The bot asks
nothing about the risk and promises nobody will come: the helplines text says so.

"Once per conversation": `ParticipantState.helplines_shown` is set when the full message
goes out and cleared when a new conversation starts. Messages outside any conversation
(a first contact, a reply to an update, after STOP) share the flag until the next
conversation starts.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from conversations.classifier import Model
from conversations.facts import Flagged
from conversations.helplines import Helplines, full_message, reminder
from conversations.messages import Outgoing
from conversations.safeguarding import SafeguardingLists, matches
from conversations.screening import NOTHING, Level, Verdict, assess
from conversations.state import ConversationState, ParticipantState

WITHHELD = "[withheld for safeguarding review]"
"""Stored instead of a free-text answer that matched the screen: its text goes only to
the review queue (redacted), never into results."""

CATEGORY_SEPARATOR = ","
RULE_SEPARATOR = ";"
REASON_LIMIT = 255  # the review queue's reason column


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: see `_assess`
class Safety:
    """The safeguarding word lists, the classifier and the helplines, from the config."""

    lists: SafeguardingLists
    helplines: Helplines
    model: Model | None = None  # None: every list match gets the helplines, as before


@dataclass(frozen=True)
class SafetyReply:
    """What one flagged message adds: the message to send first, and what to record."""

    message: Outgoing
    participant: ParticipantState
    flagged: Flagged


def help_text(safety: Safety, language: str) -> str:
    """The full helplines message: what HELP gives, and a first disclosure."""
    return full_message(safety.helplines, language)


def verdict(text: str, safety: Safety | None, context: Sequence[str] = ()) -> Verdict:
    """The screen's decision on `text` after the texts in `context` (see `screening`)."""
    if safety is None or not text.strip():
        return NOTHING
    return _assess(safety, text, tuple(context))


def categories(text: str, safety: Safety | None) -> tuple[str, ...]:
    """The categories of `text` when it gets the full helplines on its own, else ()."""
    found = verdict(text, safety)
    return found.categories if found.level is Level.FULL else ()


def nudge(safety: Safety, language: str) -> Outgoing:
    """The one line for an unsure match: HELP gives the numbers; no numbers in it."""
    return Outgoing(reminder(safety.helplines, language))


def reason_label(found: Verdict) -> str:
    """The rules that fired, as the review queue keeps them: labels only, no message text,
    whole labels up to `REASON_LIMIT` characters (the score, when there is one, is kept)."""
    score = [rule for rule in found.rules if rule.startswith("score:")]
    kept: list[str] = []
    for rule in (r for r in found.rules if not r.startswith("score:")):
        if len(RULE_SEPARATOR.join([*kept, rule, *score])) > REASON_LIMIT:
            break
        kept.append(rule)
    return RULE_SEPARATOR.join([*kept, *score])


def respond(
    safety: Safety,
    found: Verdict,
    text: str,
    review_text: str,
    participant: ParticipantState,
    conversation: ConversationState | None,
    language: str | None,
    fallback_language: str,
) -> SafetyReply:
    """The safety message for a message the screen found (`found`), and the flag for review.

    `review_text` is the message as the review queue may keep it (redacted). `language`
    is the one the person chose or the conversation runs in; without one, the language
    of the list that matched is used when only one did, else `fallback_language`.
    """
    language = language or _list_language(text, safety) or fallback_language
    if participant.helplines_shown:
        message = reminder(safety.helplines, language)
    else:
        message = full_message(safety.helplines, language)
        participant = replace(participant, helplines_shown=True)
    flagged = Flagged(
        category=CATEGORY_SEPARATOR.join(found.categories),
        text=review_text,
        consultation_id=None if conversation is None else conversation.consultation_id,
        round_id=None if conversation is None else conversation.round_id,
        respondent_token=None if conversation is None else conversation.respondent_token,
        reason=reason_label(found) or None,
    )
    return SafetyReply(Outgoing(message), participant, flagged)


def new_conversation(before: ConversationState | None, after: ConversationState | None) -> bool:
    """Whether a turn started a new conversation (the full message is due again)."""
    if after is None:
        return False
    return before is None or before.respondent_token != after.respondent_token


@functools.lru_cache(maxsize=8)
def _assess(safety: Safety, text: str, context: tuple[str, ...]) -> Verdict:
    # Cached because the engine asks about one answer twice (to withhold it, and for the
    # helplines); Safety hashes by identity, so this costs no more than a dict lookup.
    return assess(text, safety.lists, safety.model, context)


def _list_language(text: str, safety: Safety) -> str | None:
    """The language of the word list that matched, when exactly one did and has helplines."""
    files = {m.file for m in matches(text, safety.lists)}
    # "pl.yaml" -> "pl": a list file is named after its language.
    languages = {file.rsplit("/", 1)[-1].split(".", 1)[0].lower() for file in files}
    if len(languages) != 1:
        return None
    (language,) = languages
    return language if language in safety.helplines.languages else None
