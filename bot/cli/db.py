"""`yousaid db upgrade`: bring the database schema up to date."""

from __future__ import annotations

import typer

from bot.cli.common import command_group
from bot.runtime import open_runtime

app = command_group("The database.")


@app.command()
def upgrade() -> None:
    """Run the migrations (the app also runs them on start, under a lock).

    \b
    Example:
      yousaid db upgrade
    """
    open_runtime()
    typer.echo("The database is up to date.")
