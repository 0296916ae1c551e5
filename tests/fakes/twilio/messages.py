"""The Messages API's rules: what creating and deleting a message checks and answers.

Basic fields of Messages.json, the 1,600-character body limit (21617), invalid numbers
(21211), opted-out recipients (21610), landlines (21614), WhatsApp outside the 24-hour
window (63016), carrier filtering (30007), and DELETE of a message and of its media (404
once gone, 20009 while the message is still in progress).

The real API reports 30007 and 63016 later, in a status callback; here a recipient put in
`filtered` or `outside_window` gets them at once, so a sender's handling of the code can be
tested in one call.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from conversations.segments import count_segments
from tests.fakes.twilio.records import API_VERSION, TwilioState

MAX_BODY = 1600

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class TwilioMessages(TwilioState):
    """Each rule returns (HTTP status, JSON body) as Twilio would answer."""

    def _create(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        refused = self._address_refusal(form) or self._delivery_refusal(form)
        if refused is not None:
            return refused
        to = form.get("To", "")
        sender = form.get("From", "")
        service = form.get("MessagingServiceSid", "")
        body = form.get("Body")
        sid = "SM" + secrets.token_hex(16)
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "from": sender or None,
            "messaging_service_sid": service or None,
            "body": body or "",
            "status": "accepted" if service else "queued",
            "direction": "outbound-api",
            "num_media": "0",
            "num_segments": str(count_segments(body or "").segments),
            "error_code": None,
            "error_message": None,
            "api_version": API_VERSION,
            "status_callback": form.get("StatusCallback"),
            "content_sid": form.get("ContentSid"),
        }
        with self._lock:
            self.messages[sid] = message
        return 201, {k: v for k, v in message.items() if k not in ("status_callback",)}

    def _address_refusal(self, form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        """Twilio's error for a message's To, From or service, checked in Twilio's order."""
        to = form.get("To", "")
        sender = form.get("From", "")
        service = form.get("MessagingServiceSid", "")
        number = to.removeprefix("whatsapp:")
        if not to:
            return error(400, 21604, "A 'To' phone number is required.")
        if not _E164.match(number):
            return error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not sender and not service:
            return error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required.")
        if service and not service.startswith("MG"):
            return error(400, 21701, "The Messaging Service Sid is invalid.")
        if sender and sender not in self.numbers:
            return error(400, 21606, "The From number is not a number of this account.")
        if sender and sender.startswith("whatsapp:") != to.startswith("whatsapp:"):
            return error(400, 21910, "Invalid From and To pair. They must use the same channel.")
        return None

    def _delivery_refusal(self, form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
        """Twilio's error for a message's body or its recipient, after the address checks."""
        to = form.get("To", "")
        body = form.get("Body")
        number = to.removeprefix("whatsapp:")
        if body is None and "ContentSid" not in form:
            return error(400, 21602, "Message body is required.")
        if body is not None and len(body) > MAX_BODY:
            return error(400, 21617, "The message body exceeds the 1600 character limit.")
        if to in self.unsubscribed or number in self.unsubscribed:
            return error(400, 21610, "Attempt to send to unsubscribed recipient")
        if number in self.landlines:
            return error(400, 21614, f"'To' number {to} is not a valid mobile number")
        freeform = "ContentSid" not in form
        if to.startswith("whatsapp:") and number in self.outside_window and freeform:
            return error(400, 63016, "Outside the allowed window. Please use a Template.")
        if number in self.filtered:
            return error(400, 30007, "Message filtered by the carrier.")
        return None

    def _delete(self, sid: str, media_sid: str | None) -> tuple[int, dict[str, Any] | None]:
        with self._lock:
            if sid not in self.messages:
                return error(404, 20404, "The requested resource was not found")
            if media_sid is not None:
                if media_sid not in self.media.get(sid, set()):
                    return error(404, 20404, "The requested resource was not found")
                self.media[sid].discard(media_sid)
                return 204, None
            if sid in self.in_progress:
                return error(409, 20009, "Cannot delete message because it is in progress.")
            del self.messages[sid]
            self.media.pop(sid, None)
        return 204, None


def error(status: int, code: int, message: str) -> tuple[int, dict[str, Any]]:
    """Twilio's JSON error body, with its HTTP status."""
    return status, {
        "code": code,
        "message": message,
        "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
    }
