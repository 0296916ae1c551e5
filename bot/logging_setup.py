"""One logging set-up for every entry point: key=value lines, quiet libraries, a redaction filter.

Third-party loggers leak by default (httpx logs the Bot API URL with the token, twilio logs
request parameters), so they are turned down and every handler scrubs what still gets through.
"""

from __future__ import annotations

import logging
import re
import sys

_NOISY_LOGGERS = (
    "httpx",
    "httpcore",
    "telegram",
    "telegram.ext",
    "twilio",
    "twilio.http_client",
    # twilio's client sends through requests: urllib3 logs each URL (message SIDs, and
    # any query string) at DEBUG.
    "urllib3",
    "apscheduler",
    "uvicorn.access",
    "alembic",
    "sqlalchemy",
    "asyncio",
)

_SCRUBBERS: tuple[tuple[re.Pattern[str], str], ...] = (
    # A bot token in a Bot API URL: /bot123456:AA.../sendMessage
    (re.compile(r"bot\d{5,}:[A-Za-z0-9_-]{20,}"), "bot[token]"),
    (re.compile(r"\b\d{5,}:[A-Za-z0-9_-]{30,}\b"), "[token]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    # Form bodies and query strings that carry message text.
    (re.compile(r"(?i)\b(body|text|from|to)=[^&\s]*"), r"\1=[redacted]"),
)


# Phone numbers, whatsapp: addresses, long digit runs (Telegram ids). Nine digits or more,
# so times, dates, ports and IP addresses stay readable.
_NUMBER = re.compile(r"(?:whatsapp:)?\+?\d[\d\s()-]{5,}\d")
_MIN_DIGITS = 9


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\b")


def _scrub_number(match: re.Match[str]) -> str:
    if _ISO_DATE.match(match.group(0)):
        return match.group(0)  # a timestamp, not a phone number
    digits = sum(char.isdigit() for char in match.group(0))
    return "[number]" if digits >= _MIN_DIGITS else match.group(0)


class RedactionFilter(logging.Filter):
    """Scrubs numbers, tokens and message bodies from every record before it is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for pattern, replacement in _SCRUBBERS:
            message = pattern.sub(replacement, message)
        message = _NUMBER.sub(_scrub_number, message)
        record.msg = message
        record.args = None
        if record.exc_info:
            # A traceback can quote a message; keep the type, drop the detail.
            exc_type = record.exc_info[0]
            record.msg = f"{message} error={exc_type.__name__ if exc_type else 'unknown'}"
            record.exc_info = None
            record.exc_text = None
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Set up the root logger once; safe to call again."""
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        logging.Formatter("%(asctime)s level=%(levelname)s logger=%(name)s %(message)s")
    )
    handler.addFilter(RedactionFilter())
    root.handlers = [handler]
    root.setLevel(level)
    for name in _NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
