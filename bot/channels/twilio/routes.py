"""POST /webhooks/twilio (inbound SMS and WhatsApp) and POST /webhooks/twilio/status.

Both check Twilio's signature before anything is read or stored. The inbound route answers
with TwiML only after the pipeline has committed (`Pipeline.receive` commits before it
returns), so a 2xx always means "stored"; any failure answers 500 and Twilio's retry is
deduplicated by MessageSid. The pipeline is synchronous: it runs in Starlette's thread pool.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.channels.twilio.adapter import (
    INBOUND_PATH,
    STATUS_PATH,
    BadWebhook,
    Form,
    field,
    media_sids,
    parse_form,
    render_twiml,
    to_received,
)
from bot.channels.twilio.cleanup import CopyEraser
from bot.channels.twilio.signature import SIGNATURE_HEADER, SignatureCheck, public_url
from bot.pipeline import Handled, Pipeline, Received
from bot.runtime import Runtime
from bot.services.delivery_reports import record_status
from bot.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["INBOUND_PATH", "STATUS_PATH", "TwilioWebhooks", "setup_lines"]

TWIML = "application/xml"

_SID = re.compile(r"^[A-Z]{2}[0-9a-f]{32}$")
_STATUS = re.compile(r"^[a-z_]{1,16}$")
_OUTBOX_ID = re.compile(r"^[0-9a-f]{32}$")
# Unsigned requests are parsed and checked in threads of their own, at most this many at
# once, so a flood of junk queues behind itself, never in front of the pipeline's threads.
PARSE_THREADS = 2
# A body this small is parsed and checked on the event loop itself: a thread hop costs more
# than the parse and the HMAC (about 0.2 ms for a usual 500-byte inbound SMS form).
INLINE_BODY = 2048


class TwilioWebhooks:
    """The two Twilio routes, sharing the signature check and the copy eraser."""

    def __init__(
        self,
        runtime: Runtime,
        pipeline: Pipeline,
        *,
        overrides: str = "",
        eraser: CopyEraser | None = None,
    ) -> None:
        self.runtime = runtime
        self.pipeline = pipeline
        self.overrides = overrides
        self.eraser = eraser or CopyEraser(runtime)
        self._parse_limiter: CapacityLimiter | None = None  # made on the event loop

    def routes(self) -> list[Route]:
        return [
            Route(INBOUND_PATH, self.inbound, methods=["POST"]),
            Route(STATUS_PATH, self.status, methods=["POST"]),
        ]

    def status_url(self, outbox_id: str | int | None = None) -> str | None:
        """Where Twilio reports a reply's delivery; None without a public URL."""
        base = self.runtime.settings.public_url
        if not base:
            return None
        query = f"outbox={outbox_id}" if outbox_id else ""
        return public_url(base, STATUS_PATH, query, self.overrides)

    async def inbound(self, request: Request) -> Response:
        """An SMS or WhatsApp message: store its effects, answer with the replies."""
        form = await self._verified(request, INBOUND_PATH)
        if isinstance(form, Response):
            return form
        try:
            received = to_received(form)
            media = media_sids(form)
        except BadWebhook as error:
            log.warning("twilio webhook refused with 400: %s", error)
            return Response(status_code=400)
        try:
            handled = await self.pipeline.off_loop(self._handle, received, media)
        except Exception as error:
            log.error(
                "twilio webhook failed, answering 500 so Twilio can retry: error=%s",
                type(error).__name__,
            )
            return Response(status_code=500)
        if handled.duplicate:
            log.info("twilio webhook retried: answered with the stored replies")
        urls = [self.status_url(outbox_id) for outbox_id in handled.outbox_ids] or [
            self.status_url() for _ in handled.replies
        ]
        return Response(render_twiml(handled.replies, urls), media_type=TWIML)

    async def status(self, request: Request) -> Response:
        """A delivery callback: record the status; Twilio's copy is due for deletion once final
        (the outbox sender's Twilio lane deletes it, off the request's path)."""
        form = await self._verified(request, STATUS_PATH)
        if isinstance(form, Response):
            return form
        sid = field(form, "MessageSid") or field(form, "SmsSid")
        status = (field(form, "MessageStatus") or field(form, "SmsStatus")).lower()
        if not _SID.match(sid) or not _STATUS.match(status):
            log.warning("twilio status callback refused with 400: no MessageSid or status")
            return Response(status_code=400)
        code = field(form, "ErrorCode").strip()
        error_code = int(code) if code.isdecimal() and len(code) <= 9 else None
        outbox_id = request.query_params.get("outbox")
        if outbox_id is not None and not _OUTBOX_ID.match(outbox_id):
            outbox_id = None
        try:
            known = await run_in_threadpool(self._record, sid, status, error_code, outbox_id)
        except Exception as error:
            log.error(
                "twilio status callback failed, answering 500: error=%s", type(error).__name__
            )
            return Response(status_code=500)
        log.info("twilio delivery status=%s error_code=%s known=%s", status, error_code, known)
        return Response(status_code=200)

    async def _verified(self, request: Request, path: str) -> Form | Response:
        """The form, once the signature is Twilio's; otherwise the response to give."""
        settings = self.runtime.settings
        missing = [
            name
            for name, value in (
                ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
                ("YOUSAID_PUBLIC_URL", settings.public_url),
            )
            if not value
        ]
        if missing:
            log.error(
                "twilio webhook refused with 503: %s not set, so Twilio's signature cannot "
                "be checked; set it and restart",
                " and ".join(missing),
            )
            return Response(status_code=503)
        # The body limit was applied before the body was read (bot/web_limits.py); the
        # field count is checked before the form is parsed or any HMAC computed; for a body
        # over INLINE_BODY both run in threads of their own (PARSE_THREADS), off the loop.
        body = await request.body()
        if len(body) > settings.twilio_max_body or body.count(b"&") >= settings.twilio_max_fields:
            log.warning(
                "twilio webhook refused with 413: %d bytes, %d fields, before parsing",
                len(body),
                body.count(b"&") + 1,
            )
            return Response(status_code=413, headers={"Connection": "close"})
        check = SignatureCheck(settings.twilio_auth_token, settings.public_url, self.overrides)
        signature = request.headers.get(SIGNATURE_HEADER)
        query = request.scope.get("query_string", b"").decode("latin-1")
        content_type = request.headers.get("content-type")
        try:
            if len(body) <= INLINE_BODY:
                form, valid = _parse_and_check(check, body, content_type, path, query, signature)
            else:
                if self._parse_limiter is None:
                    self._parse_limiter = CapacityLimiter(PARSE_THREADS)
                form, valid = await anyio.to_thread.run_sync(
                    _parse_and_check,
                    check,
                    body,
                    content_type,
                    path,
                    query,
                    signature,
                    limiter=self._parse_limiter,
                )
        except BadWebhook as error:
            log.warning("twilio webhook refused with 400: %s (%d bytes)", error, len(body))
            return Response(status_code=400)
        if not valid:
            log.warning(
                "twilio webhook refused with 403: %s signature (checked against %s)",
                "wrong" if signature else "missing",
                public_url(settings.public_url, path),
            )
            return Response(status_code=403)
        return form

    def _handle(self, received: Received, media: Sequence[str]) -> Handled:
        # One transaction: the replies go out as TwiML in this response (Twilio sends them,
        # so they are marked delivered with the rest), and Twilio's copy of the message is
        # scheduled for deletion in the same commit.
        received = replace(
            received,
            replies_in_response=True,
            erase_copy=self.eraser.enabled,
            media=tuple(media),
        )
        return self.pipeline.receive(received)

    def _record(self, sid: str, status: str, error_code: int | None, outbox: str | None) -> bool:
        known = record_status(self.runtime, sid, status, error_code, outbox)
        self.eraser.outbound_status(sid, status)
        return known


def _parse_and_check(
    check: SignatureCheck,
    body: bytes,
    content_type: str | None,
    path: str,
    query: str,
    signature: str | None,
) -> tuple[Form, bool]:
    """The form and whether Twilio signed it; off the event loop. Raises BadWebhook."""
    form = parse_form(body, content_type)
    return form, check.valid(path, query, form, signature)


def setup_lines(settings: Settings, overrides: str = "") -> list[str]:
    """What `yousaid serve` says about the Twilio webhooks: where to point a number."""
    missing = [
        name
        for name, value in (
            ("TWILIO_AUTH_TOKEN", settings.twilio_auth_token),
            ("YOUSAID_PUBLIC_URL", settings.public_url),
        )
        if not value
    ]
    if missing:
        return [
            f"  Twilio (SMS, WhatsApp): {INBOUND_PATH} answers 503 until "
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} set "
            "(see the README)."
        ]
    base = settings.public_url
    return [
        f"  Twilio, a message comes in:  {public_url(base, INBOUND_PATH, '', overrides)}  (POST)",
        f"  Twilio, status callback:     {public_url(base, STATUS_PATH, '', overrides)}  (POST)",
    ]
