"""Asking, once, whether a person wants to talk in the language they seem to write in.

Detection never decides alone (conversations/language.py): a confident guess, or the
language a Telegram app is set to, leads to one line in that language ("Chcesz rozmawiać
po polsku? Napisz TAK lub NIE"), and only the person's YES switches. Asked once per
person, ever: `ParticipantState.language_asked` remembers it, and a chosen language
(`ParticipantState.language`) means nobody asks at all. The offer is open for the very
next message only, so a later YES (to start, to a question) is never taken for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from conversations import rendering
from conversations.catalogue import Catalogue, Msg
from conversations.language import detect_language
from conversations.messages import Inbound, Outgoing
from conversations.state import ParticipantState


def take(participant: ParticipantState) -> tuple[ParticipantState, str | None]:
    """Close an open offer: the participant with none open, and the language offered."""
    if not participant.language_offer_open:
        return participant, None
    return replace(participant, language_offer_open=False), participant.language_asked


def ask(
    participant: ParticipantState,
    inbound: Inbound,
    offered: Sequence[str],
    current: str,
    catalogue: Catalogue,
) -> tuple[ParticipantState, Outgoing] | None:
    """The question to ask about the language `inbound` seems to be in, or None."""
    if participant.language is not None or participant.language_asked is not None:
        return None
    guess = detect_language(inbound.text, offered)
    if guess is None and inbound.language_hint is not None:
        hint = inbound.language_hint.split("-")[0].lower()
        guess = hint if hint in offered else None
    if guess is None or guess == current or guess not in catalogue.languages():
        return None
    question = Outgoing(rendering.say(catalogue, guess, Msg.LANGUAGE_ASK))
    return replace(participant, language_asked=guess, language_offer_open=True), question
