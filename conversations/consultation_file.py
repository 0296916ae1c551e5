"""The shape of a consultation file as pydantic models: its keys, types and single values.

Checks that look at more than one value (a scale's min below its max, a ``when:`` naming an
earlier question) live in `conversations.loader`. `explain` turns each pydantic error into
words an officer can act on; the loader adds the file and line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationInfo
from pydantic_core import ErrorDetails, PydanticCustomError

from conversations import keywords
from conversations.model import (
    Choice,
    Consultation,
    Question,
    QuestionType,
    Text,
    UpdatesScope,
)

Loc = tuple[str | int, ...]

ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ids and keywords: url-safe, SMS-safe
LANGUAGE_PATTERN = re.compile(r"[a-z]{2,3}")  # ISO 639 codes: en, pl, ckb
DEFAULT_WITHDRAWAL_DAYS = 14
QUESTION_TYPES = ", ".join(t.value for t in QuestionType)


def fail(message: str, fix: str) -> PydanticCustomError:
    """An error whose words are ours: `explain` passes them through unchanged."""
    return PydanticCustomError("yousaid", "{message}", {"message": message, "fix": fix})


def plain_languages(raw: object) -> tuple[str, ...]:
    """The language codes a raw ``languages`` value means, once each, in order.

    A code written wrongly (``PL``, ``en-GB``) counts as the plain code its problem
    suggests, so that one slip does not make every text look wrong as well.
    """
    if not isinstance(raw, list):
        return ()
    codes = (_plain(code) for code in raw if isinstance(code, str))
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


def _language(value: str) -> str:
    if LANGUAGE_PATTERN.fullmatch(value):
        return value
    plain = _plain(value)
    if LANGUAGE_PATTERN.fullmatch(plain):
        raise fail(f"is '{value}', not a plain language code", f"write '{plain}'")
    raise fail(f"is '{value}', not a language code", "write a 2-letter code such as en or pl")


def _plain(code: str) -> str:
    return code.strip().split("-")[0].split("_")[0].lower()


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


def _one_language(value: object, info: ValidationInfo) -> object:
    """A plain string is the text when the consultation has one language."""
    languages = _context_languages(info)
    if isinstance(value, str) and len(languages) == 1:
        return {languages[0]: value}
    if isinstance(value, str | int | float):
        raise fail("gives one text, not one per language", "write it as {en: ..., pl: ...}")
    return value


def _context_languages(info: ValidationInfo) -> Sequence[str]:
    context = info.context if isinstance(info.context, dict) else {}
    languages = context.get("languages", ())
    return tuple(languages) if isinstance(languages, tuple | list) else ()


def _not_negative(value: int) -> int:
    if value < 0:
        raise fail(
            f"is {value}, less than no days",
            f"write 0 or more days ({DEFAULT_WITHDRAWAL_DAYS} is usual)",
        )
    return value


Id = Annotated[str, AfterValidator(_url_safe)]
# Which languages a text has is checked by the loader, so a missing translation does not
# stop the other checks of its question.
TextFile = Annotated[dict[str, str], BeforeValidator(_one_language)]


class _FileModel(BaseModel):
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True, frozen=True)


class ChoiceFile(_FileModel):
    id: Id
    text: TextFile


class MessagesFile(_FileModel):
    intro: TextFile
    closing: TextFile


class QuestionFile(_FileModel):
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


class ConsultationFile(_FileModel):
    id: Id
    title: Annotated[str, AfterValidator(_title)]
    languages: Annotated[
        list[Annotated[str, AfterValidator(_language)]], AfterValidator(_languages)
    ]
    keyword: Annotated[str, AfterValidator(_keyword)]
    listed: bool = True
    public: bool = False
    withdrawal_days: Annotated[int, AfterValidator(_not_negative)] = DEFAULT_WITHDRAWAL_DAYS
    messages: MessagesFile
    questions: list[Any]  # each is checked alone, so one bad question hides no other


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


def explain_all(errors: Sequence[ErrorDetails], prefix: Loc) -> list[tuple[Loc, str, str]]:
    """(path, message, fix) for each pydantic error, the key's path where the key is wrong.

    A missing key that an unknown key looks like a typo of ("tittle" for "title") is left
    to the unknown key's problem, which says "did you mean 'title'?".
    """
    typos = {
        (error["loc"][:-1], near)
        for error in errors
        if error["type"] == "extra_forbidden"
        for near in _near(str(error["loc"][-1]), _keys_at(error["loc"][:-1]))
    }
    return [
        (path, message, fix)
        for error in errors
        if not (error["type"] == "missing" and (error["loc"][:-1], error["loc"][-1]) in typos)
        for path, _, message, fix in [explain(error, prefix)]
    ]


def explain(error: ErrorDetails, prefix: Loc) -> tuple[Loc, bool, str, str]:
    """(path, whether the problem is the key itself, message, fix) for one pydantic error."""
    loc = (*prefix, *error["loc"])
    kind = error["type"]
    if kind == "yousaid":
        ctx = error.get("ctx") or {}
        return loc, False, f"{path_name(loc)} {ctx['message']}", str(ctx["fix"])
    if kind == "missing":
        key = str(loc[-1])
        fix = _MISSING_FIXES.get(key, f"add '{key}: ...'")
        return loc[:-1], False, f"{path_name(loc[:-1])} has no '{key}'", fix
    if kind == "extra_forbidden":
        return loc, True, *_unknown_key(loc)
    on_key = loc[-1] == "[key]"
    where = loc[:-1] if on_key else loc
    subject = f"the key '{where[-1]}' in {path_name(where[:-1])}" if on_key else path_name(loc)
    should, fix = _TYPE_WORDS.get(kind, (error["msg"].lower(), "compare it with a sample file"))
    return where, on_key, f"{subject} {should}", fix


def path_name(path: Loc) -> str:
    """``("questions", 2, "text")`` -> ``questions[3].text`` (lists count from 1)."""
    name = ""
    for part in path:
        if isinstance(part, int):
            name += f"[{part + 1}]"
        else:
            name += f".{part}" if name else part
    return name or "the file"


def _unknown_key(loc: Loc) -> tuple[str, str]:
    key = str(loc[-1])
    known = _keys_at(loc[:-1])
    message = f"{path_name(loc[:-1])} has an unknown key '{key}'"
    near = _near(key, known)
    if near:
        return message, f"did you mean '{near[0]}'?"
    return message, f"remove it; the keys here are: {', '.join(known)}"


def _near(key: str, known: Sequence[str]) -> list[str]:
    return difflib.get_close_matches(key, known, n=1, cutoff=0.6)


def _keys_at(parent: Loc) -> list[str]:
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
