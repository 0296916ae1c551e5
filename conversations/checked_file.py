"""The front door every checked file shares: YAML read with lines, problems collected, digest.

A loader that explains every problem at once (consultation and update files) asks
`read_mapping` for the file's document (or the one problem that stops it before any
check), subclasses `Checker` to report each problem at its key's line, and ends with
`finish`: every problem sorted by line, and whether any of them is an error. A loader
that stops at the first problem (helplines, word lists) asks `read_or_raise`. Either way
the same limits hold (`yaml_lines`) and a problem says the file, the line and what to do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from conversations.file_schema import path_name
from conversations.problems import FileError, Problem
from conversations.yaml_lines import Document, Path, YamlError, YamlIssue, read

__all__ = ["Checker", "digest", "finish", "read_mapping", "read_or_raise"]

_Model = TypeVar("_Model", bound=BaseModel)


def read_mapping(
    text: str, source: str, empty_fix: str, not_map: str, not_map_fix: str
) -> Document | Problem:
    """The document of `text` when it is 'key: value' lines, else the problem that stops it."""
    try:
        document = read(text)
    except YamlError as error:
        return _problem(source, error.issue)
    if document is None:
        return Problem(source, 1, "the file is empty", empty_fix)
    if not isinstance(document.data, dict):
        return Problem(source, document.line(()), not_map, not_map_fix)
    return document


def read_or_raise(
    text: str, source: str, error: Callable[[str, int, str, str], FileError]
) -> Document | None:
    """The document of `text` (None when it holds nothing), else its first YAML problem
    raised as `error` (file, line, what is wrong, how to fix it)."""
    try:
        document = read(text)
    except YamlError as failed:
        issue = failed.issue
        raise error(source, issue.line, issue.message, issue.fix) from None
    if document is not None and document.issues:
        issue = document.issues[0]
        raise error(source, issue.line, issue.message, issue.fix)
    return document


def _problem(source: str, issue: YamlIssue) -> Problem:
    return Problem(source, issue.line, issue.message, issue.fix)


def digest(text: str, length: int) -> str:
    """A short stable digest of the file's text (line endings do not count)."""
    normal = text.replace("\r\n", "\n")
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:length]


def finish(problems: Iterable[Problem]) -> tuple[tuple[Problem, ...], bool]:
    """Every problem in line order (errors first on a line), and whether none is an error."""
    ordered = tuple(sorted(problems, key=lambda p: (p.line, p.warning)))
    return ordered, not any(not p.warning for p in ordered)


class Checker:
    """Collects every problem in one file, each at the line of the key it is about."""

    def __init__(self, document: Document, source: str) -> None:
        self.document = document
        self.source = source
        self.problems: list[Problem] = [_problem(source, issue) for issue in document.issues]

    @property
    def has_errors(self) -> bool:
        """Whether any problem so far stops the file loading (a warning does not)."""
        return any(not p.warning for p in self.problems)

    def report(self, path: Path, message: str, fix: str, *, warning: bool = False) -> None:
        """One problem, at the line of the key `path` names."""
        line = self.document.key_line(path)
        self.problems.append(Problem(self.source, line, message, fix, warning))

    def explain(self, errors: Sequence[ErrorDetails], prefix: Path) -> list[tuple[Path, str, str]]:
        """(path, message, fix) for each pydantic error; each kind of file says its own."""
        raise NotImplementedError

    def validate(
        self, model: type[_Model], raw: object, prefix: Path, context: dict[str, object]
    ) -> _Model | None:
        """`raw` as `model`, or None with each of its problems reported."""
        try:
            return model.model_validate(raw, context=context)
        except ValidationError as error:
            for path, message, fix in self.explain(error.errors(), prefix):
                self.report(path, message, fix)
            return None

    def validate_each(
        self, model: type[_Model], key: str, context: dict[str, object]
    ) -> list[_Model | None]:
        """Each item of the list under `key` as `model`, checked alone so that one bad item
        hides no other (None where it has problems); the count checked by the caller."""
        data = self.document.data
        raw = data.get(key) if isinstance(data, dict) else None
        items: list[object] = raw if isinstance(raw, list) else []
        return [self.validate(model, item, (key, i), context) for i, item in enumerate(items)]

    def check_count(self, key: str, one: str, most: int, fix: str) -> None:
        """The list under `key` has at least one `one` (an error) and at most `most` (a
        warning, with `fix`); not a list at all is the shape check's to say."""
        data = self.document.data
        raw = data.get(key) if isinstance(data, dict) else None
        if not isinstance(raw, list):
            return
        if not raw:
            self.report((key,), f"{key} is empty", f"add at least one {one}")
        elif len(raw) > most:
            self.report((key,), f"there are {len(raw)} {key}", fix, warning=True)

    def check_text(
        self, text: object, path: Path, languages: Sequence[str], complete: bool
    ) -> None:
        """A text (one string per language) has every listed language, and (when
        `complete`) no other. `complete` is False when some listed language was not
        understood: then a text in another language may be one the officer meant to list."""
        if not isinstance(text, dict):
            return  # absent or not a map: the shape check says so
        name = path_name(path)
        # A language written with nothing after it (`pl:`) is "should be text", said already.
        missing = [code for code in languages if code not in text or str(text[code]).strip() == ""]
        if missing:
            names = " or ".join(f"'{code}'" for code in missing)
            self.report(
                path, f"{name} has no {names} text", f"add '{missing[0]}:' followed by the words"
            )
        for code in text if complete else ():
            if code not in languages:
                self.report(
                    (*path, code),
                    f"{name} has a '{code}' text, but '{code}' is not in languages",
                    f"add it to languages, or remove it (languages: {', '.join(languages)})",
                )
