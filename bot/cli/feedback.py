"""`yousaid feedback list`: the replies people sent to updates, anonymous and redacted."""

from __future__ import annotations

import typer

from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services.update_progress import UpdateNotFound, feedback

app = command_group("Read the replies people sent to updates.")

SHORT_ID = 8


@app.command("list")
def list_feedback(
    consultation: str | None = typer.Argument(
        None, metavar="CONSULTATION", help="Only this consultation's updates."
    ),
    update_id: str | None = typer.Option(
        None,
        "--update",
        metavar="UPDATE",
        help="Only replies to this update (its id from `update status`).",
    ),
) -> None:
    """Every reply, by day: redacted, and with no way back to who sent it.

    A reply that matched the safeguarding screen shows as withheld: its words are in the
    review queue (`yousaid review list`).

    \b
    Example:
      yousaid feedback list feeling-safe
    """
    try:
        replies = feedback(open_runtime(), consultation, update_id)
    except UpdateNotFound as error:
        raise CommandError(str(error)) from None
    if not replies:
        typer.echo("No replies yet.")
        return
    for reply in replies:
        typer.echo(
            f"{reply.day.isoformat()}  {reply.consultation_id}  {reply.update_id[:SHORT_ID]}"
        )
        typer.echo(f"  {reply.text}")
    typer.echo(f"{len(replies)} repl{'y' if len(replies) == 1 else 'ies'}.")
