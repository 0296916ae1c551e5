"""`yousaid privacy purge|release`: apply the retention rules; release pending answers."""

from __future__ import annotations

import typer

from bot import privacy
from bot.runtime import open_runtime

app = typer.Typer(help="Retention and unlinking of answers.", no_args_is_help=True)


@app.command()
def purge() -> None:
    """Apply every retention rule now, print what each did, then erase it from disk."""
    counts = privacy.purge(open_runtime())
    width = max(len(str(count)) for _, count in counts.lines())
    for what, count in counts.lines():
        typer.echo(f"{count:>{width}}  {what}")
    if counts.compacted:
        typer.echo("Erased data has been cleared from the database files.")
    else:
        typer.echo(
            "The database files could not be tidied yet (another process was reading): "
            "run `yousaid privacy purge` again later."
        )


@app.command()
def release() -> None:
    """Release every finished response's answers into the results now, however few."""
    responses, answers = privacy.release_now(open_runtime())
    if not responses:
        typer.echo("Nothing to release: no finished responses are waiting.")
        return
    typer.echo(f"Released {answers} answers from {responses} responses, mixed in one batch.")
    if responses < 2:
        typer.echo(
            "Note: a batch of one response can be told apart by when it was released; "
            "that is fine when you are closing a round's books."
        )
