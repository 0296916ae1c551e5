"""The `when:` language of a consultation: parsed by hand, never eval'd.

    expr       := and_expr ('or' and_expr)*
    and_expr   := unary ('and' unary)*
    unary      := 'not' unary | '(' expr ')' | comparison
    comparison := IDENT op value | IDENT 'in' '[' value (',' value)* ']'
                | IDENT 'answered' | IDENT 'skipped'
    op         := '==' | '!=' | '<' | '<=' | '>' | '>='
    value      := integer | bare word [A-Za-z0-9_-]+ | 'quoted' | "quoted"

Meaning, against the answers given so far, in three-valued logic (true, false, unknown):
- A question with no answer (skipped, never asked, or the bot moved on after its hints)
  makes every comparison on it unknown: nobody knows whether a skipped `safe == very`.
  `not` unknown is unknown; `and` is false if any part is false, else unknown if any
  part is unknown; `or` is true if any part is true, else unknown if any part is.
- A rule that ends unknown is false: the question is not asked. So "why_unsafe when
  safe != very" is not asked of someone who skipped `safe`, and neither is
  "when not (safe == very)".
- `q answered` and `q skipped` test it directly and are never unknown: `q skipped` is
  true when q has no answer. "when safe in [not_very, not_at_all] or safe skipped" asks
  those who skipped too.
- For a multi answer, `q == x` means x is among the picks, `q != x` that it is not,
  and `q in [a, b]` that the picks include a or b.
- `<`, `<=`, `>`, `>=` compare whole numbers only; any other answer makes them false.
- Words compare without regard to case (`hear_back == YES` is `hear_back == yes`).
The keywords `and`, `or`, `not`, `in`, `answered`, `skipped` may be written in any case.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from conversations.state import AnswerValue

Literal = str | int

OPERATORS: Final = ("==", "!=", "<", "<=", ">", ">=")
IN: Final = "in"
ANSWERED: Final = "answered"
SKIPPED: Final = "skipped"
# Three-valued truth: None is unknown (a comparison with a question that has no answer).
Truth = bool | None
# Deeper nesting than this is a mistake, not a condition (and would exhaust the stack).
MAX_DEPTH: Final = 50


class ConditionError(ValueError):
    """A `when:` that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})" if "column" not in message else message)
        self.message = message
        self.column = column


@dataclass(frozen=True)
class Condition:
    """A parsed `when:`: evaluate it against answers, or ask what it names."""

    source: str
    root: _Node

    def evaluate(self, answers: Mapping[str, AnswerValue]) -> bool:
        """Whether the condition holds for `answers` (question id -> answer): true, not
        false and not unknown."""
        return self.root.truth(answers) is True

    def truth(self, answers: Mapping[str, AnswerValue]) -> Truth:
        """True, False, or None for unknown (see the module docstring)."""
        return self.root.truth(answers)

    def references(self) -> frozenset[str]:
        """The question ids the condition names."""
        return frozenset(self.root.names())

    def comparisons(self) -> tuple[tuple[str, str, Literal], ...]:
        """(question id, operator, literal) for every literal compared, in source order."""
        return tuple(self.root.comparisons())

    def tests_answer(self) -> frozenset[str]:
        """The question ids tested with `answered` or `skipped` (saying what a skip means)."""
        return frozenset(self.root.tested())

    def __str__(self) -> str:
        return self.source


def parse(source: str) -> Condition:
    """Parse a `when:` condition; raises ConditionError with a plain message and column."""
    parser = _Parser(source, _tokenize(source))
    if parser.peek().kind == _END:
        raise ConditionError("the condition is empty", 1)
    root = parser.expression(0)
    token = parser.peek()
    if token.kind != _END:
        raise ConditionError(
            f"unexpected {token.shown} at column {token.column}; "
            "join two conditions with 'and' or 'or'",
            token.column,
        )
    return Condition(source, root)


# --- the tree --------------------------------------------------------------------------


class _Node:
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
class _Compare(_Node):
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
class _In(_Node):
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
class _Answered(_Node):
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
class _Not(_Node):
    operand: _Node

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
class _All(_Node):
    operands: tuple[_Node, ...]

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
class _Any(_All):
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


# --- the tokenizer ---------------------------------------------------------------------

_WORD, _STRING, _OP, _PUNCT, _END = "word", "string", "operator", "punctuation", "end"
_KEYWORDS = frozenset({"and", "or", "not", "in", ANSWERED, SKIPPED})
_WORD_CHARS = re.compile(r"[A-Za-z0-9_-]+")
_INTEGER = re.compile(r"-?[0-9]{1,18}")


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    column: int

    @property
    def keyword(self) -> str | None:
        lowered = self.text.lower()
        return lowered if self.kind == _WORD and lowered in _KEYWORDS else None

    @property
    def shown(self) -> str:
        return "the end" if self.kind == _END else f"'{self.text}'"


def _tokenize(source: str) -> list[_Token]:
    tokens: list[_Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif word := _WORD_CHARS.match(source, i):
            tokens.append(_Token(_WORD, word.group(), column))
            i = word.end()
        elif char in "\"'":
            end = source.find(char, i + 1)
            if end < 0:
                raise ConditionError(
                    f"the quote at column {column} is never closed; add a {char} after the value",
                    column,
                )
            tokens.append(_Token(_STRING, source[i + 1 : end], column))
            i = end + 1
        elif source.startswith(("==", "!=", "<=", ">="), i):
            tokens.append(_Token(_OP, source[i : i + 2], column))
            i += 2
        elif char in "<>":
            tokens.append(_Token(_OP, char, column))
            i += 1
        elif char in "()[],":
            tokens.append(_Token(_PUNCT, char, column))
            i += 1
        else:
            raise ConditionError(_unexpected_character(source, i), column)
    tokens.append(_Token(_END, "", len(source) + 1))
    return tokens


def _unexpected_character(source: str, i: int) -> str:
    char, column = source[i], i + 1
    if char == "=":
        return f"a single '=' at column {column}; write '==' to compare"
    if char == "!":
        return f"'!' at column {column}; write 'not' or '!='"
    if char in "&|":
        return f"'{char}' at column {column}; write 'and' or 'or'"
    return f"unexpected character '{char}' at column {column}"


# --- the parser ------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str, tokens: list[_Token]) -> None:
        self.source = source
        self.tokens = tokens
        self.position = 0

    def peek(self) -> _Token:
        return self.tokens[self.position]

    def advance(self) -> _Token:
        token = self.tokens[self.position]
        if token.kind != _END:
            self.position += 1
        return token

    def expression(self, depth: int) -> _Node:
        operands = [self.conjunction(depth)]
        while self.peek().keyword == "or":
            self.advance()
            operands.append(self.conjunction(depth))
        return operands[0] if len(operands) == 1 else _Any(tuple(operands))

    def conjunction(self, depth: int) -> _Node:
        operands = [self.unary(depth)]
        while self.peek().keyword == "and":
            self.advance()
            operands.append(self.unary(depth))
        return operands[0] if len(operands) == 1 else _All(tuple(operands))

    def unary(self, depth: int) -> _Node:
        token = self.peek()
        if depth > MAX_DEPTH:
            raise ConditionError(
                f"the condition is nested too deeply at column {token.column}", token.column
            )
        if token.keyword == "not":
            self.advance()
            return _Not(self.unary(depth + 1))
        if token.kind == _PUNCT and token.text == "(":
            self.advance()
            inner = self.expression(depth + 1)
            closing = self.peek()
            if not (closing.kind == _PUNCT and closing.text == ")"):
                raise ConditionError(
                    f"expected ')' at column {closing.column} to close the '(' at column "
                    f"{token.column}",
                    closing.column,
                )
            self.advance()
            return inner
        return self.comparison()

    def comparison(self) -> _Node:
        name = self.advance()
        if name.kind != _WORD or name.keyword is not None or _INTEGER.fullmatch(name.text):
            raise ConditionError(
                f"expected a question id at column {name.column}, found {name.shown}",
                name.column,
            )
        operator = self.advance()
        if operator.keyword == IN:
            return _In(name.text, self.value_list(operator))
        if operator.keyword in (ANSWERED, SKIPPED):
            return _Answered(name.text, wanted=operator.keyword == ANSWERED)
        if operator.kind != _OP:
            raise ConditionError(
                f"expected ==, !=, <, <=, >, >=, 'in', 'answered' or 'skipped' after "
                f"'{name.text}' at column "
                f"{operator.column}",
                operator.column,
            )
        return _Compare(name.text, operator.text, self.value(operator))

    def value_list(self, keyword: _Token) -> tuple[Literal, ...]:
        opening = self.advance()
        if not (opening.kind == _PUNCT and opening.text == "["):
            raise ConditionError(
                f"expected '[' after 'in' at column {opening.column}, as in q in [a, b]",
                opening.column,
            )
        values = [self.value(opening)]
        while True:
            token = self.advance()
            if token.kind == _PUNCT and token.text == "]":
                return tuple(values)
            if not (token.kind == _PUNCT and token.text == ","):
                raise ConditionError(
                    f"expected ',' or ']' at column {token.column} in the list after 'in' at "
                    f"column {keyword.column}",
                    token.column,
                )
            values.append(self.value(token))

    def value(self, after: _Token) -> Literal:
        token = self.advance()
        if token.kind == _STRING:
            return token.text
        if token.kind == _WORD and token.keyword is None:
            return int(token.text) if _INTEGER.fullmatch(token.text) else token.text
        raise ConditionError(
            f"expected a value after '{after.text}' at column {token.column}", token.column
        )
