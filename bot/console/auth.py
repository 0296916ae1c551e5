"""Who is asking: the session cookie, the role a page needs, the CSRF check, the client's
address. Every console page is wrapped in `guard`, so none can forget any of them.

An anonymous request for a page is sent to sign in (HTML) or answered 401 (anything else);
a signed-in officer without the role gets 403. A state-changing request (POST) must carry
the session's CSRF token in its form, or it is refused with 403 before the page runs.
"""

from __future__ import annotations

import functools
import hmac
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from itsdangerous import BadSignature, Signer
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from bot.runtime import Runtime
from bot.services import signin
from bot.services.audit import acting_as

__all__ = [
    "ADMIN",
    "ANYONE",
    "COOKIE",
    "SAFEGUARDING",
    "Page",
    "client_address",
    "form_token_ok",
    "guard",
    "new_form_token",
    "session_cookie",
    "set_form_cookie",
    "set_session_cookie",
]

COOKIE = "yousaid_session"
FORM_COOKIE = "yousaid_form"  # before sign-in: a double-submit token for the two forms
ANYONE = frozenset({"officer", "safeguarding", "admin"})
SAFEGUARDING = frozenset({"safeguarding"})
ADMIN = frozenset({"admin"})
MAX_FORM_BYTES = 1024 * 1024  # a consultation file pasted in a form is at most 1 MB

Page = Callable[[Request], Awaitable[Response]]


def guard(
    roles: frozenset[str], *, uploads: int = 0, stages: frozenset[str] = signin.FULL
) -> Callable[[Page], Page]:
    """Wrap a page: signed in, one of `roles`, CSRF-checked on POST (its form may carry
    up to `uploads` files); the officer is put on `request.state.session`, and the audit
    log names them for whatever the page does. Only the second-factor pages name other
    `stages`: a half-signed-in browser is sent to its next step from every other page."""

    def wrap(page: Page) -> Page:
        @functools.wraps(page)
        async def guarded(request: Request) -> Response:
            runtime: Runtime = request.app.state.runtime
            held = await _session(request, runtime)
            if held is None:
                return _anonymous(request)
            if held.stage not in stages:
                return _half_signed_in(request, held.stage)
            if held.officer.role not in roles:
                return PlainTextResponse("You don't have access to this page.", status_code=403)
            if request.method == "POST":
                form = await request.form(
                    max_files=uploads, max_fields=200, max_part_size=MAX_FORM_BYTES + 1024
                )
                given = form.get("csrf")
                if not isinstance(given, str) or not hmac.compare_digest(given, held.csrf):
                    return PlainTextResponse(
                        "This form has expired. Go back, reload the page and try again.",
                        status_code=403,
                    )
            request.state.session = held
            with acting_as(held.officer.email):
                return await page(request)

        return guarded

    return wrap


def session_cookie(request: Request, runtime: Runtime) -> str | None:
    """The session token in the request's signed cookie, or None."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        return Signer(runtime.keys.cookie_key(), salt="session").unsign(raw).decode()
    except (BadSignature, UnicodeDecodeError):
        return None


def set_session_cookie(response: Response, runtime: Runtime, token: str) -> None:
    """Give the browser its session: signed, HttpOnly, SameSite=Lax, Secure on https."""
    signed = Signer(runtime.keys.cookie_key(), salt="session").sign(token).decode()
    response.set_cookie(
        COOKIE,
        signed,
        httponly=True,
        samesite="lax",
        secure=runtime.settings.secure_cookies,
        path="/console",
    )


def new_form_token() -> str:
    """A token for a form shown before sign-in (sign-in, set-up): see `set_form_cookie`."""
    return secrets.token_urlsafe(24)


def set_form_cookie(response: Response, runtime: Runtime, token: str) -> None:
    """The same token as a cookie, matched against the form's on POST (double submit)."""
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=runtime.settings.secure_cookies,
        path="/console",
    )


def form_token_ok(request: Request, given: object) -> bool:
    """Whether a pre-sign-in form's token matches its cookie."""
    expected = request.cookies.get(FORM_COOKIE)
    return bool(expected) and isinstance(given, str) and hmac.compare_digest(given, expected or "")


def client_address(request: Request, trusted: frozenset[str]) -> str:
    """The client's IP address; behind a trusted proxy, the last address in
    X-Forwarded-For that is not itself a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    if peer not in trusted:
        return peer
    forwarded = [part.strip() for part in request.headers.get("x-forwarded-for", "").split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted:
            return address
    return peer


async def _session(request: Request, runtime: Runtime) -> signin.Session | None:
    token = session_cookie(request, runtime)
    if token is None:
        return None
    return await run_in_threadpool(lambda: signin.current(runtime, token, stages=signin.ALL_STAGES))


def _anonymous(request: Request) -> Response:
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        target = quote(request.url.path, safe="/")
        return RedirectResponse(f"/console/sign-in?next={target}", status_code=303)
    return PlainTextResponse("Sign in first.", status_code=401)


def _half_signed_in(request: Request, stage: str) -> Response:
    """Past the password but not the second step: only that step's page opens."""
    if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
        step = "/console/sign-in/code" if stage == "code" else "/console/second-factor"
        return RedirectResponse(step, status_code=303)
    return PlainTextResponse("Finish signing in first.", status_code=401)
