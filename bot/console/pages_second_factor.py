"""The second factor's pages: the code after the password, and setting one up (with a QR
code drawn on the server as inline SVG) or turning it off.

A half-signed-in browser (the password was right, the second step is due) opens only
these; `guard` sends it here from every other page.
"""

from __future__ import annotations

import segno
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.console.auth import ANYONE, client_address, guard, session_cookie, set_session_cookie
from bot.console.pages_signin import TOO_MANY, safe_next
from bot.console.templating import render
from bot.runtime import Runtime
from bot.services import second_factor, signin

__all__ = ["routes"]

WRONG_CODE = "That code didn't work. Type the 6 digits your authenticator app shows now."
_FORM = {"max_files": 0, "max_fields": 20, "max_part_size": 4096}


def routes() -> list[Route]:
    return [
        Route("/sign-in/code", code_page, methods=["GET", "POST"]),
        Route("/second-factor", setup_page, methods=["GET", "POST"]),
    ]


@guard(ANYONE, stages=frozenset({"code"}))
async def code_page(request: Request) -> Response:
    """The code from the officer's authenticator app; the right one finishes signing in."""
    runtime: Runtime = request.app.state.runtime
    wanted = safe_next(request.query_params.get("next", ""))
    if request.method == "GET":
        return render(request, "sign_in_code.html", next=wanted, message="")
    form = await request.form(**_FORM)
    wanted = safe_next(str(form.get("next", "")))
    token = session_cookie(request, runtime) or ""
    address = client_address(request, runtime.settings.trusted_proxy_set)
    code = str(form.get("code", ""))
    outcome = await run_in_threadpool(signin.enter_code, runtime, token, code, address)
    if isinstance(outcome, signin.Refused):
        many = outcome.reason == "too_many"
        message = TOO_MANY if many else WRONG_CODE
        return render(
            request, "sign_in_code.html", 429 if many else 400, next=wanted, message=message
        )
    response = RedirectResponse(wanted or "/console/", status_code=303)
    set_session_cookie(response, runtime, outcome.token)
    return response


@guard(ANYONE, stages=frozenset({"full", "enrol"}))
async def setup_page(request: Request) -> Response:
    """Whether the officer's second factor is on; set one up (QR code, the secret as
    text, confirm with a code) or turn it off with a code."""
    runtime: Runtime = request.app.state.runtime
    held: signin.Session = request.state.session
    officer = held.officer
    message, status = "", 200
    if request.method == "POST":
        form = await request.form(**_FORM)
        action, code = str(form.get("action", "")), str(form.get("code", ""))
        try:
            if action == "start":
                await run_in_threadpool(second_factor.start, runtime, officer)
            elif action == "confirm":
                await run_in_threadpool(second_factor.confirm, runtime, officer, code)
                if held.stage == "enrol":
                    return await _finish_enrolment(request, runtime)
                message = "Your second factor is on. You'll need a code each time you sign in."
            elif action == "off":
                await run_in_threadpool(second_factor.turn_off, runtime, officer, code)
                message = "Your second factor is off."
        except second_factor.SecondFactorError as problem:
            message, status = str(problem), 400
    on = await run_in_threadpool(second_factor.is_on, runtime, officer)
    waiting = None if on else await run_in_threadpool(second_factor.waiting, runtime, officer)
    return render(
        request,
        "second_factor.html",
        status,
        on=on,
        enrolling=held.stage == "enrol",
        waiting=waiting,
        qr=_qr(waiting.uri) if waiting else None,
        grouped=_grouped(waiting.secret) if waiting else "",
        message=message,
        failed=status != 200,
    )


async def _finish_enrolment(request: Request, runtime: Runtime) -> Response:
    token = session_cookie(request, runtime) or ""
    outcome = await run_in_threadpool(signin.promote, runtime, token)
    if outcome is None:
        return RedirectResponse("/console/sign-in", status_code=303)
    response = RedirectResponse("/console/", status_code=303)
    set_session_cookie(response, runtime, outcome.token)
    return response


def _qr(uri: str) -> Markup:
    """The otpauth link as an inline <svg> (no script, no style attribute: the CSP holds)."""
    svg = segno.make(uri, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app"
    )
    return Markup(svg)  # segno's own markup of our own link: nothing anyone typed


def _grouped(secret: str) -> str:
    """The secret in groups of four, easier to type."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
