"""`yousaid audit list`: what officers did and when (exports, updates, purges, keys...).

The log names actions and non-personal facts only (ids, counts, formats), so it can be
shown to anyone who oversees the service.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import command_group
from bot.runtime import open_runtime
from bot.services.audit import recent
from bot.times import describe

app = command_group("The audit log of officers' actions.")
console = Console()

DEFAULT_LIMIT = 50


@app.command("list")
def list_entries(
    limit: int = typer.Option(
        DEFAULT_LIMIT, "--limit", min=1, metavar="N", help="How many, newest first."
    ),
    by: str = typer.Option("", "--by", metavar="WHO", help="Only this account's (or cli:USER)."),
    action: str = typer.Option(
        "", "--action", metavar="ACTION", help="Only actions starting with this, like round."
    ),
) -> None:
    """The latest actions, newest first: when (YOUSAID_TIMEZONE), who, action, detail.

    \b
    Example:
      yousaid audit list --limit 20
      yousaid audit list --by sam.jones@council.gov.uk --action round
    """
    runtime = open_runtime()
    zone = runtime.settings.zone
    entries = recent(runtime, limit, actor=by or None, action=action or None)
    if not entries:
        typer.echo("Nothing in the audit log yet.")
        return
    table = Table(title=f"Audit log, newest first (times in {zone.key})")
    for column in ("when", "who", "action", "detail"):
        table.add_column(column)
    for entry in entries:
        table.add_row(describe(entry.at, zone), entry.actor, entry.action, entry.detail)
    console.print(table)
