"""How a published count reads: its number, or why it is hidden, in words.

The reasons are those of the rule in suppression.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["Count", "Hidden"]


class Hidden(StrEnum):
    """Why a count is hidden; `label` gives the words shown for it."""

    SMALL = "small"  # 1 to min_count - 1, in the overall view
    PROTECTS = "protects"  # so that a small count can't be worked out; small, in a finer view
    WITH_TOTAL = "with_total"  # a total it is part of is hidden (any size, 0 too)


@dataclass(frozen=True)
class Count:
    """A count as published: the number, or None when it is suppressed, and why."""

    value: int | None
    suppressed: bool
    hidden: Hidden | None = None
    # Relabelled "hidden to protect" though small (rule 6): any size, as far as a reader
    # can tell. Not part of what is published; kept so other tables model it right.
    any_size: bool = field(default=False, compare=False, repr=False)

    def label(self, min_count: int) -> str:
        """The number, "fewer than N", or "hidden to protect a small group"."""
        if self.value is not None:
            return str(self.value)
        if self.hidden is Hidden.SMALL:
            return f"fewer than {min_count}"
        return "hidden to protect a small group"
