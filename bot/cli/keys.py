"""`yousaid keys new|check`: make a secret key, check it matches the database."""

from __future__ import annotations

import typer

from bot.runtime import open_runtime
from storage.crypto import generate_secret

app = typer.Typer(help="The secret key.", no_args_is_help=True)


@app.command()
def new() -> None:
    """Print a new random secret key (put it in YOUSAID_SECRET_KEY; keep it safe)."""
    typer.echo(generate_secret())


@app.command()
def check() -> None:
    """Say whether the secret key matches the database."""
    open_runtime()
    typer.echo("The secret key matches this database.")
