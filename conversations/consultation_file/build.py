"""A consultation file whose every check passed, built into the engine's `Consultation`."""

from __future__ import annotations

from collections.abc import Sequence

from conversations.consultation_file.schema import ConsultationFile, QuestionFile
from conversations.model import Choice, Consultation, Question, Text, UpdatesScope


def to_consultation(
    head: ConsultationFile, questions: Sequence[QuestionFile], version: str
) -> Consultation:
    """The model of a file whose every check passed."""
    return Consultation(
        id=head.id,
        title=head.title,
        languages=tuple(head.languages),
        keyword=head.keyword.upper(),
        listed=head.listed,
        withdrawal_days=head.withdrawal_days,
        intro=_text(head.messages.intro, head.languages),
        closing=_text(head.messages.closing, head.languages),
        questions=tuple(_to_question(q, head.languages) for q in questions),
        version=version,
        public=head.public,
    )


def is_optional(question: QuestionFile) -> bool:
    """Whether SKIP skips at once (the default), rather than asking "SKIP again"."""
    if question.required is not None:
        return not question.required
    return question.optional if question.optional is not None else True


def _to_question(question: QuestionFile, languages: Sequence[str]) -> Question:
    optional = is_optional(question)
    labels = question.labels or {}
    return Question(
        id=question.id,
        type=question.type,
        text=_text(question.text, languages),
        optional=optional,
        choices=tuple(Choice(c.id, _text(c.text, languages)) for c in question.choices or ()),
        min=question.min,
        max=question.max,
        labels={point: _text(label, languages) for point, label in sorted(labels.items())},
        when=(question.when or "").strip() or None,
        scope=question.scope or UpdatesScope.THIS,
    )


def _text(text: dict[str, str], languages: Sequence[str]) -> Text:
    return {code: text[code].strip() for code in languages}
