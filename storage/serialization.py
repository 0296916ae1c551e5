"""Engine state and replies <-> JSON bytes, driven by the dataclasses' own type hints.

Driven by the hints so a field added to ParticipantState or ConversationState is stored
without a change here; an unsupported type fails loudly on encode. Each hint is turned into
an encoder and a decoder function once per process (the reflection over hints cost a
tenth of a message's CPU when it ran on every value of every state). Datetimes are ISO 8601
with their offset; tuples (multi-choice answers, history) come back as tuples. Unknown keys
are ignored and missing ones take the field's default, so old rows keep loading.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

from conversations.messages import Outgoing
from conversations.state import ConversationState, ParticipantState

__all__ = [
    "decode_conversation",
    "decode_participant",
    "decode_replies",
    "encode_conversation",
    "encode_participant",
    "encode_replies",
]


def encode_participant(state: ParticipantState) -> bytes:
    """ParticipantState as JSON bytes."""
    return _dump(_encoder(ParticipantState)(state))


def decode_participant(data: bytes) -> ParticipantState:
    """ParticipantState from `encode_participant` bytes."""
    return _decoder(ParticipantState)(json.loads(data))  # type: ignore[no-any-return]


def encode_conversation(state: ConversationState) -> bytes:
    """ConversationState as JSON bytes."""
    return _dump(_encoder(ConversationState)(state))


def decode_conversation(data: bytes) -> ConversationState:
    """ConversationState from `encode_conversation` bytes."""
    return _decoder(ConversationState)(json.loads(data))  # type: ignore[no-any-return]


def encode_replies(replies: Sequence[Outgoing]) -> bytes:
    """A list of outgoing messages as JSON bytes."""
    encode = _encoder(Outgoing)
    return _dump([encode(reply) for reply in replies])


def decode_replies(data: bytes) -> list[Outgoing]:
    """Outgoing messages from `encode_replies` bytes."""
    decode = _decoder(Outgoing)
    return [decode(item) for item in json.loads(data)]


def encode_value(value: Any) -> Any:
    """An answer value as JSON-ready data (tuples become lists)."""
    return list(value) if isinstance(value, tuple) else value


def decode_value(value: Any) -> Any:
    """An answer value from JSON data (lists become tuples)."""
    return tuple(value) if isinstance(value, list) else value


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


Codec = Callable[[Any], Any]


@functools.cache
def _encoder(hint: Any) -> Codec:
    """The function that turns a value of `hint` into JSON-ready data."""
    arms = _arms(hint)
    if arms is not None:
        return _union_encoder(hint, arms)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = [(f.name, _encoder(hints[f.name])) for f in dataclasses.fields(hint)]

        def encode_dataclass(value: Any) -> Any:
            if value is None:
                return None
            return {name: encode(getattr(value, name)) for name, encode in fields}

        return encode_dataclass
    return _none_passes(_plain_encoder(hint))


@functools.cache
def _decoder(hint: Any) -> Codec:
    """The function that turns JSON data back into a value of `hint`."""
    arms = _arms(hint)
    if arms is not None:
        return _union_decoder(hint, arms)
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _none_passes(_dataclass_decoder(hint))
    return _none_passes(_plain_decoder(hint))


def _arms(hint: Any) -> tuple[Any, ...] | None:
    origin = typing.get_origin(hint)
    if origin is typing.Union or isinstance(hint, types.UnionType):
        return typing.get_args(hint)
    return None


def _none_passes(codec: Codec) -> Codec:
    def passing_none(value: Any) -> Any:
        return None if value is None else codec(value)

    return passing_none


def _union_encoder(hint: Any, arms: tuple[Any, ...]) -> Codec:
    choices = [(_matcher(arm), _encoder(arm)) for arm in arms]

    def encode_union(value: Any) -> Any:
        for matches, encode in choices:
            if matches(value):
                return encode(value)
        raise TypeError(f"cannot store a {type(value).__name__} as {hint}")

    return encode_union


def _plain_encoder(hint: Any) -> Codec:
    """An encoder for a value that is not None, of a hint that is no union or dataclass."""
    origin = typing.get_origin(hint) or hint
    args = typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Enum):
        return lambda value: value.value
    if origin is datetime:
        return _encode_datetime
    if origin is date:
        return lambda value: value.isoformat()
    if origin in (str, int, float, bool) or hint is Any:
        return lambda value: value
    if origin is tuple:
        items = _items(args, _encoder)
        return lambda value: [encode(item) for item, encode in items(value)]
    if origin in (Mapping, dict, typing.Mapping):
        encode_item = _encoder(args[1] if args else Any)
        return lambda value: {str(key): encode_item(item) for key, item in value.items()}

    def unsupported(value: Any) -> Any:
        raise TypeError(f"storage cannot serialise a field of type {hint}")

    return unsupported


def _encode_datetime(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("storage takes timezone-aware datetimes only")
    return value.isoformat()


def _items(args: tuple[Any, ...], codec_of: Callable[[Any], Codec]) -> Any:
    """Pairs of (item, codec) for a tuple of `args`: `tuple[X, ...]` or fixed positions."""
    if len(args) == 2 and args[1] is Ellipsis:
        each = codec_of(args[0])
        return lambda value: ((item, each) for item in value)
    codecs = [codec_of(arg) for arg in args]
    return lambda value: zip(value, codecs, strict=True)


def _matcher(hint: Any) -> Callable[[Any], bool]:
    if hint is type(None):
        return lambda value: value is None
    origin = typing.get_origin(hint) or hint
    if origin is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if origin in (Mapping, typing.Mapping):
        return lambda value: isinstance(value, Mapping)
    if isinstance(origin, type):
        return lambda value: isinstance(value, origin)
    return lambda value: False


def _dataclass_decoder(cls: type) -> Codec:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _decoder(hints[f.name])) for f in dataclasses.fields(cls)]
    name = cls.__name__

    def decode_dataclass(data: Any) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"stored {name} is not an object")
        return cls(**{key: decode(data[key]) for key, decode in fields if key in data})

    return decode_dataclass


def _union_decoder(hint: Any, arms: tuple[Any, ...]) -> Codec:
    chosen: dict[type, Codec] = {}  # the arm each JSON kind decodes as, found on first use

    def decode_union(data: Any) -> Any:
        wanted = type(data)
        decode = chosen.get(wanted)
        if decode is None:
            decode = chosen[wanted] = _decoder(_arm_for(wanted, arms, hint))
        return decode(data)

    return decode_union


def _plain_decoder(hint: Any) -> Codec:
    """A decoder for data that is not None, of a hint that is no union or dataclass."""
    origin = typing.get_origin(hint) or hint
    args = typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Enum):
        return origin
    if origin is datetime:
        return datetime.fromisoformat
    if origin is date:
        return date.fromisoformat
    if origin in (str, int, float, bool) or hint is Any:
        return lambda data: data
    if origin is tuple:
        items = _items(args, _decoder)
        return lambda data: tuple(decode(item) for item, decode in items(data))
    if origin in (Mapping, dict, typing.Mapping):
        key_hint, value_hint = args or (str, Any)
        decode_item = _decoder(value_hint)
        return lambda data: {
            _decode_key(key, key_hint): decode_item(item) for key, item in data.items()
        }

    def unsupported(data: Any) -> Any:
        raise TypeError(f"storage cannot read a field of type {hint}")

    return unsupported


def _arm_for(wanted: type, arms: tuple[Any, ...], hint: Any) -> Any:
    def kind(arm: Any) -> type:
        origin = typing.get_origin(arm) or arm
        if origin is type(None):
            return type(None)
        if origin in (tuple, list):
            return list
        if origin in (Mapping, dict, typing.Mapping) or dataclasses.is_dataclass(origin):
            return dict
        if origin in (datetime, date) or (isinstance(origin, type) and issubclass(origin, Enum)):
            return str
        return origin  # type: ignore[no-any-return]

    for arm in arms:  # an exact JSON kind first: a str arm before a datetime arm
        origin = typing.get_origin(arm) or arm
        if origin is wanted:
            return arm
    for arm in arms:
        if kind(arm) is wanted:
            return arm
    raise ValueError(f"stored {wanted.__name__} does not fit {hint}")


def _decode_key(key: str, hint: Any) -> Any:
    if hint is int:
        return int(key)
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint(key)
    return key
