"""The system message catalogue: every text the bot sends that no consultation file wrote.

The texts live in gettext `.po` files (`config/locales/<language>.po`), one entry per
message, with a symbolic msgid (`welcome.none_open`) and the text as msgstr. The bot reads
the files and passes their text to `Catalogue.from_po`; this module never opens a file.

A missing language or message falls back to English, so a half-translated language still
works. Fuzzy entries are skipped, as gettext skips them: mark a translation for review
with a translator comment instead.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from babel.messages.pofile import read_po

ENGLISH = "en"
# The translator comment an entry keeps until a native speaker has reviewed it.
NEEDS_REVIEW = "Needs review by a native speaker"


class Msg(StrEnum):
    """Every message key the engine uses; en.po must have each one."""

    WELCOME_HELLO = "welcome.hello"
    WELCOME_ROUND = "welcome.round"
    WELCOME_NONE_OPEN = "welcome.none_open"
    WELCOME_FOOTER = "welcome.footer"
    LANGUAGE_OFFER = "language.offer"
    LANGUAGE_ASK = "language.ask"
    CONSENT_SHORT = "consent.short"
    CONSENT_KEPT = "consent.kept"
    CONSENT_UNTIL_OPEN = "consent.until_open"
    CONSENT_PHONE = "consent.phone"
    INTRO_HINT = "intro.hint"
    INTRO_DECLINED = "intro.declined"
    START_ALREADY = "start.already"
    START_RESUME = "start.resume"
    START_BACK = "start.back"
    CLOSED = "closed"
    STOP_CONFIRM = "stop.confirm"
    STOP_NOTICE = "stop.notice"
    HELP = "help"
    DELETE_DONE = "delete.done"
    EXIT_DONE = "exit.done"
    EXIT_NONE = "exit.none"
    EXIT_PHONE_TIP = "exit.phone_tip"
    JOIN_DONE = "join.done"
    MORE_NONE = "more.none"
    QUESTION_SCALE = "question.scale"
    QUESTION_SCALE_LABELS = "question.scale_labels"
    QUESTION_YESNO = "question.yesno"
    QUESTION_MULTI = "question.multi"
    REASK_CHOICE = "reask.choice"
    REASK_MULTI = "reask.multi"
    REASK_SCALE = "reask.scale"
    REASK_NUMBER = "reask.number"
    REASK_NUMBER_ANY = "reask.number_any"
    REASK_YESNO = "reask.yesno"
    REASK_MOVE_ON = "reask.move_on"
    SKIP_CONFIRM = "skip.confirm"
    TEXT_ONLY = "text_only"
    TEXT_CUT = "text.cut"
    BUTTON_PASSED = "button.passed"
    BUTTON_YES = "button.yes"
    BUTTON_NO = "button.no"
    BUTTON_DONE = "button.done"
    MULTI_PICKED = "multi.picked"
    # Rounds on a schedule (issue 9): a keyword while its round is not open, and the
    # reminder and invitation the scheduler sends.
    ROUND_NOT_YET = "round.not_yet"
    ROUND_CLOSED = "round.closed"
    ROUND_RESULTS = "round.results"
    ROUND_JOIN = "round.join"
    ROUND_OTHER_CHANNEL = "round.other_channel"
    ROUND_OPEN_ON = "round.open_on"
    REMIND_HELLO = "remind.hello"
    REMIND_LEFT = "remind.left"
    INVITE_HELLO = "invite.hello"
    INVITE_ROUND = "invite.round"
    INVITE_UNTIL = "invite.until"
    INVITE_STOP = "invite.stop"


class Catalogue:
    """System messages by language and key, with English as the fallback."""

    def __init__(
        self,
        messages: Mapping[str, Mapping[str, str]],
        unreviewed: Mapping[str, frozenset[str]] | None = None,
    ) -> None:
        self._messages: Mapping[str, Mapping[str, str]] = MappingProxyType(
            {language: MappingProxyType(dict(texts)) for language, texts in messages.items()}
        )
        self._unreviewed = MappingProxyType(dict(unreviewed or {}))

    @classmethod
    def from_po(cls, sources: Mapping[str, str]) -> Catalogue:
        """Build a catalogue from language code -> the text of that language's .po file."""
        parsed = {language: _parse_po(text) for language, text in sources.items()}
        return cls(
            {language: texts for language, (texts, _) in parsed.items()},
            {language: marked for language, (_, marked) in parsed.items()},
        )

    def text(self, language: str, key: str, **params: object) -> str:
        """The message `key` in `language` (else English), with `params` filled in."""
        for lang in (language, ENGLISH):
            template = self._messages.get(lang, {}).get(key)
            if template is None:
                continue
            try:
                return template.format(**params)
            except (KeyError, IndexError, ValueError):
                continue  # a translation with a broken placeholder: use English instead
        return key

    def template(self, language: str, key: str) -> str | None:
        """The unfilled text of `key` in `language` exactly, or None (no fallback)."""
        return self._messages.get(language, {}).get(key)

    def languages(self) -> tuple[str, ...]:
        """The languages with messages, English first."""
        return tuple(sorted(self._messages, key=lambda lang: (lang != ENGLISH, lang)))

    def keys(self, language: str = ENGLISH) -> frozenset[str]:
        """The message keys `language` has a text for (no fallback)."""
        return frozenset(self._messages.get(language, {}))

    def unreviewed(self, language: str) -> frozenset[str]:
        """The keys of `language` still marked "# Needs review by a native speaker"."""
        return self._unreviewed.get(language, frozenset())


def _parse_po(text: str) -> tuple[dict[str, str], frozenset[str]]:
    catalog = read_po(io.StringIO(text))
    kept = [m for m in catalog if m.id and m.string and not m.fuzzy]
    texts = {str(m.id): str(m.string) for m in kept}
    marked = frozenset(str(m.id) for m in kept if any(NEEDS_REVIEW in c for c in m.user_comments))
    return texts, marked
