"""What is wrong with a file someone wrote, said as FILE:LINE: what is wrong; how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, where it is and how to fix it."""

    source: str
    line: int
    message: str
    fix: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.message}; {self.fix}"


class Checked:
    """Mixed into a load result: its `problems` field, read as errors and warnings."""

    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.warning)

    @property
    def ok(self) -> bool:
        return not self.errors


class FileError(ValueError):
    """A config file that can't be used at all, with the file, the line and how to fix it."""

    def __init__(self, file: str, line: int, problem: str, fix: str) -> None:
        super().__init__(f"{file}:{line}: {problem}; {fix}")
        self.file = file
        self.line = line
        self.problem = problem
        self.fix = fix
