"""A small fake of Twilio's Messages API over real HTTP on 127.0.0.1, run in a thread.

It behaves like the real API where YouSaid depends on it: basic auth, the form fields of
Messages.json, the 1,600-character body limit (21617), invalid numbers (21211), opted-out
recipients (21610), landlines (21614), WhatsApp outside the 24-hour window (63016),
carrier filtering (30007), DELETE of a message and of its media (404 once gone, 20009
while the message is still in progress), and scripted 429s, 500s and stalls for
timeouts. Every call is recorded so tests can assert what was sent and deleted.

This module puts together the parts in `tests/fakes/twilio/` and names what tests use.
"""

from __future__ import annotations

from tests.fakes.twilio.controls import TwilioControls
from tests.fakes.twilio.messages import MAX_BODY
from tests.fakes.twilio.records import API_VERSION, Call, Scripted
from tests.fakes.twilio.server import TwilioServer

__all__ = ["API_VERSION", "MAX_BODY", "Call", "FakeTwilio", "Scripted"]


class FakeTwilio(TwilioServer, TwilioControls):
    """Start with `with FakeTwilio() as fake:`; point the sender at `fake.url`."""
