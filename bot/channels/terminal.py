"""The terminal channel: `yousaid chat`, a participant's side of the bot in a shell.

Interactive, it prompts; piped, it reads one participant message per line and prints the
bot's messages separated by blank lines, so a session can be scripted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable

from bot.addresses import Address
from bot.pipeline import Pipeline
from bot.services.preview_chat import MAX_TEXT, PreviewChat
from conversations.messages import Outgoing

MAX_LINE = MAX_TEXT  # longer lines are cut here, like an SMS gateway would


class TerminalChat:
    def __init__(
        self,
        pipeline: Pipeline,
        name: str | None,
        *,
        preview: bool,
        write: Callable[[str], None],
    ) -> None:
        self.pipeline = pipeline
        # Each run is a new participant unless it is given a name.
        self.address = Address.terminal(name or f"anon-{secrets.token_hex(8)}")
        self.preview = preview
        self.chat = PreviewChat(pipeline, self.address, live=not preview)
        self.write = write
        self._first = True

    def open(self, consultation: str | None) -> None:
        """Start `consultation` at once and print its opening. Without one the bot waits
        for the participant's first message, as on a phone: its reply is the welcome (so
        "hi" gets the welcome once, not a second time after one nobody asked for)."""
        if consultation is None:
            return
        self._show(self.chat.start(consultation))

    def say(self, line: str) -> None:
        """Send one participant message and print the replies."""
        self._show(self.chat.say(line))

    def note(self, text: str) -> None:
        """A line from the terminal itself, not the bot (printed as a message of its own)."""
        self._show((Outgoing(text),))

    def run(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.say(line.rstrip("\r\n"))

    def _show(self, replies: Iterable[Outgoing]) -> None:
        # Buttons are Telegram's; the text already numbers the choices.
        for reply in replies:
            if not self._first:
                self.write("")
            self.write(reply.text)
            self._first = False
