"""The one registry of words the bot listens for, in every supported language.

A message is a keyword only when the whole message is one of these words, in any case,
with or without accents, punctuation or emoji ("Stop.", "stop!!", "STOP 🙏", "pomiń").

The words are data: add a language by adding its words to `_WORDS` (and its name to
`LANGUAGE_NAMES` / `ENGLISH_NAMES`, other names people use to `OTHER_NAMES`). Words are
written as people spell them; matching goes through `normalise`, so accents are optional.
The first word of each language is the one shown to people ("Reply TAK to start"); for
Polish it is the plain-letter spelling (POMIN, not POMIŃ), which is what people type on
a phone keyboard.

Choices made here, on purpose:
- NEXT (and Polish DALEJ) mean SKIP: someone who types "next" wants to move on.
- ro, ur and ar have the opt-out family only (STOP in Romanian, Urdu in Latin letters,
  Arabic script): those are the words a person must never be ignored on. Everything
  else falls back to English. Their words need a native speaker's review before
  being shown to anyone; the English STOP is always understood as well.
- No word belongs to two keywords; `_build_lookup` refuses such a registry at import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum
from types import MappingProxyType


class Keyword(StrEnum):
    STOP = "STOP"  # the opt-out family: stop every message at once
    START = "START"  # undo STOP
    HELP = "HELP"  # the helplines
    SKIP = "SKIP"
    BACK = "BACK"
    DELETE = "DELETE"  # erase contact details and, within the window, answers
    EXIT = "EXIT"  # leave now and remove the bot's messages where possible
    MORE = "MORE"
    JOIN = "JOIN"
    PRIVACY = "PRIVACY"  # what is kept, for how long, and DELETE: the consent in full
    YES = "YES"
    NO = "NO"


ENGLISH = "en"

# Keyword -> language -> words. The first word of a language is the one to show.
_WORDS: dict[Keyword, dict[str, tuple[str, ...]]] = {
    Keyword.STOP: {
        "en": (
            "STOP",
            "STOPALL",
            "STOP ALL",
            "UNSUBSCRIBE",
            "CANCEL",
            "END",
            "QUIT",
            "REVOKE",
            "OPTOUT",
            "OPT OUT",
        ),
        "pl": ("STOP", "KONIEC", "REZYGNUJĘ", "WYPISZ", "WYPISZ MNIE"),
        "ro": ("STOP", "OPREȘTE", "DEZABONARE", "DEZABONEAZĂ"),
        # Urdu as it is usually texted, in Latin letters ("band karo" = "stop it").
        "ur": ("STOP", "BAND KARO", "BAS KARO"),
        # tawaqqaf (stop), ilgha' (cancel), ilgha' al-ishtirak (unsubscribe).
        "ar": ("STOP", "توقف", "إلغاء", "الغاء", "إلغاء الاشتراك", "الغاء الاشتراك"),
    },
    Keyword.START: {
        "en": ("START", "UNSTOP"),
        "pl": ("START", "WZNÓW"),
    },
    Keyword.HELP: {
        "en": ("HELP", "INFO"),
        "pl": ("POMOC", "HELP", "INFO"),
    },
    Keyword.SKIP: {
        "en": ("SKIP", "NEXT"),
        "pl": ("POMIN", "POMIŃ", "DALEJ", "SKIP"),
    },
    Keyword.BACK: {
        "en": ("BACK",),
        "pl": ("WSTECZ", "COFNIJ", "WRÓĆ", "BACK"),
    },
    Keyword.DELETE: {
        "en": ("DELETE", "DELETE ME"),
        "pl": ("USUN", "USUŃ", "USUŃ MNIE", "DELETE"),
    },
    Keyword.EXIT: {
        "en": ("EXIT",),
        "pl": ("WYJDZ", "WYJDŹ", "EXIT"),
    },
    Keyword.MORE: {
        "en": ("MORE",),
        "pl": ("WIECEJ", "WIĘCEJ", "MORE"),
    },
    Keyword.JOIN: {
        "en": ("JOIN",),
        "pl": ("DOLACZ", "DOŁĄCZ", "JOIN"),
    },
    Keyword.PRIVACY: {
        "en": ("PRIVACY",),
        "pl": ("PRYWATNOSC", "PRYWATNOŚĆ", "PRIVACY"),
    },
    Keyword.YES: {
        "en": ("YES", "Y", "YEAH", "YEP", "YUP", "YA", "SURE", "OK", "OKAY", "YES PLEASE"),
        "pl": ("TAK", "TAK PROSZĘ", "OK"),
    },
    Keyword.NO: {
        "en": ("NO", "N", "NAH", "NOPE", "NO THANKS", "NO THANK YOU"),
        "pl": ("NIE", "NIE DZIĘKUJĘ"),
    },
}

# Language code -> the language's own name, as shown in "Polski: napisz POLSKI".
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "pl": "Polski",
        "ro": "Română",
        "ur": "اردو",
        "ar": "العربية",
        "bn": "বাংলা",
        "pa": "ਪੰਜਾਬੀ",
        "lt": "Lietuvių",
        "pt": "Português",
        "es": "Español",
        "fr": "Français",
        "so": "Soomaali",
        "tr": "Türkçe",
    }
)

# Language code -> its name in English, also accepted when choosing a language.
ENGLISH_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "pl": "Polish",
        "ro": "Romanian",
        "ur": "Urdu",
        "ar": "Arabic",
        "bn": "Bengali",
        "pa": "Punjabi",
        "lt": "Lithuanian",
        "pt": "Portuguese",
        "es": "Spanish",
        "fr": "French",
        "so": "Somali",
        "tr": "Turkish",
    }
)

# Other ways people name a language when choosing it ("po polsku" = "in Polish").
OTHER_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "pl": ("po polsku",),
        "ro": ("românește",),
    }
)

# Letters that Unicode does not decompose into a base letter and a mark.
_FOLD = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ı": "i"})
# Apostrophes join ("don't" -> DONT); every other punctuation mark separates words.
_APOSTROPHES = frozenset("'’‘`´ʼ")


def normalise(text: str) -> str:
    """Upper-case `text`, fold accents, drop punctuation and emoji, collapse whitespace."""
    folded = unicodedata.normalize("NFKD", text).translate(_FOLD)
    kept: list[str] = []
    for char in folded:
        category = unicodedata.category(char)
        if category in ("Mn", "Me") or char in _APOSTROPHES:
            continue
        kept.append(char if category[0] in "LN" else " ")
    return " ".join("".join(kept).upper().split())


def classify(text: str) -> Keyword | None:
    """The keyword the whole message is, in any supported language, or None."""
    return _LOOKUP.get(normalise(text))


def words(keyword: Keyword, language: str) -> tuple[str, ...]:
    """The words of `keyword` in `language`, the first to show; English when it has none."""
    by_language = _WORDS[keyword]
    return by_language.get(language) or by_language[ENGLISH]


def language_choice(text: str, languages: Sequence[str]) -> str | None:
    """The code of the one of `languages` the message names (own or English name), or None."""
    said = normalise(text)
    if not said:
        return None
    for code in languages:
        if said in _names_of(code):
            return code
    return None


def is_reserved(word: str) -> bool:
    """True when `word` is a registry word or a language name (no consultation may use it)."""
    said = normalise(word)
    return said in _LOOKUP or said in _LANGUAGE_WORDS


def _build_lookup() -> dict[str, Keyword]:
    lookup: dict[str, Keyword] = {}
    for keyword, by_language in _WORDS.items():
        for language_words in by_language.values():
            for word in language_words:
                key = normalise(word)
                if not key:
                    raise ValueError(f"keyword word {word!r} normalises to nothing")
                if lookup.setdefault(key, keyword) is not keyword:
                    raise ValueError(f"{key!r} is both {lookup[key]} and {keyword}")
    return lookup


_LOOKUP: Mapping[str, Keyword] = MappingProxyType(_build_lookup())


def _names_of(code: str) -> frozenset[str]:
    names = (LANGUAGE_NAMES.get(code), ENGLISH_NAMES.get(code), *OTHER_NAMES.get(code, ()))
    return frozenset(normalise(name) for name in names if name is not None)


_LANGUAGE_WORDS: frozenset[str] = frozenset().union(*(_names_of(code) for code in LANGUAGE_NAMES))
