"""A participant's address, namespaced so one number is one person on SMS and WhatsApp alike."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers


@dataclass(frozen=True)
class Address:
    """`tel:+447700900123`, `tg:123456` or `term:alice`: what the pseudonym is the HMAC of."""

    scheme: str
    value: str

    @property
    def namespaced(self) -> str:
        return f"{self.scheme}:{self.value}"

    @classmethod
    def phone(cls, raw: str, region: str = "GB") -> Address:
        """A phone address in E.164; raises ValueError for something that is not a number."""
        number = raw.removeprefix("whatsapp:").strip()
        try:
            parsed = phonenumbers.parse(number, region)
        except phonenumbers.NumberParseException:
            raise ValueError("not a phone number") from None
        if not phonenumbers.is_possible_number(parsed):
            raise ValueError("not a possible phone number")
        return cls("tel", phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))

    @classmethod
    def telegram(cls, user_id: int) -> Address:
        return cls("tg", str(user_id))

    @classmethod
    def terminal(cls, name: str) -> Address:
        return cls("term", name)
