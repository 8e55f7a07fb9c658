"""Settings: read from the environment and .env; a bad value stops the CLI with one line and exit 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.config import SettingsError, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "TELEGRAM_FILE_URL", "ADMIN_TELEGRAM_IDS",
        "DEFAULT_TIMEZONE", "DEFAULT_REMINDER_TIME", "LOG_LEVEL", "WEBHOOK_URL", "WEBHOOK_LISTEN",
        "WEBHOOK_PORT", "WEBHOOK_SECRET",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.telegram_bot_token is None
    assert settings.database_url == "sqlite+aiosqlite:///./data/workout-bot.db"
    assert settings.telegram_api_url == "https://api.telegram.org/bot"
    assert settings.file_url == "https://api.telegram.org/file/bot"
    assert settings.admin_telegram_ids == frozenset()
    assert settings.default_timezone == "UTC"
    assert settings.default_reminder_time == time(7, 0)
    assert settings.webhook_port == 8443


def test_reads_environment_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nDEFAULT_TIMEZONE=Europe/Berlin\n")
    monkeypatch.setenv("ADMIN_TELEGRAM_IDS", "1, 2;3")
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot@db/workout")
    monkeypatch.setenv("TELEGRAM_API_URL", "http://127.0.0.1:8081/bot")
    settings = load_settings()
    assert settings.require_token() == TOKEN
    assert settings.default_timezone == "Europe/Berlin"
    assert settings.admin_telegram_ids == frozenset({1, 2, 3})
    assert settings.database_url == "postgresql+asyncpg://bot@db/workout"
    assert settings.file_url == "http://127.0.0.1:8081/file/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("DATABASE_URL", "mysql://x"),
        ("ADMIN_TELEGRAM_IDS", "12,abc"),
        ("DEFAULT_TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_REMINDER_TIME", "25:99"),
        ("LOG_LEVEL", "LOUD"),
        ("WEBHOOK_PORT", "70000"),
        ("WEBHOOK_SECRET", "has spaces!"),
        ("TELEGRAM_API_URL", "ftp://x"),
    ],
)
def test_invalid_setting_names_itself(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert name in message
    assert "\n" not in message


def test_bad_token_is_never_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "123:short-secret-value"
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", secret)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert "short-secret-value" not in str(caught.value)


def test_token_is_hidden_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    settings = load_settings()
    assert TOKEN not in repr(settings)
    assert TOKEN not in str(settings.model_dump())


def test_missing_token_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        load_settings().require_token()


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **env},
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_cli_bad_setting_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _cli("run", env={"DEFAULT_TIMEZONE": "Nowhere/City"}, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DEFAULT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cli_run_without_token_says_which_setting(tmp_path: Path) -> None:
    result = _cli("run", env={"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db"}, cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_log_redaction_hides_tokens() -> None:
    import logging

    from bot.logging_setup import RedactTokens

    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "POST %s/getMe", (f"https://h/bot{TOKEN}",), None
    )
    RedactTokens().filter(record)
    assert TOKEN not in record.getMessage()
    assert "<token>" in record.getMessage()


def test_env_example_as_shipped_loads(tmp_path: Path) -> None:
    """`cp .env.example .env` (as the README says): every empty value means unset, the defaults apply."""
    (tmp_path / ".env").write_text((REPO / ".env.example").read_text())
    assert load_settings() == load_settings(_env_file=None)
    settings = load_settings()
    assert settings.telegram_file_url is None
    assert settings.file_url == "https://api.telegram.org/file/bot"
    assert (settings.telegram_bot_token, settings.webhook_url, settings.webhook_secret) == (None, None, None)
    assert settings.admin_telegram_ids == frozenset()


@pytest.mark.parametrize(
    "name",
    [
        "TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_API_URL", "TELEGRAM_FILE_URL", "ADMIN_TELEGRAM_IDS",
        "DEFAULT_TIMEZONE", "DEFAULT_REMINDER_TIME", "REMINDER_GRACE_HOURS", "LOG_LEVEL", "WEBHOOK_URL",
        "WEBHOOK_LISTEN", "WEBHOOK_PORT", "WEBHOOK_SECRET",
    ],
)  # fmt: skip
def test_empty_value_means_unset(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    defaults = load_settings()
    monkeypatch.setenv(name, "")
    assert load_settings() == defaults


def test_cli_with_env_example_as_shipped(tmp_path: Path) -> None:
    """The README's first steps: the copied .env works for `migrate` (into the default ./data/)."""
    (tmp_path / ".env").write_text((REPO / ".env.example").read_text())
    result = _cli("migrate", env={}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database is at the latest schema" in result.stdout
    assert (tmp_path / "data" / "workout-bot.db").is_file()
