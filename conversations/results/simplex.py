"""An exact test of whether a small linear programme is feasible (phase one, in Fractions).

Used by exposure.py to find a direction that moves a count without breaking any bound.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

__all__ = ["feasible"]


def feasible(rows: Sequence[tuple[list[Fraction], Fraction]]) -> list[Fraction] | None:
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
