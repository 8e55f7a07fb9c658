"""WEBAPP_URL, WEBAPP_LISTEN, WEBAPP_PORT: defaults, validation, and the dashboard button's URL."""

from __future__ import annotations

import pytest

from bot.config import SettingsError, load_settings
from bot.ui.webapp import dashboard_url


def test_defaults_mean_no_mini_app() -> None:
    settings = load_settings(_env_file=None)
    assert (settings.webapp_url, settings.webapp_listen, settings.webapp_port) == (None, "127.0.0.1", 8080)


def test_set_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBAPP_URL", "https://bot.example.com/app/")
    monkeypatch.setenv("WEBAPP_LISTEN", "0.0.0.0")
    monkeypatch.setenv("WEBAPP_PORT", "9090")
    settings = load_settings(_env_file=None)
    assert (settings.webapp_url, settings.webapp_listen, settings.webapp_port) == (
        "https://bot.example.com/app/",
        "0.0.0.0",
        9090,
    )


@pytest.mark.parametrize(("name", "value"), [("WEBAPP_URL", "bot.example.com/app"), ("WEBAPP_PORT", "70000")])
def test_invalid_values_name_the_setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        load_settings(_env_file=None)


def test_empty_webapp_url_is_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBAPP_URL", "")
    assert load_settings(_env_file=None).webapp_url is None


def test_dashboard_url_adds_the_view() -> None:
    assert dashboard_url("https://b.test/app/", "history") == "https://b.test/app/?view=history"
    assert dashboard_url("https://b.test/app/?x=1", "trainees") == "https://b.test/app/?x=1&view=trainees"
    assert dashboard_url("https://b.test/app/") == "https://b.test/app/"
