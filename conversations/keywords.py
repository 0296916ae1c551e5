"""The one registry of words the bot listens for, in every supported language.

A message is a keyword only when the whole message is one of these words, in any case,
with or without accents, punctuation or emoji ("Stop.", "stop!!", "STOP 🙏", "pomiń").

The words are data (conversations/keyword_words.py): add a language by adding its words
there, its name to `LANGUAGE_NAMES` / `ENGLISH_NAMES`, the spelling to show in a welcome
to `SHOWN_NAMES` when the own name is not GSM-7, and other names people use to
`OTHER_NAMES`. Matching goes through `normalise`, so accents are optional.

Choices made here, on purpose:
- NEXT (and Polish DALEJ) mean SKIP: someone who types "next" wants to move on.
- ur has the opt-out family only (Urdu as texted in Latin letters): the words a person
  must never be ignored on. The English STOP is always understood as well.
- Yoruba (yo) and Twi (tw) have names, so a consultation with their texts can offer
  them, but no words of their own yet: English words work for them.
- No word belongs to two keywords; `_build_lookup` refuses such a registry at import.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from conversations.keyword_words import WORDS as _WORDS
from conversations.keyword_words import Keyword

__all__ = [
    "CODES_NOT_CHOSEN",
    "ENGLISH_NAMES",
    "LANGUAGE_NAMES",
    "OTHER_NAMES",
    "SHOWN_NAMES",
    "Keyword",
    "classify",
    "is_reserved",
    "language_choice",
    "normalise",
    "shown_name",
    "words",
]


ENGLISH = "en"

# Language code -> the language's own name, as people write it.
LANGUAGE_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "pl": "Polski",
        "pt": "Português",
        "es": "Español",
        "fr": "Français",
        "tr": "Türkçe",
        "so": "Soomaali",
        "lt": "Lietuvių",
        "ro": "Română",
        "bg": "Български",
        "ar": "العربية",
        "ta": "தமிழ்",
        "it": "Italiano",
        "yo": "Yorùbá",
        "tw": "Twi",
        "ur": "اردو",
        "bn": "বাংলা",
        "pa": "ਪੰਜਾਬੀ",
    }
)

# Language code -> its name in English, also accepted when choosing a language.
ENGLISH_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "en": "English",
        "pl": "Polish",
        "pt": "Portuguese",
        "es": "Spanish",
        "fr": "French",
        "tr": "Turkish",
        "so": "Somali",
        "lt": "Lithuanian",
        "ro": "Romanian",
        "bg": "Bulgarian",
        "ar": "Arabic",
        "ta": "Tamil",
        "it": "Italian",
        "yo": "Yoruba",
        "tw": "Twi",
        "ur": "Urdu",
        "bn": "Bengali",
        "pa": "Punjabi",
    }
)

# The name shown in a welcome's language lines ("Portugues: escreva PORTUGUES"), where
# the own name would make the whole welcome UCS-2 (ê, ç, ă, ų and other scripts are not
# GSM-7): a welcome offering five languages must stay one cheap message. The word to
# text is this name in capitals, and it is always accepted.
SHOWN_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "pt": "Portugues",
        "fr": "Francais",
        "tr": "Turkce",
        "lt": "Lietuviu",
        "ro": "Romana",
        "bg": "Balgarski",
        "ar": "Arabic",
        "ta": "Tamil",
        "yo": "Yoruba",
        "ur": "Urdu",
        "bn": "Bengali",
        "pa": "Punjabi",
    }
)

# Other ways people name a language when choosing it ("po polsku" = "in Polish").
OTHER_NAMES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "pl": ("po polsku",),
        "pt": ("em português", "portugues brasileiro"),
        "es": ("castellano", "en español"),
        "fr": ("en français",),
        "so": ("af soomaali", "af-soomaali"),
        "lt": ("lietuviškai",),
        "ro": ("românește", "limba română"),
        "bg": ("bulgarski", "на български", "bălgarski"),
        "ar": ("عربي", "arabi", "arabiya", "al arabiya"),
        "ta": ("thamizh", "tamizh", "tamil mozhi"),
        "it": ("in italiano",),
        "tw": ("asante twi", "akan"),
    }
)


# Language codes that are ordinary English messages ("ta" is thanks, "so" a question):
# typing one must not switch the conversation to Tamil or Somali. Every other code of a
# named language ("pt", "AR") chooses it.
CODES_NOT_CHOSEN: frozenset[str] = frozenset({"it", "so", "ta"})


def shown_name(code: str) -> str:
    """The name to show for language `code` in a welcome: GSM-7 where one exists."""
    return SHOWN_NAMES.get(code) or LANGUAGE_NAMES.get(code, code)


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
        # A spacing vowel sign (Tamil ா, ி) is part of its word, not a separator.
        kept.append(char if category[0] in "LN" or category == "Mc" else " ")
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


@functools.cache  # the tables are constants; asked for each language of each message
def _names_of(code: str) -> frozenset[str]:
    names = (
        LANGUAGE_NAMES.get(code),
        ENGLISH_NAMES.get(code),
        SHOWN_NAMES.get(code),
        *OTHER_NAMES.get(code, ()),
        None if code in CODES_NOT_CHOSEN else code,
    )
    return frozenset(normalise(name) for name in names if name is not None)


_LANGUAGE_WORDS: frozenset[str] = frozenset().union(*(_names_of(code) for code in LANGUAGE_NAMES))
