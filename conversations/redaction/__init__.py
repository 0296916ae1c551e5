"""Redaction of personal details in free text, before it is stored.

Each span of personal detail becomes a tag such as ``[phone]``; nothing of the
original span is kept. The patterns lean towards recall (a survivor's phone
number in the results is the failure to avoid) but keep place names, ages,
times and ordinary numbers readable, because officers need them. One detector per
module here (emails.py, phones.py, names.py ...); this one runs them in turn.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from conversations.redaction.addresses import find_addresses
from conversations.redaction.bank import find_bank_details
from conversations.redaction.birth_dates import find_birth_dates
from conversations.redaction.cards import find_card_details
from conversations.redaction.emails import find_emails
from conversations.redaction.handles import find_handles
from conversations.redaction.names import find_names
from conversations.redaction.national_insurance import find_national_insurance_numbers
from conversations.redaction.phones import find_phone_numbers
from conversations.redaction.postcodes import find_postcodes
from conversations.redaction.spans import Span, blank_out, merge, replace
from conversations.redaction.vehicles import find_vehicle_registrations

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


_MAX_ROUNDS = 8


def _redact(text: str) -> str:
    # Most specific first: "born 12-05-09" is a birth date, not a sort code.
    finders: tuple[tuple[str, Callable[[str], Iterable[tuple[int, int]]]], ...] = (
        (EMAIL, find_emails),
        (HANDLE, find_handles),
        (NATIONAL_INSURANCE, find_national_insurance_numbers),
        (VEHICLE, find_vehicle_registrations),
        (DOB, find_birth_dates),
        (BANK, find_bank_details),
        (CARD, find_card_details),
        (PHONE, find_phone_numbers),
        (POSTCODE, find_postcodes),
        (ADDRESS, find_addresses),
        (NAME, find_names),
    )
    masked = text
    spans: list[Span] = []
    for tag, find in finders:
        found = merge([(start, end, tag) for start, end in find(masked) if start < end])
        masked = blank_out(masked, [(start, end) for start, end, _ in found])
        spans += found
    return replace(text, merge(spans))
