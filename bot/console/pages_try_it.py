"""The console's "Try it" panel for one consultation: talk to the real engine as a
participant would, in preview (bot/services/try_it.py). A plain form: each POST shows what
was sent and the bot's replies, with the buttons Telegram would show as buttons that send
that reply.

The conversation so far travels in the page itself (a hidden field, at most `MAX_TURNS`
messages of at most `TURN_CHARS` characters): the server keeps no transcript, only the
engine's own preview state."""

from __future__ import annotations

import json

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import ANYONE, guard
from bot.console.templating import render
from bot.pipeline import UnknownRound
from bot.services import try_it

__all__ = ["MAX_TURNS", "routes"]

MAX_TURNS = 40
TURN_CHARS = 2000


def routes() -> list[Route]:
    return [Route("/consultations/{consultation}/try", page, methods=["GET", "POST"])]


@guard(ANYONE)
async def page(request: Request) -> Response:
    """GET: the panel with a Start button. POST: start again, send a message or tap."""
    consultation = request.path_params["consultation"]
    if request.method == "GET":
        return render(
            request,
            "try_it.html",
            consultation=consultation,
            sent=None,
            replies=(),
            earlier=[],
            history="[]",
        )
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
    earlier = [] if form.get("action") == "start" else _history(form.get("history"))
    now = ([] if sent is None else [["you", sent]]) + [["bot", r.text] for r in replies]
    kept = [[who, said[:TURN_CHARS]] for who, said in (earlier + now)][-MAX_TURNS:]
    return render(
        request,
        "try_it.html",
        consultation=consultation,
        sent=sent,
        replies=replies,
        earlier=kept[: max(len(kept) - len(now), 0)],
        history=json.dumps(kept),
    )


def _history(raw: object) -> list[list[str]]:
    """The messages so far, as the page sent them back; anything malformed is dropped."""
    try:
        data = json.loads(raw) if isinstance(raw, str) else []
    except ValueError:
        return []
    if not isinstance(data, list):
        return []
    return [
        [entry[0], entry[1][:TURN_CHARS]]
        for entry in data[-MAX_TURNS:]
        if isinstance(entry, list)
        and len(entry) == 2
        and entry[0] in ("you", "bot")
        and isinstance(entry[1], str)
    ]
