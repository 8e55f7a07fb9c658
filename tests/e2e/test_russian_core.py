"""Issue #15, the core of it in Russian: onboarding, /language, /settings, /help, the command menus and
the bot's description per language, who gets Russian (ru, uk, be, kk) and that a stored choice wins.

Every reply and button label a Russian reader sees is checked with `assert_russian` (no English word but
the reader's own name, the zone names and the language names); the database is checked after each step.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import i18n
from bot.app import BotApplication
from bot.db.enums import WeightUnit
from bot.db.models import User
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.emulator import SentMessage
from bot.sandbox.harness import Clock
from bot.ui import texts
from tests.e2e.russian import assert_russian

NOW = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]
# Words a Russian reader may see in Latin letters here: zone names, each language by its own name, and the
# syntax of a command (/exercise new NAME keeps its English keyword).
LATIN = ("UTC", "English", "Europe/Moscow", "new")


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def _user(factory: Factory, telegram_id: int) -> User:
    async with factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == telegram_id))
        assert user is not None
        return user


def _labels(user: SandboxUser, message: SentMessage | None = None) -> list[str]:
    return [label for row in user.buttons(message) for label in row]


def _all_russian(user: SandboxUser, messages: list[SentMessage], *allowed: str) -> None:
    """Every message and every button label of `messages` is Russian."""
    assert messages, "the bot said nothing"
    for message in messages:
        assert_russian(message.content, *allowed, *LATIN)
        for label in _labels(user, message):
            assert_russian(label, *allowed, *LATIN)


async def test_onboarding_in_russian(
    make_user: Any, session_factory: Factory, emulator: BotApiEmulator
) -> None:
    boris: SandboxUser = make_user("Boris", language_code="ru")
    replies = await boris.send("/start")
    _all_russian(boris, replies, "Boris")
    text = "\n".join(r.content for r in replies)
    assert "Добро пожаловать, Boris!" in text
    assert "Шаг 1 из 3 · Часовой пояс" in text
    assert {"Москва", "Берлин", "⌨️ Написать", "✅ UTC"} <= set(_labels(boris))

    # a typed Russian city is understood
    replies = await boris.send("Москва")
    _all_russian(boris, replies, "Europe/Moscow")
    assert "Шаг 2 из 3 · Ежедневное напоминание" in boris.last_text
    assert (await _user(session_factory, boris.user_id)).timezone == "Europe/Moscow"

    replies = await boris.press("✅ 07:00")
    _all_russian(boris, replies, "Europe/Moscow")
    assert "Шаг 3 из 3 · Единица веса" in boris.last_text
    assert set(_labels(boris)) == {"✅ кг", "фнт"}

    replies = await boris.press("✅ кг")
    _all_russian(boris, replies, "Europe/Moscow")
    assert "🎉 Всё готово!" in boris.last_text
    assert "⚖️ Единица веса: кг" in boris.last_text
    row = await _user(session_factory, boris.user_id)
    assert row.onboarded_at is not None
    assert row.weight_unit is WeightUnit.KG
    assert row.language is None  # nothing chosen: Telegram's language decides
    assert row.language_code == "ru"
    assert emulator.unanswered_callback_queries() == []


async def test_a_russian_error_echoes_the_input_escaped(make_user: Any, session_factory: Factory) -> None:
    boris: SandboxUser = make_user("Boris", language_code="ru")
    await boris.send("/start")
    replies = await boris.send("<b>Марс</b> 🚀")
    _all_russian(boris, replies, "Boris")
    assert "Не знаю часового пояса «&lt;b&gt;Марс&lt;/b&gt; 🚀»" in replies[-1].html or (
        "Не знаю часового пояса «<b>Марс</b> 🚀»" in replies[-1].content
    )
    assert (await _user(session_factory, boris.user_id)).timezone == "UTC"


async def test_help_in_russian_and_ukrainian(make_user: Any, session_factory: Factory) -> None:
    boris: SandboxUser = make_user("Boris", language_code="ru")
    olena: SandboxUser = make_user("Olena", language_code="uk")
    for person in (boris, olena):
        replies = await person.send("/help")
        _all_russian(person, replies)
        assert "Команды" in replies[0].content
        assert "/language - Язык: английский или русский" in replies[0].content
    # an unknown command too, and a Belarusian or Kazakh reader gets Russian as well
    for code in ("be", "kk"):
        person = make_user(f"Reader {code}", language_code=code)
        replies = await person.send("/nosuchcommand")
        assert replies[0].content == "Такой команды я не знаю. Отправьте /help, чтобы увидеть, что я умею."


async def test_english_readers_stay_english(make_user: Any) -> None:
    for code in ("en", "de", None):
        person = make_user("Hans", language_code=code)
        replies = await person.send("/help")
        assert replies[0].content.startswith("Commands\n/start - Start or restart the bot")


async def test_language_command_switches_and_the_choice_wins(
    make_user: Any, session_factory: Factory, emulator: BotApiEmulator
) -> None:
    boris: SandboxUser = make_user("Boris", language_code="ru")
    replies = await boris.send("/language")
    _all_russian(boris, replies)
    assert "На каком языке мне говорить?" in replies[0].content
    assert _labels(boris) == ["English", "✅ Русский"]
    assert (await _user(session_factory, boris.user_id)).language is None  # looking changes nothing

    await boris.press("English")
    assert boris.last_text == "✅ I'll speak English from now on. /language changes it again."
    assert _labels(boris) == ["✅ English", "Русский"]
    assert (await _user(session_factory, boris.user_id)).language == "en"
    # his chat's own menu is English, though his client is Russian
    menu = emulator.visible_commands(boris.chat_id, "ru")
    assert {"command": "help", "description": "What the bot can do"} in menu

    # later updates still say language_code "ru": the stored choice wins (even once the process forgot)
    i18n.forget_locales()
    replies = await boris.send("/help")
    assert replies[0].content.startswith("Commands\n")
    i18n.forget_locales()
    replies = await boris.send("/settings")
    assert replies[0].content.startswith(
        "👋 Welcome back, Boris! Let's finish setting you up.\n\nStep 1 of 3"
    )
    i18n.forget_locales()
    replies = await boris.send("/start")
    assert replies[0].content.startswith(
        "👋 Welcome back, Boris! Let's finish setting you up.\n\nStep 1 of 3"
    )

    # and back to Russian
    await boris.send("/language")
    replies = await boris.press("Русский")
    _all_russian(boris, replies)
    assert boris.last_text == "✅ Теперь говорю на языке: Русский. /language меняет его снова."
    assert (await _user(session_factory, boris.user_id)).language == "ru"
    assert emulator.unanswered_callback_queries() == []


async def test_forged_language_buttons_change_nothing(make_user: Any, session_factory: Factory) -> None:
    boris: SandboxUser = make_user("Boris", language_code="ru")
    picker = (await boris.send("/language"))[0]
    for data in ("lg:c:de", "lg:x:ru", "lg:c", "lg:c:ru:extra", "lg:s:<b>"):
        await boris.press_data(data, picker)
        answer = boris.callback_answers[-1]
        assert answer.text == "Эта кнопка больше не работает. Отправьте /language, чтобы выбрать язык."
    assert (await _user(session_factory, boris.user_id)).language is None


async def _onboard(user: SandboxUser) -> None:
    await user.send("/start")
    await user.press("✅ UTC")
    await user.press("✅ 07:00")
    await user.press("✅ kg" if "✅ kg" in _labels(user) else "✅ кг")


async def test_settings_row_changes_the_language(make_user: Any, session_factory: Factory) -> None:
    alice: SandboxUser = make_user("Alice", language_code="en")
    await _onboard(alice)
    replies = await alice.send("/settings")
    assert "🗣 Language: English" in replies[0].content
    await alice.press("🗣 Language")
    assert "Which language should I speak?" in alice.last_text
    assert _labels(alice) == ["✅ English", "Русский", "« Back to settings"]

    replies = await alice.press("Русский")
    _all_russian(alice, replies, "Alice")
    text = alice.last_text
    assert text.startswith("✅ Теперь говорю на языке: Русский.")
    assert "⚙️ Ваши настройки" in text
    assert "🗣 Язык: Русский" in text
    assert "🏋️ Гриф: 20 кг · блины: 25, 20, 15, 10, 5, 2,5, 1,25 кг" in text
    assert "🗣 Язык" in _labels(alice)
    row = await _user(session_factory, alice.user_id)
    assert row.language == "ru"
    assert row.language_code == "en"

    # every settings button answers in Russian
    replies = await alice.press("🌍 Часовой пояс")
    _all_russian(alice, replies, "Alice")
    replies = await alice.press("« К настройкам")
    replies = await alice.press("⏱ Выключить таймер отдыха")
    _all_russian(alice, replies, "Alice")
    assert "✅ Таймер отдыха выключен" in alice.last_text
    assert (await _user(session_factory, alice.user_id)).rest_timer_enabled is False
    replies = await alice.press("🏋️ Гриф и блины")
    _all_russian(alice, replies, "Alice")
    assert "Блины: 25, 20, 15, 10, 5, 2,5, 1,25 кг (обычный набор спортзала)" in alice.last_text


async def test_menus_and_descriptions_per_language(emulator: BotApiEmulator, bot_app: BotApplication) -> None:
    english = emulator.commands("all_private_chats")
    assert [c["command"] for c in english] == [command for command, _text in texts.COMMANDS]
    assert english[0] == {"command": "start", "description": "Start or restart the bot"}
    for code in ("ru", "uk", "be", "kk"):
        russian = emulator.commands("all_private_chats", code)
        assert [c["command"] for c in russian] == [c["command"] for c in english]
        assert russian[0] == {"command": "start", "description": "Запустить или перезапустить бота"}
        for command in russian:
            assert_russian(command["description"], *LATIN)
        assert_russian(emulator.bot_description(code), *LATIN)
        assert_russian(emulator.bot_short_description(code))
    assert emulator.bot_description().startswith("I help you follow a training program")
    assert emulator.bot_short_description("ru").startswith("Занимайтесь по программе")
    assert emulator.commands("all_private_chats", "de") == []  # German clients fall back to the default


async def test_a_russian_coach_menu(
    make_user: Any, emulator: BotApiEmulator, session_factory: Factory
) -> None:
    """An admin (ADMIN_TELEGRAM_IDS) whose client is Russian gets their chat's menu in Russian."""
    ada: SandboxUser = emulator.add_user(999000, first_name="Ada", language_code="ru")
    await ada.send("/start")
    menu = emulator.visible_commands(ada.chat_id, "ru")
    assert {"command": "start", "description": "Запустить или перезапустить бота"} in menu
    assert {c["command"] for c in menu} >= {"start", "language", "makecoach"}
    replies = await ada.send("/help")
    assert "Команды тренера" in replies[0].content
    assert "Команды администратора" in replies[0].content


def test_the_playground_speaks_russian_with_lang_ru(tmp_path: Path) -> None:
    """`python -m bot chat --lang ru`: the playground's people have Telegram language ru."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "TEST_"))}
    database = f"sqlite+aiosqlite:///{tmp_path}/pg.db"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--database", database, "--lang", "ru"],
        input="/start\n/help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Добро пожаловать" in result.stdout
    assert "/help - Что умеет бот" in result.stdout
    assert "Welcome" not in result.stdout.split("you> /start", 1)[1]
