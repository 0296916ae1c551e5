"""`yousaid review list|done`: the anonymous safeguarding review queue.

Each item is one message that matched the safeguarding screen: its text with names,
numbers and addresses taken out, the consultation and day it came in, and the categories
it matched. Nothing in it leads to the person who sent it.
"""

from __future__ import annotations

import typer

from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services.review import ReviewError, ReviewRow, mark_reviewed, waiting, why_flagged
from conversations.safeguarding import CATEGORY_NAMES
from conversations.safety_replies import CATEGORY_SEPARATOR

app = command_group("The anonymous safeguarding review queue.")

SHORT_ID = 8  # characters of an id shown; `review done` takes them (or more)


@app.command("list")
def list_items() -> None:
    """Items waiting for review, newest first: id, consultation, day, category, text, and
    why each was flagged.

    \b
    Example:
      yousaid review list
    """
    runtime = open_runtime()
    items = waiting(runtime)
    if not items:
        typer.echo("Nothing waiting for review.")
        return
    count = len(items)
    typer.echo(f"{count} item{'' if count == 1 else 's'} waiting for review, newest first.")
    typer.echo("Mark one reviewed with: yousaid review done ITEM [--note TEXT]")
    for item in items:
        typer.echo()
        typer.echo(_heading(item))
        typer.echo(_indent(item.text))
        for reason in why_flagged(runtime, item):
            typer.echo(f"    why: {reason}")


@app.command()
def done(
    item_id: str = typer.Argument(
        ..., metavar="ITEM", help="The item's id from `review list` (its first 8 characters do)."
    ),
    note: str | None = typer.Option(
        None, "--note", metavar="TEXT", help="What was done, for the record."
    ),
) -> None:
    """Mark an item reviewed, with an optional note.

    \b
    Example:
      yousaid review done 3f9a2c1b --note "passed to the safeguarding lead"
    """
    try:
        target = mark_reviewed(open_runtime(), item_id, note)
    except ReviewError as error:
        raise CommandError(str(error)) from None
    typer.echo(f"Marked {target[:SHORT_ID]} as reviewed.")


def _heading(item: ReviewRow) -> str:
    categories = ", ".join(
        CATEGORY_NAMES.get(name, name) for name in item.category.split(CATEGORY_SEPARATOR)
    )
    where = item.consultation_id or "no consultation (a message outside one)"
    return f"{item.id[:SHORT_ID]}  {item.day.isoformat()}  {where}  [{categories}]"


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines() or [""])
