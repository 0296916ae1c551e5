"""Security headers on every response the app sends (docs/console.md, docs/security.md).

A Content-Security-Policy that allows only the app's own scripts, styles and images (no
inline script, no third-party origin), no framing, no referrer across origins, and HSTS
when the public URL is https. Console pages are never cached.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityHeaders"]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
_HSTS = "max-age=31536000; includeSubDomains"


class SecurityHeaders:
    """Pure ASGI middleware: adds the headers as each response starts."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        # Encoded once: every webhook response carries them, so no per-request building.
        common = [
            ("Content-Security-Policy", CSP),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ]
        if https:
            common.append(("Strict-Transport-Security", _HSTS))
        self._public = _encoded(common)
        self._private = _encoded([*common, ("Cache-Control", "no-store")])
        self._names = {name for name, _ in self._private}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        private = str(scope.get("path", "")).startswith("/console")
        ours = self._private if private else self._public

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Ours replace any the page set itself (MutableHeaders' rule, kept).
                names = self._names
                kept = [pair for pair in message.get("headers", ()) if pair[0].lower() not in names]
                message["headers"] = [*kept, *ours]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _encoded(headers: list[tuple[str, str]]) -> list[tuple[bytes, bytes]]:
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
