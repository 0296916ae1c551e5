"""Settings from the environment (or a `.env` file), read once at start by pydantic-settings."""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from functools import cached_property
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_VAR_DIR = Path("var")


def _env(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Every setting the README lists; names are the environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    var_dir: Path = Field(DEFAULT_VAR_DIR, validation_alias=_env("YOUSAID_VAR_DIR"))
    database_url: str = Field("", validation_alias=_env("YOUSAID_DATABASE_URL"))
    secret_key: str = Field("", validation_alias=_env("YOUSAID_SECRET_KEY"), repr=False)
    public_url: str = Field("", validation_alias=_env("YOUSAID_PUBLIC_URL"))
    config_dir: Path | None = Field(None, validation_alias=_env("YOUSAID_CONFIG_DIR"))
    timezone: str = Field("Europe/London", validation_alias=_env("YOUSAID_TIMEZONE"))
    quiet_hours: str = Field("21:00-08:00", validation_alias=_env("YOUSAID_QUIET_HOURS"))
    min_count: int = Field(10, ge=1, validation_alias=_env("YOUSAID_MIN_COUNT"))
    # Pending answers are released once this many responses have ended (or hourly).
    release_batch: int = Field(5, ge=2, validation_alias=_env("YOUSAID_RELEASE_BATCH"))
    max_segments: int | None = Field(None, ge=1, validation_alias=_env("YOUSAID_MAX_SEGMENTS"))
    # What one SMS segment costs, in pounds, for the costs `consultation validate` prints
    # (about Twilio's UK price; set your own).
    segment_price: Decimal = Field(
        Decimal("0.04"), ge=0, validation_alias=_env("YOUSAID_SEGMENT_PRICE")
    )
    erase_provider_copies: bool = Field(
        True, validation_alias=_env("YOUSAID_ERASE_PROVIDER_COPIES")
    )

    twilio_account_sid: str = Field("", validation_alias=_env("TWILIO_ACCOUNT_SID"))
    twilio_auth_token: str = Field("", validation_alias=_env("TWILIO_AUTH_TOKEN"), repr=False)
    twilio_from: str = Field("", validation_alias=_env("TWILIO_FROM"))
    twilio_whatsapp_from: str = Field("", validation_alias=_env("TWILIO_WHATSAPP_FROM"))
    twilio_whatsapp_templates: dict[str, str] = Field(
        default_factory=dict, validation_alias=_env("TWILIO_WHATSAPP_TEMPLATES")
    )
    twilio_api_url: str = Field("", validation_alias=_env("TWILIO_API_URL"))
    # Connection overrides put on the webhook URLs in Twilio's console, e.g. rc=3&rp=all.
    twilio_webhook_overrides: str = Field("", validation_alias=_env("TWILIO_WEBHOOK_OVERRIDES"))
    twilio_rate: float = Field(10.0, gt=0, validation_alias=_env("YOUSAID_TWILIO_RATE"))

    telegram_bot_token: str = Field("", validation_alias=_env("TELEGRAM_BOT_TOKEN"), repr=False)
    telegram_webhook_secret: str = Field(
        "", validation_alias=_env("TELEGRAM_WEBHOOK_SECRET"), repr=False
    )
    telegram_api_url: str = Field(
        "https://api.telegram.org", validation_alias=_env("TELEGRAM_API_URL")
    )
    telegram_rate: float = Field(30.0, gt=0, validation_alias=_env("YOUSAID_TELEGRAM_RATE"))

    # Limits at the HTTP edge (docs/security.md): a request past one is refused before it
    # is parsed or any signature computed.
    twilio_max_body: int = Field(
        64 * 1024, ge=1024, validation_alias=_env("YOUSAID_TWILIO_MAX_BODY")
    )
    twilio_max_fields: int = Field(200, ge=20, validation_alias=_env("YOUSAID_TWILIO_MAX_FIELDS"))
    telegram_max_body: int = Field(
        1024 * 1024, ge=1024, validation_alias=_env("YOUSAID_TELEGRAM_MAX_BODY")
    )
    max_body: int = Field(256 * 1024, ge=1024, validation_alias=_env("YOUSAID_MAX_BODY"))
    body_timeout: float = Field(10.0, gt=0, validation_alias=_env("YOUSAID_BODY_TIMEOUT"))
    limit_concurrency: int = Field(200, ge=1, validation_alias=_env("YOUSAID_LIMIT_CONCURRENCY"))
    keep_alive: int = Field(5, ge=1, validation_alias=_env("YOUSAID_KEEP_ALIVE"))

    # The officers' console (docs/console.md): on unless YOUSAID_CONSOLE=off.
    console: bool = Field(True, validation_alias=_env("YOUSAID_CONSOLE"))
    console_idle_hours: float = Field(
        8.0, gt=0, validation_alias=_env("YOUSAID_CONSOLE_IDLE_HOURS")
    )
    # Proxies whose X-Forwarded-For is believed (comma-separated IPs); none by default.
    trusted_proxies: str = Field("", validation_alias=_env("YOUSAID_TRUSTED_PROXIES"))
    # Retention of what the console adds (docs/privacy.md).
    audit_days: int = Field(730, ge=30, validation_alias=_env("YOUSAID_AUDIT_DAYS"))
    signin_days: int = Field(30, ge=1, validation_alias=_env("YOUSAID_SIGNIN_DAYS"))
    # Reviewed safeguarding items are kept this long after the day they were flagged.
    review_days: int = Field(365, ge=30, validation_alias=_env("YOUSAID_REVIEW_DAYS"))
    disabled_account_days: int = Field(
        90, ge=1, validation_alias=_env("YOUSAID_DISABLED_ACCOUNT_DAYS")
    )

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone {value!r}; use a name like Europe/London"
            ) from None
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours_shape(cls, value: str) -> str:
        if value.strip() and not re.fullmatch(r"\s*\d{1,2}:\d{2}\s*-\s*\d{1,2}:\d{2}\s*", value):
            raise ValueError("write quiet hours like 21:00-08:00, or leave it empty for none")
        return value.strip()

    @property
    def effective_database_url(self) -> str:
        """The database URL; SQLite under the var directory when none is set."""
        return self.database_url or f"sqlite:///{self.var_dir / 'yousaid.db'}"

    @property
    def is_sqlite(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        """Quiet hours as (start, end), or None when turned off."""
        if not self.quiet_hours:
            return None
        start, end = (part.strip() for part in self.quiet_hours.split("-"))
        return time.fromisoformat(start.zfill(5)), time.fromisoformat(end.zfill(5))

    @property
    def config_path(self) -> Path:
        """Where consultations, locales, helplines and word lists live."""
        if self.config_dir is not None:
            return self.config_dir
        return Path(str(resources.files("config")))

    @property
    def trusted_proxy_set(self) -> frozenset[str]:
        """The trusted proxies' addresses, as a set."""
        return frozenset(part.strip() for part in self.trusted_proxies.split(",") if part.strip())

    @property
    def secure_cookies(self) -> bool:
        """Cookies marked Secure (and HSTS sent): when the public URL is https."""
        return self.public_url.lower().startswith("https://")

    @property
    def key_file(self) -> Path:
        return self.var_dir / "secret.key"
