"""Body limits at the HTTP edge: every request body is bounded before any route sees it.

An ASGI middleware, outermost in the app, so nothing (no form parser, no signature check,
no JSON decoder) runs on a body past its route's limit:

- a `Content-Length` over the limit is refused with 413 before a byte of the body is read;
- a streamed (chunked) body is read only up to the limit, then refused with 413 and the
  connection closed, so a 1 GB POST costs at most the limit in memory;
- a body that has not arrived within `timeout` seconds is refused with 408 (a slow sender
  can't hold a connection for ever);
- a client that goes away mid-body is logged once at INFO and nothing else happens (the
  app never sees a half body, so there is no "Exception in ASGI application").

The body read within the limit is handed on to the app whole. Limits and their settings
are listed in docs/security.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

__all__ = ["BodyLimits", "RouteLimit"]


@dataclass(frozen=True)
class RouteLimit:
    """The most bytes a body to `path` (or below it) may have."""

    path: str
    max_bytes: int


class BodyLimits:
    """Refuses bodies over their route's limit, or too slow to arrive; see the module."""

    def __init__(
        self,
        app: ASGIApp,
        routes: Sequence[RouteLimit],
        *,
        default: int,
        timeout: float,
    ) -> None:
        self.app = app
        # Longest path first, so /webhooks/twilio/status finds its own limit if it has one.
        self.routes = sorted(routes, key=lambda r: len(r.path), reverse=True)
        self.default = default
        self.timeout = timeout

    def limit_for(self, path: str) -> int:
        """The body limit of a request to `path`."""
        for route in self.routes:
            if path == route.path or path.startswith(route.path.rstrip("/") + "/"):
                return route.max_bytes
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = self.limit_for(path)
        declared = _content_length(scope)
        if declared == _INVALID:
            log.warning("request to %s refused with 400: a bad Content-Length", path)
            await _refuse(send, 400)
            return
        if declared is not None and declared > limit:
            log.warning(
                "request to %s refused with 413: Content-Length %d over the limit of %d",
                path,
                declared,
                limit,
            )
            await _refuse(send, 413)
            return
        body = await self._read(path, limit, receive, send)
        if body is None:
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, path: str, limit: int, receive: Receive, send: Send) -> bytes | None:
        """The whole body, or None once the request has been refused or abandoned."""
        chunks: list[bytes] = []
        size = 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                log.info("request to %s refused with 408: its body was too slow to arrive", path)
                await _refuse(send, 408)
                return None
            if message["type"] == "http.disconnect":
                log.info("request to %s abandoned: the client went away mid-body", path)
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                log.warning(
                    "request to %s refused with 413: body over the limit of %d bytes", path, limit
                )
                await _refuse(send, 413)
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


_INVALID = -1


def _content_length(scope: Scope) -> int | None:
    """The declared length; None when absent (chunked), _INVALID when unreadable."""
    values = [v for k, v in scope.get("headers", ()) if k.lower() == b"content-length"]
    if not values:
        return None
    text = values[0].decode("latin-1").strip()
    if len(values) > 1 or not text.isdigit() or len(text) > 18:
        return _INVALID
    return int(text)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the app the body read already, then the client's own events."""
    given = False

    async def replayed() -> Message:
        nonlocal given
        if not given:
            given = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


async def _refuse(send: Send, status: int) -> None:
    # Connection: close, so the server stops reading the rest of a refused body.
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", b"0"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": b""})
