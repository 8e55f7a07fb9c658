"""The whole journey in Russian (issue #15): a new user whose Telegram speaks Russian onboards, enrolls in a
bundled program, works out logging sets typed the Russian way, finishes and rates the workout, then reads
/history, /records and a progress chart - every message and button in Russian (nothing but the user's own
name and the time zone's identifier in Latin letters), and the rows the journey wrote."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import charts
from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.handlers.progress import exercise_chart_args
from bot.i18n import use_locale, user_locale
from bot.sandbox.client import SentMessage
from bot.sandbox.harness import Clock
from bot.services import progress
from tests.e2e.russian import assert_russian, assert_russian_message, button_starting
from tests.e2e.test_programs import seed
from tests.unit.test_russian_progress_texts import texts_of

Factory = async_sessionmaker[AsyncSession]
NOW = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday, 10:00 in Moscow
OWN = ("Boris", "Europe/Moscow")
"""The user's own name and the IANA identifier of his time zone: the only Latin letters he may see."""


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


def russian(replies: list[SentMessage] | SentMessage) -> SentMessage:
    """Every reply and its buttons read Russian (but for `OWN`); the last reply."""
    batch = replies if isinstance(replies, list) else [replies]
    assert batch, "the bot answered nothing"
    for message in batch:
        assert_russian_message(message, *OWN)
    return batch[-1]


async def test_the_whole_journey_in_russian(make_user: Any, session_factory: Factory) -> None:
    await seed(session_factory)
    boris = make_user("Boris", language_code="ru")

    # Onboarding: three questions, answered with buttons.
    welcome = russian(await boris.send("/start"))
    assert welcome.text.startswith("👋 Добро пожаловать, Boris!")
    assert "Шаг 1 из 3 · Часовой пояс" in welcome.text
    assert "Шаг 2 из 3" in russian(await boris.press("Москва")).text
    assert "Шаг 3 из 3 · Единица веса" in russian(await boris.press("✅ 07:00")).text
    done = russian(await boris.press("✅ кг"))
    assert "🎉 Всё готово!" in done.text and "⚖️ Единица веса: кг" in done.text

    # Enroll in the bundled beginner program: its Russian name, description and first workout.
    listing = russian(await boris.send("/programs"))
    assert "1. Фулбоди для новичков с линейной прогрессией" in listing.text
    card = russian(await boris.press(0))
    assert card.text.startswith("🏋️ Фулбоди для новичков с линейной прогрессией\nНовичок · 12 недель")
    russian(await boris.press("🚀 Записаться"))
    enrolled = russian(await boris.press(button_starting(boris, "Сегодня")))
    assert "🎉 Вы записались на программу Фулбоди для новичков с линейной прогрессией!" in enrolled.text
    today = russian(await boris.send("/today"))
    assert "Фундамент · день 1 из 84" in today.text and "• Фулбоди A · ~1 ч" in today.text

    # The workout: sets typed with Russian units and a decimal comma, a button, then three sets at once.
    squat = russian(await boris.press("▶️ Начать: Фулбоди A"))
    assert "Фулбоди A · упражнение 1 из 4\nПриседания со штангой" in squat.text
    assert "Цель: 3 × 5 @ 20 кг" in squat.text
    russian(await boris.send("40кг х 5"))
    second = russian(await boris.send("42,5х5"))
    assert "✅ Записано: 42,5×5" in second.text and "(2 из 3 подходов)" in second.text
    russian(await boris.press("↻ Ещё такой же"))
    rating = russian(await boris.press("Дальше ▶"))
    assert "Насколько тяжело далось упражнение «Приседания со штангой»?" in rating.text
    bench = russian(await boris.send("30х5х3"))
    assert "упражнение 2 из 4\nЖим штанги лёжа" in bench.text and "(3 из 3 подходов)" in bench.text

    # Finish: effort, soreness, no note; the summary counts in Russian plurals and names next time's weights.
    russian(await boris.press("🏁 Завершить"))
    russian(await boris.press("7"))
    russian(await boris.press("3"))
    summary = russian(await boris.press("Пропустить"))
    assert summary.text.startswith("🎉 Тренировка завершена: Фулбоди A\n2 из 4 упражнений · 6 подходов")
    assert "Нагрузка 7/10 · болезненность 3/10" in summary.text
    assert "• Приседания со штангой: 22,5 кг (+2,5 кг)" in summary.text  # the program's 20 kg, +2.5

    # History, records and a progress chart, all in Russian.
    history = russian(await boris.send("/history"))
    assert "1. Фулбоди A · 23 нояб 10:00" in history.text
    detail = russian(await boris.press(0))
    assert "1) 40×5, 2) 42,5×5, 3) 42,5×5" in detail.text
    records = russian(await boris.send("/records"))
    assert "Приседания со штангой\nмаксимальный вес 42,5 кг × 5" in records.text
    one = russian(await boris.send("/progress присед"))
    assert one.text.startswith(
        "📈 Приседания со штангой: пока одна тренировка (23 нояб) - для графика нужны две."
    )
    # A second, quick workout yesterday (typed by a Russian exercise name) makes two points to draw.
    assert "⚡ Быстрая тренировка" in russian(await boris.send("/log вчера")).text
    assert "✅ Записано: 50×5" in russian(await boris.send("присед 50х5")).text
    russian(await boris.press(button_starting(boris, "🏁")))
    russian(await boris.press("5"))
    russian(await boris.press("2"))
    assert russian(await boris.press("Пропустить")).text.startswith("🎉 Тренировка завершена")
    chart = russian(await boris.send("/progress присед"))
    assert chart.kind == "photo" and chart.caption is not None

    # What the database holds: a Russian reader by Telegram's language, his workout and its sets.
    async with session_factory() as session:
        user = await session.scalar(select(User).where(User.telegram_id == boris.user_id))
        assert user is not None
        assert (user.language_code, user.language, user_locale(user)) == ("ru", None, "ru")
        assert (user.timezone, user.weight_unit, user.onboarded_at is not None) == (
            "Europe/Moscow",
            WeightUnit.KG,
            True,
        )
        enrollment = await session.scalar(
            select(UserProgramEnrollment).where(UserProgramEnrollment.user_id == user.id)
        )
        assert enrollment is not None and enrollment.current_day == 2
        workout = await session.scalar(
            select(UserWorkoutSession).where(
                UserWorkoutSession.session_status == SessionStatus.COMPLETED,
                UserWorkoutSession.program_enrollment_id == enrollment.id,
            )
        )
        assert workout is not None and (workout.effort_rating, workout.soreness_rating) == (7, 3)
        rows = await session.execute(
            select(Exercise.name, UserExerciseSet.weight_kg, UserExerciseSet.reps)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(
                ExerciseInstruction,
                ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id,
            )
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserExercisePerformance.user_workout_session_id == workout.id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )
        assert [tuple(row) for row in rows] == [
            ("Barbell Back Squat", Decimal("40.00"), 5),
            ("Barbell Back Squat", Decimal("42.50"), 5),
            ("Barbell Back Squat", Decimal("42.50"), 5),
            *[("Barbell Bench Press", Decimal("30.00"), 5)] * 3,
        ]
        squat_id = await session.scalar(select(Exercise.id).where(Exercise.name == "Barbell Back Squat"))
        assert squat_id is not None
        data = await progress.exercise_progress(session, user, squat_id)

    # The chart he was sent: its title, legends, axes and dates, drawn in Russian.
    with use_locale("ru"):
        words = texts_of(charts.exercise_figure(*exercise_chart_args(data, WeightUnit.KG)))
    assert "Приседания со штангой" in " ".join(words)
    for word in words:
        assert_russian(word)
