"""Consultation files: read, shaped, cross-checked and built into a `Consultation`.

`loader` is the door (`load_consultation`); `schema` holds the file's pydantic shape,
`checks` a question's cross-checks, `when` a condition's, `build` the finished model.
The front door every checked file shares is `conversations.checked_file`.
"""

from conversations.consultation_file.loader import (
    MAX_QUESTIONS,
    LoadResult,
    consultation_version,
    load_consultation,
)
from conversations.consultation_file.schema import DEFAULT_WITHDRAWAL_DAYS
from conversations.file_schema import ID_PATTERN

__all__ = [
    "DEFAULT_WITHDRAWAL_DAYS",
    "ID_PATTERN",
    "MAX_QUESTIONS",
    "LoadResult",
    "consultation_version",
    "load_consultation",
]
