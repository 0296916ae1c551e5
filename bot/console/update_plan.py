"""An update's dry run as the console shows it: the figures `prepare` decided (the same
`yousaid update send --dry-run` prints), with counts of people under the threshold read
"fewer than N", as everywhere else in the console."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.services.update_send import SHORT_ID, cost_words
from bot.services.updates import Prepared
from bot.settings import Settings
from conversations.messages import Channel
from conversations.problems import Problem
from conversations.updates import REACH_REASONS, Plan, suppressed

__all__ = ["GroupRow", "MessageRow", "MissRow", "PlanView", "plan_view"]


@dataclass(frozen=True)
class GroupRow:
    """Recipients on one channel in one language, and what they cost."""

    channel: str
    language: str
    people: str
    template: str  # of them, reached by WhatsApp template ("" when none)
    each: str
    cost: int


@dataclass(frozen=True)
class MissRow:
    """People who can't be reached, on one channel in one language, and why."""

    channel: str
    language: str
    people: str
    why: str


@dataclass(frozen=True)
class MessageRow:
    """The first message in one language, as sent."""

    language: str
    message: str
    segments: int
    encoding: str
    shortened: bool
    notes: tuple[str, ...]


@dataclass(frozen=True)
class PlanView:
    consultation_id: str
    title: str
    digest: str
    people: str  # who can be reached (for an update sent before: who it would add)
    groups: list[GroupRow]
    missed: str  # how many can't be reached
    misses: list[MissRow]
    cost: int  # segments (SMS) and messages (WhatsApp), as the CLI's total
    sms_cost: Decimal  # pounds, SMS segments at the segment price
    price: Decimal
    messages: list[MessageRow]
    warnings: tuple[Problem, ...]
    existing: str  # the update's short id when this file was sent before, else ""
    existing_state: str  # "sent" or "cancelled"
    already: str  # people the update sent before has reached or has queued
    min_count: int


def plan_view(prepared: Prepared, settings: Settings) -> PlanView:
    """What a send of `prepared` would do, for the dry run and the confirmation pages."""
    plan, existing, n = prepared.plan, prepared.existing, settings.min_count
    segments = sum(g.cost for g in plan.groups if g.channel is Channel.SMS)
    return PlanView(
        consultation_id=prepared.update.consultation_id,
        title=prepared.consultation.title,
        digest=prepared.update.digest,
        people=_people(plan.recipients, n),
        groups=[
            GroupRow(
                g.channel.value,
                g.language,
                _people(g.recipients, n),
                _people(g.template, n) if g.template else "",
                cost_words(g.channel, g.cost_each),
                g.cost,
            )
            for g in plan.groups
        ],
        missed=_people(sum(plan.unreachable.values()), n),
        misses=_misses(plan, n),
        cost=plan.cost,
        sms_cost=segments * settings.segment_price,
        price=settings.segment_price,
        messages=[
            MessageRow(r.language, r.message, r.segments, r.encoding, r.shortened, r.notes)
            for r in prepared.rendered.values()
        ],
        warnings=prepared.warnings,
        existing=existing.id[:SHORT_ID] if existing is not None else "",
        existing_state="cancelled" if existing and existing.cancelled_at else "sent",
        already=_people(prepared.already, n),
        min_count=n,
    )


# --- helpers ----------------------------------------------------------------------------


def _people(count: int, min_count: int) -> str:
    return suppressed(count, min_count).label(min_count)


def _misses(plan: Plan, min_count: int) -> list[MissRow]:
    rows = sorted(plan.unreachable.items(), key=lambda item: (str(item[0][0]), item[0][1]))
    return [
        MissRow(
            channel.value if channel is not None else "no channel",
            language,
            _people(count, min_count),
            REACH_REASONS.get(how, how.value),
        )
        for (channel, language, how), count in rows
    ]
