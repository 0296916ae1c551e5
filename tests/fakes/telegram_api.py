"""A small fake of the Telegram Bot API over real HTTP on 127.0.0.1, run in a thread.

The real python-telegram-bot library talks to it through `TELEGRAM_API_URL`. It checks what
the real server checks where YouSaid depends on it: the token in the path, 4,096 characters
a message (counted in UTF-16 units, as Telegram counts), 1-64 bytes of callback data,
deleting only messages younger than 48 hours and at most 100 per `deleteMessages` call,
editing only messages that exist, "message is not modified", callback queries answered
once, HTTPS webhook URLs and secret token characters, getUpdates refused while a webhook is
set, and 403 Forbidden for a chat whose user blocked the bot. Every call is recorded.

It also plays the users: `text`, `tap`, `sticker`, `block`... make the update JSON a real
Telegram would post, and register the user's message in the chat, so deleting and editing
behave as they would.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
MAX_ANSWER_TEXT = 200
MAX_DELETE = 100
DELETE_WINDOW = timedelta(hours=48)
BOT_ID = 7000000001
TOKEN = f"{BOT_ID}:AAFakeFakeFakeFakeFakeFakeFakeFake_x"
USERNAME = "yousaid_test_bot"

_PATH = re.compile(r"^/bot([^/]+)/(\w+)$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
# Sent as plain strings by clients; everything else is JSON-encoded in a form.
_STRING_FIELDS = frozenset(
    {"text", "callback_query_id", "url", "secret_token", "caption", "parse_mode"}
)


@dataclass(frozen=True)
class Call:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    status: int
    result: Any = None


@dataclass
class Stored:
    """One message in a chat, as the server keeps it."""

    chat_id: int
    message_id: int
    date: datetime
    from_bot: bool
    text: str  # "" for a sticker, photo or voice note without a caption
    reply_markup: dict[str, Any] | None = None
    protected: bool = False
    deleted: bool = False
    kind: str = "text"

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [button for row in rows for button in row]


@dataclass
class Scripted:
    """A failure the fake gives once, for the next call of `method`."""

    method: str
    status: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class FakeBotApi:
    """Start with `with FakeBotApi(now=clock.now) as api:`; point the bot at `api.url`."""

    now: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    messages: dict[tuple[int, int], Stored] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    webhook: dict[str, Any] | None = None
    scripted: list[Scripted] = field(default_factory=list)
    poll_wait_cap: float = 5.0
    # HTTP/1.1 keep-alive, as api.telegram.org does; off by default so each test's calls
    # stay one connection each, as they always were (the benchmarks turn it on).
    keep_alive: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._next_message: dict[int, int] = {}
        self._next_update = 400_000
        self._queries: dict[str, bool] = {}  # callback query id -> answered
        self._pending: list[dict[str, Any]] = []  # updates for getUpdates
        self._known_chats: set[int] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- running ----------------------------------------------------------------------

    def __enter__(self) -> FakeBotApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if fake.keep_alive else "HTTP/1.0"

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        assert self._thread is not None
        with self._changed:
            self.poll_wait_cap = 0
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    @property
    def url(self) -> str:
        """The server's root, for TELEGRAM_API_URL."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def fail_next(
        self,
        method: str,
        status: int = 500,
        description: str = "Internal Server Error",
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of `method` fail like this, once."""
        with self._lock:
            self.scripted.append(Scripted(method, status, description, retry_after))

    # --- what happened ----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def chat(self, chat_id: int) -> list[Stored]:
        """The messages the user still sees in the chat, in order."""
        with self._lock:
            found = [m for m in self.messages.values() if m.chat_id == chat_id and not m.deleted]
        return sorted(found, key=lambda m: m.message_id)

    def bot_messages(self, chat_id: int) -> list[Stored]:
        return [m for m in self.chat(chat_id) if m.from_bot]

    def last_bot_message(self, chat_id: int) -> Stored:
        return self.bot_messages(chat_id)[-1]

    def wait_for(self, check: Callable[[], bool], timeout: float = 20.0) -> None:
        """Block until `check()` holds after some call (the bot works in another thread)."""
        with self._changed:
            if not self._changed.wait_for(check, timeout):
                raise AssertionError("the bot did not do what was expected in time")

    # --- the users' side: updates as Telegram posts them --------------------------------

    def text(self, user_id: int, text: str) -> dict[str, Any]:
        """A user sends `text` in their private chat with the bot."""
        return self._user_message(user_id, {"text": text, **_entities(text)}, "text", text)

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
                "from": _user(user_id),
                "chat": _private(user_id),
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
                "from": _user(user_id),
                "chat": chat,
                "date": int(self.now().timestamp()),
                "text": text,
                **_entities(text),
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
                "from": _user(user_id),
                "message": self._message_json(stored),
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

    # --- the server's side ----------------------------------------------------------------

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        match = _PATH.match(request.path.split("?", 1)[0])
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if match is None:
            self._reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        token, method = match.group(1), match.group(2)
        params = _params(body, request.headers.get("Content-Type", ""))
        if token != self.token:
            refused = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._record(method, params, 401, None)
            self._reply(request, 401, refused)
            return
        if method.lower() == "getupdates":
            self._get_updates(request, params)
            return
        status = 200
        payload: dict[str, Any]
        with self._changed:
            try:
                result = self._dispatch(method, params)
            except ApiError as error:
                payload = {
                    "ok": False,
                    "error_code": error.status,
                    "description": error.description,
                }
                if error.retry_after is not None:
                    payload["parameters"] = {"retry_after": error.retry_after}
                self._record(method, params, error.status, error.description)
                status = error.status
            else:
                payload = {"ok": True, "result": result}
                self._record(method, params, 200, result)
            self._changed.notify_all()
        self._reply(request, status, payload)

    def _dispatch(self, method: str, params: dict[str, Any]) -> Any:
        for scripted in self.scripted:
            if scripted.method.lower() == method.lower():
                self.scripted.remove(scripted)
                raise ApiError(scripted.status, scripted.description, scripted.retry_after)
        handler = _METHODS.get(method.lower())
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return handler(self, params)

    def _get_updates(self, request: BaseHTTPRequestHandler, params: dict[str, Any]) -> None:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        with self._changed:
            if self.webhook is not None:
                description = (
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first"
                )
                self._record("getUpdates", params, 409, description)
                payload = {"ok": False, "error_code": 409, "description": description}
                self._reply(request, 409, payload)
                return
            # Recorded as it arrives: the offset confirms every update before it.
            self._record("getUpdates", params, 200, None)
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
            self._changed.notify_all()
            self._changed.wait_for(lambda: bool(self._pending), min(timeout, self.poll_wait_cap))
            result = list(self._pending)
        self._reply(request, 200, {"ok": True, "result": result})

    def _record(self, method: str, params: dict[str, Any], status: int, result: Any) -> None:
        with self._lock:
            self.calls.append(Call(method, params, status, result))

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, payload: dict[str, Any]) -> None:
        data = json.dumps(payload).encode()
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)

    # --- methods ---------------------------------------------------------------------------

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Have your say",
            "username": USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url", ""))
        if not url:
            self.webhook = None
            return True
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = dict(params)
        return True

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self.webhook = None
        if params.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        info = self.webhook or {}
        return {
            "url": info.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        text = _text(params)
        markup = _markup(params.get("reply_markup"))
        message_id = self._new_message_id(chat_id)
        stored = Stored(
            chat_id=chat_id,
            message_id=message_id,
            date=self.now(),
            from_bot=True,
            text=text,
            reply_markup=markup,
            protected=bool(params.get("protect_content")),
        )
        self.messages[(chat_id, message_id)] = stored
        return self._message_json(stored)

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._editable(params)
        text = _text(params)
        markup = _markup(params.get("reply_markup"))
        if text == stored.text and markup == stored.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        stored.text, stored.reply_markup = text, markup
        return self._message_json(stored)

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._editable(params)
        markup = _markup(params.get("reply_markup"))
        if markup == stored.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        stored.reply_markup = markup
        return self._message_json(stored)

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if self._queries.get(query_id, True):
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_ANSWER_TEXT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._queries[query_id] = True
        return True

    def _delete_messages(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params, sending=False)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not ids:
            raise ApiError(400, "Bad Request: message identifiers are not specified")
        if len(ids) > MAX_DELETE:
            raise ApiError(400, "Bad Request: too many message identifiers specified")
        for message_id in ids:
            stored = self.messages.get((chat_id, int(message_id)))
            if stored is not None and not stored.deleted and self._young(stored):
                stored.deleted = True
        return True

    def _delete_message(self, params: dict[str, Any]) -> bool:
        chat_id = self._chat_id(params, sending=False)
        stored = self.messages.get((chat_id, int(params.get("message_id", 0))))
        if stored is None or stored.deleted:
            raise ApiError(400, "Bad Request: message to delete not found")
        if not self._young(stored):
            raise ApiError(400, "Bad Request: message can't be deleted for everyone")
        stored.deleted = True
        return True

    # --- helpers ---------------------------------------------------------------------------

    def _chat_id(self, params: dict[str, Any], *, sending: bool = True) -> int:
        raw = params.get("chat_id")
        if not isinstance(raw, int):
            raise ApiError(400, "Bad Request: chat not found")
        if raw not in self._known_chats:
            raise ApiError(400, "Bad Request: chat not found")
        if sending and raw in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return raw

    def _editable(self, params: dict[str, Any]) -> Stored:
        chat_id = self._chat_id(params)
        stored = self.messages.get((chat_id, int(params.get("message_id", 0))))
        if stored is None or stored.deleted or not stored.from_bot:
            raise ApiError(400, "Bad Request: message to edit not found")
        return stored

    def _young(self, stored: Stored) -> bool:
        return self.now() - stored.date < DELETE_WINDOW

    def _new_message_id(self, chat_id: int) -> int:
        number = self._next_message.get(chat_id, 0) + 1
        self._next_message[chat_id] = number
        return number

    def _update(self, body: dict[str, Any]) -> dict[str, Any]:
        self._next_update += 1
        return {"update_id": self._next_update, **body}

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
                "from": _user(user_id),
                "chat": _private(user_id),
                "date": int(now.timestamp()),
                **content,
            }
            return self._update({"message": message})

    def _member_update(self, user_id: int, old: str, new: str) -> dict[str, Any]:
        bot = {"id": BOT_ID, "is_bot": True, "first_name": "Have your say", "username": USERNAME}
        date = int(self.now().timestamp())
        old_member: dict[str, Any] = {"user": bot, "status": old}
        new_member: dict[str, Any] = {"user": bot, "status": new}
        if new == "kicked":
            new_member["until_date"] = 0
        if old == "kicked":
            old_member["until_date"] = 0
        member = {
            "chat": _private(user_id),
            "from": _user(user_id),
            "date": date,
            "old_chat_member": old_member,
            "new_chat_member": new_member,
        }
        return self._update({"my_chat_member": member})

    def _message_json(self, stored: Stored) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": stored.message_id,
            "chat": _private(stored.chat_id),
            "date": int(stored.date.timestamp()),
        }
        if stored.from_bot:
            message["from"] = {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Have your say",
                "username": USERNAME,
            }
            message["text"] = stored.text
            if stored.protected:
                message["has_protected_content"] = True
        else:
            message["from"] = _user(stored.chat_id)
            if stored.kind == "text":
                message["text"] = stored.text
        if stored.reply_markup:
            message["reply_markup"] = stored.reply_markup
        return message


_METHODS: dict[str, Callable[[FakeBotApi, dict[str, Any]], Any]] = {
    "getme": FakeBotApi._get_me,
    "setwebhook": FakeBotApi._set_webhook,
    "deletewebhook": FakeBotApi._delete_webhook,
    "getwebhookinfo": FakeBotApi._get_webhook_info,
    "sendmessage": FakeBotApi._send_message,
    "editmessagetext": FakeBotApi._edit_message_text,
    "editmessagereplymarkup": FakeBotApi._edit_message_reply_markup,
    "answercallbackquery": FakeBotApi._answer_callback_query,
    "deletemessages": FakeBotApi._delete_messages,
    "deletemessage": FakeBotApi._delete_message,
}


def _params(body: bytes, content_type: str) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        loaded = json.loads(body)
        return dict(loaded) if isinstance(loaded, dict) else {}
    params: dict[str, Any] = {}
    for name, values in parse_qs(body.decode(), keep_blank_values=True).items():
        value = values[-1]
        if name in _STRING_FIELDS:
            params[name] = value
            continue
        try:
            params[name] = json.loads(value)
        except ValueError:
            params[name] = value
    return params


def _text(params: dict[str, Any]) -> str:
    text = params.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def utf16_length(text: str) -> int:
    """Telegram counts text length in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _markup(raw: Any) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    rows = raw.get("inline_keyboard")
    if rows is None:
        return raw
    for row in rows:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return raw if rows else None


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Sam", "language_code": "en"}


def _private(chat_id: int) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Sam"}


def _entities(text: str) -> dict[str, Any]:
    """A leading /command gets its bot_command entity, as Telegram adds it."""
    if not text.startswith("/"):
        return {}
    length = len(text.split(maxsplit=1)[0])
    return {"entities": [{"type": "bot_command", "offset": 0, "length": length}]}


def every_message_ever(api: FakeBotApi) -> Iterator[Stored]:
    """Every message, deleted or not (for asserting what was deleted)."""
    with api._lock:
        yield from list(api.messages.values())
