"""Every message a consultation sends, as sent, with its SMS segments and encoding, and
what a whole run costs a person: what `yousaid consultation validate` prints and the
console's preview shows, worked out once here."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from conversations.catalogue import Catalogue
from conversations.model import Consultation
from conversations.preview import preview_messages
from conversations.run_costs import RunCost, run_costs
from conversations.segments import count_segments

__all__ = ["MAX_SEGMENTS_WITHOUT_WARNING", "Cost", "Preview", "PreviewLine", "preview"]

MAX_SEGMENTS_WITHOUT_WARNING = 3


@dataclass(frozen=True)
class PreviewLine:
    """One message in one language: its text, segments, encoding and, when it is UCS-2,
    the characters that made it so."""

    name: str
    language: str
    text: str
    segments: int
    encoding: str
    culprits: tuple[str, ...]

    @property
    def too_long(self) -> bool:
        return self.segments > MAX_SEGMENTS_WITHOUT_WARNING


@dataclass(frozen=True)
class Cost:
    """A language's cost per person: segments and pounds, shortest and longest run."""

    run: RunCost
    cheapest: Decimal
    dearest: Decimal


@dataclass(frozen=True)
class Preview:
    lines: list[PreviewLine]
    costs: list[Cost]
    price: Decimal


def preview(consultation: Consultation, catalogue: Catalogue, price: Decimal) -> Preview:
    """Every message and the cost of a run at `price` a segment."""
    lines = []
    for message in preview_messages(consultation, catalogue):
        count = count_segments(message.text)
        culprits = count.culprits if count.encoding == "UCS-2" else ()
        lines.append(
            PreviewLine(
                message.name,
                message.language,
                message.text,
                count.segments,
                count.encoding,
                culprits,
            )
        )
    costs = [
        Cost(cost, cost.shortest * price, cost.longest * price)
        for cost in run_costs(consultation, catalogue)
    ]
    return Preview(lines, costs, price)
