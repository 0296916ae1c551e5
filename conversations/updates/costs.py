"""Who gets an update, grouped by channel and language, at what cost, and who can't."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from conversations.messages import Channel
from conversations.updates.reaching import Reach, Recipient, can_reach, reach
from conversations.updates.wording import Rendered


@dataclass(frozen=True)
class PlanGroup:
    """Recipients on one channel in one language."""

    channel: Channel
    language: str
    recipients: int
    template: int  # of them, reached by WhatsApp template
    cost_each: int  # segments (SMS), or 1 a WhatsApp message, 0 on Telegram
    cost: int


@dataclass(frozen=True)
class Plan:
    """Who gets the update, at what cost, and who can't be reached and why."""

    groups: tuple[PlanGroup, ...]
    unreachable: Mapping[tuple[Channel | None, str, Reach], int] = field(default_factory=dict)

    @property
    def cost(self) -> int:
        return sum(g.cost for g in self.groups)

    @property
    def recipients(self) -> int:
        return sum(g.recipients for g in self.groups)


def cost(channel: Channel, rendered: Rendered) -> int:
    """What one message costs: SMS segments; a WhatsApp message is 1; Telegram is free."""
    if channel is Channel.SMS:
        return rendered.segments
    if channel is Channel.WHATSAPP:
        return 1
    return 0


def plan(
    recipients: Sequence[Recipient],
    rendered: Mapping[str, Rendered],
    now: datetime,
    templates: Mapping[str, str],
) -> Plan:
    """Group recipients by channel and language, with the cost, and set aside the unreachable."""
    groups: dict[tuple[Channel, str], list[int]] = {}
    unreachable: dict[tuple[Channel | None, str, Reach], int] = {}
    fallback = next(iter(rendered))
    for recipient in recipients:
        language = recipient.language if recipient.language in rendered else fallback
        how, _ = reach(recipient, now, templates)
        if not can_reach(recipient, now, templates) or recipient.channel is None:
            key = (recipient.channel, language, how)
            unreachable[key] = unreachable.get(key, 0) + 1
            continue
        counts = groups.setdefault((recipient.channel, language), [0, 0])
        counts[0] += 1
        counts[1] += how is Reach.TEMPLATE
    order = list(Channel)
    plan_groups = []
    for (channel, language), (people, by_template) in sorted(
        groups.items(), key=lambda item: (order.index(item[0][0]), item[0][1])
    ):
        each = cost(channel, rendered[language])
        plan_groups.append(PlanGroup(channel, language, people, by_template, each, each * people))
    return Plan(tuple(plan_groups), unreachable)
