"""Consultation files: YAML text to a validated `Consultation`, or every problem at once.

Each problem reads ``FILE:LINE: what is wrong; how to fix it``. Paths in messages count
from 1, as an officer counts: ``questions[3].choices[1]`` is the third question's first
choice. Reading the file is the caller's job; this only sees its text. The shape is
`schema`'s, a question's cross-checks `checks`'s, a ``when:``'s `when`'s; this runs them.

Choices made here:
- ``withdrawal_days`` may be left out: 14 days, the usual window. ``listed`` defaults to true,
  ``public`` to false.
- A question is optional (SKIP skips it at once) unless it says ``required: true`` or
  ``optional: false``; a required question asks once more, gently, before skipping.
- A text may be a plain string only when the consultation lists one language.
- Choice ids are compared without case: people answer "Very" for ``very``.
- Warnings (more than 8 questions, a scale of more than 11 points, a choice that reads as
  one of the bot's words) are reported but do not stop the file loading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic_core import ErrorDetails

from conversations.checked_file import Checker, digest, finish, read_mapping
from conversations.consultation_file.build import to_consultation
from conversations.consultation_file.checks import check_question
from conversations.consultation_file.schema import ConsultationFile, QuestionFile, explain
from conversations.consultation_file.when import check_when
from conversations.file_schema import all_languages_understood, path_name, plain_languages
from conversations.model import Consultation
from conversations.problems import Checked, Problem
from conversations.yaml_lines import Path

MAX_QUESTIONS = 8  # more than this is a warning: people stop answering


@dataclass(frozen=True)
class LoadResult(Checked):
    """The consultation (None when there are errors) and every problem found."""

    consultation: Consultation | None
    problems: tuple[Problem, ...]


def load_consultation(text: str, source: str) -> LoadResult:
    """Validate consultation YAML `text`; `source` names the file in problems."""
    document = read_mapping(
        text,
        source,
        "start from a sample in config/consultations/",
        "the file is not a consultation: it should be 'key: value' lines",
        "start with lines like 'id: feeling-safe' and 'title: Feeling safe'",
    )
    if isinstance(document, Problem):
        return LoadResult(None, (document,))
    checker = _Checker(document, source)
    consultation = checker.run(consultation_version(text))
    problems, ok = finish(checker.problems)
    return LoadResult(consultation if ok else None, problems)


def consultation_version(text: str) -> str:
    """A short stable digest of the file's text (line endings do not count)."""
    return digest(text, 12)


class _Checker(Checker):
    """Collects every problem in one file: the shape first, then what links values."""

    def explain(self, errors: Sequence[ErrorDetails], prefix: Path) -> list[tuple[Path, str, str]]:
        return explain(errors, prefix)

    def run(self, version: str) -> Consultation | None:
        data = self.document.data
        assert isinstance(data, dict)
        languages = plain_languages(data.get("languages"))
        context: dict[str, object] = {"languages": languages}
        head = self.validate(ConsultationFile, data, (), context)
        questions = self.validate_each(QuestionFile, "questions", context)
        self.check_count(
            "questions",
            "question",
            MAX_QUESTIONS,
            f"keep it short: 3-{MAX_QUESTIONS} questions, or people stop answering",
        )
        if languages:  # else the languages problem is reported already
            self.check_texts(data, languages, all_languages_understood(data.get("languages")))
        raw = data.get("questions")
        ids = self.check_question_ids(raw if isinstance(raw, list) else [])
        for i, question in enumerate(questions):
            if question is not None:
                check_question(self, question, ("questions", i))
                check_when(self, question, i, ids, questions)
        if head is None or self.has_errors:
            return None
        return to_consultation(head, [q for q in questions if q is not None], version)

    def check_texts(
        self, data: Mapping[str, object], languages: Sequence[str], complete: bool
    ) -> None:
        """Every text of the file has every listed language (see `Checker.check_text`)."""
        messages = data.get("messages")
        if isinstance(messages, dict):
            for key in ("intro", "closing"):
                self.check_text(messages.get(key), ("messages", key), languages, complete)
        questions = data.get("questions")
        for i, question in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(question, dict):
                continue
            path: Path = ("questions", i)
            self.check_text(question.get("text"), (*path, "text"), languages, complete)
            choices = question.get("choices")
            for j, choice in enumerate(choices if isinstance(choices, list) else []):
                if isinstance(choice, dict):
                    where = (*path, "choices", j, "text")
                    self.check_text(choice.get("text"), where, languages, complete)
            labels = question.get("labels")
            for point, label in (labels if isinstance(labels, dict) else {}).items():
                self.check_text(label, (*path, "labels", point), languages, complete)

    def check_question_ids(self, raw_questions: list[object]) -> list[str | None]:
        """Each question's id as written (None where there is none); repeats reported."""
        ids: list[str | None] = []
        for i, raw in enumerate(raw_questions):
            found = raw.get("id") if isinstance(raw, dict) else None
            question_id = found if isinstance(found, str) else None
            if question_id is not None and question_id in ids:
                first = ids.index(question_id)
                self.report(
                    ("questions", i, "id"),
                    f"{path_name(('questions', i))} has the id '{question_id}', "
                    f"which {path_name(('questions', first))} has already",
                    "give each question its own id",
                )
            ids.append(question_id)
        return ids
