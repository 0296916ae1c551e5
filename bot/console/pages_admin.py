"""The admin's pages: officers' accounts (add, disable, a new set-up link) and the audit
log, filtered by who or by action. The same services as `yousaid officer` and
`yousaid audit list`."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.console.auth import ADMIN, guard
from bot.console.templating import render
from bot.runtime import Runtime
from bot.services import officers, second_factor
from bot.services.audit import recent

__all__ = ["routes"]

AUDIT_LIMIT = 200


def routes() -> list[Route]:
    return [
        Route("/officers", accounts, methods=["GET", "POST"]),
        Route("/audit", audit, methods=["GET"]),
    ]


@guard(ADMIN)
async def accounts(request: Request) -> Response:
    """Every account; on POST, add one, disable one or give one a new set-up link."""
    runtime: Runtime = request.app.state.runtime
    link: officers.SetupLink | None = None
    message = ""
    status = 200
    if request.method == "POST":
        form = await request.form()
        email, action = str(form.get("email", "")), str(form.get("action", ""))
        try:
            if action == "add":
                role = str(form.get("role", "officer"))
                link = await run_in_threadpool(officers.add, runtime, email, role)
            elif action == "reset":
                link = await run_in_threadpool(officers.reset, runtime, email)
            elif action == "disable":
                await run_in_threadpool(officers.disable, runtime, email)
                message = f"{email} can no longer sign in."
            elif action in ("require_on", "require_off"):
                message = await _require(request, runtime, action == "require_on")
        except officers.OfficerError as problem:
            message, status = str(problem), 400
    rows = await run_in_threadpool(officers.all_officers, runtime)
    required = await run_in_threadpool(second_factor.required, runtime)
    return render(
        request,
        "officers.html",
        status,
        accounts=rows,
        roles=officers.ROLES,
        link=link,
        message=message,
        failed=status != 200,
        required=required,
    )


async def _require(request: Request, runtime: Runtime, on: bool) -> str:
    """Require a second factor of everybody (or stop); never sign out the admin doing it."""
    admin = request.state.session.officer
    if on and not await run_in_threadpool(second_factor.is_on, runtime, admin):
        raise officers.OfficerError(
            "Set up your own second factor first (Second factor, at the top of the page)."
        )
    signed_out = await run_in_threadpool(second_factor.set_required, runtime, on)
    if not on:
        return "A second factor is now optional."
    return f"Every account now needs a second factor. {signed_out} signed out to set one up."


@guard(ADMIN)
async def audit(request: Request) -> Response:
    """The latest entries, newest first, only one account's or one kind of action's."""
    runtime: Runtime = request.app.state.runtime
    who = request.query_params.get("who", "").strip()
    action = request.query_params.get("action", "").strip()
    entries = await run_in_threadpool(
        lambda: recent(runtime, AUDIT_LIMIT, actor=who or None, action=action or None)
    )
    return render(request, "audit.html", entries=entries, who=who, action=action)
