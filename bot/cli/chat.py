"""`yousaid chat`: talk to the bot in the terminal, as a participant would."""

from __future__ import annotations

import sys

import typer

from bot.channels.terminal import TerminalChat
from bot.pipeline import Pipeline
from bot.runtime import open_runtime


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
    if interactive:
        mode = "live: answers count" if live else "preview: answers are not kept in results"
        typer.secho(f"({mode}; Ctrl-D to leave)\n", dim=True)
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
