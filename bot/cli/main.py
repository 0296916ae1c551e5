"""The `yousaid` command: one small module per command group, assembled here.

Errors an operator can fix are printed as one plain line (no traceback) and exit 1; a
usage mistake prints the usage and the closest match, exit 2 (bot/cli/errors.py).
"""

from __future__ import annotations

import getpass
import logging
import sys
from importlib.metadata import PackageNotFoundError, version

import typer

from bot.cli import audit as audit_cli
from bot.cli import chat, consultation, db, keys, privacy, results, review, serve
from bot.cli import feedback as feedback_cli
from bot.cli import officer as officer_cli
from bot.cli import round as round_cli
from bot.cli import scheduler as scheduler_cli
from bot.cli import sender as sender_cli
from bot.cli import update as update_cli
from bot.cli.common import command_group
from bot.cli.errors import run_guarded
from bot.logging_setup import configure_logging
from bot.services.audit import acting_as

cli = command_group("YouSaid: short anonymous consultations by text message.")


def _print_version(wanted: bool) -> None:
    if wanted:
        try:
            shown = version("yousaid")
        except PackageNotFoundError:  # run from a source tree that was never installed
            shown = "unknown (not installed)"
        typer.echo(f"yousaid {shown}")
        raise typer.Exit()


@cli.callback()
def main(
    show_version: bool = typer.Option(
        False,
        "--version",
        help="Print the version and exit.",
        is_eager=True,
        callback=_print_version,
    ),
) -> None:
    """YouSaid: short anonymous consultations by text message.

    \b
    Start with:
      yousaid consultation load config/consultations --open
      yousaid serve
    Every command has --help, with an example.
    """


cli.command("serve")(serve.serve)
cli.command("chat")(chat.chat)
cli.command("results")(results.results)
cli.add_typer(consultation.app, name="consultation")
cli.add_typer(db.app, name="db")
cli.add_typer(keys.app, name="keys")
cli.add_typer(privacy.app, name="privacy")
cli.add_typer(review.app, name="review")
cli.add_typer(round_cli.app, name="round")
cli.add_typer(scheduler_cli.app, name="scheduler")
cli.add_typer(update_cli.app, name="update")
cli.add_typer(sender_cli.app, name="sender")
cli.add_typer(feedback_cli.app, name="feedback")
cli.add_typer(audit_cli.app, name="audit")
cli.add_typer(officer_cli.app, name="officer")


def app() -> None:
    """Console-script entry point."""
    configure_logging(logging.WARNING)
    # The audit log names who did each thing: here, the system user running the command.
    with acting_as(f"cli:{getpass.getuser()}"):
        code = run_guarded(cli)
    sys.exit(code)
