"""The officers' web console, under /console/ on the same app as the webhooks.

Server-rendered pages (Jinja2 templates and one stylesheet, all served by the app: no
CDN, no script build). Each page module lists its routes; every page is wrapped in
bot/console/auth.py's `guard`. The console calls the same services as the CLI.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from bot.console import (
    pages_admin,
    pages_consultations,
    pages_home,
    pages_review,
    pages_rounds,
    pages_second_factor,
    pages_signin,
    pages_try_it,
    pages_updates,
)
from bot.console.pages_public import public_routes

__all__ = ["console_mount", "public_routes"]


def console_mount() -> BaseRoute:
    """The console's routes, mounted at /console."""
    static = StaticFiles(packages=[("bot.console", "static")])
    routes: list[BaseRoute] = [
        *pages_signin.routes(),
        *pages_second_factor.routes(),
        *pages_home.routes(),
        *pages_consultations.routes(),
        *pages_review.routes(),
        *pages_rounds.routes(),
        *pages_admin.routes(),
        *pages_updates.routes(),
        *pages_try_it.routes(),
        Mount("/static", app=static, name="static"),
    ]
    return Mount("/console", routes=routes)
