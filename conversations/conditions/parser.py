"""Parsing a `when:`'s tokens into the tree, by recursive descent (see the grammar in __init__)."""

from __future__ import annotations

from typing import Final

from conversations.conditions.errors import ConditionError
from conversations.conditions.tokens import (
    ANSWERED,
    END,
    IN,
    INTEGER,
    OP,
    PUNCT,
    SKIPPED,
    STRING,
    WORD,
    Token,
)
from conversations.conditions.tree import AllOf, Answered, AnyOf, Compare, In, Literal, Node, Not

# Deeper nesting than this is a mistake, not a condition (and would exhaust the stack).
MAX_DEPTH: Final = 50


class Parser:
    def __init__(self, source: str, tokens: list[Token]) -> None:
        self.source = source
        self.tokens = tokens
        self.position = 0

    def peek(self) -> Token:
        return self.tokens[self.position]

    def advance(self) -> Token:
        token = self.tokens[self.position]
        if token.kind != END:
            self.position += 1
        return token

    def expression(self, depth: int) -> Node:
        operands = [self.conjunction(depth)]
        while self.peek().keyword == "or":
            self.advance()
            operands.append(self.conjunction(depth))
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def conjunction(self, depth: int) -> Node:
        operands = [self.unary(depth)]
        while self.peek().keyword == "and":
            self.advance()
            operands.append(self.unary(depth))
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def unary(self, depth: int) -> Node:
        token = self.peek()
        if depth > MAX_DEPTH:
            raise ConditionError(
                f"the condition is nested too deeply at column {token.column}", token.column
            )
        if token.keyword == "not":
            self.advance()
            return Not(self.unary(depth + 1))
        if token.kind == PUNCT and token.text == "(":
            self.advance()
            inner = self.expression(depth + 1)
            closing = self.peek()
            if not (closing.kind == PUNCT and closing.text == ")"):
                raise ConditionError(
                    f"expected ')' at column {closing.column} to close the '(' at column "
                    f"{token.column}",
                    closing.column,
                )
            self.advance()
            return inner
        return self.comparison()

    def comparison(self) -> Node:
        name = self.advance()
        if name.kind != WORD or name.keyword is not None or INTEGER.fullmatch(name.text):
            raise ConditionError(
                f"expected a question id at column {name.column}, found {name.shown}",
                name.column,
            )
        operator = self.advance()
        if operator.keyword == IN:
            return In(name.text, self.value_list(operator))
        if operator.keyword in (ANSWERED, SKIPPED):
            return Answered(name.text, wanted=operator.keyword == ANSWERED)
        if operator.kind != OP:
            raise ConditionError(
                f"expected ==, !=, <, <=, >, >=, 'in', 'answered' or 'skipped' after "
                f"'{name.text}' at column "
                f"{operator.column}",
                operator.column,
            )
        return Compare(name.text, operator.text, self.value(operator))

    def value_list(self, keyword: Token) -> tuple[Literal, ...]:
        opening = self.advance()
        if not (opening.kind == PUNCT and opening.text == "["):
            raise ConditionError(
                f"expected '[' after 'in' at column {opening.column}, as in q in [a, b]",
                opening.column,
            )
        values = [self.value(opening)]
        while True:
            token = self.advance()
            if token.kind == PUNCT and token.text == "]":
                return tuple(values)
            if not (token.kind == PUNCT and token.text == ","):
                raise ConditionError(
                    f"expected ',' or ']' at column {token.column} in the list after 'in' at "
                    f"column {keyword.column}",
                    token.column,
                )
            values.append(self.value(token))

    def value(self, after: Token) -> Literal:
        token = self.advance()
        if token.kind == STRING:
            return token.text
        if token.kind == WORD and token.keyword is None:
            return int(token.text) if INTEGER.fullmatch(token.text) else token.text
        raise ConditionError(
            f"expected a value after '{after.text}' at column {token.column}", token.column
        )
