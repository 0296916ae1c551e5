"""Every message a consultation sends, per language, rendered as a participant sees it.

`yousaid consultation validate` shows these with their SMS segment counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.catalogue import Catalogue
from conversations.model import Consultation
from conversations.rendering import (
    localised,
    opening,
    privacy_texts,
    render_question,
    withdrawal_until,
)


@dataclass(frozen=True)
class PreviewMessage:
    name: str  # "intro", "consent 2", "question safe_after_dark", "closing"
    language: str
    text: str


def preview_messages(consultation: Consultation, catalogue: Catalogue) -> list[PreviewMessage]:
    """The opening, every question and the closing, in every language the consultation lists."""
    messages: list[PreviewMessage] = []
    for language in consultation.languages:
        for n, message in enumerate(opening(consultation, language, catalogue)):
            name = "intro" if n == 0 else f"opening {n + 1}"
            messages.append(PreviewMessage(name, language, message.text))
        for question in consultation.questions:
            rendered = render_question(consultation, question, language, catalogue)
            messages.append(PreviewMessage(f"question {question.id}", language, rendered.text))
        messages.append(
            PreviewMessage("closing", language, localised(consultation.closing, language))
        )
        # On request only: a round with no end yet names the withdrawal window in days.
        until = withdrawal_until(None, consultation.withdrawal_days, language, catalogue)
        for n, text in enumerate(privacy_texts(language, catalogue, until), 1):
            messages.append(PreviewMessage(f"PRIVACY {n} (asked for)", language, text))
    return messages
