"""One Telegram chat's message log: recent message ids with their dates, the live question.

Kept encrypted in `telegram_chats.log_enc` (storage.repositories.telegram_messages): EXIT
and DELETE remove those messages while the Bot API still allows it (48 hours).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

__all__ = [
    "DELETE_WINDOW",
    "MAX_LOGGED",
    "ChatLog",
    "LiveQuestion",
    "decode_log",
    "encode_log",
    "telegram_log_aad",
]

DELETE_WINDOW = timedelta(hours=48)
"""The Bot API deletes messages younger than this; older ids are of no more use."""
MAX_LOGGED = 500  # a chat far busier than any consultation still keeps a bounded log
_MARGIN = timedelta(minutes=5)  # our clock and Telegram's may differ a little


@dataclass(frozen=True)
class LiveQuestion:
    """The message of the question waiting for an answer, while its buttons are shown."""

    message_id: int
    ref: str


@dataclass(frozen=True)
class ChatLog:
    """Recent message ids of one chat with their dates, and the live question message."""

    messages: tuple[tuple[int, datetime], ...] = ()
    question: LiveQuestion | None = None

    def with_messages(self, ids: Sequence[int], at: datetime) -> ChatLog:
        """The log with `ids` added, sent or received at `at`; older than 48 h dropped."""
        kept = [(i, when) for i, when in self.messages if at - when < DELETE_WINDOW]
        kept += [(i, at) for i in ids]
        return replace(self, messages=tuple(kept[-MAX_LOGGED:]))

    def deletable(self, now: datetime) -> tuple[int, ...]:
        """Ids the Bot API still deletes at `now`, oldest first."""
        return tuple(i for i, when in self.messages if now - when < DELETE_WINDOW - _MARGIN)

    def forgetting(self, ids: Sequence[int]) -> ChatLog:
        gone = set(ids)
        question = self.question
        if question is not None and question.message_id in gone:
            question = None
        return ChatLog(tuple(m for m in self.messages if m[0] not in gone), question)


def telegram_log_aad(pseudonym: str) -> bytes:
    """Associated data sealing one chat's message log to its participant."""
    return b"telegram_chats.log_enc|" + pseudonym.encode()


def encode_log(log: ChatLog) -> bytes:
    """The log as compact JSON bytes (ids and whole seconds), sealed by the caller."""
    question = log.question
    data = {
        "m": [[i, int(when.timestamp())] for i, when in log.messages],
        "q": None if question is None else [question.message_id, question.ref],
    }
    return json.dumps(data, separators=(",", ":")).encode()


def decode_log(raw: bytes) -> ChatLog:
    """The log from `encode_log` bytes."""
    data = json.loads(raw)
    messages = tuple((int(i), datetime.fromtimestamp(int(t), UTC)) for i, t in data.get("m", []))
    q = data.get("q")
    question = None if q is None else LiveQuestion(int(q[0]), str(q[1]))
    return ChatLog(messages, question)
