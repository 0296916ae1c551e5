"""A sent update in the console: how its messages stand (the counts `yousaid update status`
shows, rendered on load and refreshed by static/updates.js from a small JSON endpoint),
cancelling what has not gone yet, and sending it again (a cancelled one too) to whoever
hasn't had it, each after a page that says what will happen. Sending again follows the
rules of `yousaid update send --again` (bot/services/update_send.py)."""

from __future__ import annotations

from dataclasses import asdict

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import ANYONE, guard
from bot.console.templating import not_found, render
from bot.console.update_plan import plan_view
from bot.runtime import Runtime
from bot.services import update_progress, update_send
from bot.services.update_progress import DETAILS, PushCounts, Standing, UpdateNotFound
from bot.services.update_queue import queue
from bot.services.update_send import SHORT_ID, starts
from bot.services.updates import UpdateRefused

__all__ = ["COUNTED", "counts_json", "routes"]

# The counts shown, in order, with their labels (as `yousaid update status` names them).
COUNTED = (
    ("queued", "Queued"),
    ("sending", "Sending"),
    ("sent", "Sent"),
    ("delivered", "Delivered (of those sent)"),
    ("failed", "Failed"),
    ("unreachable", "Unreachable"),
    ("unknown", "Unknown"),
    ("cancelled", "Cancelled"),
)


def routes() -> list[Route]:
    return [
        Route("/updates/{consultation}/{update}", status, methods=["GET"]),
        Route("/updates/{consultation}/{update}/counts.json", counts, methods=["GET"]),
        Route("/updates/{consultation}/{update}/cancel", cancel, methods=["GET", "POST"]),
        Route("/updates/{consultation}/{update}/again", again, methods=["GET", "POST"]),
    ]


def counts_json(found: PushCounts) -> dict[str, int]:
    """The counts as the status page's script reads them."""
    return {**asdict(found), "total": found.total, "finished": found.finished}


@guard(ANYONE)
async def status(request: Request) -> Response:
    """The update, its counts now (the script keeps them current) and why some didn't go."""
    runtime: Runtime = request.app.state.runtime
    found = await _standing(request)
    if found is None:
        return _missing(request)
    update = found.update
    begins, why = starts(runtime, update.send_after, runtime.clock.now())
    return render(
        request,
        "update_status.html",
        found=found,
        short=update.id[:SHORT_ID],
        counted=[(key, label, getattr(found.counts, key)) for key, label in COUNTED],
        reasons=[
            (kind, DETAILS.get(detail, detail), count)
            for (kind, detail), count in sorted(found.reasons.items())
        ],
        begins=begins,
        why=why,
        queued=request.query_params.get("queued", "")[:10],
        stopped=request.query_params.get("stopped", "")[:10],
    )


@guard(ANYONE)
async def counts(request: Request) -> Response:
    """The counts as JSON, for the status page's script."""
    found = await _standing(request)
    if found is None:
        return JSONResponse({"error": "no such update"}, status_code=404)
    return JSONResponse(counts_json(found.counts))


@guard(ANYONE)
async def cancel(request: Request) -> Response:
    """GET: what cancelling will do; POST: cancel what has not gone yet."""
    runtime: Runtime = request.app.state.runtime
    found = await _standing(request)
    if found is None:
        return _missing(request)
    update = found.update
    if request.method == "GET":
        return render(request, "update_cancel.html", found=found, short=update.id[:SHORT_ID])
    try:
        done = await run_in_threadpool(
            update_progress.cancel, runtime, update.consultation_id, update.id
        )
    except UpdateNotFound as error:
        return not_found(request, str(error))
    stopped = sum(c.stopped for c in done)
    target = f"/console/updates/{update.consultation_id}/{update.id}?stopped={stopped}"
    return RedirectResponse(target, status_code=303)


@guard(ANYONE)
async def again(request: Request) -> Response:
    """GET: who sending it again reaches, at what cost; POST: queue it for them. The same
    checks as `yousaid update send --again` (over the cap, nobody to send to), then the
    same queueing, which writes the same audit entry (update.resend, again=yes)."""
    runtime: Runtime = request.app.state.runtime
    found = await _standing(request)
    if found is None:
        return _missing(request)
    update, now = found.update, runtime.clock.now()
    try:
        prepared = await run_in_threadpool(
            update_send.prepare_again, runtime, update.consultation_id, update.id, now
        )
        nobody = update_send.nobody_to_queue(prepared, now, now)
        if not nobody:
            update_send.refuse_over_cap(prepared, update_send.cap_of(runtime))
    except UpdateRefused as refused:
        return render(
            request, "message.html", 400, heading="It can't be sent again", text=str(refused)
        )
    if request.method == "GET" or nobody:
        return render(
            request,
            "update_again.html",
            found=found,
            short=update.id[:SHORT_ID],
            shown=plan_view(prepared, runtime.settings),
            nobody=nobody,
        )
    queued = await run_in_threadpool(queue, runtime, prepared, now, again=True)
    target = f"/console/updates/{update.consultation_id}/{update.id}?queued={queued.recipients}"
    return RedirectResponse(target, status_code=303)


# --- helpers ----------------------------------------------------------------------------


async def _standing(request: Request) -> Standing | None:
    runtime: Runtime = request.app.state.runtime
    consultation, wanted = request.path_params["consultation"], request.path_params["update"]
    rows = await run_in_threadpool(update_progress.standings, runtime, consultation)
    return next((row for row in rows if row.update.id == wanted), None)


def _missing(request: Request) -> Response:
    return not_found(
        request, "There is no such update.", link="/console/updates", link_text="Back to updates"
    )
