"""The consultation loader's long-standing import path: `conversations.consultation_file` is
its home now; many callers (and branches in flight) still say `conversations.loader`."""

from conversations.consultation_file.checks import MAX_SCALE_POINTS
from conversations.consultation_file.loader import (
    MAX_QUESTIONS,
    LoadResult,
    consultation_version,
    load_consultation,
)
from conversations.problems import Problem

__all__ = [
    "MAX_QUESTIONS",
    "MAX_SCALE_POINTS",
    "LoadResult",
    "Problem",
    "consultation_version",
    "load_consultation",
]
