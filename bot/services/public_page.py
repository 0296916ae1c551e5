"""What a consultation's public page (/c/<id>) shows, for anyone, signed in or not: what
was asked and when, the results of rounds that are closed and past their results date,
and the updates sent, each action's status and progress.

Only for a consultation whose latest version says `public: true`. No free text (neither
answers nor replies to updates) and no officer's name: counts, with the configured
threshold's suppression (never lowered), and the officers' published words of updates.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from bot.library import Library
from bot.runtime import Runtime
from bot.services.published import published_updates
from bot.services.results import report
from bot.services.rounds import shown_status
from bot.settings import Settings
from conversations import results as summary
from conversations.model import Consultation, Question, QuestionType

__all__ = [
    "PublicAction",
    "PublicPage",
    "PublicQuestion",
    "PublicRound",
    "PublicUpdate",
    "public_link",
    "public_page",
]

_LANGUAGE = "en"
_CHARTED = (QuestionType.CHOICE, QuestionType.MULTI, QuestionType.SCALE, QuestionType.YESNO)


@dataclass(frozen=True)
class PublicQuestion:
    id: str
    text: str  # in English (the consultation's first language if it has no English)


@dataclass(frozen=True)
class PublicRound:
    id: str
    status: str  # scheduled, open or closed
    opens_at: datetime
    closes_at: datetime | None
    results_from: datetime | None  # when its results are shown (None: after it closes)
    # Per question with answers to count: its results, suppressed; None until released.
    results: list[summary.QuestionResult] | None


@dataclass(frozen=True)
class PublicAction:
    title: str
    status: str
    progress: int | None  # per cent done, when the officer said
    changed: str | None
    reason: str | None  # why not, for an action not being done
    you_said: str | None


@dataclass(frozen=True)
class PublicUpdate:
    sent_from: date  # the day it went out
    actions: list[PublicAction]


@dataclass(frozen=True)
class PublicPage:
    id: str
    title: str
    questions: list[PublicQuestion]
    rounds: list[PublicRound]
    updates: list[PublicUpdate]
    min_count: int


def public_link(settings: Settings, consultation: Consultation) -> str | None:
    """The short link to `consultation`'s public page that updates and MORE carry: only
    when it is public (`public: true`), the app knows its own address (YOUSAID_PUBLIC_URL)
    and serves the public pages (YOUSAID_CONSOLE on). /c/<id> is short already: an SMS
    segment is 160 characters, and a redirect from a shorter path would save little."""
    base = settings.public_url.strip().rstrip("/")
    if not (base and settings.console and consultation.public):
        return None
    return f"{base}/c/{consultation.id}"


def public_page(runtime: Runtime, consultation_id: str) -> PublicPage | None:
    """The page of `consultation_id`, or None when there is none to show (unknown, or its
    latest version is not public)."""
    now = runtime.clock.now()
    min_count = runtime.settings.min_count
    library = Library()
    with runtime.db.unit_of_work() as uow:
        stored = uow.consultations.latest(consultation_id)
        if stored is None:
            return None
        consultation = library.version(uow, consultation_id, stored.version)
        if consultation is None or not consultation.public:
            return None
        rounds = []
        for row in uow.rounds.for_consultation(consultation_id):
            status = shown_status(row, now)
            if status == "cancelled":
                continue
            released = status == "closed" and (row.results_at or row.closes_at or now) <= now
            results = None
            if released:
                made = report(
                    uow,
                    library,
                    consultation_id,
                    min_count=min_count,
                    shuffle_seed=secrets.randbits(32),
                    round_id=row.id,
                )
                results = [q for q in made.results.questions if q.type in _CHARTED]
            rounds.append(
                PublicRound(row.id, status, row.opens_at, row.closes_at, row.results_at, results)
            )
        published = published_updates(uow, consultation_id, min_count, secrets.randbits(32))
    today = now.astimezone(runtime.settings.zone).date().isoformat()
    return PublicPage(
        id=consultation.id,
        title=consultation.title,
        questions=[
            PublicQuestion(q.id, _english(q.text, consultation)) for q in _asked(consultation)
        ],
        rounds=rounds,
        updates=[_update(u) for u in published if _sent(u, today)],
        min_count=min_count,
    )


# --- helpers ------------------------------------------------------------------------------


def _asked(consultation: Consultation) -> list[Question]:
    # The opt-ins to later messages are about the bot, not the consultation's subject.
    return [q for q in consultation.questions if q.type is not QuestionType.UPDATES]


def _english(text: object, consultation: Consultation | None = None) -> str:
    if not isinstance(text, Mapping):
        return str(text) if text is not None else ""
    if _LANGUAGE in text:
        found = text[_LANGUAGE]
    elif consultation is not None and consultation.default_language in text:
        found = text[consultation.default_language]
    else:
        found = next(iter(text.values()), None)
    # A "you said" line whose figure is suppressed is left out: None, shown as nothing.
    return str(found) if found is not None else ""


def _sent(update: dict[str, object], today: str) -> bool:
    return not update.get("cancelled") and str(update.get("sent_from", "")) <= today


def _update(update: dict[str, object]) -> PublicUpdate:
    actions = update.get("actions")
    shown = []
    for action in actions if isinstance(actions, list) else []:
        said = action.get("you_said") or {}
        progress = action.get("progress")
        shown.append(
            PublicAction(
                title=_english(action.get("title")),
                status=str(action.get("status", "")).replace("_", " "),
                progress=progress if isinstance(progress, int) else None,
                changed=_english(action.get("changed")) or None,
                reason=_english(action.get("reason")) or None,
                you_said=_english(said.get("text")) or None,
            )
        )
    return PublicUpdate(date.fromisoformat(str(update["sent_from"])), shown)
