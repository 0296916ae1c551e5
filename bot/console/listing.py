"""A checked file shown line by line, each line with the problems that name it (the
consultation and update editors)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conversations.problems import Problem

__all__ = ["Line", "numbered"]


@dataclass(frozen=True)
class Line:
    """One numbered line of the file, with the problems that name it."""

    number: int
    text: str
    problems: list[Problem]


def numbered(text: str, problems: Sequence[Problem]) -> tuple[list[Line], list[Problem]]:
    """The file's lines with their problems, and the problems naming no line of it (a line
    past the end, or line 0), which are shown at the top."""
    by_line: dict[int, list[Problem]] = {}
    for problem in problems:
        by_line.setdefault(problem.line, []).append(problem)
    lines = [
        Line(number, line, by_line.pop(number, []))
        for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), 1)
    ]
    loose = [problem for found in by_line.values() for problem in found]
    return lines, loose
