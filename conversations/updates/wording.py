"""An update's words in one language: the first message, within its SMS segments, and MORE.

A message reads: the neutral first line (lock screens show it), one line per action
("- 6 in 10 of you said ... Park lighting: done. 12 new lights ..."), and a footer
inviting a reply. The first message must fit `MAX_SEGMENTS` SMS segments in every
language: when it does not, it keeps as many actions as fit and ends "Reply MORE for the
full list"; MORE then sends every action.
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
) -> Rendered:
    """`update` in `language` (else its first language), with the figures `quoted`."""
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
