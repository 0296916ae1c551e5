"""What a test does to the fake Twilio: script failures and stalls, and store messages.

`receive` and `store_reply` put messages where Twilio keeps them before its webhook or
after a TwiML reply, so deleting them later behaves as it would.
"""

from __future__ import annotations

import secrets

from tests.fakes.twilio.records import Scripted, TwilioState


class TwilioControls(TwilioState):
    """The test's handles on the fake, beside what the sender does over HTTP."""

    def fail_next(
        self,
        kind: str = "create",
        *,
        status: int = 500,
        code: int | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `kind` ("create" or "delete") request with an error."""
        with self._lock:
            self._script[kind].append(Scripted(status, code, retry_after))

    def stall_next(self, kind: str = "create") -> None:
        """Hold the next `kind` request without answering until the client times out."""
        with self._lock:
            self._script[kind].append(Scripted(stall=True))

    def receive(self, from_: str, body: str = "", *, media: int = 0, to: str | None = None) -> str:
        """Store an inbound message as Twilio would before its webhook; returns its SID."""
        sid = ("MM" if media else "SM") + secrets.token_hex(16)
        channel_to = to or (
            "whatsapp:+447700900001" if from_.startswith("whatsapp:") else "+447700900000"
        )
        with self._lock:
            self.messages[sid] = {
                "sid": sid,
                "from": from_,
                "to": channel_to,
                "body": body,
                "direction": "inbound",
                "status": "received",
                "num_media": str(media),
            }
            self.media[sid] = {"ME" + secrets.token_hex(16) for _ in range(media)}
        return sid

    def store_reply(self, to: str, body: str) -> str:
        """Store an outbound message as Twilio does for a TwiML <Message>; returns its SID."""
        sid = "SM" + secrets.token_hex(16)
        with self._lock:
            self.messages[sid] = {
                "sid": sid,
                "to": to,
                "body": body,
                "direction": "outbound-reply",
                "status": "sent",
                "num_media": "0",
            }
        return sid
