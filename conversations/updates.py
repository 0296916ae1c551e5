"""Rendering "you said, we did" updates, and working out who can be reached and at what cost.

Pure: the caller passes the update, the consultation's results (already suppressed), the
words catalogue (``config/locales/updates/*.po``) and the time.

A message reads: the neutral first line (lock screens show it), one line per action
("- 6 in 10 of you said ... Park lighting: done. 12 new lights ..."), and a footer
inviting a reply. The first message must fit `MAX_SEGMENTS` SMS segments in every
language: when it does not, it keeps as many actions as fit and ends "Reply MORE for the
full list"; MORE then sends every action.

Figures. With choices, "{figure}" is the share of those who answered the question who
gave one of them, in tenths ("6 in 10"), rounded half up and never 0 or 10 in 10 unless
nobody or everybody gave it. Without a choice, it is how many answered. A figure is
quoted only when every count it comes from is shown in the published results (none
suppressed); otherwise the "you said" sentence is left out and `Rendered.notes` says so.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from conversations.catalogue import Catalogue
from conversations.keywords import Keyword, words
from conversations.messages import Channel
from conversations.results import Count, Hidden, QuestionResult, Results
from conversations.segments import count_segments
from conversations.update_file import FIGURE, Action, ActionStatus, Update

MAX_SEGMENTS = 3  # an update's first message, in SMS segments
FEEDBACK_DAYS = 14  # a reply this long after an update is feedback on it
WHATSAPP_WINDOW = timedelta(hours=24)  # free-form WhatsApp only this long after they wrote


class Word(StrEnum):
    """The keys of the updates words catalogue."""

    PROGRESS = "update.progress"
    ITEM = "update.item"
    SHARE = "update.share"
    MORE = "update.more"
    FOOTER = "update.footer"
    THANKS = "update.thanks"


STATUS_WORDS: Mapping[ActionStatus, str] = {
    status: f"update.status.{status.value}" for status in ActionStatus
}


@dataclass(frozen=True)
class Figure:
    """The number an action's "you said" quotes; `shown` False when it may not be quoted."""

    picked: int | None  # gave one of the choices (None: suppressed, or no choice named)
    answered: int | None  # answered the question (None: suppressed)
    shown: bool

    def share(self) -> int | None:
        """Out of 10, as quoted; None when not quoted or not a share."""
        if not self.shown or self.picked is None or not self.answered:
            return None
        if self.picked == 0:
            return 0
        if self.picked == self.answered:
            return 10
        tenths = (20 * self.picked + self.answered) // (2 * self.answered)  # half up
        return min(9, max(1, tenths))


@dataclass(frozen=True)
class Rendered:
    """An update in one language, as sent."""

    language: str
    message: str  # the first message, within MAX_SEGMENTS SMS segments when it can be
    full: str  # every action, for MORE
    shortened: bool  # the message leaves actions out (MORE sends them)
    thanks: str  # the answer to a reply
    segments: int  # SMS segments of `message`
    encoding: str  # GSM-7 or UCS-2
    notes: tuple[str, ...] = ()  # figures left out, and why


class Reach(StrEnum):
    """Whether a recipient can get a push now, and how."""

    OK = "ok"
    TEMPLATE = "template"  # WhatsApp outside the 24-hour window: the approved template
    NO_TEMPLATE = "no_template"  # WhatsApp outside the window and no template for the language
    NO_ADDRESS = "no_address"  # the address is gone (nothing to send to)
    TERMINAL = "terminal"  # answered in `yousaid chat`: nowhere to push to
    NO_CHANNEL = "no_channel"


REACH_REASONS: Mapping[Reach, str] = {
    Reach.NO_TEMPLATE: (
        "WhatsApp, last message over 24 hours ago, and no approved template for the "
        "language in TWILIO_WHATSAPP_TEMPLATES"
    ),
    Reach.NO_ADDRESS: "no address kept for them",
    Reach.TERMINAL: "answered in the terminal (yousaid chat): nowhere to send",
    Reach.NO_CHANNEL: "no channel known for them",
}


@dataclass(frozen=True)
class Recipient:
    """One person who asked to hear back, as far as reaching them goes."""

    pseudonym: str
    channel: Channel | None
    language: str
    has_address: bool
    last_message_at: datetime | None  # when they last wrote to us


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


def figures(update: Update, results: Results) -> tuple[Figure | None, ...]:
    """The figure each action quotes (None for an action without "you said")."""
    by_id = {q.id: q for q in results.questions}
    found: list[Figure | None] = []
    for action in update.actions:
        said = action.you_said
        if said is None:
            found.append(None)
            continue
        question = by_id.get(said.question_id)
        found.append(_figure(question, said.choices))
    return tuple(found)


def render(
    update: Update,
    language: str,
    catalogue: Catalogue,
    quoted: Sequence[Figure | None],
) -> Rendered:
    """`update` in `language` (else its first language), with the figures `quoted`."""
    if language not in update.languages:
        language = update.languages[0]
    notes: list[str] = []
    items = []
    for number, (action, figure) in enumerate(zip(update.actions, quoted, strict=True), 1):
        said = _you_said(action, figure, language, catalogue)
        if action.you_said is not None and said is None:
            notes.append(
                f"action {number}: its figure is left out (fewer people than the "
                "threshold, or the question has no answers)"
            )
        items.append(_item(action, said, language, catalogue))
    head = _text(update.first_line, language)
    footer = say(catalogue, language, Word.FOOTER)
    message = "\n".join([head, *items, footer])
    shortened = count_segments(message).segments > MAX_SEGMENTS
    if shortened:
        more = say(catalogue, language, Word.MORE)
        kept = len(items)
        while kept > 0:
            kept -= 1
            message = "\n".join([head, *items[:kept], more, footer])
            if count_segments(message).segments <= MAX_SEGMENTS:
                break
    counted = count_segments(message)
    return Rendered(
        language=language,
        message=message,
        full="\n".join(items),
        shortened=shortened,
        thanks=say(catalogue, language, Word.THANKS),
        segments=counted.segments,
        encoding=counted.encoding,
        notes=tuple(notes),
    )


def render_all(
    update: Update, catalogue: Catalogue, quoted: Sequence[Figure | None]
) -> dict[str, Rendered]:
    """The update in each of its languages."""
    return {language: render(update, language, catalogue, quoted) for language in update.languages}


def widest_figures(update: Update) -> tuple[Figure | None, ...]:
    """Figures as long as any can render ("10 in 10", 5 digits): for checking lengths."""
    widest: list[Figure | None] = []
    for action in update.actions:
        if action.you_said is None:
            widest.append(None)
        elif action.you_said.choices:
            widest.append(Figure(1, 1, True))  # "10 in 10"
        else:
            widest.append(Figure(None, 99_999, True))
    return tuple(widest)


def too_long(rendered: Mapping[str, Rendered]) -> list[str]:
    """Problems: languages whose first message can't fit MAX_SEGMENTS even shortened."""
    return [
        f"{r.language}: the first line and the footer alone take {r.segments} SMS segments "
        f"({r.encoding}); shorten first_line to fit {MAX_SEGMENTS}"
        for r in rendered.values()
        if r.segments > MAX_SEGMENTS
    ]


def say(catalogue: Catalogue, language: str, key: str, **params: object) -> str:
    """A words-catalogue text, with {stop} and {more} as shown in `language`."""
    shown: dict[str, object] = {
        "stop": words(Keyword.STOP, language)[0],
        "more": words(Keyword.MORE, language)[0],
    }
    shown.update(params)
    return catalogue.text(language, key, **shown)


def reach(
    recipient: Recipient, now: datetime, templates: Mapping[str, str]
) -> tuple[Reach, str | None]:
    """How `recipient` can be sent a push now, and the WhatsApp template's content SID."""
    if recipient.channel is None:
        return Reach.NO_CHANNEL, None
    if recipient.channel is Channel.TERMINAL:
        return Reach.TERMINAL, None
    if not recipient.has_address:
        return Reach.NO_ADDRESS, None
    if recipient.channel is Channel.WHATSAPP:
        last = recipient.last_message_at
        if last is None or now - last >= WHATSAPP_WINDOW:
            template = templates.get(recipient.language)
            if template is None:
                return Reach.NO_TEMPLATE, None
            return Reach.TEMPLATE, template
    return Reach.OK, None


def can_reach(recipient: Recipient, at: datetime, templates: Mapping[str, str]) -> bool:
    """Whether a push to `recipient` can go at `at`: the one rule for the dry run, the
    send and the top-up, so they never disagree on who gets an update."""
    how, _ = reach(recipient, at, templates)
    return how in (Reach.OK, Reach.TEMPLATE) and recipient.channel is not None


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


@dataclass(frozen=True)
class FeedbackSummary:
    """Replies to one update, as published: the count, and the texts only when enough."""

    count: Count
    replies: tuple[str, ...]  # in random order; empty when suppressed
    replies_suppressed: bool


def summarise_feedback(
    texts: Sequence[str], min_count: int, shuffle_seed: int | None = None
) -> FeedbackSummary:
    """Small-number suppression for replies: the count and the texts need `min_count`."""
    total = len(texts)
    count = suppressed(total, min_count)
    if total < min_count:
        return FeedbackSummary(count, (), total > 0)
    shuffled = sorted(texts)
    random.Random(shuffle_seed).shuffle(shuffled)
    return FeedbackSummary(count, tuple(shuffled), False)


def suppressed(count: int, min_count: int) -> Count:
    """A count as published: hidden from 1 to min_count - 1 (nobody, 0, is shown)."""
    if 0 < count < min_count:
        return Count(None, True, Hidden.SMALL)
    return Count(count, False)


def record(
    update: Update,
    quoted: Sequence[Figure | None],
    rendered: Mapping[str, Rendered],
    catalogue: Catalogue,
) -> dict[str, object]:
    """The published record of an update: what was done, with the figures as quoted."""
    actions = []
    for action, figure in zip(update.actions, quoted, strict=True):
        said = action.you_said
        actions.append(
            {
                "title": dict(action.title),
                "status": action.status.value,
                "progress": action.progress,
                "changed": dict(action.changed) if action.changed is not None else None,
                "reason": dict(action.reason) if action.reason is not None else None,
                "you_said": None
                if said is None
                else {
                    "question_id": said.question_id,
                    "choices": list(said.choices),
                    "share_in_10": figure.share() if figure is not None else None,
                    "text": {
                        language: _you_said(action, figure, language, catalogue)
                        for language in update.languages
                    },
                },
            }
        )
    return {
        "first_line": dict(update.first_line),
        "languages": list(update.languages),
        "actions": actions,
        "messages": {language: r.message for language, r in rendered.items()},
    }


# --- helpers ----------------------------------------------------------------------------------


def _figure(question: QuestionResult | None, choices: Sequence[str]) -> Figure:
    if question is None:
        return Figure(None, None, False)
    answered = question.answered
    if not choices:
        return Figure(None, answered.value, not answered.suppressed and bool(answered.value))
    wanted = {c.casefold() for c in choices}
    options = [o for o in question.options if o.id.casefold() in wanted]
    if len(options) != len(wanted) or any(o.count.suppressed for o in options):
        return Figure(None, answered.value, False)
    picked = sum(o.count.value or 0 for o in options)
    shown = not answered.suppressed and bool(answered.value)
    return Figure(picked, answered.value, shown)


def _you_said(
    action: Action, figure: Figure | None, language: str, catalogue: Catalogue
) -> str | None:
    said = action.you_said
    if said is None or figure is None or not figure.shown:
        return None
    share = figure.share()
    if said.choices:
        if share is None:
            return None
        number = say(catalogue, language, Word.SHARE, n=share)
    else:
        number = str(figure.answered)
    return _sentence(_text(said.text, language).replace(FIGURE, number))


def _item(action: Action, said: str | None, language: str, catalogue: Catalogue) -> str:
    status = say(catalogue, language, STATUS_WORDS[action.status])
    if action.progress is not None:
        status = say(catalogue, language, Word.PROGRESS, status=status, percent=action.progress)
    title = say(catalogue, language, Word.ITEM, title=_text(action.title, language), status=status)
    parts = [said, title]
    if action.changed is not None:
        parts.append(_sentence(_text(action.changed, language)))
    if action.reason is not None:
        parts.append(_sentence(_text(action.reason, language)))
    return "- " + " ".join(p for p in parts if p)


def _text(text: Mapping[str, str], language: str) -> str:
    found = text.get(language)
    return found if found is not None else next(iter(text.values()), "")


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."
