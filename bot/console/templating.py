"""The console's Jinja2 templates (bot/console/templates), autoescaped, and the helper
that renders one into a response with what every page needs."""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bot.times import describe, describe_day

__all__ = ["not_found", "render"]

_ENV = Environment(
    loader=PackageLoader("bot.console", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """`template` rendered with the signed-in officer (if any), their CSRF token and the
    council's time zone."""
    session = getattr(request.state, "session", None)
    runtime = request.app.state.runtime
    zone = runtime.settings.zone
    page = _ENV.get_template(template).render(
        # A half-signed-in browser (second step due) gets no navigation.
        officer=session.officer if session and session.stage == "full" else None,
        csrf=session.csrf if session else "",
        when=lambda moment: describe(moment, zone),
        day=describe_day,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(page, status_code=status_code)


def not_found(request: Request, text: str, **link: str) -> HTMLResponse:
    """The console's 404 page: `text` says what is missing; `link`/`link_text` a way back."""
    return render(request, "message.html", 404, heading="Not found", text=text, **link)
