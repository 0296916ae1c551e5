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
from bot.services import officers
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
        except officers.OfficerError as problem:
            message, status = str(problem), 400
    rows = await run_in_threadpool(officers.all_officers, runtime)
    return render(
        request,
        "officers.html",
        status,
        accounts=rows,
        roles=officers.ROLES,
        link=link,
        message=message,
        failed=status != 200,
    )


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
