"""Update files: what an officer writes after a round ("you said, we did"), validated.

`load_update` turns YAML text into an `Update`, or reports every problem at once as
``FILE:LINE: what is wrong; how to fix it`` (the same `Problem` as consultation files).
Given the consultation, it also checks that the file is about it, has its languages, and
names questions and choices it has. Reading the file is the caller's job. The shape is
`schema`'s, the cross-checks `checks`'s; this runs them.

Choices made here:
- ``you_said`` names a question and optionally a choice (or a list of choices of one
  choice question); its text must hold ``{figure}``: "6 in 10" with a choice, the number
  who answered without one.
- A ``not_doing`` action needs a ``reason``; every other action needs ``changed``.
- The digest (an update's identity, with its consultation) is of the text itself, so the
  same file sent twice is the same update and an edited file is a new one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic_core import ErrorDetails

from conversations.checked_file import Checker, digest, finish, read_mapping
from conversations.file_schema import all_languages_understood, plain_languages
from conversations.model import Consultation
from conversations.problems import Checked, Problem
from conversations.update_file.checks import check_action, check_head
from conversations.update_file.model import Update
from conversations.update_file.schema import ActionFile, UpdateFile, explain, to_update
from conversations.yaml_lines import Document, Path, YamlError, read

MAX_ACTIONS = 8  # more is a warning: nobody reads a long list on a phone


@dataclass(frozen=True)
class UpdateLoad(Checked):
    """The update (None when there are errors) and every problem found."""

    update: Update | None
    problems: tuple[Problem, ...]


def load_update(
    text: str,
    source: str,
    consultation: Consultation | None = None,
    expected_id: str | None = None,
) -> UpdateLoad:
    """Validate update YAML `text`; `source` names the file in problems.

    With `consultation`, questions, choices and languages are checked against it; with
    `expected_id`, a file about another consultation is an error.
    """
    document = read_mapping(
        text,
        source,
        "start from the example in config/updates/",
        "the file is not an update: it should be 'key: value' lines",
        "start with a line like 'consultation: feeling-safe'",
    )
    if isinstance(document, Problem):
        return UpdateLoad(None, (document,))
    checker = _Checker(document, source, consultation, expected_id)
    update = checker.run(update_digest(text))
    problems, ok = finish(checker.problems)
    return UpdateLoad(update if ok else None, problems)


def update_digest(text: str) -> str:
    """A short stable digest of the file's text (line endings do not count)."""
    return digest(text, 16)


def consultation_of(text: str) -> str | None:
    """The consultation id a file names, if it can be read at all (to look it up first)."""
    try:
        document = read(text)
    except YamlError:
        return None
    data = document.data if document is not None else None
    found = data.get("consultation") if isinstance(data, dict) else None
    return found if isinstance(found, str) else None


class _Checker(Checker):
    """Collects every problem in one file: the shape first, then what links values."""

    def __init__(
        self,
        document: Document,
        source: str,
        consultation: Consultation | None,
        expected_id: str | None,
    ) -> None:
        super().__init__(document, source)
        self.consultation = consultation
        self.expected_id = expected_id

    def explain(self, errors: Sequence[ErrorDetails], prefix: Path) -> list[tuple[Path, str, str]]:
        return explain(errors, prefix)

    def run(self, digest: str) -> Update | None:
        data = self.document.data
        assert isinstance(data, dict)
        languages = plain_languages(data.get("languages"))
        context: dict[str, object] = {"languages": languages}
        head = self.validate(UpdateFile, data, (), context)
        actions = self.validate_each(ActionFile, "actions", context)
        self.check_count(
            "actions",
            "action",
            MAX_ACTIONS,
            f"keep it to {MAX_ACTIONS} or fewer: people read this on a phone",
        )
        if languages:
            self.check_texts(data, languages, all_languages_understood(data.get("languages")))
        if head is not None:
            check_head(self, head, self.consultation, self.expected_id)
        for i, action in enumerate(actions):
            if action is not None:
                check_action(self, action, ("actions", i), self.consultation)
        if head is None or self.has_errors:
            return None
        return to_update(head, [a for a in actions if a is not None], languages, digest)

    def check_texts(
        self, data: Mapping[str, object], languages: Sequence[str], complete: bool
    ) -> None:
        """Every text of the file has every listed language (see `Checker.check_text`)."""
        self.check_text(data.get("first_line"), ("first_line",), languages, complete)
        actions = data.get("actions")
        for i, action in enumerate(actions if isinstance(actions, list) else []):
            if not isinstance(action, dict):
                continue
            for key in ("title", "changed", "reason"):
                self.check_text(action.get(key), ("actions", i, key), languages, complete)
            said = action.get("you_said")
            if isinstance(said, dict):
                where = ("actions", i, "you_said", "text")
                self.check_text(said.get("text"), where, languages, complete)
