"""Which hidden counts a reader can still work out exactly from what is shown.

"Worked out" is checked exactly: a hidden count is exposed when every table agreeing with
everything shown and every label has the same value in that cell. That is decided at the
true table x*: the cell is free iff some direction d with A d = 0 keeps every bound x* sits
on (d >= 0 at a lower bound, <= 0 at an upper one) and has d_j != 0. Which bound-touching
cells can move is found from a basis of A's null space (a direction that breaks no bound
frees its cells at once), then exactly, for what remains, with a small linear programme in
Fractions (simplex.py); the rest are linear algebra.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from conversations.results.simplex import feasible

__all__ = ["Bounds", "pinned"]

Bounds = tuple[int, int | None]  # what a reader knows of a hidden count: low, high

_Vector = dict[int, Fraction]


def pinned(
    values: Sequence[int],
    bounds: Mapping[int, Bounds | None],
    equations: Sequence[tuple[int, tuple[int, ...]]],
) -> set[int]:
    """Hidden cells (those with bounds) whose value every table agreeing with the shown
    cells, the sums and the bounds has in common."""
    variables = sorted(i for i, b in bounds.items() if b is not None)
    if not variables:
        return set()
    basis = _null_space(_hidden_rows(bounds, equations), variables)
    signs, stuck = _bound_signs(values, bounds, variables)
    freed = _freed(basis, signs, stuck)
    held = (set(signs) - freed) | stuck
    moving = set(freed)
    constrained = [v for v in basis if any(c in held for c in v)]
    for vector in basis:
        if not any(c in held for c in vector):
            moving.update(vector)
    if constrained:
        moving.update(_moving_with_held_kept(constrained, held))
    return set(variables) - moving


def _hidden_rows(
    bounds: Mapping[int, Bounds | None], equations: Sequence[tuple[int, tuple[int, ...]]]
) -> list[_Vector]:
    """Each sum (total - parts = 0) over its hidden cells only, empty rows left out."""
    rows: list[_Vector] = []
    for total, parts in equations:
        row: dict[int, int] = {}
        for cell, sign in ((total, 1), *((part, -1) for part in parts)):
            if bounds.get(cell) is not None:
                row[cell] = row.get(cell, 0) + sign
        kept = {c: Fraction(v) for c, v in row.items() if v}
        if kept:
            rows.append(kept)
    return rows


def _bound_signs(
    values: Sequence[int], bounds: Mapping[int, Bounds | None], variables: Sequence[int]
) -> tuple[dict[int, int], set[int]]:
    """The way each cell at one bound may move (+1 up from its low, -1 down from its high),
    and the cells at both bounds, which can't move at all."""
    signs: dict[int, int] = {}
    stuck: set[int] = set()
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
    return signs, stuck


def _moving_with_held_kept(constrained: Sequence[_Vector], held: set[int]) -> set[int]:
    """The cells that move along some direction keeping every held cell where it is: the
    null space of the held cells' rows, over the constrained basis vectors."""
    moving: set[int] = set()
    columns = list(range(len(constrained)))
    held_rows = [{k: v[c] for k, v in enumerate(constrained) if c in v} for c in sorted(held)]
    for combination in _null_space([r for r in held_rows if r], columns):
        direction: dict[int, Fraction] = {}
        for k, weight in combination.items():
            for c, entry in constrained[k].items():
                direction[c] = direction.get(c, Fraction(0)) + weight * entry
        moving.update(c for c, entry in direction.items() if entry)
    return moving


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
    solution = feasible(equality_rows)
    if solution is None:
        return None
    z = [solution[k] - solution[width + k] for k in range(width)]
    direction: dict[int, Fraction] = {}
    for weight, vector in zip(z, vectors, strict=True):
        if weight:
            for c, entry in vector.items():
                direction[c] = direction.get(c, Fraction(0)) + weight * entry
    return direction
