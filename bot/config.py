"""Settings: the only place that reads the environment.

Values come from the process environment and from a `.env` file in the working directory.
A missing or invalid setting stops the program with one line naming it (see `load_settings`). An empty
value (`TELEGRAM_FILE_URL=`, as `.env.example` ships them) means unset: the default applies.
"""

from __future__ import annotations

import sys
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/workout-bot.db"
OFFICIAL_API_URL = "https://api.telegram.org/bot"


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it and never contains a secret."""


class Settings(BaseSettings):
    """Every setting of the bot. Names are the environment variables, case-insensitive."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        hide_input_in_errors=True,
        # `NAME=` (as in .env.example) means "unset": the default applies, for every setting.
        env_ignore_empty=True,
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Bot token from @BotFather; without it `make run` starts the playground."
    )
    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy async URL.")
    telegram_api_url: str = Field(
        default=OFFICIAL_API_URL,
        description="Bot API base URL (the token is appended); a self-hosted server or the emulator.",
    )
    telegram_file_url: str | None = Field(
        default=None, description="Bot API file base URL; derived from TELEGRAM_API_URL when unset."
    )
    admin_telegram_ids: Annotated[frozenset[int], NoDecode] = Field(
        default=frozenset(), description="Comma-separated Telegram user ids with admin rights."
    )
    default_timezone: str = Field(default="UTC", description="IANA zone for users who have not chosen one.")
    default_reminder_time: time = Field(default=time(7, 0), description="Local reminder time for new users.")
    reminder_grace_hours: float = Field(
        default=3.0,
        ge=0,
        le=24,
        description="Hours a missed reminder is still sent late (after downtime); older ones are dropped.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    webhook_url: str | None = Field(default=None, description="Public HTTPS URL Telegram posts updates to.")
    webhook_listen: str = Field(default="0.0.0.0", description="Address the webhook server binds.")
    webhook_port: int = Field(default=8443, ge=1, le=65535, description="Port the webhook server binds.")
    webhook_secret: SecretStr | None = Field(
        default=None, description="Secret token Telegram sends in X-Telegram-Bot-Api-Secret-Token."
    )

    metrics_port: int | None = Field(
        default=None,
        ge=1,
        le=65535,
        description="Polling mode: serve /metrics and /healthz on this port (off when unset); "
        "the webhook server has them on its own port.",
    )

    webapp_url: str | None = Field(
        default=None,
        description="Public HTTPS URL of the Mini App (https://bot.example.com/app/); unset: no Mini App.",
    )
    webapp_listen: str = Field(default="127.0.0.1", description="Address the Mini App server binds.")
    webapp_port: int = Field(default=8080, ge=1, le=65535, description="Port the Mini App server binds.")

    @field_validator("telegram_bot_token", mode="before")
    @classmethod
    def _token_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        head, _, tail = text.partition(":")
        if not head.isdigit() or len(tail) < 20:
            raise ValueError("expected the form 123456789:AA... given by @BotFather")
        return text

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        allowed = ("sqlite+aiosqlite://", "postgresql+asyncpg://")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+asyncpg://" + value.split("://", 1)[1]
        if not value.startswith(allowed):
            raise ValueError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB")
        return value

    @field_validator("telegram_api_url", "telegram_file_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value

    @field_validator("admin_telegram_ids", mode="before")
    @classmethod
    def _id_list(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("expected comma-separated numeric Telegram user ids") from None
        return value

    @field_validator("default_timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r}, e.g. Europe/Berlin") from None
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be the public URL, e.g. https://bot.example.com/telegram")
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not value.startswith(("https://", "http://")):
            raise ValueError(
                "must be the public HTTPS URL of the Mini App, e.g. https://bot.example.com/app/"
            )
        return value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _secret_shape(cls, value: object) -> object:
        if value is None or value == "":
            return None
        text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
        if not 1 <= len(text) <= 256 or not all(c.isalnum() or c in "_-" for c in text):
            raise ValueError("1-256 characters of A-Z, a-z, 0-9, _ and -")
        return text

    @property
    def file_url(self) -> str:
        """Base URL for file downloads (`.../file/bot`)."""
        if self.telegram_file_url:
            return self.telegram_file_url
        base = self.telegram_api_url
        if base.endswith("/bot"):
            return base[: -len("/bot")] + "/file/bot"
        return base.rstrip("/") + "/file/bot"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def sqlite_path(self) -> Path | None:
        """The database file of a file-based SQLite URL (None for memory or PostgreSQL)."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1] if ":///" in self.database_url else ""
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        return Path(path.split("?", 1)[0])

    def require_token(self) -> str:
        if self.telegram_bot_token is None:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set: put the token from @BotFather in .env "
                "(or run `python -m bot chat` for the local playground)"
            )
        return self.telegram_bot_token.get_secret_value()


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad setting, without echoing its value."""
    first = error.errors()[0]
    name = ".".join(str(p) for p in first.get("loc", ())).upper() or "settings"
    message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    return f"invalid setting {name}: {message}"


def load_settings(**overrides: object) -> Settings:
    """Build the settings, raising SettingsError with a one-line, secret-free message."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        raise SettingsError(describe_error(error)) from None


def load_settings_or_exit(**overrides: object) -> Settings:
    """For the CLI: print one line and exit with code 2 on a bad setting."""
    try:
        return load_settings(**overrides)
    except SettingsError as error:
        print(f"workout-bot: {error}", file=sys.stderr)
        raise SystemExit(2) from None
