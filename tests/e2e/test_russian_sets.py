"""The set language and the exercise catalog in Russian, through the emulator: a quick workout logged with
Russian names and units (присед 100х5, жим лёжа 60кг 8, планка 45 сек, бег 5км 25:00, гребля 10 кал),
its errors in Russian, /exercises with the catalog's Russian names, /exercise new asked in Russian, and a
swap found by a Russian alias - what Boris saw and the rows written.

Screens of other areas (the workout card, the swap menu) are checked through the database and their
buttons' data, not their wording: their translations live elsewhere.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    SessionExerciseSwap,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import pack, workout_start
from tests.e2e.russian import assert_russian
from tests.e2e.test_workout import offer
from tests.factories import make_program, seed_catalog

WEDNESDAY = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]
D = Decimal


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY)


@pytest.fixture
async def boris(make_user: Any, session_factory: Factory) -> AsyncIterator[tuple[SandboxUser, uuid.UUID]]:
    """Boris, onboarded in Moscow, reads Russian (kg); the catalog seeded."""
    person = make_user("Boris", language_code="ru")
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        user = (
            await register_user(
                session,
                TelegramProfile(
                    telegram_id=person.user_id, chat_id=person.chat_id, first_name="Boris", language_code="ru"
                ),
                default_timezone="Europe/Moscow",
            )
        ).user
        user.onboarded_at = WEDNESDAY
    yield person, user.id


async def logged(factory: Factory, user_id: uuid.UUID) -> list[tuple[Any, ...]]:
    """(exercise code, reps, kg, seconds, metres, calories) of every set the user logged, in order."""
    async with factory() as session:
        rows = await session.execute(
            select(Exercise.code, UserExerciseSet.reps, UserExerciseSet.weight_kg,
                   UserExerciseSet.duration_seconds, UserExerciseSet.distance_m, UserExerciseSet.calories)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
            .where(UserWorkoutSession.user_id == user_id)
            .order_by(UserExerciseSet.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in rows]


async def test_a_quick_workout_typed_in_russian(
    boris: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory
) -> None:
    person, user_id = boris
    await person.send("/log")
    for text in (
        "присед 100х5",
        "жим лёжа 60кг 8",
        "62,5 кг х 8",  # no name: the exercise last logged
        "подтягивания 8 повторов",
        "становая 140 кг х 5 х 2",
        "жим стоя 95 фунтов х 5",
        "планка 45 сек",
        "бег 5км 25:00",
        "гребля 10 кал",
        "Приседания со штангой 2 мин",  # a timed set on a counted exercise: refused
        "присед 100 5",  # weight and reps need х between them: refused
    ):
        await person.send(text)
    assert await logged(session_factory, user_id) == [
        ("back-squat", 5, D("100.00"), None, None, None),
        ("bench-press", 8, D("60.00"), None, None, None),
        ("bench-press", 8, D("62.50"), None, None, None),
        ("pull-up", 8, None, None, None, None),
        ("deadlift", 5, D("140.00"), None, None, None),
        ("deadlift", 5, D("140.00"), None, None, None),
        ("overhead-press", 5, D("43.09"), None, None, None),
        ("plank", None, None, 45, None, None),
        ("easy-run", None, None, 1500, D("5000.0"), None),
        ("rowing-machine", None, None, None, None, 10),
    ]
    refused = [m.content for m in person.messages if "Не удалось разобрать «100 5»" in m.content]
    assert refused and "Отправьте вес × повторы, например 60х8" in refused[-1]
    timed = [
        m.content for m in person.messages if "это время, а это упражнение считается в повторах" in m.content
    ]
    assert timed, [m.content for m in person.messages][-3:]


async def test_exercises_and_a_new_exercise_in_russian(
    boris: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory
) -> None:
    person, user_id = boris
    await person.send("/exercises")
    listing = person.last_text
    assert_russian(listing)  # every catalog exercise has a Russian name
    assert listing.startswith("Упражнения\nГрудь: ")
    assert "Ноги" not in listing and "Квадрицепсы: " in listing and "Приседания со штангой" in listing
    assert "Своих упражнений у вас пока нет." in listing

    await person.send("/exercise")
    assert person.last_text == (
        "Отправьте /exercise новое НАЗВАНИЕ, чтобы добавить своё упражнение, "
        "например /exercise новое Сведение в кроссовере."
    )
    await person.send("/exercise новое " + "я" * 101)
    assert person.last_text == "В названии 101 символ: пожалуйста, не больше 100."
    await person.send("/exercise new Barbell Back Squat")
    assert person.last_text == (
        "Упражнение «Приседания со штангой» уже есть: наберите его название вместе с подходом."
    )

    await person.send("/exercise новое Жим <Арнольда>")
    assert_russian(person.last_text)
    assert (
        person.last_text == "Новое упражнение Жим <Арнольда>: какую группу мышц оно нагружает больше всего?"
    )
    for row in person.buttons():
        for label in row:
            assert_russian(label)
    await person.press("Плечи")
    assert person.last_text == "Жим <Арнольда>: какой инвентарь нужен?"
    assert ["Турник", "Собственный вес", "Без инвентаря"] in person.buttons()
    await person.press("Гантели")
    assert person.last_text == "Жим <Арнольда>: как его записывать?"
    assert person.buttons() == [["Вес × повторы", "Повторы", "Время"]]
    await person.press("Вес × повторы")
    assert person.last_text == (
        "✅ Упражнение Жим <Арнольда> создано (Плечи, Гантели, вес × повторы). Его видите только вы. "
        "Записывайте его, набирая название вместе с подходом, например жим <арнольда> 60x8."
    )
    async with session_factory() as session:
        own = await session.scalar(select(Exercise).where(Exercise.owner_id == user_id))
    assert own is not None and (own.name, own.muscle_group, own.equipment, own.tracking_type) == (
        "Жим <Арнольда>",
        "shoulders",
        "dumbbell",
        TrackingType.WEIGHT_REPS,
    )
    await person.send("/exercises")
    assert "Ваши собственные\n• Жим <Арнольда> (Плечи, вес × повторы)" in person.last_text
    await person.press_data("cx:t:WEIGHT_REPS", person.last_reply)  # type: ignore[arg-type]
    assert person.callback_answers[-1].text == "Время вышло: отправьте /exercise новое НАЗВАНИЕ ещё раз."


async def test_a_swap_found_by_a_russian_alias(
    boris: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory
) -> None:
    person, user_id = boris
    async with session_factory() as session, session.begin():
        program = await make_program(session)
        user = await session.get(User, user_id)
        assert user is not None
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 4), WEDNESDAY)
        sid = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
        leg_press = await session.scalar(select(Exercise.id).where(Exercise.code == "leg-press"))
    assert sid is not None
    await offer(bot_app, person, sid)
    await person.press_data(workout_start(sid), person.last_reply)  # type: ignore[arg-type]
    await person.press_data(pack("wk", "swp", sid, 0), person.last_reply)  # type: ignore[arg-type]
    await person.send("жим ногами")  # Leg Press, by its Russian name
    found = [
        button["callback_data"]
        for row in (person.last_reply.inline_keyboard or [])  # type: ignore[union-attr]
        for button in row
        if "callback_data" in button
    ]
    assert len(found) == 2  # the one match, and back
    await person.press_data(found[0], person.last_reply)  # type: ignore[arg-type]
    async with session_factory() as session:
        swapped = await session.scalar(
            select(ExerciseInstruction.exercise_id)
            .join(
                SessionExerciseSwap, SessionExerciseSwap.replacement_instruction_id == ExerciseInstruction.id
            )
            .where(SessionExerciseSwap.session_id == sid)
        )
    assert swapped == leg_press
