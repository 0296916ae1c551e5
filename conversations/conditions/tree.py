"""What a parsed `when:` means: the tree's nodes, true, false or unknown against answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from conversations.conditions.tokens import IN
from conversations.state import AnswerValue

Literal = str | int
# Three-valued truth: None is unknown (a comparison with a question that has no answer).
Truth = bool | None


class Node:
    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        raise NotImplementedError

    def comparisons(self) -> Iterator[tuple[str, str, Literal]]:
        return iter(())

    def names(self) -> Iterator[str]:
        for question, _, _ in self.comparisons():
            yield question

    def tested(self) -> Iterator[str]:
        return iter(())


@dataclass(frozen=True)
class Compare(Node):
    question: str
    operator: str
    value: Literal

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        answer = answers.get(self.question)
        if answer is None:
            return None
        if self.operator == "==":
            return _contains(answer, self.value)
        if self.operator == "!=":
            return not _contains(answer, self.value)
        if isinstance(answer, int) and isinstance(self.value, int):
            return _ORDER[self.operator](answer, self.value)
        return False

    def comparisons(self) -> Iterator[tuple[str, str, Literal]]:
        yield (self.question, self.operator, self.value)


@dataclass(frozen=True)
class In(Node):
    question: str
    values: tuple[Literal, ...]

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        answer = answers.get(self.question)
        if answer is None:
            return None
        return any(_contains(answer, value) for value in self.values)

    def comparisons(self) -> Iterator[tuple[str, str, Literal]]:
        for value in self.values:
            yield (self.question, IN, value)


@dataclass(frozen=True)
class Answered(Node):
    """`q answered` (wanted True) or `q skipped` (wanted False): never unknown."""

    question: str
    wanted: bool

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        return (answers.get(self.question) is not None) is self.wanted

    def names(self) -> Iterator[str]:
        yield self.question

    def tested(self) -> Iterator[str]:
        yield self.question


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        value = self.operand.truth(answers)
        return None if value is None else not value

    def comparisons(self) -> Iterator[tuple[str, str, Literal]]:
        return self.operand.comparisons()

    def names(self) -> Iterator[str]:
        return self.operand.names()

    def tested(self) -> Iterator[str]:
        return self.operand.tested()


@dataclass(frozen=True)
class AllOf(Node):
    operands: tuple[Node, ...]

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        values = [operand.truth(answers) for operand in self.operands]
        if False in values:
            return False
        return None if None in values else True

    def comparisons(self) -> Iterator[tuple[str, str, Literal]]:
        for operand in self.operands:
            yield from operand.comparisons()

    def names(self) -> Iterator[str]:
        for operand in self.operands:
            yield from operand.names()

    def tested(self) -> Iterator[str]:
        for operand in self.operands:
            yield from operand.tested()


@dataclass(frozen=True)
class AnyOf(AllOf):
    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        values = [operand.truth(answers) for operand in self.operands]
        if True in values:
            return True
        return None if None in values else False


_ORDER: Mapping[str, Callable[[int, int], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _contains(answer: str | int | tuple[str, ...], value: Literal) -> bool:
    """Whether `answer` is `value`, or (a multi answer) includes it."""
    if isinstance(answer, tuple):
        return any(_same(pick, value) for pick in answer)
    return _same(answer, value)


def _same(answer: str | int, value: Literal) -> bool:
    if isinstance(answer, int) and isinstance(value, int):
        return answer == value
    return str(answer).casefold() == str(value).casefold()
