"""E-mail addresses, written out or spelled ("kayla at gmail dot com")."""

from __future__ import annotations

import re
from collections.abc import Iterator

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


def find_emails(text: str) -> Iterator[tuple[int, int]]:
    """Spans of e-mail addresses, plain or spelled out."""
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
