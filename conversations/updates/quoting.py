"""Which figure an action's "you said" quotes, and whether it may be quoted at all.

With choices, "{figure}" is the share of those who answered the question who gave one of
them, in tenths ("6 in 10"), rounded half up and never 0 or 10 in 10 unless nobody or
everybody gave it. Without a choice, it is how many answered. A figure is quoted only when
every count it comes from is shown in the published results (none suppressed); otherwise
the "you said" sentence is left out and `Rendered.notes` says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from conversations.results import QuestionResult, Results
from conversations.update_file import Update


@dataclass(frozen=True)
class Figure:
    """The number an action's "you said" quotes; `shown` False when it may not be quoted."""

    picked: int | None  # gave one of the choices (None: suppressed, or no choice named)
    answered: int | None  # answered the question (None: suppressed)
    shown: bool

    def share(self) -> int | None:
        """Out of 10, as quoted; None when not quoted or not a share."""
        if not self.shown or self.picked is None or not self.answered:
            return None
        if self.picked == 0:
            return 0
        if self.picked == self.answered:
            return 10
        tenths = (20 * self.picked + self.answered) // (2 * self.answered)  # half up
        return min(9, max(1, tenths))


def figures(update: Update, results: Results) -> tuple[Figure | None, ...]:
    """The figure each action quotes (None for an action without "you said")."""
    by_id = {q.id: q for q in results.questions}
    found: list[Figure | None] = []
    for action in update.actions:
        said = action.you_said
        if said is None:
            found.append(None)
            continue
        question = by_id.get(said.question_id)
        found.append(_figure(question, said.choices))
    return tuple(found)


def widest_figures(update: Update) -> tuple[Figure | None, ...]:
    """Figures as long as any can render ("10 in 10", 5 digits): for checking lengths."""
    widest: list[Figure | None] = []
    for action in update.actions:
        if action.you_said is None:
            widest.append(None)
        elif action.you_said.choices:
            widest.append(Figure(1, 1, True))  # "10 in 10"
        else:
            widest.append(Figure(None, 99_999, True))
    return tuple(widest)


def _figure(question: QuestionResult | None, choices: Sequence[str]) -> Figure:
    if question is None:
        return Figure(None, None, False)
    answered = question.answered
    if not choices:
        return Figure(None, answered.value, not answered.suppressed and bool(answered.value))
    wanted = {c.casefold() for c in choices}
    options = [o for o in question.options if o.id.casefold() in wanted]
    if len(options) != len(wanted) or any(o.count.suppressed for o in options):
        return Figure(None, answered.value, False)
    picked = sum(o.count.value or 0 for o in options)
    shown = not answered.suppressed and bool(answered.value)
    return Figure(picked, answered.value, shown)
