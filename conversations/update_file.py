"""Update files: what an officer writes after a round ("you said, we did"), validated.

`load_update` turns YAML text into an `Update`, or reports every problem at once as
``FILE:LINE: what is wrong; how to fix it`` (the same `Problem` as consultation files).
Given the consultation, it also checks that the file is about it, has its languages, and
names questions and choices it has. Reading the file is the caller's job.

Choices made here:
- ``you_said`` names a question and optionally a choice (or a list of choices of one
  choice question); its text must hold ``{figure}``: "6 in 10" with a choice, the number
  who answered without one.
- A ``not_doing`` action needs a ``reason``; every other action needs ``changed``.
- The digest (an update's identity, with its consultation) is of the text itself, so the
  same file sent twice is the same update and an edited file is a new one.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pydantic_core import ErrorDetails

from conversations.checked_file import Checker, digest, finish, read_mapping
from conversations.consultation_file import (
    all_languages_understood,
    path_name,
    plain_languages,
)
from conversations.model import Consultation, QuestionType, Text
from conversations.problems import Checked, Problem
from conversations.update_schema import (
    ActionFile,
    ActionStatus,
    UpdateFile,
    YouSaidFile,
    explain_all,
)
from conversations.yaml_lines import Document, Path, YamlError, read

FIGURE = "{figure}"
MAX_ACTIONS = 8  # more is a warning: nobody reads a long list on a phone
FIGURE_QUESTION_TYPES = (
    QuestionType.CHOICE,
    QuestionType.MULTI,
    QuestionType.SCALE,
    QuestionType.YESNO,
    QuestionType.UPDATES,
)


@dataclass(frozen=True)
class YouSaid:
    """The result an action answers: a question, the choices counted, the words around it."""

    question_id: str
    choices: tuple[str, ...]  # empty: quote how many answered the question
    text: Text  # holds {figure}


@dataclass(frozen=True)
class Action:
    title: Text
    status: ActionStatus
    changed: Text | None  # one line: what changed (None only when not doing it)
    reason: Text | None  # why not (not_doing only)
    progress: int | None  # percent, 0-100
    you_said: YouSaid | None


@dataclass(frozen=True)
class Update:
    consultation_id: str
    round_id: str | None  # quote figures from this round only; None: every round
    languages: tuple[str, ...]
    first_line: Text  # neutral: lock screens show it
    actions: tuple[Action, ...]
    digest: str


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
        self.languages: tuple[str, ...] = ()

    def explain(self, errors: Sequence[ErrorDetails], prefix: Path) -> list[tuple[Path, str, str]]:
        return explain_all(errors, prefix)

    def run(self, digest: str) -> Update | None:
        data = self.document.data
        assert isinstance(data, dict)
        self.languages = plain_languages(data.get("languages"))
        context: dict[str, object] = {"languages": self.languages}
        head = self.validate(UpdateFile, data, (), context)
        raw = data.get("actions")
        raw_actions: list[object] = raw if isinstance(raw, list) else []
        actions = [
            self.validate(ActionFile, item, ("actions", i), context)
            for i, item in enumerate(raw_actions)
        ]
        if isinstance(raw, list):
            self.check_count(len(raw_actions))
        if self.languages:
            self.check_texts(data, all_languages_understood(data.get("languages")))
        if head is not None:
            self.check_head(head)
        for i, action in enumerate(actions):
            if action is not None:
                self.check_action(action, ("actions", i))
        if head is None or any(not p.warning for p in self.problems):
            return None
        return _to_update(head, [a for a in actions if a is not None], self.languages, digest)

    def check_count(self, count: int) -> None:
        if count == 0:
            self.report(("actions",), "actions is empty", "add at least one action")
        elif count > MAX_ACTIONS:
            self.report(
                ("actions",),
                f"there are {count} actions",
                f"keep it to {MAX_ACTIONS} or fewer: people read this on a phone",
                warning=True,
            )

    def check_texts(self, data: Mapping[str, object], complete: bool) -> None:
        self.check_text(data.get("first_line"), ("first_line",), complete)
        actions = data.get("actions")
        for i, action in enumerate(actions if isinstance(actions, list) else []):
            if not isinstance(action, dict):
                continue
            for key in ("title", "changed", "reason"):
                self.check_text(action.get(key), ("actions", i, key), complete)
            said = action.get("you_said")
            if isinstance(said, dict):
                self.check_text(said.get("text"), ("actions", i, "you_said", "text"), complete)

    def check_text(self, text: object, path: Path, complete: bool) -> None:
        if not isinstance(text, dict):
            return  # absent or not a map: the shape check says so
        name = path_name(path)
        missing = [c for c in self.languages if c not in text or str(text[c]).strip() == ""]
        if missing:
            names = " or ".join(f"'{code}'" for code in missing)
            self.report(
                path, f"{name} has no {names} text", f"add '{missing[0]}:' followed by the words"
            )
        for code in text if complete else ():
            if code not in self.languages:
                self.report(
                    (*path, code),
                    f"{name} has a '{code}' text, but '{code}' is not in languages",
                    f"add it to languages, or remove it (languages: {', '.join(self.languages)})",
                )

    def check_head(self, head: UpdateFile) -> None:
        if self.expected_id is not None and head.consultation != self.expected_id:
            self.report(
                ("consultation",),
                f"this update is for '{head.consultation}', not '{self.expected_id}'",
                "send it for the consultation it names, or correct 'consultation:'",
            )
        consultation = self.consultation
        if consultation is None or head.consultation != consultation.id:
            return
        missing = [code for code in consultation.languages if code not in head.languages]
        if missing:
            self.report(
                ("languages",),
                f"'{consultation.id}' is answered in {', '.join(consultation.languages)}, "
                f"but this update has no {' or '.join(missing)}",
                f"add {missing[0]} to languages and a {missing[0]} text to every text: "
                "people hear back in the language they answered in",
            )

    def check_action(self, action: ActionFile, path: Path) -> None:
        name = path_name(path)
        if action.status is ActionStatus.NOT_DOING and action.reason is None:
            self.report(
                path,
                f"{name} is not_doing without a reason",
                "add 'reason:' saying in one line why not: people deserve to know",
            )
        if action.status is not ActionStatus.NOT_DOING and action.reason is not None:
            self.report(
                (*path, "reason"),
                f"{name} has a reason but is {action.status}",
                "remove the reason, or make the status not_doing",
            )
        if action.status is not ActionStatus.NOT_DOING and action.changed is None:
            self.report(
                path,
                f"{name} has no 'changed'",
                "add 'changed:' with one line per language on what changed",
            )
        if action.progress is not None and action.status is not ActionStatus.IN_PROGRESS:
            self.report(
                (*path, "progress"),
                f"{name} has a progress percentage but is {action.status}",
                "remove progress, or make the status in_progress",
            )
        if action.you_said is not None:
            self.check_you_said(action.you_said, (*path, "you_said"))

    def check_you_said(self, said: YouSaidFile, path: Path) -> None:
        name = path_name(path)
        for code, words in said.text.items():
            if FIGURE not in words:
                self.report(
                    (*path, "text", code),
                    f"{name}.text ({code}) does not quote the figure",
                    "put {figure} where the number goes, like '{figure} of you said ...'",
                )
        consultation = self.consultation
        if consultation is None:
            return
        known = [q.id for q in consultation.questions]
        if said.question not in known:
            near = difflib.get_close_matches(said.question, known, n=1)
            hint = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(known)}"
            self.report(
                (*path, "question"),
                f"{name}.question is '{said.question}', not a question of '{consultation.id}'",
                hint,
            )
            return
        question = consultation.question(said.question)
        if question.type not in FIGURE_QUESTION_TYPES:
            if said.choice is not None:
                self.report(
                    (*path, "choice"),
                    f"{name} names a choice of '{question.id}', a {question.type} question",
                    "remove the choice: the figure is then how many answered",
                )
            return
        for choice in said.choice or ():
            if choice_id(consultation, question.id, choice) is None:
                options = option_ids(consultation, question.id)
                self.report(
                    (*path, "choice"),
                    f"{name}.choice '{choice}' is not an answer to '{question.id}'",
                    f"use one of: {', '.join(options)}",
                )
        if said.choice and len(said.choice) > 1 and question.type is QuestionType.MULTI:
            self.report(
                (*path, "choice"),
                f"{name} adds up choices of '{question.id}', where one person picks several",
                "name one choice: added up, one person would count more than once",
            )


def option_ids(consultation: Consultation, question_id: str) -> tuple[str, ...]:
    """The answer ids a question's figure can count: choices, scale points, yes and no."""
    question = consultation.question(question_id)
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        return tuple(c.id for c in question.choices)
    if (
        question.type is QuestionType.SCALE
        and question.min is not None
        and question.max is not None
    ):
        return tuple(str(p) for p in range(question.min, question.max + 1))
    if question.type in (QuestionType.YESNO, QuestionType.UPDATES):
        return ("yes", "no")
    return ()


def choice_id(consultation: Consultation, question_id: str, written: str) -> str | None:
    """The answer id `written` means (case does not count), or None."""
    for option in option_ids(consultation, question_id):
        if option.casefold() == written.casefold():
            return option
    return None


def _to_update(
    head: UpdateFile, actions: Sequence[ActionFile], languages: Sequence[str], digest: str
) -> Update:
    return Update(
        consultation_id=head.consultation,
        round_id=head.round,
        languages=tuple(languages),
        first_line=_text(head.first_line, languages),
        actions=tuple(_to_action(a, languages) for a in actions),
        digest=digest,
    )


def _to_action(action: ActionFile, languages: Sequence[str]) -> Action:
    said = action.you_said
    return Action(
        title=_text(action.title, languages),
        status=action.status,
        changed=_text(action.changed, languages) if action.changed is not None else None,
        reason=_text(action.reason, languages) if action.reason is not None else None,
        progress=action.progress,
        you_said=None
        if said is None
        else YouSaid(
            question_id=said.question,
            choices=tuple(said.choice or ()),
            text=_text(said.text, languages),
        ),
    )


def _text(text: Mapping[str, str], languages: Sequence[str]) -> Text:
    return {code: " ".join(text[code].split()) for code in languages}
