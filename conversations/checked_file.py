"""The front door every checked file shares: YAML read with lines, problems collected, digest.

A loader asks `read_mapping` for the file's document (or the one problem that stops it
before any check), subclasses `Checker` to report each problem at its key's line, and
ends with `finish`: every problem sorted by line, and whether any of them is an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from conversations.problems import Problem
from conversations.yaml_lines import Document, Path, YamlError, read

__all__ = ["Checker", "digest", "finish", "read_mapping"]

_Model = TypeVar("_Model", bound=BaseModel)


def read_mapping(
    text: str, source: str, empty_fix: str, not_map: str, not_map_fix: str
) -> Document | Problem:
    """The document of `text` when it is 'key: value' lines, else the problem that stops it."""
    try:
        document = read(text)
    except YamlError as error:
        issue = error.issue
        return Problem(source, issue.line, issue.message, issue.fix)
    if document is None:
        return Problem(source, 1, "the file is empty", empty_fix)
    if not isinstance(document.data, dict):
        return Problem(source, document.line(()), not_map, not_map_fix)
    return document


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
        self.problems: list[Problem] = [
            Problem(source, issue.line, issue.message, issue.fix) for issue in document.issues
        ]

    def report(self, path: Path, message: str, fix: str, *, warning: bool = False) -> None:
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
