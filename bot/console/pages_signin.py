"""Sign in, sign out, and set a password from a set-up link."""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import (
    ANYONE,
    COOKIE,
    client_address,
    form_token_ok,
    guard,
    new_form_token,
    session_cookie,
    set_form_cookie,
    set_session_cookie,
)
from bot.console.templating import render
from bot.runtime import Runtime
from bot.services import officers, signin

__all__ = ["TOO_MANY", "routes", "safe_next"]

TOO_MANY = "Too many tries. Wait 10 minutes."
WRONG = "That e-mail and password don't match an account. Check them and try again."
_FORM = {"max_files": 0, "max_fields": 20, "max_part_size": 4096}


def routes() -> list[Route]:
    return [
        Route("/sign-in", sign_in_page, methods=["GET", "POST"]),
        Route("/sign-out", sign_out, methods=["POST"]),
        Route("/setup/{token}", setup_page, methods=["GET", "POST"]),
    ]


async def sign_in_page(request: Request) -> Response:
    """The sign-in form; on POST, a session and the page asked for, or a plain refusal
    that never says whether the e-mail has an account."""
    runtime: Runtime = request.app.state.runtime
    wanted = safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        return _form(request, runtime, "sign_in.html", next=wanted, email="", message="")
    form = await request.form(**_FORM)
    wanted = safe_next(str(form.get("next", "")))
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    if not form_token_ok(request, form.get("form_token")):
        message = "This form has expired. Try again."
        return _form(
            request, runtime, "sign_in.html", 403, next=wanted, email=email, message=message
        )
    address = client_address(request, runtime.settings.trusted_proxy_set)
    outcome = await run_in_threadpool(signin.sign_in, runtime, email, password, address)
    if isinstance(outcome, signin.Refused):
        message = TOO_MANY if outcome.reason == "too_many" else WRONG
        status = 429 if outcome.reason == "too_many" else 400
        return _form(
            request, runtime, "sign_in.html", status, next=wanted, email=email, message=message
        )
    target = wanted or "/console/"
    if outcome.stage == "code":
        target = "/console/sign-in/code" + (f"?next={quote(wanted, safe='/')}" if wanted else "")
    elif outcome.stage == "enrol":
        target = "/console/second-factor"
    response = RedirectResponse(target, status_code=303)
    set_session_cookie(response, runtime, outcome.token)
    return response


@guard(ANYONE, stages=signin.ALL_STAGES)
async def sign_out(request: Request) -> Response:
    """End the session on the server and forget the cookie."""
    runtime: Runtime = request.app.state.runtime
    token = session_cookie(request, runtime)
    if token is not None:
        await run_in_threadpool(signin.sign_out, runtime, token)
    response = RedirectResponse("/console/sign-in", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


async def setup_page(request: Request) -> Response:
    """Set a password from a one-time link; then sign in with it."""
    runtime: Runtime = request.app.state.runtime
    token = request.path_params["token"]
    account = await run_in_threadpool(officers.link_target, runtime, token)
    if request.method == "GET" or account is None:
        return _form(request, runtime, "setup.html", account=account, message="")
    form = await request.form(**_FORM)
    if not form_token_ok(request, form.get("form_token")):
        return _form(
            request,
            runtime,
            "setup.html",
            403,
            account=account,
            message="This form has expired. Try again.",
        )
    try:
        await run_in_threadpool(
            officers.set_password, runtime, token, str(form.get("password", ""))
        )
    except officers.OfficerError as problem:
        return _form(request, runtime, "setup.html", 400, account=account, message=str(problem))
    return render(
        request,
        "message.html",
        heading="Your password is set",
        text="You can sign in now.",
        link="/console/sign-in",
        link_text="Sign in",
    )


def _form(
    request: Request, runtime: Runtime, name: str, status: int = 200, **context: object
) -> Response:
    token = new_form_token()
    response = render(request, name, status, form_token=token, **context)
    set_form_cookie(response, runtime, token)
    return response


def safe_next(target: str) -> str:
    """Only a console path: never another site (an open redirect)."""
    if target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return ""
