"""`yousaid db upgrade`: bring the database schema up to date."""

from __future__ import annotations

import typer

from bot.runtime import open_runtime

app = typer.Typer(help="The database.", no_args_is_help=True)


@app.command()
def upgrade() -> None:
    """Run the migrations (the app also runs them on start, under a lock)."""
    open_runtime()
    typer.echo("The database is up to date.")
