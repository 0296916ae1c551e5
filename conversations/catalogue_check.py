"""Checking a message catalogue: every language complete, the same placeholders, and
within its SMS segment budget.

Used by `make test` (a shipped catalogue that fails any check fails the build) and at
start, where a missing text is logged once (the bot then sends the English). Pure: the
caller reads `config/locales/budgets.yaml` and passes its mapping to `SegmentBudgets.parse`.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from conversations.catalogue import ENGLISH, Catalogue
from conversations.segments import GSM7, UCS2, count_segments

ENCODINGS = (GSM7, UCS2)
# No message is worth more than this many segments, whatever a budget file says.
MAX_BUDGET = 10


@dataclass(frozen=True)
class Budget:
    """The segments one message may cost when it goes out as GSM-7, and as UCS-2."""

    gsm7: int
    ucs2: int

    def allows(self, encoding: str, segments: int) -> bool:
        """True when `segments` in `encoding` is within this budget."""
        return segments <= (self.gsm7 if encoding == GSM7 else self.ucs2)


@dataclass(frozen=True)
class SegmentBudgets:
    """A budget per message key, and the default for keys it does not name."""

    default: Budget
    messages: Mapping[str, Budget]

    def of(self, key: str) -> Budget:
        """The budget of message `key`."""
        return self.messages.get(key, self.default)

    @classmethod
    def parse(cls, data: object, source: str = "budgets.yaml") -> SegmentBudgets:
        """Budgets from the budget file's parsed YAML; ValueError says what is wrong."""
        if not isinstance(data, Mapping) or "default" not in data:
            raise ValueError(f"{source}: expected a mapping with 'default' and 'messages'")
        messages = data.get("messages") or {}
        if not isinstance(messages, Mapping):
            raise ValueError(f"{source}: 'messages' must map message keys to budgets")
        return cls(
            _budget(data["default"], f"{source}: default"),
            MappingProxyType(
                {str(key): _budget(value, f"{source}: {key}") for key, value in messages.items()}
            ),
        )


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one message of one language."""

    language: str
    key: str
    what: str

    def __str__(self) -> str:
        return f"{self.language} {self.key}: {self.what}"


def missing(catalogue: Catalogue, language: str) -> list[str]:
    """The English message keys `language` has no text for (English is sent instead)."""
    return sorted(catalogue.keys(ENGLISH) - catalogue.keys(language))


def placeholder_problems(catalogue: Catalogue, language: str) -> list[Problem]:
    """Texts of `language` whose {placeholders} differ from the English text's."""
    problems = []
    for key in sorted(catalogue.keys(language) & catalogue.keys(ENGLISH)):
        theirs = placeholders(catalogue.template(language, key) or "")
        ours = placeholders(catalogue.template(ENGLISH, key) or "")
        if theirs != ours:
            shown = ", ".join(sorted(theirs ^ ours))
            problems.append(Problem(language, key, f"placeholders differ from English: {shown}"))
    return problems


def budget_problems(
    language: str,
    keys: Iterable[str],
    render: Callable[[str], str],
    budgets: SegmentBudgets,
) -> list[Problem]:
    """Messages of `language` that cost more than their budget once `render` fills them."""
    problems = []
    for key in sorted(keys):
        cost = count_segments(render(key))
        if not budgets.of(key).allows(cost.encoding, cost.segments):
            limit = budgets.of(key).gsm7 if cost.encoding == GSM7 else budgets.of(key).ucs2
            problems.append(
                Problem(language, key, f"{cost.segments} {cost.encoding} segments, budget {limit}")
            )
    return problems


def placeholders(template: str) -> frozenset[str]:
    """The names in {braces} in a str.format template; a broken template has none."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)
    except ValueError:
        return frozenset({"<a broken brace>"})


def _budget(value: object, where: str) -> Budget:
    if not isinstance(value, Mapping) or set(value) != set(ENCODINGS):
        raise ValueError(f"{where}: give both {GSM7} and {UCS2}, like {{{GSM7}: 1, {UCS2}: 2}}")
    counts = {encoding: value[encoding] for encoding in ENCODINGS}
    for encoding, count in counts.items():
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_BUDGET:
            raise ValueError(f"{where}: {encoding} must be a whole number from 1 to {MAX_BUDGET}")
    return Budget(counts[GSM7], counts[UCS2])
