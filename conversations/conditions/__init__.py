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

from collections.abc import Mapping
from dataclasses import dataclass

from conversations.conditions.errors import ConditionError
from conversations.conditions.parser import MAX_DEPTH, Parser
from conversations.conditions.tokens import ANSWERED, END, IN, OPERATORS, SKIPPED, tokenize
from conversations.conditions.tree import Literal, Node, Truth
from conversations.state import AnswerValue

__all__ = [
    "ANSWERED",
    "IN",
    "MAX_DEPTH",
    "OPERATORS",
    "SKIPPED",
    "Condition",
    "ConditionError",
    "Literal",
    "Truth",
    "parse",
]


@dataclass(frozen=True)
class Condition:
    """A parsed `when:`: evaluate it against answers, or ask what it names."""

    source: str
    root: Node

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
    parser = Parser(source, tokenize(source))
    if parser.peek().kind == END:
        raise ConditionError("the condition is empty", 1)
    root = parser.expression(0)
    token = parser.peek()
    if token.kind != END:
        raise ConditionError(
            f"unexpected {token.shown} at column {token.column}; "
            "join two conditions with 'and' or 'or'",
            token.column,
        )
    return Condition(source, root)
