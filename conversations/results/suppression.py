"""Small-number suppression over tables of counts tied by sums, decided view by view.

The rule, for every view an officer can put side by side (overall, per round, `--by`, per
channel; the table, CSV and JSON show the same cells):

1. Zero is shown (nobody points to nobody, and officers need to see that nobody picked a
   choice), unless rule 3 hides it.
2. In the overall view, a count from 1 to N - 1 (N the threshold, `min_count`) is hidden
   and reads "fewer than N" (`Hidden.SMALL`).
3. The parts of a small hidden total are hidden too, zeros included ("3 asked, of whom 2
   answered and 1 skipped" says more than "fewer than 10 asked"); and a finer view (a
   round, a breakdown by another question's answers) hides every count that adds up to a
   count hidden in a coarser one: "hidden to protect a small group" (`Hidden.WITH_TOTAL`,
   any size, 0 too). So a finer view can only ever say about a hidden count what the
   coarser one says already: the total of what is hidden.
4. In a finer view a count from 1 to N - 1 is hidden too, and reads "hidden to protect a
   small group" (`Hidden.PROTECTS`): there "fewer than N" would say too much, since its
   totals are fixed by the coarser view (18 people overall, fewer than 10 in each of two
   rounds, is 9 and 9). In a finer view a hidden count can be any size, 0 too.
5. While any small count (1 to N - 1) can still be worked out exactly from what is
   shown (adding and subtracting along the sums, across all the views decided so far,
   and using what the labels say: "fewer than N" is 1 to N - 1; in the overall view a
   count hidden to protect one was shown until then, so it is at least N), hide one
   more: the smallest shown count in a sum with the exposed one, in the view being
   decided ("hidden to protect a small group", `Hidden.PROTECTS`), non-zero if there is
   one (in the overall view, always: zeros stay shown there). Parts are never larger
   than their total, so a part goes first. A count hidden to protect one may itself be
   worked out: it was fit to show; what must not be is the small one.
6. If nothing is left to hide and a small count can still be worked out from the labels
   themselves (a tiny threshold: 6 started, 3 on each of two channels, fewer than 3 in
   each of three columns, can only be 2, 2, 2), it reads "hidden to protect a small
   group" instead of "fewer than N": that label does not bound it.

Views are decided in order, each never changing those before it, so a view is the same
whichever other views are asked for. How "worked out" is checked is in exposure.py; how a
count reads, in labels.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from conversations.results.exposure import Bounds, pinned
from conversations.results.labels import Count, Hidden

__all__ = ["BREAKDOWN", "DEPENDS", "OVERALL", "ROUNDS", "ROUND_BREAKDOWN", "Table"]


# Levels of a table, each decided after those it depends on (and never changing them).
OVERALL, ROUNDS, BREAKDOWN, ROUND_BREAKDOWN = 0, 1, 2, 3
DEPENDS: Mapping[int, tuple[int, ...]] = {
    OVERALL: (),
    ROUNDS: (OVERALL,),
    BREAKDOWN: (OVERALL,),
    ROUND_BREAKDOWN: (OVERALL, ROUNDS, BREAKDOWN),
}


@dataclass
class Table:
    """Counts tied together by sums (a total and its parts), suppressed level by level.

    A cell is published (shown or hidden in a view) or not (a count that exists but no
    view shows, like "answered age, didn't answer this question": a reader knows only it
    is at least 0). `within` names the totals a cell is part of (coarser cells, or earlier
    cells of its own level): if one of them is hidden (at its own level: for being small,
    or by this rule), so is this one (rule 3). `fixed` cells were decided in another table.
    """

    values: list[int] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    published: list[bool] = field(default_factory=list)
    within: list[tuple[int, ...]] = field(default_factory=list)
    equations: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    visible: set[int] = field(default_factory=set)  # shown elsewhere: never hidden by rule 4
    decided: dict[int, Count] = field(default_factory=dict)

    def cell(
        self,
        value: int,
        level: int = OVERALL,
        *,
        published: bool = True,
        within: Iterable[int] = (),
    ) -> int:
        self.values.append(value)
        self.levels.append(level)
        self.published.append(published)
        self.within.append(tuple(within))
        return len(self.values) - 1

    def fixed(self, value: int, count: Count, level: int = OVERALL) -> int:
        """A cell decided elsewhere (another table's view of the same count)."""
        index = self.cell(value, level)
        self.decided[index] = count
        return index

    def sums(self, total: int, parts: Sequence[int]) -> None:
        self.equations.append((total, tuple(parts)))

    def keep_visible(self, cell: int) -> None:
        self.visible.add(cell)

    def suppress(self, min_count: int, levels: Iterable[int] = (OVERALL,)) -> list[Count]:
        """Decide `levels` in turn (each after those it depends on); every cell as
        published. Cells of levels not decided come back as shown placeholders."""
        for level in levels:
            self._decide(level, min_count)
        return [self.decided.get(i, Count(v, False)) for i, v in enumerate(self.values)]

    # --- deciding one level ------------------------------------------------------------

    def _decide(self, level: int, min_count: int) -> None:
        active = {level, *DEPENDS[level]}
        cells = [i for i, lv in enumerate(self.levels) if lv in active]
        inside = set(cells)
        equations = [
            (t, p) for t, p in self.equations if t in inside and all(c in inside for c in p)
        ]
        status: dict[int, Hidden | None] = {}
        any_size: set[int] = set()
        for i in cells:  # in order: a total comes before its parts
            if i in self.decided or self.levels[i] != level or not self.published[i]:
                continue
            if any(self._hidden(w) or status.get(w) is not None for w in self.within[i]):
                status[i] = Hidden.WITH_TOTAL
            elif 0 < self.values[i] < min_count:
                status[i] = Hidden.SMALL if level == OVERALL else Hidden.PROTECTS
            else:
                status[i] = None
        while True:
            bounds = self._bounds(cells, status, min_count, any_size)
            exposed = pinned(self.values, bounds, equations) & {
                i for i in cells if self.published[i] and bounds[i] is not None
            }
            # Only a small count must not be worked out: a hidden 0 tells nothing about
            # anyone, a count hidden to protect one was fit to show (if it can be worked
            # out but the small one can't, no harm), and a count whose label alone gives
            # it away can't be helped by hiding others.
            exposed = {i for i in exposed if 0 < self.values[i] < min_count and _movable(bounds[i])}
            if not exposed:
                break
            chosen = {
                c
                for e in sorted(exposed)
                if (c := self._next_to_hide(e, status, equations, cells)) is not None
            }
            if chosen:
                for i in chosen:
                    status[i] = Hidden.PROTECTS
                continue
            relabel = {i for i in exposed if status.get(i) is Hidden.SMALL}  # rule 6
            if not relabel:
                break  # an exposure of a coarser view's cell: nothing here can help
            for i in relabel:
                status[i] = Hidden.PROTECTS
                any_size.add(i)
        for i, hidden in status.items():
            value = self.values[i]
            self.decided[i] = (
                Count(value, False)
                if hidden is None
                else Count(None, True, hidden, any_size=i in any_size)
            )

    def _hidden(self, cell: int) -> bool:
        found = self.decided.get(cell)
        return found is not None and found.suppressed

    def _bounds(
        self,
        cells: Sequence[int],
        status: Mapping[int, Hidden | None],
        min_count: int,
        any_size: set[int],
    ) -> dict[int, Bounds | None]:
        """What a reader knows of each cell: None for a shown one (its value), else its
        bounds as the label gives them."""
        bounds: dict[int, Bounds | None] = {}
        for i in cells:
            if not self.published[i]:
                bounds[i] = (0, None)
                continue
            hidden = status[i] if i in status else self._reason(i)
            found = self.decided.get(i)
            if hidden is not None and (i in any_size or (found is not None and found.any_size)):
                bounds[i] = (0, None)
            elif hidden is None:
                bounds[i] = None
            elif hidden is Hidden.SMALL:
                bounds[i] = (1, min_count - 1)
            elif hidden is Hidden.PROTECTS:  # overall: shown until then; finer: any size
                bounds[i] = (min_count, None) if self.levels[i] == OVERALL else (0, None)
            else:
                bounds[i] = (0, None)
        return bounds

    def _reason(self, cell: int) -> Hidden | None:
        found = self.decided.get(cell)
        return found.hidden if found is not None and found.suppressed else None

    def _next_to_hide(
        self,
        exposed: int,
        status: Mapping[int, Hidden | None],
        equations: Sequence[tuple[int, tuple[int, ...]]],
        cells: Sequence[int],
    ) -> int | None:
        """The smallest shown non-zero cell of this level in a sum with `exposed` (or in
        the table, failing that)."""

        def open_cells(candidates: Iterable[int], zeros: bool) -> list[int]:
            return [
                c
                for c in candidates
                if c in status and status[c] is None and (self.values[c] > 0 or zeros)
                if c not in self.visible
            ]

        near_by = [
            cell
            for total, parts in equations
            if exposed == total or exposed in parts
            for cell in (total, *parts)
        ]
        finer = any(self.levels[c] != OVERALL for c in status)
        candidates = (
            open_cells(near_by, zeros=False)
            or (finer and open_cells(near_by, zeros=True))
            or open_cells(cells, zeros=False)
            or (finer and open_cells(cells, zeros=True))
            or []
        )
        return min(candidates, key=lambda c: (self.values[c], c)) if candidates else None


def _movable(bounds: Bounds | None) -> bool:
    """A count whose label alone gives it away (with a threshold of 2, "fewer than 2" is 1)
    can't be helped by hiding others."""
    return bounds is not None and (bounds[1] is None or bounds[1] > bounds[0])
