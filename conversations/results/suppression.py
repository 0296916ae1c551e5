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
whichever other views are asked for. "Worked out" is checked exactly: a hidden count is
exposed when every table agreeing with everything shown and every label has the same
value in that cell. That is decided at the true table x*: the cell is free iff some
direction d with A d = 0 keeps every bound x* sits on (d >= 0 at a lower bound, <= 0 at an
upper one) and has d_j != 0. Which bound-touching cells can move is found from a basis of
A's null space (a direction that breaks no bound frees its cells at once), then exactly,
for what remains, with a small linear programme in Fractions; the rest are linear algebra.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

__all__ = ["Count", "Hidden", "Table"]


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


# Levels of a table, each decided after those it depends on (and never changing them).
OVERALL, ROUNDS, BREAKDOWN, ROUND_BREAKDOWN = 0, 1, 2, 3
DEPENDS: Mapping[int, tuple[int, ...]] = {
    OVERALL: (),
    ROUNDS: (OVERALL,),
    BREAKDOWN: (OVERALL,),
    ROUND_BREAKDOWN: (OVERALL, ROUNDS, BREAKDOWN),
}

_Bounds = tuple[int, int | None]  # what a reader knows of a hidden count: low, high


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
            exposed = _pinned(self.values, bounds, equations) & {
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
    ) -> dict[int, _Bounds | None]:
        """What a reader knows of each cell: None for a shown one (its value), else its
        bounds as the label gives them."""
        bounds: dict[int, _Bounds | None] = {}
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


def _movable(bounds: _Bounds | None) -> bool:
    """A count whose label alone gives it away (with a threshold of 2, "fewer than 2" is 1)
    can't be helped by hiding others."""
    return bounds is not None and (bounds[1] is None or bounds[1] > bounds[0])


# --- which hidden cells are determined ----------------------------------------------------

_Vector = dict[int, Fraction]


def _pinned(
    values: Sequence[int],
    bounds: Mapping[int, _Bounds | None],
    equations: Sequence[tuple[int, tuple[int, ...]]],
) -> set[int]:
    """Hidden cells (those with bounds) whose value every table agreeing with the shown
    cells, the sums and the bounds has in common."""
    variables = sorted(i for i, b in bounds.items() if b is not None)
    if not variables:
        return set()
    rows: list[_Vector] = []
    for total, parts in equations:
        row: dict[int, int] = {}
        for cell, sign in ((total, 1), *((part, -1) for part in parts)):
            if bounds.get(cell) is not None:
                row[cell] = row.get(cell, 0) + sign
        kept = {c: Fraction(v) for c, v in row.items() if v}
        if kept:
            rows.append(kept)
    basis = _null_space(rows, variables)
    signs: dict[int, int] = {}
    stuck: set[int] = set()  # at both bounds: can't move at all
    for i in variables:
        known = bounds[i]
        assert known is not None
        low, high = known
        at_low, at_high = values[i] == low, high is not None and values[i] == high
        if at_low and at_high:
            stuck.add(i)
        elif at_low:
            signs[i] = 1
        elif at_high:
            signs[i] = -1
    freed = _freed(basis, signs, stuck)
    held = (set(signs) - freed) | stuck
    moving = set(freed)
    constrained = [v for v in basis if any(c in held for c in v)]
    for vector in basis:
        if not any(c in held for c in vector):
            moving.update(vector)
    if constrained:
        # Directions that keep every held cell where it is: the null space of their rows.
        columns = list(range(len(constrained)))
        held_rows = [{k: v[c] for k, v in enumerate(constrained) if c in v} for c in sorted(held)]
        for combination in _null_space([r for r in held_rows if r], columns):
            direction: dict[int, Fraction] = {}
            for k, weight in combination.items():
                for c, entry in constrained[k].items():
                    direction[c] = direction.get(c, Fraction(0)) + weight * entry
            moving.update(c for c, entry in direction.items() if entry)
    return set(variables) - moving


def _null_space(rows: Sequence[_Vector], columns: Sequence[int]) -> list[_Vector]:
    """A basis of {d : row . d = 0 for every row}, over `columns` (sparse, exact)."""
    pivots: dict[int, _Vector] = {}  # pivot column -> its row, reduced (1 there, 0 at others)
    for original in rows:
        row = dict(original)
        for column in [c for c in original if c in pivots]:
            factor = row.get(column)
            if factor:
                _subtract(row, pivots[column], factor)
        if not row:
            continue
        column = min(row)
        lead = row[column]
        row = {c: entry / lead for c, entry in row.items()}
        for other in pivots.values():
            factor = other.get(column)
            if factor:
                _subtract(other, row, factor)
        pivots[column] = row
    basis = []
    for free in columns:
        if free in pivots:
            continue
        vector: _Vector = {free: Fraction(1)}
        for column, row in pivots.items():
            entry = row.get(free)
            if entry:
                vector[column] = -entry
        basis.append(vector)
    return basis


def _subtract(row: _Vector, other: _Vector, factor: Fraction) -> None:
    """row -= factor * other, dropping the zeros."""
    for c, entry in other.items():
        updated = row.get(c, Fraction(0)) - factor * entry
        if updated:
            row[c] = updated
        else:
            row.pop(c, None)


def _freed(basis: Sequence[_Vector], signs: Mapping[int, int], stuck: set[int]) -> set[int]:
    """The bound-touching cells some direction in the null space moves inward, breaking no
    other bound (a direction that moves some of them can be added to one that moves
    others, so together they all move). Basis vectors first; then, for what is left, an
    exact linear programme each."""
    freed: set[int] = set()
    changed = True
    while changed:
        changed = False
        for vector in basis:
            for sign in (1, -1):
                if not _keeps_bounds(vector, sign, signs, stuck, freed):
                    continue
                gained = {
                    c
                    for c, entry in vector.items()
                    if c in signs and c not in freed and signs[c] * sign * entry > 0
                }
                if gained:
                    freed |= gained
                    changed = True
    changed = True
    while changed:
        changed = False
        for target in [c for c in signs if c not in freed]:
            if target in freed:
                continue
            found = _direction(basis, signs, stuck, freed, target)
            if found is not None:
                freed |= {c for c in signs if signs[c] * found.get(c, Fraction(0)) > 0}
                freed.add(target)
                changed = True
    return freed


def _keeps_bounds(
    vector: _Vector, sign: int, signs: Mapping[int, int], stuck: set[int], freed: set[int]
) -> bool:
    for c, entry in vector.items():
        if c in stuck:
            return False
        if c in signs and c not in freed and signs[c] * sign * entry < 0:
            return False
    return True


def _direction(
    basis: Sequence[_Vector],
    signs: Mapping[int, int],
    stuck: set[int],
    freed: set[int],
    target: int,
) -> dict[int, Fraction] | None:
    """A null-space direction moving `target` inward and breaking no bound that isn't
    freed already, or None: a small exact linear programme."""
    held = [c for c in signs if c not in freed]
    watched = set(held) | stuck
    vectors = [v for v in basis if any(c in watched for c in v)]
    if not any(target in v for v in vectors):
        return None
    width = len(vectors)
    # Variables: z+ (width), z- (width), one slack per inequality. Rows: stuck cells stay,
    # held cells move only inward, the target by at least 1.
    equality_rows: list[tuple[list[Fraction], Fraction]] = []
    inequalities = [(c, Fraction(1 if c == target else 0)) for c in held]
    slack_count = len(inequalities)
    for c in sorted(stuck):
        entries = [v.get(c, Fraction(0)) for v in vectors]
        row = entries + [-e for e in entries] + [Fraction(0)] * slack_count
        equality_rows.append((row, Fraction(0)))
    for k, (c, floor) in enumerate(inequalities):
        entries = [signs[c] * v.get(c, Fraction(0)) for v in vectors]
        slack = [Fraction(-1 if j == k else 0) for j in range(slack_count)]
        equality_rows.append((entries + [-e for e in entries] + slack, floor))
    solution = _feasible(equality_rows)
    if solution is None:
        return None
    z = [solution[k] - solution[width + k] for k in range(width)]
    direction: dict[int, Fraction] = {}
    for weight, vector in zip(z, vectors, strict=True):
        if weight:
            for c, entry in vector.items():
                direction[c] = direction.get(c, Fraction(0)) + weight * entry
    return direction


def _feasible(rows: Sequence[tuple[list[Fraction], Fraction]]) -> list[Fraction] | None:
    """A point y >= 0 with row . y = rhs for every row, or None (phase one of the simplex
    method, Bland's rule: it never cycles)."""
    if not rows:
        return []
    width, height = len(rows[0][0]), len(rows)
    tableau: list[list[Fraction]] = []
    for i, (row, rhs) in enumerate(rows):
        sign = -1 if rhs < 0 else 1
        artificial = [Fraction(1 if k == i else 0) for k in range(height)]
        tableau.append([sign * a for a in row] + artificial + [sign * rhs])
    basis = [width + i for i in range(height)]
    cost = [Fraction(0)] * width + [Fraction(-1)] * height
    total = width + height
    while True:
        reduced = [
            cost[j] - sum((cost[b] * tableau[r][j] for r, b in enumerate(basis)), Fraction(0))
            for j in range(total)
        ]
        entering = next((j for j in range(total) if j not in basis and reduced[j] > 0), None)
        if entering is None:
            break
        ratios = [
            (tableau[r][-1] / tableau[r][entering], basis[r], r)
            for r in range(height)
            if tableau[r][entering] > 0
        ]
        if not ratios:  # unbounded can't happen: the objective is at most 0
            break
        _pivot(tableau, basis, min(ratios)[2], entering)
    if any(basis[r] >= width and tableau[r][-1] > 0 for r in range(height)):
        return None
    point = [Fraction(0)] * width
    for r, b in enumerate(basis):
        if b < width:
            point[b] = tableau[r][-1]
    return point


def _pivot(tableau: list[list[Fraction]], basis: list[int], row: int, column: int) -> None:
    lead = tableau[row][column]
    tableau[row] = [entry / lead for entry in tableau[row]]
    for r in range(len(tableau)):
        if r != row and tableau[r][column]:
            factor = tableau[r][column]
            tableau[r] = [a - factor * b for a, b in zip(tableau[r], tableau[row], strict=True)]
    basis[row] = column
