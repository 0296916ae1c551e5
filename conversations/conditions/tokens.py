"""Cutting a `when:` into tokens, with a plain message for a character that does not belong."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from conversations.conditions.errors import ConditionError

OPERATORS: Final = ("==", "!=", "<", "<=", ">", ">=")
IN: Final = "in"
ANSWERED: Final = "answered"
SKIPPED: Final = "skipped"

WORD, STRING, OP, PUNCT, END = "word", "string", "operator", "punctuation", "end"
KEYWORDS = frozenset({"and", "or", "not", "in", ANSWERED, SKIPPED})
_WORD_CHARS = re.compile(r"[A-Za-z0-9_-]+")
INTEGER = re.compile(r"-?[0-9]{1,18}")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    column: int

    @property
    def keyword(self) -> str | None:
        lowered = self.text.lower()
        return lowered if self.kind == WORD and lowered in KEYWORDS else None

    @property
    def shown(self) -> str:
        return "the end" if self.kind == END else f"'{self.text}'"


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        column = i + 1
        if char.isspace():
            i += 1
        elif word := _WORD_CHARS.match(source, i):
            tokens.append(Token(WORD, word.group(), column))
            i = word.end()
        elif char in "\"'":
            end = source.find(char, i + 1)
            if end < 0:
                raise ConditionError(
                    f"the quote at column {column} is never closed; add a {char} after the value",
                    column,
                )
            tokens.append(Token(STRING, source[i + 1 : end], column))
            i = end + 1
        elif source.startswith(("==", "!=", "<=", ">="), i):
            tokens.append(Token(OP, source[i : i + 2], column))
            i += 2
        elif char in "<>":
            tokens.append(Token(OP, char, column))
            i += 1
        elif char in "()[],":
            tokens.append(Token(PUNCT, char, column))
            i += 1
        else:
            raise ConditionError(_unexpected_character(source, i), column)
    tokens.append(Token(END, "", len(source) + 1))
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
