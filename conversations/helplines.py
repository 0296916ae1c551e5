"""The helplines message: what the bot sends after a safeguarding match, and for HELP.

The numbers and words are data (``config/helplines.yaml``); the caller reads the file and
passes its text to `parse_helplines`. The full message goes out the first time in a
conversation, `reminder` after that. Every text falls back to English where a language
lacks it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NoReturn

from conversations import yaml_lines
from conversations.checked_file import read_or_raise
from conversations.problems import FileError

DEFAULT_LANGUAGE = "en"

Text = Mapping[str, str]
"""Language code to text."""


class HelplinesError(FileError):
    """A helplines file that can't be used, with the line and how to fix it."""


@dataclass(frozen=True)
class Helpline:
    """One number to call or text, and the line of the message that names it."""

    id: str
    number: str
    text: Text


@dataclass(frozen=True)
class Helplines:
    """The helplines message in its parts, in the order they are sent."""

    emergency: Helpline  # 999: always the first line
    intro: Text  # why the bot itself can't send anyone
    lines: tuple[Helpline, ...]
    closing: Text  # the person can carry on or stop
    reminder: Text  # the one line sent after the first time

    @property
    def languages(self) -> tuple[str, ...]:
        """Every language some text is written in, English first."""
        found = [DEFAULT_LANGUAGE]
        for text in (self.emergency.text, self.intro, *(h.text for h in self.lines)):
            found.extend(text)
        found.extend(self.closing)
        found.extend(self.reminder)
        return tuple(dict.fromkeys(found))


def parse_helplines(yaml_text: str, file: str = "helplines.yaml") -> Helplines:
    """Parse the helplines file's text. Raises HelplinesError with the line and a fix."""
    document = read_or_raise(yaml_text, file, HelplinesError)
    if document is None:
        raise HelplinesError(file, 1, "the file is empty", _FIX_SHAPE)
    return _Reader(file, document).helplines()


def full_message(helplines: Helplines, language: str) -> str:
    """The full helplines message in `language` (English where it lacks a text)."""
    parts = [
        _pick(helplines.emergency.text, language),
        _pick(helplines.intro, language),
        *(_pick(h.text, language) for h in helplines.lines),
        _pick(helplines.closing, language),
    ]
    return "\n".join(parts)


def reminder(helplines: Helplines, language: str) -> str:
    """The one-line reminder that HELP gives the numbers, in `language`."""
    return _pick(helplines.reminder, language)


def _pick(text: Text, language: str) -> str:
    base = re.split(r"[-_]", language, maxsplit=1)[0].lower()
    for code in (language, base, DEFAULT_LANGUAGE):
        found = text.get(code)
        if found:
            return found
    return next(iter(text.values()))


_FIX_SHAPE = "see the comment at the top of the shipped config/helplines.yaml for the shape"
_KEYS = ("emergency", "intro", "lines", "closing", "reminder")
_LINE_KEYS = ("id", "number", "text")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?")
_ID = re.compile(r"[a-z0-9_-]+")


class _Reader:
    def __init__(self, file: str, document: yaml_lines.Document) -> None:
        self.file = file
        self.doc = document

    def helplines(self) -> Helplines:
        data = self.doc.data
        if not isinstance(data, dict):
            self._fail((), "the file is not a set of 'key: value' lines", _FIX_SHAPE)
        self._known_keys(data, (), _KEYS)
        for key in _KEYS:
            if key not in data:
                self._fail((), f"'{key}' is missing", f"add '{key}:' ({_FIX_SHAPE})")
        lines = data["lines"]
        if not isinstance(lines, list) or not lines:
            self._fail(("lines",), "'lines' is not a list of helplines", _FIX_SHAPE)
        helplines = tuple(self._line(("lines", n), item) for n, item in enumerate(lines))
        seen: set[str] = set()
        for n, line in enumerate(helplines):
            if line.id in seen:
                self._fail(("lines", n, "id"), f"the id '{line.id}' is used twice", "rename one")
            seen.add(line.id)
        return Helplines(
            emergency=self._line(("emergency",), data["emergency"], needs_id=False),
            intro=self._text(("intro",), data["intro"]),
            lines=helplines,
            closing=self._text(("closing",), data["closing"]),
            reminder=self._text(("reminder",), data["reminder"]),
        )

    def _line(self, path: yaml_lines.Path, item: object, *, needs_id: bool = True) -> Helpline:
        if not isinstance(item, dict):
            self._fail(path, "this helpline is not a set of 'key: value' lines", _FIX_SHAPE)
        self._known_keys(item, path, _LINE_KEYS)
        line_id = item.get("id", path[0])
        if needs_id and ("id" not in item or not _ID.fullmatch(str(line_id))):
            self._fail(path, "this helpline has no usable id", "add 'id:' in lower-case letters")
        number = item.get("number")
        if not isinstance(number, str | int) or not str(number).strip():
            self._fail(path, "this helpline has no number", "add 'number:' in quotes, like '999'")
        text = self._text((*path, "text"), item.get("text"))
        for language, words in text.items():
            if _digits(str(number)) not in _digits(words):
                self._fail(
                    (*path, "text", language),
                    f"the {language} text does not give the number {number}",
                    "write the number into the text, exactly as in 'number:'",
                )
        return Helpline(str(line_id), str(number), text)

    def _text(self, path: yaml_lines.Path, value: object) -> Text:
        if not isinstance(value, dict):
            self._fail(path, "this is not a text per language", "write 'en: ...' under it")
        for language, words in value.items():
            if not _LANGUAGE.fullmatch(language):
                self._fail(
                    (*path, language),
                    f"'{language}' is not a language code",
                    "use a code like en or pl",
                )
            if not isinstance(words, str) or not words.strip():
                self._fail((*path, language), "this text is empty", "write the words in quotes")
        if DEFAULT_LANGUAGE not in value:
            self._fail(path, "this has no English text", "add 'en: ...': English is the fallback")
        return {language: str(words).strip() for language, words in value.items()}

    def _known_keys(
        self, data: dict[str, object], path: yaml_lines.Path, known: tuple[str, ...]
    ) -> None:
        for key in data:
            if key not in known:
                self._fail((*path, key), f"'{key}' is not a known key", f"use {', '.join(known)}")

    def _fail(self, path: yaml_lines.Path, problem: str, fix: str) -> NoReturn:
        raise HelplinesError(self.file, self.doc.key_line(path), problem, fix)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)
