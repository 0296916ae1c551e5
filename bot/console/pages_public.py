"""The public page of a consultation, /c/<id>, for anyone (no sign-in): what was asked and
when, released results as charts, the updates sent. Only for `public: true` consultations;
any other id is a plain "not found" page."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bot.console.charts import Bar, bar_chart
from bot.console.templating import render
from bot.runtime import Runtime
from bot.services.public_page import public_page

__all__ = ["LEAVE_URL", "public_routes"]

# Where "Leave this page quickly" goes: a page nobody would look twice at.
LEAVE_URL = "https://www.bbc.co.uk/weather"


def public_routes() -> list[BaseRoute]:
    """The public pages, at the app's root (beside /console, never under it)."""
    return [Route("/c/{consultation}", consultation_page, methods=["GET"])]


async def consultation_page(request: Request) -> Response:
    """A public consultation's page; 404 for any consultation that is not public."""
    runtime: Runtime = request.app.state.runtime
    consultation = request.path_params["consultation"]
    page = await run_in_threadpool(public_page, runtime, consultation)
    if page is None:
        return render(
            request,
            "public_missing.html",
            404,
            leave=LEAVE_URL,
        )
    charts = {
        round_.id: [
            bar_chart(
                question.text,
                [Bar(option.label, option.count) for option in question.options],
                page.min_count,
            )
            for question in round_.results
        ]
        for round_ in page.rounds
        if round_.results is not None
    }
    return render(request, "public.html", page=page, charts=charts, leave=LEAVE_URL)
