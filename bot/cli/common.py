"""What every command group shares: one look for help and errors, one name per argument.

Help is plain text (no boxes, no `<bool>` beside flags), and an argument is named for what
it is, the same in every command: CONSULTATION, ROUND, UPDATE, ITEM, FILE, ADDRESS.
"""

from __future__ import annotations

from typing import Any

import typer

__all__ = [
    "command_group",
    "consultation_argument",
    "round_argument",
]


def command_group(help: str) -> typer.Typer:
    """A `yousaid` command group: plain help, and errors left to bot/cli/errors.py."""
    return typer.Typer(
        help=help,
        no_args_is_help=True,
        rich_markup_mode=None,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def consultation_argument(help: str = "The consultation's id, like feeling-safe.") -> Any:
    """The CONSULTATION argument."""
    return typer.Argument(..., metavar="CONSULTATION", help=help, show_default=False)


def round_argument() -> Any:
    """The ROUND argument."""
    return typer.Argument(
        ..., metavar="ROUND", help="The round's id, from `yousaid round list`.", show_default=False
    )
