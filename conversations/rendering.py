"""How the engine's words become messages: questions, the opening, and the button data.

Everything here is about presentation: which lines, in which order, with which buttons.
Deciding *what* to send is the engine's job.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from conversations import dates
from conversations.catalogue import Catalogue, Msg
from conversations.keywords import Keyword, normalise, shown_name, words
from conversations.messages import Button, Inbound, Outgoing
from conversations.model import Consultation, Question, QuestionType, Text

# Telegram allows 64 bytes of callback data: "a|" + ref + "|" + index stays far below.
REF_LENGTH = 12
BUTTON_PREFIX = "a"
WORD_PREFIX = "w"  # a button standing for a typed word, e.g. YES under the intro
DONE = "done"
YES_INDEX = "1"
NO_INDEX = "2"
# A scale with more points than this is answered by typing, not with a wall of buttons.
MAX_SCALE_BUTTONS = 11

_SHOWN_KEYWORDS = {
    "yes": Keyword.YES,
    "no": Keyword.NO,
    "stop": Keyword.STOP,
    "start": Keyword.START,
    "help": Keyword.HELP,
    "skip": Keyword.SKIP,
    "back": Keyword.BACK,
    "delete": Keyword.DELETE,
    "exit": Keyword.EXIT,
    "privacy": Keyword.PRIVACY,
}


def say(catalogue: Catalogue, language: str, key: Msg, **params: object) -> str:
    """A catalogue message, with the keywords ({stop}, {yes}...) as shown in `language`."""
    shown: dict[str, object] = {
        name: words(keyword, language)[0] for name, keyword in _SHOWN_KEYWORDS.items()
    }
    shown.update(params)
    return catalogue.text(language, key, **shown)


def localised(text: Text, language: str) -> str:
    """`text` in `language`, else in whichever language it has first."""
    found = text.get(language)
    if found is not None:
        return found
    return next(iter(text.values()), "")


def question_ref(consultation: Consultation, question: Question) -> str:
    """A short stable name for one question of one version, for button data."""
    source = f"{consultation.id}\n{consultation.version}\n{question.id}"
    return hashlib.sha256(source.encode()).hexdigest()[:REF_LENGTH]


def read_button(data: str) -> tuple[str, str] | None:
    """(question ref, index) from a button's data, or None when it is not one of ours."""
    parts = data.split("|")
    if len(parts) != 3 or parts[0] != BUTTON_PREFIX:
        return None
    return parts[1], parts[2]


def render_question(
    consultation: Consultation,
    question: Question,
    language: str,
    catalogue: Catalogue,
    lead: Sequence[str] = (),
) -> Outgoing:
    """The question as one message: `lead` lines, its text, its numbered choices, a hint."""
    lines = [*lead, localised(question.text, language)]
    if question.type in (QuestionType.CHOICE, QuestionType.MULTI):
        lines += [f"{n} {localised(c.text, language)}" for n, c in enumerate(question.choices, 1)]
    hint = _answer_hint(question, language, catalogue)
    if hint:
        lines.append(hint)
    ref = question_ref(consultation, question)
    buttons = _buttons(question, language, catalogue, ref)
    return Outgoing(text="\n".join(lines), buttons=buttons, question_ref=ref)


def opening(
    consultation: Consultation, language: str, catalogue: Catalogue
) -> tuple[Outgoing, ...]:
    """The officer's intro, then the bot's own lines in one message: anonymous, no help can
    be sent (999, HELP), PRIVACY for the rest, YES to start, STOP; and the other languages.

    Two messages before the first question: in English the bot's lines fit one GSM-7
    segment, so with a one-segment intro the whole opening is two. What is kept and until
    when answers can be erased comes with PRIVACY (`privacy_texts`).
    """
    lines = [say(catalogue, language, Msg.CONSENT_SHORT)]
    # In the default language every other language is offered; in another, only the way
    # back to the default: someone who chose Polish needs no Somali line, and each line
    # costs UCS-2 characters in a message that is already two or three segments.
    offered = consultation.languages
    if language != consultation.default_language:
        offered = (consultation.default_language,)
    offers = language_offers(offered, language, catalogue)
    if offers:
        lines.append(offers)
    # A ref of its own, so a channel clears these buttons once YES or NO is given.
    intro_ref = hashlib.sha256(f"{consultation.id}\n{consultation.version}\n(intro)".encode())
    return (
        Outgoing(localised(consultation.intro, language)),
        Outgoing(
            "\n".join(lines),
            buttons=yes_no_word_buttons(language, catalogue),
            question_ref=intro_ref.hexdigest()[:REF_LENGTH],
        ),
    )


def privacy_texts(language: str, catalogue: Catalogue, until: str) -> tuple[str, str]:
    """What PRIVACY sends, as two messages (each within 3 SMS segments, Polish too): what
    is kept and for how long and until when DELETE erases answers (`until`); and that
    texts stay on the phone."""
    return (
        say(catalogue, language, Msg.CONSENT_KEPT, until=until),
        say(catalogue, language, Msg.CONSENT_PHONE),
    )


def yes_no_word_buttons(language: str, catalogue: Catalogue) -> tuple[Button, ...]:
    """YES and NO buttons that act as if the word was typed (the intro's question)."""
    return (
        Button(say(catalogue, language, Msg.BUTTON_YES), f"{WORD_PREFIX}|{Keyword.YES.value}"),
        Button(say(catalogue, language, Msg.BUTTON_NO), f"{WORD_PREFIX}|{Keyword.NO.value}"),
    )


def typed_word(inbound: Inbound) -> Inbound:
    """A tap on a word button (`w|YES`) reads as the word typed; anything else is as it came."""
    if inbound.button is None or not inbound.button.startswith(f"{WORD_PREFIX}|"):
        return inbound
    word = inbound.button.split("|", 1)[1]
    if word not in {Keyword.YES.value, Keyword.NO.value}:
        return inbound
    return replace(inbound, text=word, button=None)


def language_offers(languages: Sequence[str], current: str, catalogue: Catalogue) -> str:
    """One line per other language, in that language: "Polski: napisz POLSKI"."""
    lines = []
    for code in languages:
        if code == current:
            continue
        name = shown_name(code)
        lines.append(say(catalogue, code, Msg.LANGUAGE_OFFER, name=name, word=normalise(name)))
    return "\n".join(lines)


def withdrawal_until(
    closes_at: datetime | None, withdrawal_days: int, language: str, catalogue: Catalogue
) -> str:
    """Until when answers can be withdrawn: a date, or "14 days after this closes".

    The date is taken in `closes_at`'s own time zone: pass it in local time.
    """
    if closes_at is None:
        return say(catalogue, language, Msg.CONSENT_UNTIL_OPEN, days=withdrawal_days)
    return dates.day(dates.last_withdrawal_day(closes_at, withdrawal_days), language)


def _answer_hint(question: Question, language: str, catalogue: Catalogue) -> str | None:
    kind = question.type
    if kind is QuestionType.SCALE and question.min is not None and question.max is not None:
        labels = ", ".join(
            f"{point} = {localised(label, language)}"
            for point, label in sorted(question.labels.items())
        )
        key = Msg.QUESTION_SCALE_LABELS if labels else Msg.QUESTION_SCALE
        return say(catalogue, language, key, min=question.min, max=question.max, labels=labels)
    if kind in (QuestionType.YESNO, QuestionType.UPDATES):
        return say(catalogue, language, Msg.QUESTION_YESNO)
    if kind is QuestionType.MULTI:
        return say(catalogue, language, Msg.QUESTION_MULTI)
    return None


def _buttons(
    question: Question, language: str, catalogue: Catalogue, ref: str
) -> tuple[Button, ...]:
    def button(label: str, index: str) -> Button:
        return Button(label=label, data=f"{BUTTON_PREFIX}|{ref}|{index}")

    kind = question.type
    if kind in (QuestionType.CHOICE, QuestionType.MULTI):
        buttons = [
            button(localised(c.text, language), str(n)) for n, c in enumerate(question.choices, 1)
        ]
        if kind is QuestionType.MULTI:
            buttons.append(button(say(catalogue, language, Msg.BUTTON_DONE), DONE))
        return tuple(buttons)
    if kind is QuestionType.SCALE and question.min is not None and question.max is not None:
        if question.max - question.min + 1 > MAX_SCALE_BUTTONS:
            return ()
        return tuple(button(str(p), str(p)) for p in range(question.min, question.max + 1))
    if kind in (QuestionType.YESNO, QuestionType.UPDATES):
        return (
            button(say(catalogue, language, Msg.BUTTON_YES), YES_INDEX),
            button(say(catalogue, language, Msg.BUTTON_NO), NO_INDEX),
        )
    return ()
