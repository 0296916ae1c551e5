"""Social media handles: profile links, @names, and "my snap is ..."."""

from __future__ import annotations

import re
from collections.abc import Iterator

from conversations.redaction.spans import words

PROFILE_LINK = re.compile(
    r"(?:https?://)?(?:www\.|m\.)?(?:instagram|tiktok|snapchat|facebook|fb|twitter|x|youtube"
    r"|twitch|threads)\.(?:com|net)/(?:add/|@)?[\w.-]+(?:[/?][^\s]*)?",
    re.IGNORECASE,
)
AT_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")

_PLATFORM = (
    r"(?:snap(?:chat)?(?:a|ie|ku)?|sc|insta(?:gram)?(?:ie|a|ik)?|ig|tik\s?tok(?:u|a)?|tt"
    r"|twitter|fb|facebook|fejs(?:ie|a)?|discord(?:zie)?|telegram(?:ie)?|kik|twitch|youtube|yt"
    r"|threads|bereal|psn|xbox|gamertag|roblox(?:ie)?|fortnite|steam|signal)"
)
# Words that may sit between the platform and the handle: "my snap is", "on snap his name is".
_HANDLE_FILLER = (
    r"(?:is|its|it's|it’s|name|names|name's|username|user|handle|account|acc|id|tag|from|called"
    r"|at|to|jest|his|her|their|my|me|on|add|nazwa|nick|się|sie)"
)
PLATFORM_HANDLE = re.compile(
    rf"\b(?P<platform>{_PLATFORM})\b(?P<filler>(?:\s*[:=@–-]\s*|\s+{_HANDLE_FILLER}\b)*)\s*"
    r"(?P<handle>[A-Za-z0-9_](?:[A-Za-z0-9_.#]*[A-Za-z0-9_])?)",
    re.IGNORECASE,
)
# "my snap is rhiannaa": a plain word is a handle only when the person says it is theirs.
OWN_ACCOUNT_CUE = re.compile(
    r"\b(?:my|mój|moj|moje|mojego|mam"
    r"|(?P<invitation>(?:add|follow|dm|message|msg|text|find) me(?: on)?|dodaj mnie(?: na)?"
    r"|napisz (?:do mnie )?na|pisz na))\s*$",
    re.IGNORECASE,
)
# Words that follow "snap is ..." in ordinary answers, so are not handles.
_NOT_A_HANDLE = words(
    "a about after all also always an and any are as at back bad be because been best better "
    "big but by can cant could dangerous dead did do does doesnt dont down everyone "
    "everything for from full fun get gets getting go going good got had has have he her here "
    "him his how i if im in is isnt it its just keep know like lol mad me more most much my "
    "na nah never no not now of ok okay on one only or other our out over people really said "
    "same says scary see she should so some still such than that thats the their them then "
    "there they thing this to too toxic u up us very was wasnt way we well went were what "
    "when where which while who why will with worse worst would ya yeah yes you your jest nie "
    "tak to na w z i że co jak ale private public blocked deleted hacked banned gone new old off "
    "boring rubbish fake mine dry pls tho"
)
TIME_OF_DAY = re.compile(r"\d{1,2}(?:[.:]\d\d)?(?:am|pm)?", re.IGNORECASE)
SYMBOL_BEFORE_HANDLE = re.compile(r"[:=]")
DECLARED_HANDLE = re.compile(r"[:=@]|\b(?:is|its|it's|it’s|to|jest|name|username)\b", re.I)
_OWN_ACCOUNT_REACH = 30  # characters before the platform searched for "my", "add me on" ...


def find_handles(text: str) -> Iterator[tuple[int, int]]:
    """Spans of social media handles and profile links."""
    yield from (m.span() for m in PROFILE_LINK.finditer(text))
    for m in AT_HANDLE.finditer(text):
        if _looks_like_handle(m.group()[1:]):
            yield m.span()
    for m in PLATFORM_HANDLE.finditer(text):
        handle = m.group("handle")
        filler = m.group("filler")
        declared = DECLARED_HANDLE.search(filler) is not None
        cue = OWN_ACCOUNT_CUE.search(text, max(0, m.start() - _OWN_ACCOUNT_REACH), m.start())
        invited = cue is not None and cue["invitation"] is not None
        marked = any(c.isdecimal() or c in "_.#" for c in handle)
        labelled = SYMBOL_BEFORE_HANDLE.search(filler) is not None  # "snapchat = kaylam"
        if _looks_like_handle(handle) and (marked or invited or labelled or (declared and cue)):
            start = m.start("handle")
            if filler.rstrip().endswith("@"):
                start = text.rindex("@", m.start(), start)
            yield start, m.end("handle")


def _looks_like_handle(word: str) -> bool:
    has_letter = any(c.isalpha() for c in word)
    is_time = TIME_OF_DAY.fullmatch(word) is not None
    return has_letter and not is_time and word.lower() not in _NOT_A_HANDLE
