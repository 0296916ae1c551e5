"""`yousaid results ID`: a round's results, with small numbers suppressed."""

from __future__ import annotations

import json
import secrets
from enum import StrEnum

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.audit import record_action
from bot.cli.common import consultation_argument
from bot.cli.errors import CommandError
from bot.runtime import open_runtime
from bot.services.published import published_updates
from conversations import results as summary
from storage.repositories.audit import detail_of


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


def results(
    consultation_id: str = consultation_argument(),
    round_id: str | None = typer.Option(None, "--round", metavar="ROUND", help="One round only."),
    output: Format = typer.Option(Format.TABLE, "--format", help="table, csv or json."),
    min_count: int | None = typer.Option(
        None,
        "--min-count",
        min=1,
        metavar="N",
        help="Hide counts below this (default YOUSAID_MIN_COUNT).",
    ),
) -> None:
    """Show results per question, with counts under the threshold hidden.

    \b
    Example:
      yousaid results feeling-safe --format csv
    """
    runtime = open_runtime()
    threshold = min_count or runtime.settings.min_count
    with runtime.db.unit_of_work() as uow:
        versions = uow.consultations.versions(consultation_id)
        if not versions:
            raise CommandError(
                f"no consultation with id {consultation_id!r}; "
                "`yousaid consultation load FILE` adds one"
            )
        if round_id is not None and uow.rounds.get(round_id) is None:
            raise CommandError(f"no round {round_id!r}; `yousaid round list` shows them")
        from bot.library import Library

        library = Library()
        # Latest first: its wording and question order lead the report.
        parsed = [library.version(uow, consultation_id, v) for v in reversed(versions)]
        consultations = [c for c in parsed if c is not None]
        responses = uow.results.responses(consultation_id, round_id)
        answers = uow.results.answers(consultation_id, round_id)
        # "We asked, you said, we did": the updates sent about it, for a public page.
        updates = published_updates(uow, consultation_id, threshold, secrets.randbits(32))
    report = summary.summarise(consultations, responses, answers, threshold, secrets.randbits(32))
    # Recorded before anything is shown: no export goes unlogged.
    record_action(
        runtime,
        "results.export",
        detail_of(
            consultation=consultation_id,
            round=round_id or "all",
            format=output.value,
            min_count=threshold,
            responses=len(responses),
        ),
    )
    if output is Format.JSON:
        document = json.loads(summary.to_json(report))
        document["updates"] = updates
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    elif output is Format.CSV:
        typer.echo(summary.to_csv(report), nl=False)
    else:
        _print_table(report)


def _print_table(report: summary.Results) -> None:
    rows = summary.to_rows(report)
    table = Table(title="Results")
    for column in rows[0] if rows else ("question", "option", "count"):
        table.add_column(str(column))
    for row in rows[1:]:
        table.add_row(*(str(cell) for cell in row))
    Console().print(table)
