"""Programs in Russian through the emulator: browsing, filtering, a program card with the program's Russian
translation, enrolling, /pause, /resume and /quit - every reply and button in Russian, and the rows written.
A coach's upload with `translations` round-trips through /exportprogram and shows to a Russian reader.

The clock is fixed at Tuesday 24 Nov 2026 09:00 UTC; Boris lives in Moscow and reads Russian.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import EnrollmentStatus, Role
from bot.db.models import CoachTrainee, Program, ProgramTranslation, UserProgramEnrollment
from bot.i18n import use_locale
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services.users import TelegramProfile, register_user
from bot.ui import programs as ui
from bot.ui.today import day_label
from tests.e2e.russian import assert_russian, button_starting
from tests.e2e.test_programs import BEGINNER, seed

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
BEGINNER_RU = "Фулбоди для новичков с линейной прогрессией"
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def register(
    factory: Factory, person: SandboxUser, name: str, *, language: str | None, role: Role = Role.TRAINEE
) -> uuid.UUID:
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(
                telegram_id=person.user_id, chat_id=person.chat_id, first_name=name, language_code=language
            ),
            default_timezone="Europe/Moscow",
            default_reminder_time=time(7, 0),
        )
        registration.user.onboarded_at = NOW - timedelta(days=30)
        registration.user.role = role
        return registration.user.id


def russian_everywhere(person: SandboxUser, *allowed: str) -> None:
    """The latest reply and every button on it read Russian."""
    assert_russian(person.last_text, *allowed)
    for row in person.buttons():
        for label in row:
            assert_russian(label, *allowed)


async def enrollment_of(factory: Factory, user_id: uuid.UUID) -> UserProgramEnrollment:
    async with factory() as session:
        (row,) = await session.scalars(
            select(UserProgramEnrollment).where(UserProgramEnrollment.user_id == user_id)
        )
        return row


async def test_browse_enroll_pause_resume_quit_in_russian(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    await seed(session_factory)
    boris = make_user("Boris", language_code="ru")
    boris_id = await register(session_factory, boris, "Boris", language="ru")

    await boris.send("/programs")
    russian_everywhere(boris)
    assert "📚 Программы\n6 программ, страница 1/2. Нажмите, чтобы открыть." in boris.last_text
    assert f"1. {BEGINNER_RU}\n    Новичок · 12 недель · 3 тренировки в неделю" in boris.last_text
    assert "С дивана до 5 км - 9 недель" in boris.last_text
    assert boris.buttons()[-2:] == [["стр. 1/2", "▶️"], ["🔍 Фильтр"]]
    await boris.press("▶️")
    russian_everywhere(boris)
    assert "6. Верх/низ для среднего уровня" in boris.last_text
    await boris.press("◀️")

    await boris.press("🔍 Фильтр")
    russian_everywhere(boris)
    assert "Сложность: любая" in boris.last_text
    await boris.press("Сложность: любая")
    russian_everywhere(boris)
    assert boris.last_text == "🔍 Выберите сложность:"
    await boris.press("Средний")
    russian_everywhere(boris)
    assert "Фильтры: Средний\n3 программы. Нажмите, чтобы открыть." in boris.last_text
    await boris.press("✖️ Сбросить фильтры")
    assert "6 программ, страница 1/2." in boris.last_text
    assert any(a.text == "Фильтры сброшены" for a in boris.callback_answers)

    await boris.press(button_starting(boris, "1. "))
    russian_everywhere(boris)
    card = boris.last_text
    assert card.startswith(f"🏋️ {BEGINNER_RU}\nНовичок · 12 недель (84 дня) · 3 тренировки в неделю")
    assert "Двенадцать недель простых и эффективных тренировок со штангой" in card
    assert "Этапы\n• Фундамент · дни 1-28" in card
    assert "Начните в понедельник" in card  # the translated notes
    assert boris.buttons() == [["🚀 Записаться"], ["◀️ К списку"]]

    await boris.press("🚀 Записаться")
    with use_locale("ru"):
        days = [day_label(TODAY + timedelta(days=n), TODAY) for n in (0, 1, 6)]
    russian_everywhere(boris, *days)
    assert f"🚀 Когда начнём программу {BEGINNER_RU}?" in boris.last_text
    assert boris.buttons()[-2:] == [["⌨️ Ввести дату"], ["◀️ Назад"]]
    await boris.press(button_starting(boris, "Завтра · "))
    russian_everywhere(boris, *days, *[day_label(TODAY + timedelta(days=84), TODAY)])
    assert boris.last_text.startswith(f"🎉 Вы записались на программу {BEGINNER_RU}!\nДень 1 - ")
    assert any(a.text == "Вы записаны!" for a in boris.callback_answers)
    row = await enrollment_of(session_factory, boris_id)
    assert (row.enrollment_status, row.start_date) == (EnrollmentStatus.ACTIVE, TODAY + timedelta(days=1))

    await boris.send("/pause")
    assert_russian(boris.last_text)
    assert boris.last_text.startswith(f"⏸ Программа {BEGINNER_RU} на паузе, день 1.")
    assert (await enrollment_of(session_factory, boris_id)).enrollment_status is EnrollmentStatus.PAUSED
    await boris.send("/pause")
    assert_russian(boris.last_text)
    assert f"Нечего ставить на паузу: {BEGINNER_RU} уже на паузе." in boris.last_text
    await boris.send("/resume")
    assert_russian(boris.last_text)
    assert boris.last_text.startswith(f"▶️ Программа {BEGINNER_RU} продолжается: сегодня день 1.")
    assert (await enrollment_of(session_factory, boris_id)).enrollment_status is EnrollmentStatus.ACTIVE
    await boris.send("/resume")
    assert boris.last_text == "На паузе ничего нет. Отправьте /today, чтобы увидеть свой день."

    await boris.send("/quit")
    russian_everywhere(boris)
    assert boris.last_text.startswith(f"🚪 Бросить программу {BEGINNER_RU}? Вы на дне 1.")
    await boris.press("↩️ Нет, продолжаю")
    assert boris.last_text == "👍 Отлично - продолжайте! Ничего не изменилось."
    assert (await enrollment_of(session_factory, boris_id)).enrollment_status is EnrollmentStatus.ACTIVE
    await boris.send("/quit")
    await boris.press("🚪 Да, бросить")
    assert_russian(boris.last_text)
    assert boris.last_text.startswith(f"🚪 Вы бросили программу {BEGINNER_RU}.")
    assert (await enrollment_of(session_factory, boris_id)).enrollment_status is EnrollmentStatus.CANCELLED
    await boris.send("/quit")
    assert boris.last_text == "Вы не занимаетесь ни по одной программе. Выберите её в /programs."

    # the card of a program quit earlier; a stale button
    await boris.send("/programs")
    await boris.press(button_starting(boris, "1. "))
    assert "Вы бросили эту программу раньше." in boris.last_text
    assert boris.buttons()[0] == ["🔁 Начать заново"]
    await boris.press_data("pg:zz", boris.last_reply)  # type: ignore[arg-type]
    assert (
        boris.callback_answers[-1].text
        == "Эта кнопка больше не работает - отправьте /programs, чтобы начать заново."
    )


async def test_typing_a_start_date_in_russian(make_user: Any, session_factory: Factory, clock: Clock) -> None:
    await seed(session_factory)
    boris = make_user("Boris", language_code="ru")
    boris_id = await register(session_factory, boris, "Boris", language="ru")
    await boris.send("/programs")
    await boris.press(button_starting(boris, "1. "))
    await boris.press("🚀 Записаться")
    await boris.press("⌨️ Ввести дату")
    russian_everywhere(boris)
    assert boris.last_text == (
        f"⌨️ Напишите день начала программы {BEGINNER_RU}.\n\nНапример: 2026-12-01, 1.12, 1/12, 1 дек, завтра или понедельник."
    )
    await boris.send("2020-01-01")
    assert_russian(boris.last_text)
    assert "Пожалуйста, напишите другой день." in boris.last_text
    await boris.send("/cancel")
    assert (
        boris.last_text
        == "Хорошо, ничего не изменилось. Отправьте /programs, чтобы снова посмотреть программы."
    )
    async with session_factory() as session:
        assert list(await session.scalars(select(UserProgramEnrollment))) == []
    await boris.send("/programs")
    await boris.press(button_starting(boris, "1. "))
    await boris.press("🚀 Записаться")
    await boris.press("⌨️ Ввести дату")
    await boris.send("1.12")
    assert boris.last_text.startswith(f"🎉 Вы записались на программу {BEGINNER_RU}!")
    row = await enrollment_of(session_factory, boris_id)
    assert row.start_date == date(2026, 12, 1)


async def test_an_english_reader_still_sees_the_program_in_english(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    await seed(session_factory)
    alice = make_user("Alice", language_code="en")
    await register(session_factory, alice, "Alice", language="en")
    await alice.send("/programs")
    assert f"1. {BEGINNER}\n    Beginner · 12 weeks · 3 workouts/week" in alice.last_text
    assert "Фулбоди" not in alice.last_text


UPLOAD = """
name: Cole Squats
description: Three days of squats.
notes: Squat deep.
difficulty: beginner
visibility: PUBLIC
categories: [strength]
schedule: {length_days: 7}
phases:
  - {name: Base, start_day: 1, end_day: 7, description: Learn the squat.}
workouts:
  a:
    name: Squat Day
    exercises:
      - {exercise: back-squat, sets: 3, reps: 5, weight_kg: 40}
days:
  - {day: 1, workouts: [a]}
  - {day: 3, workouts: [a]}
translations:
  ru:
    name: Приседания Коула
    description: Три дня приседаний.
    notes: Приседайте глубоко.
    workouts: {a: {name: День приседа, description: Только присед.}}
    phases: [{name: База, description: Осваиваем присед.}]
"""


async def test_an_uploaded_translation_round_trips_and_shows_in_russian(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    await seed(session_factory)
    cole = make_user("Cole", username="cole")
    boris = make_user("Boris", language_code="ru")
    cole_id = await register(session_factory, cole, "Cole", language=None, role=Role.COACH)
    boris_id = await register(session_factory, boris, "Boris", language="ru")
    async with session_factory() as session, session.begin():
        session.add(CoachTrainee(coach_id=cole_id, trainee_id=boris_id))  # Boris sees his coach's programs

    await cole.upload(UPLOAD.encode(), filename="cole.yaml")
    async with session_factory() as session:
        program = await session.scalar(select(Program).where(Program.name == "Cole Squats"))
        assert program is not None
        (row,) = await session.scalars(
            select(ProgramTranslation).where(ProgramTranslation.program_id == program.id)
        )
    assert (row.language, row.name, row.description, row.notes) == (
        "ru",
        "Приседания Коула",
        "Три дня приседаний.",
        "Приседайте глубоко.",
    )
    assert list(row.workouts.values()) == [{"name": "День приседа", "description": "Только присед."}]
    assert row.phases == [{"name": "База", "description": "Осваиваем присед."}]

    await cole.send("/exportprogram Cole Squats")
    sent = cole.last_reply
    assert sent is not None and sent.file is not None
    exported = yaml.safe_load(sent.file)
    assert exported["translations"] == {
        "ru": {
            "name": "Приседания Коула",
            "description": "Три дня приседаний.",
            "notes": "Приседайте глубоко.",
            "workouts": {"squat-day": {"name": "День приседа", "description": "Только присед."}},
            "phases": [{"name": "База", "description": "Осваиваем присед."}],
        }
    }

    await boris.send("/programs")
    assert "Приседания Коула" in boris.last_text and "Cole Squats" not in boris.last_text
    await boris.press("3. Приседания Коула")  # listed by the program's own name
    russian_everywhere(boris)
    assert boris.last_text.startswith(
        "🏋️ Приседания Коула\nНовичок · 1 неделя (7 дней) · 2 тренировки в неделю"
    )
    assert "Три дня приседаний." in boris.last_text and "• База · дни 1-7" in boris.last_text


@pytest.mark.parametrize(
    ("days", "length", "per_week", "workouts"),
    [
        (7, "1 неделя", 1.0, "1 тренировка в неделю"),
        (14, "2 недели", 2.0, "2 тренировки в неделю"),
        (35, "5 недель", 5.0, "5 тренировок в неделю"),
        (77, "11 недель", 3.5, "3,5 тренировки в неделю"),
        (147, "21 неделя", 21.0, "21 тренировка в неделю"),
        (1, "1 день", None, None),
        (2, "2 дня", None, None),
        (5, "5 дней", None, None),
        (11, "11 дней", None, None),
        (21, "3 недели", None, None),
        (22, "22 дня", None, None),
    ],
)
def test_russian_plurals_of_lengths_and_frequencies(
    days: int, length: str, per_week: float | None, workouts: str | None
) -> None:
    with use_locale("ru"):
        assert ui.length_text(days) == length
        assert ui.per_week_text(per_week) == workouts
