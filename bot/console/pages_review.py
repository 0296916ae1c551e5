"""The safeguarding review queue (safeguarding role only): flagged messages, redacted,
with their category, day and why they were flagged, and never a link to anyone; "mark
reviewed" with a note."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import SAFEGUARDING, guard
from bot.console.templating import not_found, render
from bot.runtime import Runtime
from bot.services.review import ReviewError, mark_reviewed, waiting, why_flagged
from conversations.safeguarding import CATEGORY_NAMES
from conversations.safety_replies import CATEGORY_SEPARATOR

__all__ = ["routes"]

NOTE_LIMIT = 2000


def routes() -> list[Route]:
    return [
        Route("/review", queue, methods=["GET"]),
        Route("/review/{item}/done", done, methods=["POST"]),
    ]


@guard(SAFEGUARDING)
async def queue(request: Request) -> Response:
    """The items waiting, newest day first."""
    runtime: Runtime = request.app.state.runtime
    items = await run_in_threadpool(waiting, runtime)
    shown = [
        (
            item,
            [CATEGORY_NAMES.get(c, c) for c in item.category.split(CATEGORY_SEPARATOR)],
            why_flagged(runtime, item),
        )
        for item in items
    ]
    return render(request, "review.html", items=shown, done=request.query_params.get("done"))


@guard(SAFEGUARDING)
async def done(request: Request) -> Response:
    """Mark one item reviewed, with the note given (if any)."""
    runtime: Runtime = request.app.state.runtime
    form = await request.form()
    note = str(form.get("note", "")).strip()[:NOTE_LIMIT] or None
    try:
        await run_in_threadpool(mark_reviewed, runtime, request.path_params["item"], note)
    except ReviewError as problem:
        return not_found(request, str(problem))
    return RedirectResponse("/console/review?done=1", status_code=303)
