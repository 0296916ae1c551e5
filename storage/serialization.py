"""Engine state and replies <-> JSON bytes, driven by the dataclasses' own type hints.

Driven by the hints so a field added to ParticipantState or ConversationState is stored
without a change here; an unsupported type fails loudly on encode. Datetimes are ISO 8601
with their offset; tuples (multi-choice answers, history) come back as tuples. Unknown keys
are ignored and missing ones take the field's default, so old rows keep loading.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

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

T = TypeVar("T")


def encode_participant(state: ParticipantState) -> bytes:
    """ParticipantState as JSON bytes."""
    return _dump(_encode(state, ParticipantState))


def decode_participant(data: bytes) -> ParticipantState:
    """ParticipantState from `encode_participant` bytes."""
    return _decode_dataclass(json.loads(data), ParticipantState)


def encode_conversation(state: ConversationState) -> bytes:
    """ConversationState as JSON bytes."""
    return _dump(_encode(state, ConversationState))


def decode_conversation(data: bytes) -> ConversationState:
    """ConversationState from `encode_conversation` bytes."""
    return _decode_dataclass(json.loads(data), ConversationState)


def encode_replies(replies: Sequence[Outgoing]) -> bytes:
    """A list of outgoing messages as JSON bytes."""
    return _dump([_encode(reply, Outgoing) for reply in replies])


def decode_replies(data: bytes) -> list[Outgoing]:
    """Outgoing messages from `encode_replies` bytes."""
    return [_decode_dataclass(item, Outgoing) for item in json.loads(data)]


def encode_value(value: Any) -> Any:
    """An answer value as JSON-ready data (tuples become lists)."""
    return list(value) if isinstance(value, tuple) else value


def decode_value(value: Any) -> Any:
    """An answer value from JSON data (lists become tuples)."""
    return tuple(value) if isinstance(value, list) else value


def _dump(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def _hints(cls: type) -> dict[str, Any]:
    return _class_hints(cls)


@functools.cache
def _class_hints(cls: Any) -> dict[str, Any]:
    # Once per class: get_type_hints evaluates every annotation string each time it is
    # called, which was a tenth of a message's CPU when it ran per (de)serialisation.
    return typing.get_type_hints(cls)


def _arms(hint: Any) -> tuple[Any, ...] | None:
    origin = typing.get_origin(hint)
    if origin is typing.Union or isinstance(hint, types.UnionType):
        return typing.get_args(hint)
    return None


def _encode(value: Any, hint: Any) -> Any:
    arms = _arms(hint)
    if arms is not None:
        for arm in arms:
            if _matches(value, arm):
                return _encode(value, arm)
        raise TypeError(f"cannot store a {type(value).__name__} as {hint}")
    if value is None:
        return None
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        return {
            field.name: _encode(getattr(value, field.name), hints[field.name])
            for field in dataclasses.fields(hint)
        }
    return _encode_plain(value, hint)


def _encode_plain(value: Any, hint: Any) -> Any:
    """`_encode` for a value that is not None, of a hint that is no union or dataclass."""
    origin = typing.get_origin(hint) or hint
    args = typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Enum):
        return value.value
    if origin is datetime:
        if value.tzinfo is None:
            raise ValueError("storage takes timezone-aware datetimes only")
        return value.isoformat()
    if origin is date:
        return value.isoformat()
    if origin in (str, int, float, bool):
        return value
    if origin is tuple:
        item_hints = [args[0]] * len(value) if len(args) == 2 and args[1] is Ellipsis else args
        return [_encode(item, item_hint) for item, item_hint in zip(value, item_hints, strict=True)]
    if origin in (Mapping, dict, typing.Mapping):
        value_hint = args[1] if args else Any
        return {str(key): _encode(item, value_hint) for key, item in value.items()}
    if hint is Any:
        return value
    raise TypeError(f"storage cannot serialise a field of type {hint}")


def _matches(value: Any, hint: Any) -> bool:
    if hint is type(None):
        return value is None
    origin = typing.get_origin(hint) or hint
    if origin is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if origin in (Mapping, typing.Mapping):
        return isinstance(value, Mapping)
    return isinstance(origin, type) and isinstance(value, origin)


def _decode_dataclass(data: Any, cls: type[T]) -> T:
    if not isinstance(data, dict):
        raise ValueError(f"stored {cls.__name__} is not an object")
    hints = _hints(cls)
    values = {
        field.name: _decode(data[field.name], hints[field.name])
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]
        if field.name in data
    }
    return cls(**values)


def _decode(data: Any, hint: Any) -> Any:
    arms = _arms(hint)
    if arms is not None:
        return _decode(data, _arm_for(data, arms, hint))
    if data is None:
        return None
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return _decode_dataclass(data, hint)
    origin = typing.get_origin(hint) or hint
    args = typing.get_args(hint)
    if isinstance(origin, type) and issubclass(origin, Enum):
        return origin(data)
    if origin is datetime:
        return datetime.fromisoformat(data)
    if origin is date:
        return date.fromisoformat(data)
    if origin in (str, int, float, bool):
        return data
    if origin is tuple:
        item_hints = [args[0]] * len(data) if len(args) == 2 and args[1] is Ellipsis else args
        return tuple(
            _decode(item, item_hint) for item, item_hint in zip(data, item_hints, strict=True)
        )
    if origin in (Mapping, dict, typing.Mapping):
        key_hint, value_hint = args or (str, Any)
        return {_decode_key(key, key_hint): _decode(item, value_hint) for key, item in data.items()}
    if hint is Any:
        return data
    raise TypeError(f"storage cannot read a field of type {hint}")


def _arm_for(data: Any, arms: tuple[Any, ...], hint: Any) -> Any:
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

    wanted = type(data)
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
