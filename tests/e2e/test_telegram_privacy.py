"""No Telegram user id or chat id reaches the database in the clear: file, -wal, SQL dump."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url

from tests.dumps import sql_dump
from tests.e2e.telegram_harness import USER, Telegram, telegram_app

TYPED = "the dark alley behind the shops"


def take_part_and_leave(tg: Telegram) -> None:
    """A whole run: deep link, buttons, typing, a multi-choice, EXIT, a block."""
    tg.say("/start SAFE")
    tg.say("yes")
    tg.tap("Not safe at all")
    tg.say(TYPED)
    tg.tap("3")
    tg.tap("Someone to talk to")
    tg.tap("Done")
    tg.tap("19-24")
    tg.tap("Yes")  # asks for updates: the address is kept, encrypted
    tg.say("/exit")
    tg.deliver(tg.api.block(USER))


def forms(user_id: int) -> list[bytes]:
    """The user id as text, and as the binary integers a database might write."""
    digits = str(user_id)
    return [
        digits.encode(),
        digits.encode("utf-16-le"),
        user_id.to_bytes(8, "big"),
        user_id.to_bytes(8, "little"),
        user_id.to_bytes(6, "big"),
    ]


def test_a_sql_dump_holds_no_telegram_user_id(tmp_path: Path, database_url: str) -> None:
    with telegram_app(tmp_path, database_url) as tg:
        take_part_and_leave(tg)
        content = sql_dump(tg.runtime.db)
    assert "telegram_chats" in content
    assert "safe_after_dark" in content
    assert str(USER) not in content
    assert str(USER).encode().hex() not in content.lower()


def test_the_sqlite_file_and_its_wal_hold_no_telegram_user_id(
    tmp_path: Path, sqlite_url: str
) -> None:
    with telegram_app(tmp_path, sqlite_url) as tg:
        take_part_and_leave(tg)
        path = Path(make_url(sqlite_url).database or "")
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        assert {p.name for p in files} >= {path.name, f"{path.name}-wal"}
        contents = {p.name: p.read_bytes() for p in files}
    assert any(b"safe_after_dark" in c for c in contents.values())  # the answers are there
    for name, content in contents.items():
        for form in forms(USER):
            assert form not in content, name
