"""`yousaid results CONSULTATION`: results with small numbers suppressed (services/results.py)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import consultation_argument
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services.results import ResultsRefused, export
from conversations import results as summary

WIDE = 200  # columns when the output is not a terminal (a file, an e-mail): never cut


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def results(
    consultation_id: str = consultation_argument(),
    round_id: str | None = typer.Option(None, "--round", metavar="ROUND", help="One round only."),
    by: str | None = typer.Option(
        None,
        "--by",
        metavar="QUESTION",
        help="Break every question down by this question's answers (like age_band).",
    ),
    output: Format = typer.Option(Format.TABLE, "--format", help="table, csv or json."),
    min_count: int | None = typer.Option(
        None,
        "--min-count",
        min=1,
        metavar="N",
        help="Hide counts below this (default YOUSAID_MIN_COUNT).",
    ),
) -> None:
    """Show results per question, with small counts hidden.

    A count under the threshold reads "fewer than N"; one hidden so that a small one can't
    be worked out from the others reads "hidden to protect a small group".

    \b
    Example:
      yousaid results feeling-safe --by age_band
      yousaid results feeling-safe --format csv
    """
    runtime = open_runtime()
    threshold = min_count or runtime.settings.min_count
    try:
        made = export(
            runtime,
            consultation_id,
            min_count=threshold,
            round_id=round_id,
            by=by,
            shown_as=output.value,
        )
    except ResultsRefused as refused:
        raise CommandError(str(refused)) from None
    if output is Format.JSON:
        document = json.loads(summary.to_json(made.results))
        document["updates"] = made.updates
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is Format.CSV:
        typer.echo(summary.to_csv(made.results), nl=False)
    else:
        _print_table(made.results)


def _print_table(results: summary.Results) -> None:
    console = Console() if sys.stdout.isatty() else Console(width=WIDE)
    where = f"round {results.round_id}" if results.round_id else "every round"
    console.print(
        f"Results of {results.consultation_id} ({results.title}), {where}. "
        f'Counts under {results.min_count} read "fewer than {results.min_count}"; counts '
        'hidden so that those can\'t be worked out read "hidden to protect a small group". '
        "Percentages are of those who answered."
    )
    for title, rows in summary.table_blocks(results):
        # The heading on its own line: a table's title wraps to the table's width.
        console.print(title, style="bold", soft_wrap=True)
        table = Table()
        for column in rows[0]:
            table.add_column(column)
        for row in rows[1:]:
            table.add_row(*row)
        console.print(table)
