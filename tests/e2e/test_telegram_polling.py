"""Polling mode (a token but no public URL): the same handling, fed by getUpdates."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.telegram_harness import USER, telegram_app


def test_without_a_public_url_the_bot_polls_and_answers(tmp_path: Path, sqlite_url: str) -> None:
    with telegram_app(tmp_path, sqlite_url, public_url="") as tg:
        api = tg.api
        first = api.text(USER, "/start SAFE")
        api.enqueue(first)
        api.wait_for(lambda: len(api.bot_messages(USER)) >= 2)  # intro, then the bot's lines
        assert "Safer Streets" in api.bot_messages(USER)[0].text
        api.enqueue(api.text(USER, "yes"))
        api.wait_for(lambda: any("after dark" in m.text for m in api.bot_messages(USER)))
        # Each update is confirmed (the offset passes it) only after it was handled.
        api.wait_for(
            lambda: any(
                c.params.get("offset") == first["update_id"] + 2 for c in api.calls_to("getUpdates")
            )
        )
    assert api.calls_to("setWebhook") == []
    assert api.calls_to("deleteWebhook")  # a webhook left from before would block polling
    assert len([m for m in api.bot_messages(USER) if "Safer Streets" in m.text]) == 1
