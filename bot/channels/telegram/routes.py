"""POST /webhooks/telegram: Telegram's updates, answered only once they are committed.

A request without the right X-Telegram-Bot-Api-Secret-Token gets 403 and is dropped before
anything is read. The body (already bounded by bot/web_limits.py) is checked against a typed
model (payload.py); one that is not a usable update gets 200 and one log line, since
Telegram resends anything else. 200 means the update's effects are stored (or it failed so
often that it was recorded and acknowledged); 500 asks Telegram to send it again, and the pipeline's
dedupe by update_id makes the resend harmless.
"""

from __future__ import annotations

import hmac
import json
import logging

from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update

from bot.channels.telegram.payload import UpdatePayload, unusable_reason
from bot.channels.telegram.setup import WEBHOOK_PATH, TelegramChannel

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_UNUSABLE = "telegram webhook: not a usable update, acknowledged with 200 and dropped (%s)"


class TelegramWebhook:
    def __init__(self, channel: TelegramChannel) -> None:
        self.channel = channel

    def routes(self) -> list[Route]:
        return [Route(WEBHOOK_PATH, self.receive, methods=["POST"])]

    async def receive(self, request: Request) -> Response:
        """One update from Telegram."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.channel.secret.encode()):
            log.warning(
                "telegram webhook refused with 403: %s secret token",
                "wrong" if given else "missing",
            )
            return Response(status_code=403)
        body = await request.body()  # at most YOUSAID_TELEGRAM_MAX_BODY (bot/web_limits.py)
        if len(body) > self.channel.runtime.settings.telegram_max_body:
            log.warning("telegram webhook refused with 413: body of %d bytes", len(body))
            return Response(status_code=413)
        update = self._update(body)
        if update is None:
            return Response(status_code=200)  # acknowledged: a resend would be no better
        if not await self.channel.ensure_ready():
            return Response(status_code=503)
        try:
            acknowledged = await self.channel.process(update)
        except Exception as error:
            log.error(
                "telegram webhook failed, answering 500 so Telegram sends it again: error=%s",
                type(error).__name__,
            )
            return Response(status_code=500)
        return Response(status_code=200 if acknowledged else 500)

    def _update(self, body: bytes) -> Update | None:
        """The update, or None (logged once, without the body) when it is not usable."""
        try:
            UpdatePayload.model_validate_json(body)
        except ValidationError as error:
            log.warning(_UNUSABLE, unusable_reason(error))
            return None
        try:
            return Update.de_json(json.loads(body), self.channel.application.bot)
        except Exception as error:
            # Never the body in the log: it holds ids and text.
            log.warning(_UNUSABLE, type(error).__name__)
            return None
