"""Redaction of personal details in free text, before it is stored.

Each span of personal detail becomes a tag such as ``[phone]``; nothing of the
original span is kept. The patterns lean towards recall (a survivor's phone
number in the results is the failure to avoid) but keep place names, ages,
times and ordinary numbers readable, because officers need them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

import phonenumbers

from conversations import redaction_people as people

PHONE = "[phone]"
EMAIL = "[email]"
POSTCODE = "[postcode]"
ADDRESS = "[address]"
HANDLE = "[handle]"
CARD = "[card]"
BANK = "[bank]"
DOB = "[dob]"
NATIONAL_INSURANCE = "[ni]"
VEHICLE = "[reg]"
NAME = "[name]"

REDACTION_TAGS: tuple[str, ...] = (
    PHONE,
    EMAIL,
    POSTCODE,
    ADDRESS,
    HANDLE,
    CARD,
    BANK,
    DOB,
    NATIONAL_INSURANCE,
    VEHICLE,
    NAME,
)


def redact(text: str) -> str:
    """Return ``text`` with every span of personal detail replaced by its tag.

    Pure and deterministic. Should a bug ever raise inside, the answer is "[redacted]" whole:
    losing one answer is better than storing it unredacted or failing the conversation.
    """
    try:
        redacted = _redact(text)
        # A tag can complete a pattern that the original did not ("00000000@B" becomes
        # "[phone]@B", an @handle), so redact until nothing changes: redact(redact(x)) == redact(x).
        for _ in range(_MAX_ROUNDS):
            if redacted == text:
                break
            text, redacted = redacted, _redact(redacted)
        return redacted
    except Exception:  # a library bug must neither crash the caller nor let the text through
        return "[redacted]"


Span = tuple[int, int, str]

_MAX_ROUNDS = 8

# Found spans are blanked out with this before the next kind is looked for, so that
# "40-11-62 12345678" is a sort code and an account number, not one long phone number.
_MASK = "\x00"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- e-mail addresses --------------------------------------------------------

_SPELLED_DOT = r"(?:\s*(?:\(dot\)|\[dot\]|\{dot\}|\(\.\))\s*|\s+(?:dot|kropka)\s+|\.)"
# Each "@" or spelled-out "at" anchors a search: the address around it is matched within a
# bounded reach on either side, so a 10,000-character message cannot make the search quadratic.
EMAIL_AT = re.compile(r"@|\(at\)|\[at\]|\{at\}|\(@\)|\b(?:at|małpa|malpa)\b", re.IGNORECASE)
EMAIL_LOCAL_PART = re.compile(
    rf"\b\w[\w+-]{{0,63}}(?:{_SPELLED_DOT}\w[\w+-]{{0,63}}){{0,9}}\s*$", re.IGNORECASE
)
EMAIL_DOMAIN = re.compile(
    rf"\s*[\w-]{{1,63}}(?:{_SPELLED_DOT}[\w-]{{1,63}}){{0,5}}{_SPELLED_DOT}(?P<tld>[^\W\d_]{{2,24}})\b",
    re.IGNORECASE,
)
# "kayla at gmail": a big mail provider's name is address enough.
MAIL_PROVIDER = re.compile(
    r"\s*(?:gmail|googlemail|hotmail|outlook|yahoo|icloud|aol|btinternet|protonmail|wp|onet"
    r"|interia)\b",
    re.IGNORECASE,
)
PLAIN_EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A spelled-out address must end like one: "kayla at gmail dot com", not "at school. Then".
MAIL_TOP_LEVEL_DOMAIN = re.compile(
    r"com|co|uk|org|net|pl|ie|io|me|edu|gov|ac|info|eu|de|fr|us|ca|au|nl|es|it", re.IGNORECASE
)
_EMAIL_LOCAL_REACH = 80

# --- social media handles ----------------------------------------------------

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
_NOT_A_HANDLE = _words(
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

# --- cards and bank details --------------------------------------------------

# Unbroken, in fours, or the 4-6-5 of American Express.
CARD_NUMBER = re.compile(
    r"(?<![\d-])(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,3})?|\d{4}[ -]\d{6}[ -]\d{4,5})"
    r"(?![\d-])"
)
CARD_SECURITY_CODE = re.compile(
    r"\b(?:cvv2?|cvc2?|cv2|security code|exp(?:iry|ires)?)\s*[:.-]?\s*"
    r"(?P<value>\d{3,4}|\d\d/\d\d)\b",
    re.IGNORECASE,
)
SORT_CODE = re.compile(r"(?<![\d-])\d{2}-\d{2}-\d{2}(?![\d-])")
SPACED_SORT_CODE = re.compile(
    r"\bsort(?:\s*code)?\s*[:.-]?\s*(?P<value>\d{2}\s?\d{2}\s?\d{2})\b", re.I
)
ACCOUNT_NUMBER = re.compile(r"(?<![\d-])(?<!\d\s)\d{4}\s?\d{4}(?![\d-]|\s\d)")
BANK_CUE = re.compile(
    r"\b(?:account|acc|acct|a/c|sort|konto|konta|rachunek|rachunku|bank)\b", re.IGNORECASE
)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,3})?\b")
POLISH_ACCOUNT_NUMBER = re.compile(r"(?<!\d)\d{2}(?:\s?\d{4}){6}(?!\d)")
_BANK_CUE_REACH = 40  # characters either side of an 8-digit number

# --- dates of birth ----------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|stycz(?:eń|en|nia)|lut(?:y|ego)|mar(?:zec|ca)|kwie(?:cień|cien|tnia)|maj(?:a)?"
    r"|czerw(?:iec|ca)|lip(?:iec|ca)|sierp(?:ień|ien|nia)|wrze(?:sień|sien|śnia|snia)"
    r"|październik(?:a)?|pazdziernik(?:a)?|listopad(?:a)?|grud(?:zień|zien|nia))\.?"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:\d{4}|'?\d{2})"
NUMERIC_DATE = re.compile(
    r"(?<![\d/.-])(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)(?P<year>\d{4}|\d{2})"
    r"(?![\d/-]|\.\d)"
)
# "3/4" only counts after "born", "bday" ...; anywhere else it is a score or a fraction.
DAY_AND_MONTH = re.compile(r"(?<![\d/.-])(?P<day>\d{1,2})[/.](?P<month>\d{1,2})(?![\d/]|\.\d)")
ISO_DATE = re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d/.-])")
WORDY_DATE = re.compile(
    rf"\b(?:{_ORDINAL}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+(?:the\s+)?{_ORDINAL})"
    rf"(?:,?\s+(?P<year>{_YEAR}))?(?![\w/])",
    re.IGNORECASE,
)
BIRTH_CUE = re.compile(
    r"(?:\bborn|\bd\.?o\.?b\b\.?|\bdate of birth|\bbirth ?day(?:'s|’s|s)?|\bb-?day(?:'s|’s|s)?"
    r"|\bb'day|\bb\.(?=\s*\d)|\burodzi(?:łam|łem|lam|lem|ła|ł|la|l)\s+się|\bur\.|\bdata urodzenia"
    r"|\burodziny(?: mam)?)"
    r"(?:\s*[:.-]\s*|\s+(?:is|was|on|the|its|it's|it’s|jest|to|mam|się|sie|in)\b)*\s*$",
    re.IGNORECASE,
)
_BIRTH_CUE_REACH = 40  # characters before a date searched for "born", "dob" ...
# Full dates from this year on are far more likely to be when something happened than the
# birth date of someone texting, so without "born"/"dob" they stay readable.
_EVENT_YEARS_FROM = 2020

# --- phone numbers -----------------------------------------------------------

# phonenumbers misses long runs of digits that are not numbers it knows ("7700900123").
DIGIT_RUN = re.compile(r"\+?\(?\d(?:[ .()-]{0,3}\d){9,}")
_MIN_DIGIT_RUN = 10
_MIN_PHONE_DIGITS = 8  # POSSIBLE matches "2023"; real numbers, even local ones, are longer
# Shapes phonenumbers takes for numbers that are not: "12.03.2024", "2019-2021".
NOT_A_PHONE_NUMBER = re.compile(
    r"\d{1,2}([/.-])\d{1,2}\1\d{2,4}|\d{4}-\d{2}-\d{2}|(?:19|20)\d\d\s*[-/–]\s*(?:19|20)\d\d"
)
# Helplines people are told about (DESIGN.md "Safety") are public, not personal.
_PUBLIC_NUMBERS = frozenset(
    ["08001111", "08082000247", "08085002222", "116123", "08088005000", "0800555111", "85258"]
)

# --- postcodes ---------------------------------------------------------------

_POSTCODE_AREAS = _words(
    "AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
    "DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L "
    "LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S "
    "SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR "
    "WS WV YO ZE"
)
# Only a full postcode: an outward code alone ("SE13") names a district, not a home.
FULL_POSTCODE = re.compile(
    r"\b(?P<area>[A-Z]{1,2})\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE
)

# "ul. Długa 5, 00-590 Warszawa": only in an address with the town after it, as
# "10-100 People" is a range.
POLISH_POSTCODE = re.compile(r"(?<![\d-])(?P<code>\d{2}-\d{3})\s+[A-ZĆŁŚŹŻ][a-ząćęłńóśźż]+")
POLISH_ADDRESS_CUE = re.compile(r"\b(?:ul\.|ulica|ulicy|al\.|os\.|adres|kod)", re.IGNORECASE)
_POLISH_ADDRESS_CUE_REACH = 60

# --- street addresses --------------------------------------------------------

_STREET_TYPE = (
    r"(?:road|rd|street|st|lane|ln|grove|gr|avenue|ave|av|close|cl|way|drive|dr|court|ct"
    r"|crescent|cres|gardens|gdns|place|pl|terrace|terr|tce|hill|park|estate|house|mews|walk"
    r"|row|square|sq|green|rise|vale|view|parade|broadway|gate|yard|wharf|grange|hall|heights"
    r"|tower|towers|lodge|buildings|mansions|passage|boulevard|embankment|circus|alley)\.?"
)
_NOT_A_STREET_NAME = (
    r"(?:a|an|the|of|to|in|on|at|by|and|or|but|so|my|me|i|im|we|you|u|ur|your|his|her|their"
    r"|our|is|was|are|were|be|been|it|its|this|that|these|those|for|with|from|near|down|up"
    r"|along|past|round|around|across|off|onto|into|over|under|behind|outside|inside|then"
    r"|times|time|min|mins|minute|minutes|hour|hours|hr|hrs|sec|secs|second|seconds|day|days"
    r"|week|weeks|month|months|year|years|yr|yrs|mile|miles|km|metres|meters|yards|feet|steps"
    r"|people|ppl|boys|girls|kids|lads|guys|men|women|friends|mates|more|other|different"
    r"|police|cars|bikes|buses|stops|just|only|too|very|really|not|no|pm|am|out|away|back)"
)
_STREET_NAME_WORD = rf"(?!{_NOT_A_STREET_NAME}\b)[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?"
_FLAT = r"(?:flat|apartment|apt|unit|room|mieszkanie)\.?\s*"
_HOUSE_NUMBER_WORD = r"(?:no|number|num|nr|numer)\.?\s*"
_HOUSE_NUMBER = r"\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)?"  # 12, 3b, 3/22
STREET_ADDRESS = re.compile(
    rf"(?P<flat>\b{_FLAT}(?:{_HOUSE_NUMBER}\s*,?\s+(?=\d))?)?"
    rf"(?:(?P<number_word>\b{_HOUSE_NUMBER_WORD})|(?<![\w£$€.,:/-])){_HOUSE_NUMBER}\b\s*,?\s+"
    rf"(?:{_STREET_NAME_WORD}\s+){{1,3}}(?P<type>{_STREET_TYPE})(?!\w)"
    rf"(?:,?\s+{_FLAT}{_HOUSE_NUMBER}\b)?",  # "22 Hither Green Lane flat 3"
    re.IGNORECASE,
)
# "Wearside Rd at number 22": the number after the street, said as a number. The search
# starts from each "number 22" and looks back, as trying every word as a street is slow.
HOUSE_NUMBER_SAID = re.compile(
    rf"\b(?:number|no\.|nr\.?|num)\s*{_HOUSE_NUMBER}\b",  # not "no 1": "Road no 1 problem"
    re.IGNORECASE,
)
STREET_BEFORE_NUMBER = re.compile(
    rf"\b(?:{_STREET_NAME_WORD}\s+){{1,3}}{_STREET_TYPE}\s*,?\s+(?:at\s+)?$", re.IGNORECASE
)
STREET_TYPE_BEFORE_NUMBER = re.compile(rf"\b{_STREET_TYPE}\s*,?\s+(?:at\s+)?$", re.IGNORECASE)
_STREET_BEFORE_NUMBER_REACH = 80
# "ul. Kwiatowa 12", "ulica Długa 5 m. 3": the Polish order, number last.
POLISH_STREET_ADDRESS = re.compile(
    rf"\b(?:ul\.|ulica|ulicy|ulicę|al\.|aleja|alei|os\.|osiedle|osiedlu)\s*"
    rf"(?:{_STREET_NAME_WORD}\s+){{1,3}}\d{{1,4}}[a-z]?(?:\s*/\s*\d+|\s+m\.?\s*\d+)?\b",
    re.IGNORECASE,
)
# Words that are streets only when written as one ("Hither Green Lane", not "3 people close").
_AMBIGUOUS_STREET_TYPES = _words(
    "close cl way walk park place pl row square sq court ct hill green house rise vale view "
    "gate yard hall tower lodge drive dr st gr av"
)
ADDRESS_CUE = re.compile(
    r"(?<!\[)\b(?:live|lives|living|lived|stay|stays|staying|address|addy|at|house|home"
    r"|mieszkam|mieszka|przy|na|come to|go to)\W*$",
    re.IGNORECASE,
)
_ADDRESS_CUE_REACH = 30


# --- helpers -----------------------------------------------------------------


def _redact(text: str) -> str:
    # Most specific first: "born 12-05-09" is a birth date, not a sort code.
    finders: tuple[tuple[str, Callable[[str], Iterable[tuple[int, int]]]], ...] = (
        (EMAIL, _find_emails),
        (HANDLE, _find_handles),
        (NATIONAL_INSURANCE, people.find_national_insurance_numbers),
        (VEHICLE, people.find_vehicle_registrations),
        (DOB, _find_birth_dates),
        (BANK, _find_bank_details),
        (CARD, _find_card_details),
        (PHONE, _find_phone_numbers),
        (POSTCODE, _find_postcodes),
        (ADDRESS, _find_addresses),
        (NAME, people.find_names),
    )
    masked = text
    spans: list[Span] = []
    for tag, find in finders:
        found = _merge([(start, end, tag) for start, end in find(masked) if start < end])
        masked = _blank_out(masked, found)
        spans += found
    return _replace(text, _merge(spans))


def _merge(spans: list[Span]) -> list[Span]:
    """Join overlapping spans, so that no part of one survives next to another's tag."""
    merged: list[Span] = []
    for start, end, tag in sorted(spans):
        if merged and start < merged[-1][1]:
            last_start, last_end, last_tag = merged[-1]
            merged[-1] = (last_start, max(end, last_end), last_tag)
        else:
            merged.append((start, end, tag))
    return merged


def _blank_out(text: str, spans: list[Span]) -> str:
    return _replace(text, [(start, end, _MASK * (end - start)) for start, end, _ in spans])


def _replace(text: str, spans: list[Span]) -> str:
    """Put each span's third part in its place; the spans are sorted and apart."""
    pieces: list[str] = []
    done = 0
    for start, end, replacement in spans:
        pieces.append(text[done:start])
        pieces.append(replacement)
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _find_emails(text: str) -> Iterator[tuple[int, int]]:
    for at in EMAIL_AT.finditer(text):
        local = EMAIL_LOCAL_PART.search(text, max(0, at.start() - _EMAIL_LOCAL_REACH), at.start())
        if local is None:
            continue
        domain = EMAIL_DOMAIN.match(text, at.end())
        if domain is not None:
            start, end = local.start(), domain.end()
            plain = PLAIN_EMAIL_ADDRESS.fullmatch(text, start, end) is not None
            if plain or MAIL_TOP_LEVEL_DOMAIN.fullmatch(domain["tld"]):
                yield start, end
                continue
        provider = MAIL_PROVIDER.match(text, at.end())
        if provider is not None:
            yield local.start(), provider.end()


def _find_handles(text: str) -> Iterator[tuple[int, int]]:
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


def _find_card_details(text: str) -> Iterator[tuple[int, int]]:
    for m in CARD_NUMBER.finditer(text):
        digits = [int(c) for c in m.group() if c.isdecimal()]
        groups = re.split(r"[ -]", m.group())
        if _luhn_valid(digits) or (len(groups) == 4 and all(len(g) == 4 for g in groups)):
            yield m.span()
    yield from (m.span("value") for m in CARD_SECURITY_CODE.finditer(text))


def _luhn_valid(digits: list[int]) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _find_bank_details(text: str) -> Iterator[tuple[int, int]]:
    sort_codes = [m.span() for m in SORT_CODE.finditer(text)]
    sort_codes += [m.span("value") for m in SPACED_SORT_CODE.finditer(text)]
    yield from sort_codes
    without_sort_codes = _blank_out(text, [(start, end, BANK) for start, end in sort_codes])
    for m in ACCOUNT_NUMBER.finditer(without_sort_codes):
        near_start = max(0, m.start() - _BANK_CUE_REACH)
        near_end = m.end() + _BANK_CUE_REACH
        if BANK_CUE.search(text, near_start, near_end) or SORT_CODE.search(
            text, near_start, near_end
        ):
            yield m.span()
    yield from (m.span() for m in IBAN.finditer(text))
    yield from (m.span() for m in POLISH_ACCOUNT_NUMBER.finditer(text))


def _find_birth_dates(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (NUMERIC_DATE, ISO_DATE, WORDY_DATE, DAY_AND_MONTH):
        for m in pattern.finditer(text):
            parts = m.groupdict()
            if parts.get("day") and not _is_day_and_month(int(parts["day"]), int(parts["month"])):
                continue
            year = parts.get("year")
            long_ago = year is not None and _full_year(int(year.lstrip("'"))) < _EVENT_YEARS_FROM
            if long_ago or _after_birth_cue(text, m.start()):
                yield m.span()


def _is_day_and_month(day: int, month: int) -> bool:
    """Either way round, as someone may write the American way."""
    smaller, larger = sorted((day, month))
    return 1 <= smaller <= 12 and larger <= 31


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return 2000 + year if year < 40 else 1900 + year


def _after_birth_cue(text: str, start: int) -> bool:
    return BIRTH_CUE.search(text, max(0, start - _BIRTH_CUE_REACH), start) is not None


def _find_phone_numbers(text: str) -> Iterator[tuple[int, int]]:
    long_runs = [span for span in _digit_runs(text) if _could_be_phone_number(text, *span)]
    yield from long_runs
    # Long runs are blanked out first: phonenumbers takes a while over each candidate, and a
    # message full of digits holds thousands of them.
    rest = _blank_out(text, [(start, end, PHONE) for start, end in long_runs])
    # POSSIBLE, not VALID: Ofcom's drama numbers (07700 900xxx) and new ranges are not "valid".
    matcher = phonenumbers.PhoneNumberMatcher(rest, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for match in matcher:
        if _could_be_phone_number(text, match.start, match.end):
            yield _with_brackets(text, match.start, match.end)


def _digit_runs(text: str) -> Iterator[tuple[int, int]]:
    for m in DIGIT_RUN.finditer(text):
        if sum(c.isdecimal() for c in m.group()) >= _MIN_DIGIT_RUN:
            yield _with_brackets(text, *m.span())


def _could_be_phone_number(text: str, start: int, end: int) -> bool:
    digits = "".join(c for c in text[start:end] if c.isdecimal())
    return (
        len(digits) >= _MIN_PHONE_DIGITS
        and digits not in _PUBLIC_NUMBERS
        and NOT_A_PHONE_NUMBER.fullmatch(text, start, end) is None
    )


def _with_brackets(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a number's span over a leading "+" or "(" and a closing ")"."""
    while start > 0 and text[start - 1] in "+(":
        start -= 1
    if end < len(text) and text[end] == ")" and "(" in text[start:end]:
        end += 1
    return start, end


def _find_postcodes(text: str) -> Iterator[tuple[int, int]]:
    for m in FULL_POSTCODE.finditer(text):
        if m["area"].upper() in _POSTCODE_AREAS:
            yield m.span()
    for m in POLISH_POSTCODE.finditer(text):
        if POLISH_ADDRESS_CUE.search(
            text, max(0, m.start() - _POLISH_ADDRESS_CUE_REACH), m.start()
        ):
            yield m.span("code")


def _find_addresses(text: str) -> Iterator[tuple[int, int]]:
    for m in STREET_ADDRESS.finditer(text):
        street_type = m["type"].rstrip(".")
        ambiguous = street_type.lower() in _AMBIGUOUS_STREET_TYPES
        written_as_name = street_type[0].isupper()
        cued = (
            m["flat"]
            or m["number_word"]
            or ADDRESS_CUE.search(text, max(0, m.start() - _ADDRESS_CUE_REACH), m.start())
        )
        if not ambiguous or written_as_name or cued:
            yield m.span()
    for m in HOUSE_NUMBER_SAID.finditer(text):
        if not STREET_TYPE_BEFORE_NUMBER.search(text, max(0, m.start() - 20), m.start()):
            continue
        reach = max(0, m.start() - _STREET_BEFORE_NUMBER_REACH)
        street = STREET_BEFORE_NUMBER.search(text, reach, m.start())
        if street is not None:
            yield street.start(), m.end()
    yield from (m.span() for m in POLISH_STREET_ADDRESS.finditer(text))
