"""`yousaid consultation validate|load`: check and add the consultations officers write."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from bot.cli.common import command_group
from bot.cli.errors import CommandError
from bot.config_files import SourceFile, consultation_files, load_catalogue
from bot.runtime import open_runtime
from bot.services.consultation_preview import MAX_SEGMENTS_WITHOUT_WARNING, Preview, preview
from bot.services.consultations import Checked, LoadRefused
from bot.services.consultations import load as load_files
from bot.settings import Settings
from conversations.catalogue import Catalogue
from conversations.loader import LoadResult, load_consultation
from conversations.model import Consultation
from conversations.preview import preview_messages
from conversations.translations import (
    costlier_than_default,
    unreviewed_languages,
    unreviewed_system_messages,
)

app = command_group("Check and load consultation files.")
console = Console()


@app.command()
def validate(
    file: Path = typer.Argument(..., metavar="FILE", help="A consultation YAML file, or a folder."),
    price: str | None = typer.Option(
        None,
        "--price",
        metavar="POUNDS",
        help="What one SMS segment costs, like 0.04 (default YOUSAID_SEGMENT_PRICE).",
    ),
) -> None:
    """Report every problem in a consultation file, or show every message it sends, with
    its SMS segments, and what the opening and a whole run cost per person.

    \b
    Example:
      yousaid consultation validate config/consultations/feeling-safe.yaml --price 0.04
    """
    settings = Settings()
    each = _price(price) if price is not None else settings.segment_price
    results = [
        (source, load_consultation(source.text, str(source.path)))
        for source in consultation_files(file)
    ]
    failed = _print_problems(results)
    if failed:
        raise typer.Exit(1)
    catalogue = load_catalogue(settings.config_path)
    for source, result in results:
        assert result.consultation is not None
        shown = preview(result.consultation, catalogue, each)
        _print_messages(source, shown)
        _print_translation_warnings(source, result.consultation, catalogue)
        _print_costs(shown)
        typer.echo(f"{source.path}: OK")


@app.command()
def load(
    path: Path = typer.Argument(
        ..., metavar="FILE_OR_DIR", help="A consultation file or a folder of them."
    ),
    open_round: bool = typer.Option(False, "--open", help="Open a round now, with no end."),
) -> None:
    """Add or update consultations (a changed file is a new version).

    \b
    Example:
      yousaid consultation load config/consultations --open
    """
    results = [
        (source, load_consultation(source.text, str(source.path)))
        for source in consultation_files(path)
    ]
    if _print_problems(results):
        raise CommandError("nothing was loaded; fix the problems above and load again")
    files = [
        Checked(str(source.path), source.text, result.consultation)
        for source, result in results
        if result.consultation is not None
    ]
    try:
        loaded = load_files(open_runtime(), files, open_round=open_round)
    except LoadRefused as refused:
        for clash in refused.problems:
            typer.echo(clash, err=True)
        raise CommandError(str(refused)) from None
    for done in loaded:
        consultation = done.consultation
        state = "loaded, new version" if done.new_version else "unchanged"
        line = f"{consultation.id} ({consultation.version}): {state}"
        if done.open_round is not None:
            line += f"; round {done.open_round} is already open"
        elif done.opened_round is not None:
            line += f"; round {done.opened_round} open now, keyword {consultation.keyword}"
        typer.echo(line)


def _print_problems(results: list[tuple[SourceFile, LoadResult]]) -> bool:
    failed = False
    for _source, result in results:
        for problem in result.problems:
            prefix = "warning: " if problem.warning else ""
            typer.echo(f"{prefix}{problem}", err=not problem.warning)
        failed = failed or not result.ok
    return failed


def _print_messages(source: SourceFile, shown: Preview) -> None:
    warnings: list[str] = []
    table = Table(title=f"{source.path}: every message, as sent", show_lines=True)
    for column in ("message", "lang", "text", "SMS"):
        table.add_column(column)
    for line in shown.lines:
        sms = f"{line.segments} ({line.encoding})"
        if line.culprits:
            sms += f"\nUCS-2 because of {' '.join(repr(c) for c in line.culprits[:5])}"
        if line.too_long:
            sms += f"\nover {MAX_SEGMENTS_WITHOUT_WARNING} segments"
            warnings.append(
                f"warning: {source.path}: {line.name} ({line.language}) is "
                f"{line.segments} SMS segments; shorten it to {MAX_SEGMENTS_WITHOUT_WARNING} "
                "or fewer"
            )
        table.add_row(line.name, line.language, line.text, sms)
    console.print(table)
    for warning in warnings:
        typer.echo(warning)


def _print_translation_warnings(
    source: SourceFile, consultation: Consultation, catalogue: Catalogue
) -> None:
    """Translations nobody has reviewed yet, and those that cost more than the default."""
    for code in unreviewed_languages(source.text, consultation):
        typer.echo(
            f"warning: {source.path}: the {code} texts need review by a native speaker "
            "(the file says so); remove the code from its 'Needs review' line once done"
        )
    for code, count in unreviewed_system_messages(consultation, catalogue):
        typer.echo(
            f"warning: {source.path}: {count} of the bot's own messages in {code} need review "
            f"by a native speaker (locales/{code}.po)"
        )
    costlier: dict[str, list[str]] = {}
    for found in costlier_than_default(
        preview_messages(consultation, catalogue), consultation.default_language
    ):
        costlier.setdefault(found.language, []).append(
            f"{found.name} ({found.segments} vs {found.default_segments})"
        )
    for code, names in costlier.items():
        typer.echo(
            f"warning: {source.path}: in {code}, {len(names)} message(s) cost more SMS "
            f"segments than in {consultation.default_language}: {', '.join(names)}"
        )


def _print_costs(shown: Preview) -> None:
    """Per language: the opening's segments, a whole run's on its shortest and longest
    path, and what that costs a person at the price a segment."""
    typer.echo(f"Cost per person in SMS segments, at £{shown.price} a segment:")
    for cost in shown.costs:
        run = cost.run
        about = "" if run.exact else "about "
        span = _span(run.shortest, run.longest)
        asked = _span(run.fewest_questions, run.most_questions)
        money = _span(_pounds(cost.cheapest), _pounds(cost.dearest))
        typer.echo(
            f"  {run.language}: opening {run.opening} segment{'' if run.opening == 1 else 's'}"
            f" before the first question; a whole run {about}{span} segments "
            f"({asked} questions): {money}"
        )


def _span(low: object, high: object) -> str:
    return f"{low}" if low == high else f"{low} to {high}"


def _pounds(amount: Decimal) -> str:
    return f"£{amount.quantize(Decimal('0.01'))}"


def _price(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().lstrip("£"))
    except InvalidOperation:
        raise CommandError(f"--price {text!r} is not an amount; write it like 0.04") from None
    if not value.is_finite() or value < 0:
        raise CommandError(f"--price {text!r} is not an amount; write it like 0.04")
    return value
