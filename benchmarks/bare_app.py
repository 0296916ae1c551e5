"""The bare ASGI endpoint the HTTP benchmark compares against: a fixed TwiML reply, on the
same uvicorn, reading the request body as the real route does."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

TWIML = b'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks</Message></Response>'


async def inbound(request: Request) -> Response:
    await request.body()
    return Response(TWIML, media_type="application/xml")


async def healthz(request: Request) -> Response:
    return Response(b'{"status":"ok"}', media_type="application/json")


app = Starlette(
    routes=[
        Route("/webhooks/twilio", inbound, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
)
