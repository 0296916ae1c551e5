"""The shape of an update file as pydantic models, and its pydantic errors in an officer's words.

Checks that look at more than one value (a ``not_doing`` action's reason, a ``you_said``
naming the consultation's questions) live in `conversations.update_file`, which adds the
file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict
from pydantic_core import ErrorDetails

from conversations.consultation_file import (
    LANGUAGE_PATTERN,
    Id,
    Loc,
    TextFile,
    explain,
    fail,
    path_name,
)

__all__ = ["ActionFile", "ActionStatus", "UpdateFile", "YouSaidFile", "explain_all"]


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOT_DOING = "not_doing"


def _status(value: object) -> object:
    if isinstance(value, str):
        plain = value.strip().lower().replace(" ", "_").replace("-", "_")
        if plain in ActionStatus.__members__.values():
            return plain
        statuses = ", ".join(s.value for s in ActionStatus)
        near = difflib.get_close_matches(plain, [s.value for s in ActionStatus], n=1)
        hint = f"did you mean '{near[0]}'? " if near else ""
        raise fail(f"is '{value}', not a status", f"{hint}use one of: {statuses}")
    return value


def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise fail(f"is {value}, not a percentage", "write a number from 0 to 100")
    return value


def _language_code(value: str) -> str:
    if not LANGUAGE_PATTERN.fullmatch(value):
        raise fail(f"is '{value}', not a language code", "write a 2-letter code such as en or pl")
    return value


def _choices(value: object) -> object:
    if isinstance(value, str | int):
        return [str(value)]
    return value


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class YouSaidFile(_FileModel):
    question: Id
    choice: Annotated[list[Id] | None, BeforeValidator(_choices)] = None
    text: TextFile


class ActionFile(_FileModel):
    title: TextFile
    status: Annotated[ActionStatus, BeforeValidator(_status)]
    progress: Annotated[int, AfterValidator(_percent)] | None = None
    changed: TextFile | None = None
    reason: TextFile | None = None
    you_said: YouSaidFile | None = None


class UpdateFile(_FileModel):
    consultation: Id
    round: Id | None = None
    languages: list[Annotated[str, AfterValidator(_language_code)]]
    first_line: TextFile
    actions: list[Any]  # each is checked alone, so one bad action hides no other


_MODELS: Mapping[str, type[BaseModel]] = {
    "": UpdateFile,
    "actions": ActionFile,
    "you_said": YouSaidFile,
}

_MISSING_FIXES = {
    "consultation": "add the consultation's id, like 'consultation: feeling-safe'",
    "languages": "add the languages, like 'languages: [en, pl]'",
    "first_line": "add 'first_line:' with a neutral line per language (lock screens show it)",
    "actions": "add 'actions:' with what was done, one '- title: ...' each",
    "title": "add 'title:' with a few words per language",
    "status": "add 'status:' (planned, in_progress, done or not_doing)",
    "question": "add 'question:' with the id of the question this answers",
    "text": "add 'text:' per language, with {figure} where the number goes",
}


def explain_all(errors: Sequence[ErrorDetails], prefix: Loc) -> list[tuple[Loc, str, str]]:
    """(path, message, fix) per pydantic error, in this file's words."""
    explained = []
    for error in errors:
        loc = (*prefix, *error["loc"])
        kind = error["type"]
        if kind == "extra_forbidden":
            explained.append((loc, *_unknown_key(loc)))
        elif kind == "missing":
            key = str(loc[-1])
            fix = _MISSING_FIXES.get(key, f"add '{key}: ...'")
            explained.append((loc[:-1], f"{path_name(loc[:-1])} has no '{key}'", fix))
        else:
            path, _, message, fix = explain(error, prefix)
            explained.append((path, message, fix))
    return explained


def _unknown_key(loc: Loc) -> tuple[str, str]:
    key = str(loc[-1])
    parent = loc[:-1]
    named = [part for part in parent if isinstance(part, str)]
    model = _MODELS.get(named[-1] if named else "", UpdateFile)
    known = list(model.model_fields)
    message = f"{path_name(parent)} has an unknown key '{key}'"
    near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if near:
        return message, f"did you mean '{near[0]}'?"
    return message, f"remove it; the keys here are: {', '.join(known)}"
