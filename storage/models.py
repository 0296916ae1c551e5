"""Every table model in one place to import from; each lives in the module of its job.

The anonymity model: responses, pending_answers and answers (storage.models_answers)
carry a respondent key (an HMAC of a random token), a round and a day; no column or
foreign key leads from them to a participant or a conversation, and none holds an exact
time. Anything that is personal (participant state with its tokens, addresses, replies;
storage.models_people) is stored only AES-GCM encrypted. Consultations, rounds and the
database's own facts are in storage.models_rounds; the base, the column sizes and the UTC
time type in storage.models_base. Migrations (storage/migrations) create the tables.
"""

from __future__ import annotations

from storage.models_answers import Answer, AnswerColumns, PendingAnswer, Response, ReviewItem
from storage.models_base import (
    ID,
    NAME,
    NAMING_CONVENTION,
    PSEUDONYM,
    SHORT,
    Base,
    UTCDateTime,
    new_id,
)
from storage.models_people import (
    Conversation,
    InboundMessage,
    OutboxMessage,
    Participant,
    Subscription,
)
from storage.models_rounds import Consultation, Meta, Round

__all__ = [
    "ID",
    "NAME",
    "NAMING_CONVENTION",
    "PSEUDONYM",
    "SHORT",
    "Answer",
    "AnswerColumns",
    "Base",
    "Consultation",
    "Conversation",
    "InboundMessage",
    "Meta",
    "OutboxMessage",
    "Participant",
    "PendingAnswer",
    "Response",
    "ReviewItem",
    "Round",
    "Subscription",
    "UTCDateTime",
    "new_id",
]
