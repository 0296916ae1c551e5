"""People's names, where the text says a name follows.

Names are the hard part: "im scared" and "im 12" must stay, "im Chloe" must go. A name is
taken out only after a cue that says a name follows:

- strong cues ("my name is", "his name's", "call me", "he's called", "nazywam się",
  "mam na imię", "ma na imię"): the next word, unless it is a common word or a number;
- weak cues ("i'm", "im", "i am", "this is", "jestem") and people words ("my uncle",
  "my boyfriend", "mój brat"): the next word only when it is a known first name
  (`FIRST_NAMES`), or is written with a capital and is not a common word.

A capitalised word straight after a name is taken as the surname. An age is never a
name, nor is anything in `_NOT_A_NAME`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.redaction.spans import words

_APOSTROPHE = "['’`]"
# A cue that says a name follows: the next word is a name unless it is a common word.
STRONG_NAME_CUE = re.compile(
    rf"\b(?:(?:my|his|her|their|ur|your|mums|dads|mum{_APOSTROPHE}s|dad{_APOSTROPHE}s)\s+"
    rf"(?:real\s+|full\s+|first\s+)?name(?:\s+is|{_APOSTROPHE}?s)"
    rf"|call\s+me|(?:he|she|they)(?:{_APOSTROPHE}?s|\s+is|\s+are)?\s+called|goes\s+by"
    r"|nazywam\s+si[eę]|nazywa\s+si[eę]|mam\s+na\s+imi[eę]|ma\s+na\s+imi[eę]"
    r"|na\s+imi[eę]\s+(?:mu|jej)(?:\s+jest)?)\s*[:,-]?\s+",
    re.IGNORECASE,
)
# A cue after which a name may follow: a known first name, or a capitalised word that is
# no common word ("im Chloe", not "im Scared"; "my uncle Dave").
WEAK_NAME_CUE = re.compile(
    rf"\b(?:i{_APOSTROPHE}?m|i\s+am|jestem"
    r"|(?:my|me|mój|moj|moja|moje|mojego|mojej)\s+(?:step\s?)?(?:uncle|aunt|aunty|auntie"
    r"|cousin|brother|sister|bro|sis|dad|mum|mom|boyfriend|girlfriend|bf|gf|ex|friend|mate"
    r"|teacher|coach|neighbour|partner|husband|wife|grandad|nan|wujek|ciocia|brat|siostra"
    r"|chłopak|chlopak|dziewczyna|kolega|koleżanka|kolezanka|ojczym|sąsiad|sasiad|trener))\s+",
    re.IGNORECASE,
)
# Only a known first name after these: "this is London" and "its Monday" stay.
NAME_ONLY_CUE = re.compile(rf"\b(?:this\s+is|it{_APOSTROPHE}?s|to\s+jest)\s+", re.IGNORECASE)
NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]{0,20}(?![\w'’-])")
SURNAME = re.compile(r"\s+([A-ZĄĆĘŁŃÓŚŹŻ][^\W\d_'’-]{1,20})(?![\w'’-])")


def find_names(text: str) -> Iterator[tuple[int, int]]:
    """Spans of people's names after a cue that says a name follows."""
    for cue, rule in ((STRONG_NAME_CUE, _ANY), (WEAK_NAME_CUE, _KNOWN_OR_CAPITAL)):
        for m in cue.finditer(text):
            yield from _name_at(text, m.end(), rule)
    for m in NAME_ONLY_CUE.finditer(text):
        yield from _name_at(text, m.end(), _KNOWN)


_ANY, _KNOWN_OR_CAPITAL, _KNOWN = range(3)


def _name_at(text: str, start: int, rule: int) -> Iterator[tuple[int, int]]:
    m = NAME_WORD.match(text, start)
    if m is None:
        return
    word = m.group()
    lower = word.casefold()
    if lower in _NOT_A_NAME or (rule != _ANY and lower in _COMMON_WORDS):
        return
    known = lower in FIRST_NAMES
    capital = word[0].isupper() and rule == _KNOWN_OR_CAPITAL
    if rule == _ANY or known or capital:
        end = m.end()
        surname = SURNAME.match(text, end)
        if surname is not None and surname.group(1).casefold() not in _COMMON_WORDS:
            end = surname.end()
        yield m.start(), end


# Common first names in the UK and Poland, lower case, leaving out the ones that are also
# everyday words ("will", "may", "grace", "frank", "sunny", "rose").
FIRST_NAMES = words(
    """aaliyah aaron abdul abdullah abigail adam adrian aisha aiden alex alexander alexandra
    alfie ali alice alicja amber amelia amira amy andrew anna antoni archie arthur ashley
    ava ayaan ayesha bartek bartosz ben benjamin bethany billy bogdan brandon callum cameron
    charlie charlotte chloe connor daniel danny darius dave david declan demi dominik dylan
    ebony eden edward elijah ella ellie emily emma eric erin ethan eva evie ewa faith
    fatima finley francesca freddie freya gabriel george georgia grzegorz hannah harley
    harper harry harvey hassan hayden holly hussain ibrahim igor isaac isabel isabella
    isla ivy jack jacob jade jake jakub james jamal jasmine jayden jennifer jessica joanna
    joe john jordan joseph josh joshua julia kacper kai kamil karol karolina kasia katie
    kayla kayden keira kian kieran krzysztof kuba kyle laura lauren layla leah leo leon
    lewis liam lily logan lola louie louis lucas lucy luke maciej maddison mahmoud maja
    malik marcus maria mariam marta mason matthew mateusz megan mia michael michal mikolaj
    millie mohammed mohammad molly muhammad nadia natalia nathan nikola noah ola oliver
    olivia omar oscar owen paige patryk paulina piotr poppy rachel rayan reece rhys riley
    robert ruby ryan samuel sara sarah scarlett sebastian shannon sienna sofia sophie
    stanley stefan szymon tomasz thomas theo tia tom tommy tyler tyrese usman wiktor
    wiktoria william yusuf zain zara zofia zuzanna"""
)

# Words that follow "im" or "my friend" without being a name, even with a capital.
_COMMON_WORDS = words(
    """a an the so not just really very too also only still always never here there
    home out in on at from with by for to of and or but if when because cos coz
    happy sad scared afraid fine ok okay good bad sure tired done sorry glad alone
    safe unsafe worried nervous angry upset lonely bored busy free sick ill new old
    young black white asian british english polish muslim christian jewish hindu sikh
    gay lesbian bi trans straight disabled deaf autistic catholic irish scottish welsh
    african caribbean pakistani indian bangladeshi somali nigerian romanian ukrainian
    going gonna trying living staying walking talking thinking feeling getting being
    who what where why how which someone somebody nobody everyone anyone one two three
    sama sam sami same w z na do nie tak bardzo dobrze zle smutna smutny szczesliwa
    polka polakiem polak mlody mloda uczniem uczennica tutaj tu stad
    monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december christmas easter
    london england uk britain poland polska
    has have had is was does did do got gets get keeps kept makes made said says told
    hits hit hurts hurt touches touched beats beat takes took wants wanted will would
    can could should might must lives lived works worked goes went comes came knows
    thinks feels likes loves hates never always"""
)

_NOT_A_NAME = words(
    """i me my you he she it we they him her them is am are was were be been not no
    yes a an the and or but so to of in on at from with for by this that here there
    what who how why when where name names number age years year yrs old lat sie się"""
)
