"""What every checked file's schema shares: a strict model, ids, texts, errors in words.

A consultation file and an update file are each a few pydantic models (their own `schema`
modules); the rules they have in common live here once: unknown keys are refused, an id is
url-safe, a text is one string per language (or a plain string when the file lists one
language), and each pydantic error becomes ``(path, what is wrong, how to fix it)`` with
the path counted from 1, as an officer counts (``questions[3].choices[1]``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import ErrorDetails, PydanticCustomError

__all__ = [
    "ID_PATTERN",
    "LANGUAGE_PATTERN",
    "FileModel",
    "Id",
    "KeysAt",
    "Language",
    "Loc",
    "TextFile",
    "all_languages_understood",
    "explain_all",
    "fail",
    "path_name",
    "plain_language",
    "plain_languages",
]

Loc = tuple[str | int, ...]
KeysAt = Callable[[Loc], Sequence[str]]  # the keys a file allows under a parent path

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ids and keywords: url-safe, SMS-safe
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")  # ISO 639 codes: en, pl, ckb


class FileModel(BaseModel):
    """A part of a file: unknown keys are refused (a typo must not pass unseen)."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


def fail(message: str, fix: str) -> PydanticCustomError:
    """An error whose words are ours: `explain_all` passes them through unchanged."""
    return PydanticCustomError("yousaid", "{message}", {"message": message, "fix": fix})


def plain_language(code: str) -> str:
    """``en-GB`` -> ``en``: the plain code a language written wrongly most likely means."""
    return code.strip().split("-")[0].split("_")[0].lower()


def plain_languages(raw: object) -> tuple[str, ...]:
    """The language codes a raw ``languages`` value means, once each, in order.

    A code written wrongly (``PL``, ``en-GB``) counts as the plain code its problem
    suggests, so that one slip does not make every text look wrong as well.
    """
    if not isinstance(raw, list):
        return ()
    codes = (plain_language(code) for code in raw if isinstance(code, str))
    return tuple(dict.fromkeys(code for code in codes if LANGUAGE_PATTERN.fullmatch(code)))


def all_languages_understood(raw: object) -> bool:
    """Whether `plain_languages` understood every entry of a raw ``languages`` value."""
    return isinstance(raw, list) and len(plain_languages(raw)) == len(set(map(str, raw)))


def _url_safe(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        suggestion = re.sub(r"[^A-Za-z0-9_-]+", "_", value.strip()).strip("_")[:64] or "my_id"
        raise fail(
            f"is '{value}', but an id may only have letters, digits, - and _",
            f"write it like '{suggestion}' (at most 64 characters)",
        )
    return value


def _language(value: str) -> str:
    if LANGUAGE_PATTERN.fullmatch(value):
        return value
    plain = plain_language(value)
    if LANGUAGE_PATTERN.fullmatch(plain):
        raise fail(f"is '{value}', not a plain language code", f"write '{plain}'")
    raise fail(f"is '{value}', not a language code", "write a 2-letter code such as en or pl")


def _one_language(value: object, info: ValidationInfo) -> object:
    """A plain string is the text when the file has one language."""
    context = info.context if isinstance(info.context, dict) else {}
    found = context.get("languages", ())
    languages = tuple(found) if isinstance(found, tuple | list) else ()
    if isinstance(value, str) and len(languages) == 1:
        return {languages[0]: value}
    if isinstance(value, str | int | float):
        raise fail("gives one text, not one per language", "write it as {en: ..., pl: ...}")
    return value


Id = Annotated[str, AfterValidator(_url_safe)]
Language = Annotated[str, AfterValidator(_language)]
# Which languages a text has is checked by the loader (`Checker.check_text`), so a missing
# translation does not stop the other checks of its part.
TextFile = Annotated[dict[str, str], BeforeValidator(_one_language)]


def path_name(path: Loc) -> str:
    """``("questions", 2, "text")`` -> ``questions[3].text`` (lists count from 1)."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else part
    return name or "the file"


def explain_all(
    errors: Sequence[ErrorDetails],
    prefix: Loc,
    keys_at: KeysAt,
    missing_fixes: Mapping[str, str],
) -> list[tuple[Loc, str, str]]:
    """(path, message, fix) for each pydantic error, the key's path where the key is wrong.

    `keys_at` names the keys allowed under a path (for "did you mean"), `missing_fixes`
    says how to add each key. A missing key that an unknown key looks like a typo of
    ("tittle" for "title") is left to the unknown key's problem, which says "did you mean
    'title'?".
    """
    typos = {
        (error["loc"][:-1], near)
        for error in errors
        if error["type"] == "extra_forbidden"
        for near in _near(str(error["loc"][-1]), keys_at((*prefix, *error["loc"][:-1])))
    }
    return [
        _explain(error, prefix, keys_at, missing_fixes)
        for error in errors
        if not (error["type"] == "missing" and (error["loc"][:-1], error["loc"][-1]) in typos)
    ]


def _explain(
    error: ErrorDetails, prefix: Loc, keys_at: KeysAt, missing_fixes: Mapping[str, str]
) -> tuple[Loc, str, str]:
    loc = (*prefix, *error["loc"])
    kind = error["type"]
    if kind == "yousaid":
        ctx = error.get("ctx") or {}
        return loc, f"{path_name(loc)} {ctx['message']}", str(ctx["fix"])
    if kind == "missing":
        key = str(loc[-1])
        fix = missing_fixes.get(key, f"add '{key}: ...'")
        return loc[:-1], f"{path_name(loc[:-1])} has no '{key}'", fix
    if kind == "extra_forbidden":
        return loc, *_unknown_key(loc, keys_at(loc[:-1]))
    on_key = loc[-1] == "[key]"
    where = loc[:-1] if on_key else loc
    subject = f"the key '{where[-1]}' in {path_name(where[:-1])}" if on_key else path_name(loc)
    should, fix = _TYPE_WORDS.get(kind, (error["msg"].lower(), "compare it with a sample file"))
    return where, f"{subject} {should}", fix


def _unknown_key(loc: Loc, known: Sequence[str]) -> tuple[str, str]:
    key = str(loc[-1])
    message = f"{path_name(loc[:-1])} has an unknown key '{key}'"
    near = _near(key, known)
    if near:
        return message, f"did you mean '{near[0]}'?"
    return message, f"remove it; the keys here are: {', '.join(known)}"


def _near(key: str, known: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(key, known, n=1, cutoff=0.6)


_NUMBER = ("should be a whole number", "write a number like 5")
_TEXT = ("should be text", "write words here; put them in quotes if they start with a symbol")
_MAP = ("should be 'key: value' lines", "indent 'key: value' lines under it")
_TYPE_WORDS = {
    "int_type": _NUMBER,
    "int_parsing": _NUMBER,
    "int_from_float": _NUMBER,
    "bool_type": ("should be true or false", "write true or false"),
    "bool_parsing": ("should be true or false", "write true or false"),
    "string_type": _TEXT,
    "list_type": ("should be a list", "write it as [a, b] or one '- item' per line"),
    "dict_type": _MAP,
    "model_type": _MAP,
    "model_attributes_type": _MAP,
    "enum": ("is not one of the allowed values", "compare it with a sample file"),
}
