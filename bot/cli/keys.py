"""`yousaid keys new|check|rotate`: make a secret key, check it matches the database, rotate
the encryption key."""

from __future__ import annotations

import typer

from bot.cli.common import command_group
from bot.runtime import open_runtime
from bot.services.keys import rotate_key
from storage.crypto import generate_secret

app = command_group("The secret key.")


@app.command()
def new() -> None:
    """Print a new random secret key (put it in YOUSAID_SECRET_KEY; keep it safe).

    \b
    Example:
      yousaid keys new
    """
    typer.echo(generate_secret())


@app.command()
def check() -> None:
    """Say whether the secret key matches the database.

    \b
    Example:
      yousaid keys check
    """
    open_runtime()
    typer.echo("The secret key matches this database.")


@app.command()
def rotate() -> None:
    """Start a new encryption key and re-encrypt every stored address and state with it.

    The pseudonym key never changes (pseudonyms must stay the same), and neither does
    YOUSAID_SECRET_KEY: every key is derived from it.

    \b
    Example:
      yousaid keys rotate
    """
    key_id, count = rotate_key(open_runtime())
    typer.echo(f"Encryption key {key_id} is now in use; {count} stored values re-encrypted.")
