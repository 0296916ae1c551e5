"""Turning failures into one clear line instead of a traceback.

typer (0.29) carries its own copy of click as `typer._click`, and raises that copy's
exceptions (with `typer.Exit` and `typer.Abort`), never the separate `click` package's:
those are the types caught here. The version is pinned in pyproject.toml, and
tests/e2e/test_cli_usage.py runs mistyped commands through the real `yousaid` script, so
an upgrade that moves them fails a test rather than an officer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import IO, Any

import typer
from pydantic import ValidationError
from typer._click.exceptions import ClickException

from bot.config_files import ConfigError
from bot.pipeline import UnknownRound
from bot.runtime import StartupError
from storage.crypto import SecretKeyError
from storage.db import DatabaseUnavailable, DatabaseURLError
from storage.keys import WrongKeyError

log = logging.getLogger(__name__)

_OPERATOR_ERRORS: tuple[type[BaseException], ...] = (
    ConfigError,
    StartupError,
    SecretKeyError,
    DatabaseURLError,
    DatabaseUnavailable,
    WrongKeyError,
    UnknownRound,
)


class CommandError(ClickException):
    """A command's own refusal: printed as `error: ...`, exit 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        typer.echo(f"error: {self.message}", err=True)


def run_guarded(command: Callable[..., object], args: list[str] | None = None) -> int:
    """Run the typer command; return its exit code, never raising a traceback.

    A usage mistake (a mistyped command or option, a missing argument, a bad choice) prints
    the usage, what was wrong, the closest match and where `--help` is, exit code 2, as
    click always has.
    """
    try:
        # Without standalone mode typer returns typer.Exit's code instead of exiting.
        returned = command(args=args, standalone_mode=False)
    except typer.Abort:
        typer.echo("Stopped.", err=True)
        return 130
    except ClickException as exc:  # UsageError and its kin, and CommandError
        exc.show()
        return exc.exit_code
    except typer.Exit as exc:
        return exc.exit_code
    except _OPERATOR_ERRORS as exc:
        typer.echo(f"error: {exc}", err=True)
        return 1
    except ValidationError as exc:
        # Settings errors: name the setting and the problem, never echo the value.
        for error in exc.errors(include_input=False, include_url=False):
            field = ".".join(str(part) for part in error["loc"])
            typer.echo(f"error: setting {field}: {error['msg']}", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the last line of defence: no traceback for users
        log.error("unexpected failure", exc_info=True)
        typer.echo(
            f"error: something went wrong ({type(exc).__name__}). Nothing was lost; "
            "run it again, and report it if it keeps happening.",
            err=True,
        )
        return 1
    return returned if isinstance(returned, int) else 0
