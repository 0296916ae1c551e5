"""The fake Bot API's HTTP side: the server thread, routing by token and method, replies.

The real python-telegram-bot library talks to it through `TELEGRAM_API_URL`. A wrong token
gets 401, a failure scripted with `fail_next` comes before the method, getUpdates waits for
updates (and is refused with 409 while a webhook is set), and every call is recorded.
"""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs

from tests.fakes.telegram.methods import METHODS, BotMethods
from tests.fakes.telegram.records import ApiError

_PATH = re.compile(r"^/bot([^/]+)/(\w+)$")
# Sent as plain strings by clients; everything else is JSON-encoded in a form.
_STRING_FIELDS = frozenset(
    {"text", "callback_query_id", "url", "secret_token", "caption", "parse_mode"}
)


class BotServer(BotMethods):
    """Serves the methods over HTTP on 127.0.0.1 while in a `with` block."""

    def __enter__(self) -> Self:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if fake.keep_alive else "HTTP/1.0"

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        assert self._thread is not None
        with self._changed:
            self.poll_wait_cap = 0
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        """The server's root, for TELEGRAM_API_URL."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        match = _PATH.match(request.path.split("?", 1)[0])
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if match is None:
            self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = match.group(1), match.group(2)
        params = _params(body, request.headers.get("Content-Type", ""))
        if token != self.token:
            refused = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._record(method, params, 401, None)
            self._reply(request, 401, refused)
            return
        if method.lower() == "getupdates":
            self._get_updates(request, params)
            return
        status = 200
        payload: dict[str, Any]
        with self._changed:
            try:
                result = self._dispatch(method, params)
            except ApiError as error:
                payload = {
                    "ok": False,
                    "error_code": error.status,
                    "description": error.description,
                }
                if error.retry_after is not None:
                    payload["parameters"] = {"retry_after": error.retry_after}
                self._record(method, params, error.status, error.description)
                status = error.status
            else:
                payload = {"ok": True, "result": result}
                self._record(method, params, 200, result)
            self._changed.notify_all()
        self._reply(request, status, payload)

    def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        for scripted in self.scripted:
            if scripted.method.lower() == method.lower():
                self.scripted.remove(scripted)
                raise ApiError(scripted.status, scripted.description, scripted.retry_after)
        handler = METHODS.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(self, params)

    def _get_updates(self, request: BaseHTTPRequestHandler, params: dict[str, Any]) -> None:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        with self._changed:
            if self.webhook is not None:
                description = (
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first"
                )
                self._record("getUpdates", params, 409, description)
                payload = {"ok": False, "error_code": 409, "description": description}
                self._reply(request, 409, payload)
                return
            # Recorded as it arrives: the offset confirms every update before it.
            self._record("getUpdates", params, 200, None)
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            self._changed.notify_all()
            self._changed.wait_for(lambda: bool(self._pending), min(timeout, self.poll_wait_cap))
            result = list(self._pending)
        self._reply(request, 200, {"ok": True, "result": result})

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


def _params(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        loaded = json.loads(body)
        return dict(loaded) if isinstance(loaded, dict) else {}
    params: dict[str, Any] = {}
    for name, values in parse_qs(body.decode(), keep_blank_values=True).items():
        value = values[-1]
        if name in _STRING_FIELDS:
            params[name] = value
            continue
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params
