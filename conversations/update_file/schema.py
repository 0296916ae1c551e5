"""The shape of an update file as pydantic models, its errors in an officer's words, and the
`Update` a checked file builds.

Checks that look at more than one value (a ``not_doing`` action's reason, a ``you_said``
naming the consultation's questions) live in `checks` beside this; the loader adds the
file and line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator
from pydantic_core import ErrorDetails

from conversations.file_schema import FileModel, Id, Language, Loc, TextFile, explain_all, fail
from conversations.model import Text
from conversations.update_file.model import Action, ActionStatus, Update, YouSaid

__all__ = ["ActionFile", "UpdateFile", "YouSaidFile", "explain", "to_update"]


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


def _choices(value: object) -> object:
    if isinstance(value, str | int):
        return [str(value)]
    return value


class YouSaidFile(FileModel):
    question: Id
    choice: Annotated[list[Id] | None, BeforeValidator(_choices)] = None
    text: TextFile


class ActionFile(FileModel):
    title: TextFile
    status: Annotated[ActionStatus, BeforeValidator(_status)]
    progress: Annotated[int, AfterValidator(_percent)] | None = None
    changed: TextFile | None = None
    reason: TextFile | None = None
    you_said: YouSaidFile | None = None


class UpdateFile(FileModel):
    consultation: Id
    round: Id | None = None
    languages: list[Language]
    first_line: TextFile
    actions: list[Any]  # each is checked alone, so one bad action hides no other


def explain(errors: Sequence[ErrorDetails], prefix: Loc) -> list[tuple[Loc, str, str]]:
    """(path, message, fix) per pydantic error, in an update file's words."""
    return explain_all(errors, prefix, _keys_at, _MISSING_FIXES)


def _keys_at(parent: Loc) -> list[str]:
    named = [part for part in parent if isinstance(part, str)]
    model = _MODELS.get(named[-1] if named else "", UpdateFile)
    return list(model.model_fields)


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


def to_update(
    head: UpdateFile, actions: Sequence[ActionFile], languages: Sequence[str], digest: str
) -> Update:
    """The update of a file whose every check passed."""
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
