"""The error a `when:` that does not parse raises: a plain message and its column."""

from __future__ import annotations


class ConditionError(ValueError):
    """A `when:` that does not parse; `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"{message} (column {column})" if "column" not in message else message)
        self.message = message
        self.column = column
