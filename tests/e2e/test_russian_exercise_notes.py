"""A program's exercise notes in the reader's language: the bundled beginner program's Russian translation
holds a note per exercise (translations.ru.workouts.KEY.exercises), and a Russian trainee's workout card
shows it; an English reader still sees the program's own note.

The clock is fixed at Tuesday 24 Nov 2026 09:00 UTC; Boris lives in Moscow and reads Russian.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import Role, SessionStatus
from bot.db.models import Program, ProgramTranslation, User, UserWorkoutSession, Workout
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from tests.e2e.russian import assert_russian
from tests.e2e.test_programs import BEGINNER, seed
from tests.e2e.test_russian_programs import register

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
SQUAT_EN = "Three sets of 5 after your warm-up sets; the bot raises the weight when all 15 reps are done."
SQUAT_RU = "Три рабочих подхода по 5 повторов после разминочных; бот прибавит вес, когда все 15 повторов будут сделаны."
ROW_EN = "Pull to the lower ribs without heaving your torso."
ROW_RU = "Тяните к нижним рёбрам, не раскачивая корпус."
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def enrolled(factory: Factory, user_id: uuid.UUID, program_id: uuid.UUID) -> None:
    async with factory() as session, session.begin():
        user = await session.get(User, user_id)
        assert user is not None
        await enrollments.enroll(session, user, program_id, TODAY, NOW)


async def in_progress(factory: Factory, user_id: uuid.UUID) -> UserWorkoutSession:
    async with factory() as session:
        (row,) = await session.scalars(
            select(UserWorkoutSession).where(
                UserWorkoutSession.user_id == user_id,
                UserWorkoutSession.session_status == SessionStatus.IN_PROGRESS,
            )
        )
        return row


async def test_a_russian_trainee_reads_the_program_notes_in_russian(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    programs = await seed(session_factory)
    boris = make_user("Boris", language_code="ru")
    boris_id = await register(session_factory, boris, "Boris", language="ru")
    await enrolled(session_factory, boris_id, programs[BEGINNER])

    await boris.send("/today")
    await boris.press("▶️ Начать: Фулбоди A")
    card = boris.last_text
    assert_russian(card)
    assert card.startswith("🏋️ Фулбоди A · упражнение 1 из 4"), card
    assert SQUAT_RU in card and "warm-up" not in card

    await boris.press("Дальше ▶")
    assert SQUAT_RU in boris.last_text  # the bench press has the same note
    await boris.press("Дальше ▶")
    card = boris.last_text
    assert_russian(card)
    assert "упражнение 3 из 4" in card and ROW_RU in card and SQUAT_RU not in card
    await boris.press("Дальше ▶")
    card = boris.last_text
    assert_russian(card)
    assert "упражнение 4 из 4" in card and ROW_RU not in card and ROW_EN not in card  # the plank: no note

    session = await in_progress(session_factory, boris_id)
    async with session_factory() as db:
        workout = await db.get(Workout, session.workout_id)
        (translation,) = await db.scalars(
            select(ProgramTranslation).where(
                ProgramTranslation.program_id == programs[BEGINNER], ProgramTranslation.language == "ru"
            )
        )
    assert workout is not None and workout.name == "Full Body A"
    texts = translation.workouts[str(workout.id)]
    assert texts["name"] == "Фулбоди A"
    assert texts["exercises"] == [SQUAT_RU, SQUAT_RU, ROW_RU]


async def test_an_english_trainee_still_reads_the_program_notes_in_english(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    programs = await seed(session_factory)
    alice = make_user("Alice", language_code="en")
    alice_id = await register(session_factory, alice, "Alice", language="en")
    await enrolled(session_factory, alice_id, programs[BEGINNER])

    await alice.send("/today")
    await alice.press("▶️ Start Full Body A")
    card = alice.last_text
    assert card.startswith("🏋️ Full Body A · exercise 1 of 4"), card
    assert SQUAT_EN in card and SQUAT_RU not in card
    await alice.press("Next ▶")
    await alice.press("Next ▶")
    assert ROW_EN in alice.last_text and ROW_RU not in alice.last_text
    session = await in_progress(session_factory, alice_id)
    assert session.program_enrollment_id is not None


UPLOAD = """
name: Cole Squats
description: Squats and planks.
difficulty: beginner
categories: [strength]
schedule: {length_days: 7}
workouts:
  a:
    name: Squat Day
    exercises:
      - {exercise: back-squat, sets: 3, reps: 5, weight_kg: 40, notes: Sit back and keep your chest up.}
      - {exercise: plank, sets: 3, duration: 30s, notes: Squeeze your glutes.}
      - {exercise: bench-press, sets: 3, reps: 5, weight_kg: 30, notes: Pause on the chest.}
days:
  - {day: 1, workouts: [a]}
translations:
  ru:
    name: Приседания Коула
    workouts:
      a:
        name: День приседа
        exercises: [Отводите таз назад и держите грудь высоко., null]
"""


async def test_uploaded_exercise_notes_round_trip_through_exportprogram(
    make_user: Any, session_factory: Factory, clock: Clock
) -> None:
    await seed(session_factory)
    cole = make_user("Cole", username="cole")
    await register(session_factory, cole, "Cole", language=None, role=Role.COACH)

    await cole.upload(UPLOAD.encode(), filename="cole.yaml")
    async with session_factory() as session:
        program = await session.scalar(select(Program).where(Program.name == "Cole Squats"))
        assert program is not None
        (row,) = await session.scalars(
            select(ProgramTranslation).where(ProgramTranslation.program_id == program.id)
        )
    assert list(row.workouts.values()) == [
        {
            "name": "День приседа",
            "description": None,
            "exercises": ["Отводите таз назад и держите грудь высоко."],
        }
    ]

    await cole.send("/exportprogram Cole Squats")
    sent = cole.last_reply
    assert sent is not None and sent.file is not None
    exported = yaml.safe_load(sent.file)
    assert exported["translations"]["ru"]["workouts"] == {
        "squat-day": {"name": "День приседа", "exercises": ["Отводите таз назад и держите грудь высоко."]}
    }
    assert [e.get("notes") for e in exported["workouts"]["squat-day"]["exercises"]] == [
        "Sit back and keep your chest up.",
        "Squeeze your glutes.",
        "Pause on the chest.",
    ]

    bad = UPLOAD.replace("null]", "null, null, Лишняя.]")
    await cole.upload(bad.encode(), filename="cole-bad.yaml")
    assert "translations.ru.workouts.a.exercises: more notes (4) than the workout has exercises (3)" in (
        cole.last_text
    )
    async with session_factory() as session:
        assert (
            await session.scalar(
                select(func.count()).select_from(Program).where(Program.name == "Cole Squats")
            )
            == 1
        )
