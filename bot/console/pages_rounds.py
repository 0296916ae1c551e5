"""Rounds in the console: upcoming, open and closed lists; schedule one with the CLI's
rules and errors (times in the council's time zone); close early or cancel, each after a
page that says what will happen."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import ANYONE, guard
from bot.console.templating import not_found, render
from bot.runtime import Runtime
from bot.services import round_actions
from bot.services.overview import overview
from bot.services.round_dates import closes_words, delete_words
from bot.services.rounds import RoundError, RoundRequest, shown_status

__all__ = ["routes"]

_GROUPS = (("open", "Open now"), ("scheduled", "Upcoming"), ("closed", "Closed"))


def routes() -> list[Route]:
    return [
        Route("/rounds", rounds, methods=["GET", "POST"]),
        Route("/rounds/{round}/{action:str}", change, methods=["GET", "POST"]),
    ]


@guard(ANYONE)
async def rounds(request: Request) -> Response:
    """Every round by where it stands, and the form to schedule one (POST schedules)."""
    runtime: Runtime = request.app.state.runtime
    problem, done, values = "", "", {}
    status = 200
    if request.method == "POST":
        form = await request.form()
        values = {key: str(form.get(key, "")).strip() for key in _FIELDS}
        try:
            asked = _request(values, invite=form.get("invite") == "yes")
            view = await run_in_threadpool(round_actions.schedule, runtime, asked)
        except RoundError as error:
            problem, status = _for_the_form(str(error)), 400
        else:
            done, values = f"Round {view.row.id} of {view.row.consultation_id} is scheduled.", {}
    return await _page(request, runtime, status, problem=problem, done=done, values=values)


@guard(ANYONE)
async def change(request: Request) -> Response:
    """GET: what closing or cancelling the round will do; POST: do it."""
    runtime: Runtime = request.app.state.runtime
    round_id, action = request.path_params["round"], request.path_params["action"]
    if action not in ("close", "cancel"):
        return not_found(request, "No such page.")
    try:
        if request.method == "GET":
            found = await run_in_threadpool(round_actions.detail, runtime, round_id)
            view = found.view
            zone = runtime.settings.zone
            return render(
                request,
                "round_confirm.html",
                view=view,
                action=action,
                closes=closes_words(view.dates, zone),
                deletes=delete_words(view.dates),
            )
        if action == "close":
            await run_in_threadpool(round_actions.close, runtime, round_id)
            done = f"Round {round_id} is closed: it takes no more answers."
        else:
            await run_in_threadpool(round_actions.cancel, runtime, round_id)
            done = f"Round {round_id} is cancelled: it will not open."
    except RoundError as error:
        return await _page(request, runtime, 400, problem=str(error), done="", values={})
    return RedirectResponse(f"/console/rounds?done={done}", status_code=303)


_FIELDS = ("consultation", "opens", "closes", "channels", "keyword", "reminder", "results_date")


def _request(values: dict[str, str], *, invite: bool) -> RoundRequest:
    return RoundRequest(
        values["consultation"],
        values["opens"],
        values["closes"],
        values["channels"] or None,
        values["keyword"] or None,
        values["reminder"] or None,
        invite,
        values["results_date"] or None,
    )


_LABELS = {
    "--opens": "Opens",
    "--closes": "Closes",
    "--channels": "Channels",
    "--keyword": "Keyword",
    "--reminder": "Remind after",
    "--results-date": "Results shared on",
}


def _for_the_form(message: str) -> str:
    """The service's message names the CLI's options; here they are the form's fields."""
    for option, label in _LABELS.items():
        message = message.replace(option, label)
    return message


async def _page(
    request: Request,
    runtime: Runtime,
    status: int,
    *,
    problem: str,
    done: str,
    values: dict[str, str],
) -> Response:
    zone, now = runtime.settings.zone, runtime.clock.now()
    every = await run_in_threadpool(round_actions.every_round, runtime)
    shown = await run_in_threadpool(overview, runtime)
    groups = []
    for key, heading in _GROUPS:
        views = [v for v in every.views if shown_status(v.row, now) == key]
        groups.append((key, heading, [(v, closes_words(v.dates, zone)) for v in views]))
    return render(
        request,
        "rounds.html",
        status,
        groups=groups,
        consultations=shown.consultations,
        problem=problem,
        done=done or request.query_params.get("done", "")[:200],
        values=values,
        zone=zone.key,
    )
