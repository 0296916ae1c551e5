"""Property-based tests on the parsers at the edge: whatever arrives, none raises past it.

Each parser either gives its value or its own refusal (BadWebhook for a Twilio form, a
ValidationError for a Telegram update, a FILE:LINE problem for YAML), never anything else.
Runs under the "ci" hypothesis profile (tests/conftest.py): at most 100 examples,
derandomized.
"""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from bot.channels.telegram.payload import UpdatePayload, unusable_reason
from bot.channels.twilio.adapter import BadWebhook, media_sids, parse_form, to_received
from conversations.loader import load_consultation
from conversations.update_file import load_update
from tests.unit.conversations.update_file.test_loader import FEELING_SAFE

FORM = "application/x-www-form-urlencoded"

# Pieces of YAML that have hurt parsers: anchors, aliases, tags, deep brackets, tabs.
YAML_PIECES = st.sampled_from(
    [
        "id: x\n",
        "title: T\n",
        "languages: [en]\n",
        "questions:\n",
        "  - id: q\n",
        "    type: text\n",
        "    text: {en: A}\n",
        "a: &a [1, 2]\n",
        "b: *a\n",
        "c: !!python/object:os.system x\n",
        "d: !tag x\n",
        "[" * 40,
        "]" * 40,
        "{a: " * 40,
        "\t- x\n",
        "'unclosed\n",
        '"\\q"\n',
        "---\n",
        "? [a, b]\n: c\n",
        "<<: {a: 1}\n",
        "e: \x00\n",
        "f: " + "9" * 5000 + "\n",
        "consultation: feeling-safe\n",
        "actions:\n  - {en: We did it}\n",
    ]
)
YAML_TEXT = st.one_of(
    st.text(max_size=2000),
    st.lists(YAML_PIECES, max_size=30).map("".join),
    st.lists(st.one_of(YAML_PIECES, st.text(max_size=20)), max_size=30).map("".join),
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


@given(YAML_TEXT)
def test_consultation_yaml_gives_a_result_or_file_line_problems(text: str) -> None:
    result = load_consultation(text, "c.yaml")

    assert result.ok == (result.consultation is not None)
    assert all(str(p).startswith("c.yaml:") and p.line >= 1 and p.fix for p in result.problems)


@given(YAML_TEXT)
def test_update_yaml_gives_a_result_or_file_line_problems(text: str) -> None:
    result = load_update(text, "u.yaml", FEELING_SAFE, "feeling-safe")

    assert (result.update is None) == bool(result.errors)
    assert all(str(p).startswith("u.yaml:") and p.line >= 1 and p.fix for p in result.problems)


@given(
    st.binary(max_size=3000), st.sampled_from([FORM, f"{FORM}; charset=utf-8", "", "text/plain"])
)
def test_any_twilio_body_is_a_form_or_bad_webhook(body: bytes, content_type: str) -> None:
    try:
        form = parse_form(body, content_type)
    except BadWebhook:
        return
    try:
        to_received(form)
        media_sids(form)
    except BadWebhook:
        pass


FIELD_NAMES = st.sampled_from(
    ["From", "To", "Body", "MessageSid", "SmsMessageSid", "NumMedia", "MediaUrl0", "MediaUrl9"]
)


@given(st.lists(st.tuples(FIELD_NAMES | st.text(max_size=10), st.text(max_size=40)), max_size=30))
def test_any_twilio_form_is_received_or_bad_webhook(form: list[tuple[str, str]]) -> None:
    try:
        to_received(tuple(form))
        media_sids(tuple(form))
    except BadWebhook:
        pass


@given(st.binary(max_size=2000) | JSON.map(lambda v: json.dumps(v).encode()))
def test_any_telegram_body_is_an_update_or_a_validation_error(body: bytes) -> None:
    try:
        UpdatePayload.model_validate_json(body)
    except ValidationError as error:
        refused = error
    else:
        return
    assert unusable_reason(refused)


@given(JSON, JSON, st.integers())
def test_an_update_shaped_body_is_an_update_or_a_reason_without_its_values(
    text: object, sender: object, update_id: int
) -> None:
    update = {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": 0,
            "chat": {"id": 5, "type": "private"},
            "from": sender,
            "text": text,
        },
    }
    try:
        UpdatePayload.model_validate_json(json.dumps(update))
    except ValidationError as error:
        reason = unusable_reason(error)
        assert reason.startswith("message.")
        if isinstance(text, str) and len(text) > 3:
            assert text not in reason


def test_a_number_too_long_for_python_is_a_problem_at_its_line() -> None:
    # Found by the property above: PyYAML raised ValueError for a 5,000-digit int.
    result = load_consultation("id: x\nkeyword: " + "9" * 5000 + "\n", "c.yaml")

    assert "c.yaml:2: this number is too long to read" in [
        str(p).split(";")[0] for p in result.problems
    ]
