"""The shape of a Telegram webhook update, checked at the edge before PTB sees it.

Only the fields YouSaid reads are declared, strictly typed (a `text` that is a number or a
list is not a message's text); anything else Telegram sends is ignored. An update that
does not fit is not usable: the route acknowledges it with 200 (Telegram would otherwise
resend it for hours) and logs where it failed to fit, never what it held.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["UpdatePayload", "unusable_reason"]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", populate_by_name=True)


class UserPayload(_Strict):
    id: int
    is_bot: bool = False


class ChatPayload(_Strict):
    id: int
    type: str = Field(max_length=32)


class MessagePayload(_Strict):
    message_id: int
    date: int
    chat: ChatPayload
    from_: UserPayload | None = Field(None, alias="from")
    text: str | None = None
    caption: str | None = None


class CallbackQueryPayload(_Strict):
    id: str = Field(max_length=256)
    from_: UserPayload = Field(alias="from")
    data: str | None = Field(None, max_length=256)  # Telegram allows 64 bytes
    message: MessagePayload | None = None


class UpdatePayload(_Strict):
    """One update, as far as YouSaid reads it."""

    update_id: int
    message: MessagePayload | None = None
    edited_message: MessagePayload | None = None
    callback_query: CallbackQueryPayload | None = None


def unusable_reason(error: ValidationError) -> str:
    """Where an update failed to fit, e.g. `message.text: string_type` (no values)."""
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "the body"
    more = error.error_count() - 1
    return f"{where}: {first['type']}" + (f" (and {more} more)" if more else "")
