"""An update's words in one language: the first message, within its SMS segments, and MORE.

A message reads: the neutral first line (lock screens show it), one line per action
("- 6 in 10 of you said ... Park lighting: done. 12 new lights ..."), and a footer
inviting a reply. The first message must fit `MAX_SEGMENTS` SMS segments in every
language: when it does not, it keeps as many actions as fit and ends "Reply MORE for the
full list"; MORE then sends every action.

When the consultation has a public page, the caller passes its short link: it goes on a
line of its own before the footer, and after every action in MORE. It counts towards the
segments like any other line; when it can't fit beside the first line and the footer, the
first message leaves it out (with a note) and MORE still has it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from conversations.catalogue import Catalogue
from conversations.keywords import Keyword, words
from conversations.segments import count_segments
from conversations.update_file import FIGURE, Action, ActionStatus, Update
from conversations.updates.quoting import Figure

MAX_SEGMENTS = 3  # an update's first message, in SMS segments


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


def render(
    update: Update,
    language: str,
    catalogue: Catalogue,
    quoted: Sequence[Figure | None],
    link: str | None = None,
) -> Rendered:
    """`update` in `language` (else its first language), with the figures `quoted`, and
    the consultation's public page `link` when it has one."""
    if language not in update.languages:
        language = update.languages[0]
    notes: list[str] = []
    items = []
    for number, (action, figure) in enumerate(zip(update.actions, quoted, strict=True), 1):
        said = you_said(action, figure, language, catalogue)
        if action.you_said is not None and said is None:
            notes.append(
                f"action {number}: its figure is left out (fewer people than the "
                "threshold, or the question has no answers)"
            )
        items.append(_item(action, said, language, catalogue))
    head = _text(update.first_line, language)
    footer = say(catalogue, language, Word.FOOTER)
    tail = [link] if link else []
    message = "\n".join([head, *items, *tail, footer])
    shortened = count_segments(message).segments > MAX_SEGMENTS
    if shortened:
        more = say(catalogue, language, Word.MORE)
        message = _shortened(head, items, [more, *tail], footer)
        if tail and count_segments(message).segments > MAX_SEGMENTS:
            message = _shortened(head, items, [more], footer)
            notes.append("the link to the public page doesn't fit the first message; MORE has it")
    counted = count_segments(message)
    return Rendered(
        language=language,
        message=message,
        full="\n".join([*items, *tail]),
        shortened=shortened,
        thanks=say(catalogue, language, Word.THANKS),
        segments=counted.segments,
        encoding=counted.encoding,
        notes=tuple(notes),
    )


def render_all(
    update: Update,
    catalogue: Catalogue,
    quoted: Sequence[Figure | None],
    link: str | None = None,
) -> dict[str, Rendered]:
    """The update in each of its languages (with the public page's `link`, if any)."""
    return {
        language: render(update, language, catalogue, quoted, link) for language in update.languages
    }


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


def you_said(
    action: Action, figure: Figure | None, language: str, catalogue: Catalogue
) -> str | None:
    """The "you said" sentence with its figure, or None when it may not be quoted."""
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


def _shortened(head: str, items: Sequence[str], ending: Sequence[str], footer: str) -> str:
    """The first message with as many actions as fit MAX_SEGMENTS, then `ending` (MORE's
    invitation, the link); with none at all when even that doesn't fit."""
    kept = len(items)
    message = "\n".join([head, *items, *ending, footer])
    while kept > 0:
        kept -= 1
        message = "\n".join([head, *items[:kept], *ending, footer])
        if count_segments(message).segments <= MAX_SEGMENTS:
            break
    return message


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
