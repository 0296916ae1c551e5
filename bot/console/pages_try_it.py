"""The console's "Try it" panel for one consultation: talk to the real engine as a
participant would, in preview (bot/services/try_it.py). A plain form: each POST shows what
was sent and the bot's replies, with the buttons Telegram would show as buttons that send
that reply."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import ANYONE, guard
from bot.console.templating import render
from bot.pipeline import UnknownRound
from bot.services import try_it

__all__ = ["routes"]


def routes() -> list[Route]:
    return [Route("/consultations/{consultation}/try", page, methods=["GET", "POST"])]


@guard(ANYONE)
async def page(request: Request) -> Response:
    """GET: the panel with a Start button. POST: start again, send a message or tap."""
    consultation = request.path_params["consultation"]
    if request.method == "GET":
        return render(request, "try_it.html", consultation=consultation, sent=None, replies=())
    form = await request.form()  # parsed, bounded and CSRF-checked by `guard`
    pipeline = request.app.state.pipeline
    officer_id = request.state.session.officer.id
    button = form.get("button")
    text = str(form.get("text", ""))
    try:
        if form.get("action") == "start":
            sent = None
            replies = await run_in_threadpool(try_it.restart, pipeline, officer_id, consultation)
        elif isinstance(button, str) and button:
            label = str(form.get("label", ""))[:100]
            sent = label or "(a button)"
            replies = await run_in_threadpool(try_it.say, pipeline, officer_id, "", button)
        else:
            sent = text[: try_it.MAX_MESSAGE]
            replies = await run_in_threadpool(try_it.say, pipeline, officer_id, text)
    except UnknownRound:
        return render(
            request,
            "message.html",
            404,
            heading="No open round",
            text="Try it needs an open round of this consultation: schedule one first.",
        )
    return render(request, "try_it.html", consultation=consultation, sent=sent, replies=replies)
