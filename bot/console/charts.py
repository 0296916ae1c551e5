"""Bar charts as server-drawn SVG: one bar per answer, readable without colour (each bar
is labelled with its count in words beside it), with a text alternative.

A hidden count gets no bar, only its label ("fewer than 10", "hidden to protect a small
group"): drawing any length for it would give away what the label hides.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from conversations.results import Count

__all__ = ["Bar", "bar_chart"]

_WIDTH = 640
_LABEL = 220  # the answer's label, left of the bars
_ROW = 28
_BAR = 18
_TEXT = 190  # room right of the longest bar for its count


@dataclass(frozen=True)
class Bar:
    label: str
    count: Count


def bar_chart(title: str, bars: list[Bar], min_count: int) -> Markup:
    """An SVG chart of `bars`, titled `title`; its <title> and <desc> say the same in words."""
    biggest = max((bar.count.value or 0 for bar in bars), default=0) or 1
    span = _WIDTH - _LABEL - _TEXT
    height = _ROW * len(bars) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {_WIDTH} {height}" '
        f'width="100%" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(_words(bars, min_count))}</desc>",
    ]
    for index, bar in enumerate(bars):
        y = index * _ROW + 4
        middle = y + _BAR / 2 + 5
        label = escape(_short(bar.label))
        parts.append(f'<text x="{_LABEL - 8}" y="{middle}" text-anchor="end">{label}</text>')
        end = _LABEL
        if bar.count.value is not None:
            length = round(span * bar.count.value / biggest)
            parts.append(
                f'<rect x="{_LABEL}" y="{y}" width="{length}" height="{_BAR}" class="bar"></rect>'
            )
            end += length
        parts.append(
            f'<text x="{end + 6}" y="{middle}">{escape(bar.count.label(min_count))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _words(bars: list[Bar], min_count: int) -> str:
    return "; ".join(f"{bar.label}: {bar.count.label(min_count)}" for bar in bars)


def _short(label: str) -> str:
    return label if len(label) <= 30 else label[:29] + "…"
