"""Deleting Twilio's copy of each message: its log keeps the number and the text.

An inbound message's copy is deleted once it is handled (the pipeline schedules it in the
message's own transaction); an outbound one's at its final delivery status (or a day after
"sent", since many networks never confirm delivery). What is due is recorded first, so a
crash or a failed call only delays the deletion: `erase_due` tries everything due again,
with a growing wait. The webhooks only record what is due; `erase_due` runs in the outbox
sender's Twilio lane (bot/channels/twilio/transport.py), one provider call per message or
picture, so no deletion is on a request's path or holds up a reply. The setting
YOUSAID_ERASE_PROVIDER_COPIES turns it off.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import requests
from twilio.base.exceptions import TwilioRestException, TwilioServiceException

from bot.channels.twilio.client import RestClient, TwilioNotConfigured
from bot.runtime import Runtime
from bot.services import provider_copies
from bot.services.provider_copies import FINAL_STATUSES, PendingErasure

log = logging.getLogger(__name__)

SENT_GRACE = timedelta(days=1)  # "sent" may be the last word a network ever gives
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(days=1)
BATCH = 20


@dataclass(frozen=True)
class ErasureReport:
    erased: int = 0
    failed: int = 0


class CopyEraser:
    """Records which Twilio copies are due for deletion and deletes them."""

    def __init__(self, runtime: Runtime, rest: RestClient | None = None) -> None:
        self.runtime = runtime
        self.enabled = runtime.settings.erase_provider_copies
        self._rest = rest
        settings = runtime.settings
        if self.enabled and rest is None:
            try:
                self._rest = RestClient(settings)
            except TwilioNotConfigured:
                if not (settings.twilio_auth_token or settings.twilio_account_sid):
                    return  # Twilio is not set up at all: nothing to say
                log.warning(
                    "Twilio's copies of messages cannot be deleted: TWILIO_ACCOUNT_SID and "
                    "TWILIO_AUTH_TOKEN are needed; they are recorded and deleted once set"
                )

    def outbound_status(self, sid: str, status: str) -> None:
        """A delivery callback came: delete the copy now if final, else a day after sent."""
        if not self.enabled:
            return
        now = self.runtime.clock.now()
        if status in FINAL_STATUSES:
            due = now
        elif status == "sent":
            due = now + SENT_GRACE
        else:
            return
        provider_copies.schedule_outbound(self.runtime, sid, due)

    def erase_due(self, limit: int = BATCH) -> ErasureReport:
        """Delete every copy due now; each failure is put off to try again later."""
        if not self.enabled or self._rest is None:
            return ErasureReport()
        due = provider_copies.due(self.runtime, limit)
        erased = failed = 0
        for pending in due:
            if self._erase(pending):
                erased += 1
            else:
                failed += 1
        if erased or failed:
            log.info("twilio copies deleted=%d put_off=%d", erased, failed)
        return ErasureReport(erased, failed)

    def _erase(self, pending: PendingErasure) -> bool:
        assert self._rest is not None
        messages = self._rest.messages
        for media_sid in pending.media:
            outcome = _delete(messages(pending.sid).media(media_sid))
            if outcome is not None:
                return self._failed(pending, outcome)
            provider_copies.media_erased(self.runtime, pending.sid, media_sid)
        outcome = _delete(messages(pending.sid))
        if outcome is not None:
            return self._failed(pending, outcome)
        provider_copies.erased(self.runtime, pending.sid)
        return True

    def _failed(self, pending: PendingErasure, why: str) -> bool:
        wait = min(FIRST_RETRY * 2**pending.attempts, LONGEST_RETRY)
        retry_at = self.runtime.clock.now() + wait
        provider_copies.erase_failed(self.runtime, pending.sid, retry_at)
        log.warning(
            "could not delete Twilio's copy of a message (%s); trying again in %s, attempt %d",
            why,
            wait,
            pending.attempts + 1,
        )
        return False


def _delete(resource: object) -> str | None:
    """Delete one Twilio resource; None when it is gone (now or before), else why not."""
    try:
        resource.delete()  # type: ignore[attr-defined]
    except (TwilioRestException, TwilioServiceException) as error:
        if error.status == 404:
            return None
        return f"Twilio answered {error.status}, error {error.code}"
    except requests.RequestException as error:
        return f"network: {type(error).__name__}"
    return None
