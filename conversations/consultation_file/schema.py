"""The shape of a consultation file as pydantic models: its keys, types and single values.

Checks that look at more than one value (a scale's min below its max, a ``when:`` naming an
earlier question) live in `checks` and `when` beside this. `explain` turns each
pydantic error into words an officer can act on; the loader adds the file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic_core import ErrorDetails

from conversations import keywords
from conversations.file_schema import (
    ID_PATTERN,
    FileModel,
    Id,
    Language,
    Loc,
    TextFile,
    explain_all,
    fail,
)
from conversations.model import QuestionType, UpdatesScope

DEFAULT_WITHDRAWAL_DAYS = 14
QUESTION_TYPES = ", ".join(t.value for t in QuestionType)


def _keyword(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise fail(
            f"is '{value}', which can't be texted as one word",
            "use one word of letters, digits, - or _ (at most 64), like SAFE",
        )
    if keywords.is_reserved(value):
        raise fail(
            f"is '{value}', one of the words the bot itself listens for",
            "choose another word, such as the consultation's topic",
        )
    return value


def _languages(value: list[str]) -> list[str]:
    if not value:
        raise fail("is empty", "list at least one language, like [en]")
    twice = sorted({code for code in value if value.count(code) > 1})
    if twice:
        raise fail(f"lists '{twice[0]}' twice", "list each language once")
    return value


def _question_type(value: object) -> object:
    if isinstance(value, str) and value not in QuestionType.__members__.values():
        near = difflib.get_close_matches(value.lower(), [t.value for t in QuestionType], n=1)
        hint = f"did you mean '{near[0]}'? " if near else ""
        raise fail(f"is '{value}', not a question type", f"{hint}use one of: {QUESTION_TYPES}")
    return value


def _scope(value: object) -> object:
    if isinstance(value, str) and value not in UpdatesScope.__members__.values():
        scopes = " or ".join(s.value for s in UpdatesScope)
        raise fail(f"is '{value}', not an updates scope", f"use {scopes}")
    return value


def _title(value: str) -> str:
    if not value.strip():
        raise fail("is empty", "write a short title officers will recognise")
    return value.strip()


def _not_negative(value: int) -> int:
    if value < 0:
        raise fail(
            f"is {value}, less than no days",
            f"write 0 or more days ({DEFAULT_WITHDRAWAL_DAYS} is usual)",
        )
    return value


class ChoiceFile(FileModel):
    id: Id
    text: TextFile


class MessagesFile(FileModel):
    intro: TextFile
    closing: TextFile


class QuestionFile(FileModel):
    id: Id
    type: Annotated[QuestionType, BeforeValidator(_question_type)]
    text: TextFile
    optional: bool | None = None
    required: bool | None = None
    choices: list[ChoiceFile] | None = None
    min: int | None = None
    max: int | None = None
    labels: dict[int, TextFile] | None = None
    when: str | None = None
    scope: Annotated[UpdatesScope | None, BeforeValidator(_scope)] = None


class ConsultationFile(FileModel):
    id: Id
    title: Annotated[str, AfterValidator(_title)]
    languages: Annotated[list[Language], AfterValidator(_languages)]
    keyword: Annotated[str, AfterValidator(_keyword)]
    listed: bool = True
    public: bool = False
    withdrawal_days: Annotated[int, AfterValidator(_not_negative)] = DEFAULT_WITHDRAWAL_DAYS
    messages: MessagesFile
    questions: list[Any]  # each is checked alone, so one bad question hides no other


def explain(errors: Sequence[ErrorDetails], prefix: Loc) -> list[tuple[Loc, str, str]]:
    """(path, message, fix) for each pydantic error, in a consultation file's words."""
    return explain_all(errors, prefix, keys_at, _MISSING_FIXES)


def keys_at(parent: Loc) -> list[str]:
    """The keys a consultation file allows under `parent`."""
    if not parent:
        model: type[BaseModel] = ConsultationFile
    elif parent == ("messages",):
        model = MessagesFile
    elif "choices" in parent:
        model = ChoiceFile
    else:
        model = QuestionFile
    return list(model.model_fields)


_MISSING_FIXES = {
    "id": "add a short id, like 'id: feeling-safe'",
    "title": "add a title, like 'title: Feeling safe in your area'",
    "languages": "add the languages, like 'languages: [en]'",
    "keyword": "add the word people text to start, like 'keyword: SAFE'",
    "messages": "add 'messages:' with 'intro:' and 'closing:' under it",
    "intro": "add 'intro:' with a text per language saying who is asking and why",
    "closing": "add 'closing:' with a text per language thanking people",
    "questions": "add 'questions:' with 3 to 8 questions under it",
    "type": f"add 'type: text' (or one of: {QUESTION_TYPES})",
    "text": "add 'text:' with the question in each language",
}
