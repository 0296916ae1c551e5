"""The bare ASGI endpoint the HTTP benchmarks compare against, on the same uvicorn, reading
the request body as the real routes do: a fixed TwiML reply for Twilio, an empty 200 for
Telegram."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks</Message></Response>'


async def inbound(request: Request) -> Response:
    await request.body()
    return Response(TWIML, media_type="application/xml")


async def telegram(request: Request) -> Response:
    await request.body()
    return Response(status_code=200)


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/webhooks/twilio", inbound, methods=["POST"]),
        Route("/webhooks/telegram", telegram, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
)
