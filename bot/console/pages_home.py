"""The console's front page (every consultation, its status and responses) and a
consultation's results: per question a chart and a table, with the CLI's suppression, and
the responses per day as a chart and a table, suppressed the same way."""

from __future__ import annotations

from datetime import date

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import ANYONE, guard
from bot.console.charts import Bar, bar_chart
from bot.console.templating import render
from bot.console.workbook import MEDIA_TYPE, to_xlsx
from bot.runtime import Runtime
from bot.services.overview import overview
from bot.services.results import Export, ResultsRefused, export, responses_per_day
from conversations import results as summary

__all__ = ["routes"]


def routes() -> list[Route]:
    return [
        Route("/", home, methods=["GET"]),
        Route("/consultations/{consultation}/results", results_page, methods=["GET"]),
        Route("/consultations/{consultation}/results.csv", results_csv, methods=["GET"]),
        Route("/consultations/{consultation}/results.xlsx", results_xlsx, methods=["GET"]),
    ]


@guard(ANYONE)
async def home(request: Request) -> Response:
    """Every consultation: status, languages, responses so far."""
    runtime: Runtime = request.app.state.runtime
    shown = await run_in_threadpool(overview, runtime)
    saved = request.query_params.get("saved", "")[:64]
    return render(request, "home.html", overview=shown, saved=saved)


@guard(ANYONE)
async def results_page(request: Request) -> Response:
    """Results per question, broken down `?by=` a question when asked."""
    runtime: Runtime = request.app.state.runtime
    consultation = request.path_params["consultation"]
    by = request.query_params.get("by") or None
    try:
        made = await _export(runtime, consultation, by, "console")
    except ResultsRefused as refused:
        return render(request, "message.html", 404, heading="No results", text=str(refused))
    results = made.results
    charts = [
        bar_chart(
            f"{question.id}: {question.text}",
            [Bar(option.label, option.count) for option in question.options],
            results.min_count,
        )
        for question in results.questions
    ]
    days = await run_in_threadpool(responses_per_day, runtime, consultation)
    day_rows = [(_day(d.day), d.count.label(results.min_count)) for d in days]
    return render(
        request,
        "results.html",
        results=results,
        blocks=list(summary.table_blocks(results)),
        charts=charts if results.breakdown is None else [],
        by=by,
        questions=[(q.id, q.text) for q in results.questions],
        days=day_rows,
        days_chart=bar_chart(
            "Responses per day",
            [Bar(_day(d.day), d.count) for d in days],
            results.min_count,
        )
        if days
        else None,
    )


@guard(ANYONE)
async def results_csv(request: Request) -> Response:
    """The results as CSV, with the same suppression."""
    return await _download(request, "csv")


@guard(ANYONE)
async def results_xlsx(request: Request) -> Response:
    """The results as an Excel workbook, with the same suppression and a sheet saying how."""
    return await _download(request, "xlsx")


async def _download(request: Request, shown_as: str) -> Response:
    runtime: Runtime = request.app.state.runtime
    consultation = request.path_params["consultation"]
    by = request.query_params.get("by") or None
    try:
        made = await _export(runtime, consultation, by, shown_as)
    except ResultsRefused as refused:
        return render(request, "message.html", 404, heading="No results", text=str(refused))
    filename = f"{consultation}-results.{shown_as}"
    if shown_as == "xlsx":
        body: str | bytes = to_xlsx(made.results)
        media_type = MEDIA_TYPE
    else:
        body, media_type = summary.to_csv(made.results), "text/csv; charset=utf-8"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"  # Mon 2 Mar 2026


async def _export(runtime: Runtime, consultation: str, by: str | None, shown_as: str) -> Export:
    # The console never lowers the threshold: always the configured one.
    return await run_in_threadpool(
        lambda: export(
            runtime, consultation, min_count=runtime.settings.min_count, by=by, shown_as=shown_as
        )
    )
