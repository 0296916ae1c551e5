"""`yousaid chat`: talk to the bot in the terminal, as a participant would."""

from __future__ import annotations

import sys

import typer

from bot.channels.terminal import TerminalChat
from bot.pipeline import Pipeline
from bot.runtime import open_runtime

PREVIEW_NOTE = "(A preview: these answers are not counted in results. Add --live to count them.)"


def chat(
    consultation: str | None = typer.Option(
        None, "--consultation", metavar="CONSULTATION", help="Start this consultation at once."
    ),
    live: bool = typer.Option(
        False, "--live", help="Count the answers in results (a kiosk); otherwise a preview."
    ),
    name: str | None = typer.Option(
        None,
        "--as",
        metavar="NAME",
        help="Be the same participant as an earlier run with this name.",
    ),
) -> None:
    """Answer a consultation in the terminal. Piped input: one message per line.

    \b
    Example:
      printf 'SAFE\\nyes\\n2\\n' | yousaid chat --live
    """
    runtime = open_runtime()
    session = TerminalChat(Pipeline(runtime), name, preview=not live, write=typer.echo)
    interactive = sys.stdin.isatty()
    if not live:  # said once, at the start, whether typed or piped
        session.note(PREVIEW_NOTE)
    if interactive:
        first = "" if consultation else " Text what a participant would send first, like hi."
        typer.secho(f"(Ctrl-D to leave.{first})", dim=True)
    session.open(consultation)
    if not interactive:
        session.run(sys.stdin)
        return
    while True:
        try:
            line = input("\nyou> ")
        except EOFError:
            typer.echo()
            return
        typer.echo()
        session.say(line)
