"""The users who play Telegram: what they send, tap, edit and block, as updates.

`text`, `tap`, `sticker`, `block`... make the update JSON a real Telegram would post, and
register the user's message in the chat, so deleting and editing behave as they would.
"""

from __future__ import annotations

from typing import Any

from tests.fakes.telegram.records import BotState, Stored
from tests.fakes.telegram.shapes import bot_user, entities, message_json, private, user


class BotUsers(BotState):
    """Each method returns the update Telegram would post to the bot's webhook."""

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        """A user sends `text` in their private chat with the bot."""
        return self._user_message(user_id, {"text": text, **entities(text)}, "text", text)

    def sticker(self, user_id: int) -> dict[str, Any]:
        sticker = {
            "file_id": "CAACAgIAAxkBAAIB",
            "file_unique_id": "AgADBAAD",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._user_message(user_id, {"sticker": sticker}, "sticker", "")

    def photo(self, user_id: int, caption: str | None = None) -> dict[str, Any]:
        photo = [{"file_id": "AgACAgQAAx0", "file_unique_id": "AQAD", "width": 90, "height": 90}]
        extra: dict[str, Any] = {"photo": photo}
        if caption is not None:
            extra["caption"] = caption
        return self._user_message(user_id, extra, "photo", caption or "")

    def voice(self, user_id: int) -> dict[str, Any]:
        voice = {"file_id": "AwACAgQAAx0", "file_unique_id": "AgAD", "duration": 3}
        return self._user_message(user_id, {"voice": voice}, "voice", "")

    def edited(self, user_id: int, message_id: int, text: str) -> dict[str, Any]:
        """The user edits a message they sent earlier."""
        with self._lock:
            stored = self.messages[(user_id, message_id)]
            stored.text = text
            message = {
                "message_id": message_id,
                "from": user(user_id),
                "chat": private(user_id),
                "date": int(stored.date.timestamp()),
                "edit_date": int(self.now().timestamp()),
                "text": text,
            }
            return self._update({"edited_message": message})

    def group_text(self, group_id: int, user_id: int, text: str) -> dict[str, Any]:
        """A message in a group the bot was added to."""
        with self._lock:
            message_id = self._new_message_id(group_id)
            chat = {"id": group_id, "type": "group", "title": "Year 9 chat"}
            message = {
                "message_id": message_id,
                "from": user(user_id),
                "chat": chat,
                "date": int(self.now().timestamp()),
                "text": text,
                **entities(text),
            }
            return self._update({"message": message})

    def channel_post(self, channel_id: int, text: str) -> dict[str, Any]:
        with self._lock:
            message_id = self._new_message_id(channel_id)
            chat = {"id": channel_id, "type": "channel", "title": "News"}
            post = {
                "message_id": message_id,
                "chat": chat,
                "date": int(self.now().timestamp()),
                "text": text,
            }
            return self._update({"channel_post": post})

    def tap(
        self, user_id: int, message_id: int, data: str, *, shown: bool = True
    ) -> dict[str, Any]:
        """The user taps the button with `data` under the bot's message `message_id`.

        With `shown` (the default) the button must be on the message now, as in a real
        client; shown=False plays a client still showing buttons the bot removed.
        """
        with self._lock:
            stored = self.messages[(user_id, message_id)]
            assert stored.from_bot, "no such bot message to tap"
            assert not stored.deleted, "no such bot message to tap"
            if shown:
                datas = [b.get("callback_data") for b in stored.buttons]
                assert data in datas, f"no button {data!r} on message {message_id}"
            query_id = f"{len(self._queries) + 1}{user_id}"
            self._queries[query_id] = False
            query = {
                "id": query_id,
                "from": user(user_id),
                "message": message_json(stored),
                "chat_instance": f"-{user_id}77",
                "data": data,
            }
            return self._update({"callback_query": query})

    def block(self, user_id: int) -> dict[str, Any]:
        """The user blocks the bot: sends now fail with 403, and Telegram says so."""
        with self._lock:
            self.blocked.add(user_id)
            return self._member_update(user_id, "member", "kicked")

    def unblock(self, user_id: int) -> dict[str, Any]:
        with self._lock:
            self.blocked.discard(user_id)
            return self._member_update(user_id, "kicked", "member")

    def enqueue(self, update: dict[str, Any]) -> None:
        """Hand an update to the next getUpdates (polling mode)."""
        with self._changed:
            self._pending.append(update)
            self._changed.notify_all()

    def _user_message(
        self, user_id: int, content: dict[str, Any], kind: str, text: str
    ) -> dict[str, Any]:
        with self._lock:
            self._known_chats.add(user_id)
            message_id = self._new_message_id(user_id)
            now = self.now()
            self.messages[(user_id, message_id)] = Stored(
                chat_id=user_id,
                message_id=message_id,
                date=now,
                from_bot=False,
                text=text,
                kind=kind,
            )
            message = {
                "message_id": message_id,
                "from": user(user_id),
                "chat": private(user_id),
                "date": int(now.timestamp()),
                **content,
            }
            return self._update({"message": message})

    def _member_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        bot = bot_user()
        date = int(self.now().timestamp())
        old_member: dict[str, Any] = {"user": bot, "status": old}
        new_member: dict[str, Any] = {"user": bot, "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        if old == "kicked":
            old_member["until_date"] = 0
        member = {
            "chat": private(user_id),
            "from": user(user_id),
            "date": date,
            "old_chat_member": old_member,
            "new_chat_member": new_member,
        }
        return self._update({"my_chat_member": member})
