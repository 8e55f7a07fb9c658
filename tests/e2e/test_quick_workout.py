"""Quick workouts through the emulator: /log (today and past days), sets typed with an exercise's name
(exact, alias, typo, ambiguous, unknown), a bare set, an extra in a program workout, and the offer to
start a quick workout - what the trainee sees and the rows written."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.ui.callback import workout_start
from tests.factories import make_program, seed_catalog

WEDNESDAY = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY)


@pytest.fixture
async def trainee(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[uuid.UUID]:
    """Alice, onboarded (Berlin, kg), in no program."""
    from bot.services.users import TelegramProfile, register_user

    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = WEDNESDAY
    yield user.id


async def quick_sessions(
    factory: async_sessionmaker[AsyncSession], user_id: uuid.UUID
) -> list[UserWorkoutSession]:
    async with factory() as session:
        rows = await session.scalars(
            select(UserWorkoutSession)
            .where(UserWorkoutSession.user_id == user_id)
            .order_by(UserWorkoutSession.created_at)
        )
        return list(rows.all())


async def logged(
    factory: async_sessionmaker[AsyncSession], session_id: uuid.UUID
) -> list[tuple[str, int | None, Decimal | None, int | None, bool]]:
    """(exercise name, reps, kg, seconds, ad hoc) of every set of the session, in order."""
    async with factory() as session:
        rows = await session.execute(
            select(Exercise.name, UserExerciseSet.reps, UserExerciseSet.weight_kg,
                   UserExerciseSet.duration_seconds, ExerciseInstruction.workout_id.is_(None))
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_log_today_named_sets_and_finish(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    started = (await alice.send("/log"))[-1]
    assert "Quick workout</b> started" in started.html or "Quick workout started" in started.text
    assert "bench press 60x8" in started.text
    (row,) = await quick_sessions(session_factory, trainee)
    assert row.session_status == SessionStatus.IN_PROGRESS and row.program_enrollment_id is None
    assert row.started_at == WEDNESDAY
    async with session_factory() as session:
        workout = await session.get(Workout, row.workout_id)
        assert workout is not None and workout.created_by == trainee and workout.name == "Quick workout"

    bare = await alice.send("60x8")  # nothing logged yet: which exercise?
    assert "Which exercise was that?" in bare[-1].text
    assert await logged(session_factory, row.id) == []

    card = (await alice.send("bench press 60x8"))[-1]  # exact name of an alias
    assert card.text.startswith("✅ Logged 60×8") and "Barbell Bench Press" in card.text
    assert "(extra)" not in card.text  # nothing is "extra" in a workout without a plan
    await alice.send("62.5x8")  # a bare set: the exercise last logged
    await alice.send("ohp 40x8")  # an abbreviation
    await alice.send("Pull-Ups 8")  # the catalog's name, another spelling
    await alice.send("plankk 45s")  # a typo
    assert "Plank" in alice.last_text
    rating = (await alice.press("Next ▶"))[-1]  # how hard was the plank? A named set instead:
    assert "How hard was" in rating.text
    squat = (await alice.send("squat 100x5x3"))[-1]
    assert "So far:\n• Barbell Bench Press: 60×8" in squat.text  # the other exercises, then the card
    assert "• Overhead Press: 40×8\n• Pull-Up: BW" in squat.text and "• Plank: 45" in squat.text
    assert await logged(session_factory, row.id) == [
        ("Barbell Bench Press", 8, Decimal("60.00"), None, True),
        ("Barbell Bench Press", 8, Decimal("62.50"), None, True),
        ("Overhead Press", 8, Decimal("40.00"), None, True),
        ("Pull-Up", 8, None, None, True),
        ("Plank", None, None, 45, True),
        ("Barbell Back Squat", 5, Decimal("100.00"), None, True),
        ("Barbell Back Squat", 5, Decimal("100.00"), None, True),
        ("Barbell Back Squat", 5, Decimal("100.00"), None, True),
    ]

    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    clock.now = WEDNESDAY + timedelta(minutes=40)
    summary = (await alice.send("felt good"))[-1]
    assert "Workout complete: Quick workout" in summary.text
    assert "Duration: 40 min" in summary.text
    (row,) = await quick_sessions(session_factory, trainee)
    assert (row.session_status, row.effort_rating, row.soreness_rating, row.session_notes) == (
        SessionStatus.COMPLETED, 7, 2, "felt good",
    )  # fmt: skip
    assert row.completed_at == clock.now


async def test_log_a_past_day(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    started = (await alice.send("/log yesterday"))[-1]
    assert "Quick workout · 3 Mar 2026" in started.text
    await alice.send("dl 140x5")
    await alice.press("🏁 Finish")
    await alice.press("8")
    await alice.press("1")
    await alice.press("Skip")
    (row,) = await quick_sessions(session_factory, trainee)
    assert row.started_at == WEDNESDAY - timedelta(days=1)  # the same local time, the day before
    assert row.completed_at == row.started_at + timedelta(hours=1)
    assert row.session_status == SessionStatus.COMPLETED
    assert await logged(session_factory, row.id) == [("Deadlift", 5, Decimal("140.00"), None, True)]

    await alice.send("/log")
    today = (await alice.send("deadlift 145x5"))[-1]
    assert re.search(r"Last time, [^:\n]*3 Mar: 140×5", today.text)  # the day logged after the fact
    assert "New record: heaviest Deadlift, 145 kg (was 140 kg)" in today.text
    await alice.press("📋 All exercises")
    await alice.press("✖ Cancel workout")
    await alice.press("Yes, cancel it")

    await alice.send("/log mon")  # the last Monday
    (_, _, monday) = await quick_sessions(session_factory, trainee)
    assert monday.started_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert monday.session_status == SessionStatus.IN_PROGRESS


async def test_log_refuses_bad_dates_and_writes_nothing(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    reply = (await alice.send("/log tomorrow"))[-1]
    assert "in the future" in reply.text and "/log yesterday" in reply.text
    reply = (await alice.send("/log someday"))[-1]
    assert "couldn't read" in reply.text
    reply = (await alice.send("/log 2020-01-01"))[-1]
    assert "more than a year ago" in reply.text
    assert await quick_sessions(session_factory, trainee) == []


async def test_ambiguous_and_unknown_names(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await alice.send("/log")
    (row,) = await quick_sessions(session_factory, trainee)
    question = (await alice.send("leg 60x10"))[-1]
    assert "Which exercise did you mean by “leg”?" in question.text
    labels = [label for (label,) in question.buttons]
    assert "Leg Press" in labels and "Leg Extension" in labels
    assert await logged(session_factory, row.id) == []
    card = (await alice.press("Leg Press"))[-1]
    assert "Logged 60×10" in card.text and "Leg Press" in card.text
    assert await logged(session_factory, row.id) == [("Leg Press", 10, Decimal("60.00"), None, True)]

    unknown = (await alice.send("zumba <b>x</b> 30"))[-1]
    assert "I don't know an exercise called “zumba <b>x</b>”" in unknown.text
    assert len(await logged(session_factory, row.id)) == 1

    again = (await alice.send("/log"))[-1]  # one workout at a time: the open one again
    assert "You have <b>Quick workout</b> in progress - here it is." in again.html or (
        "You have Quick workout in progress - here it is." in again.text
    )
    assert len(await quick_sessions(session_factory, trainee)) == 1


async def test_a_named_set_in_a_program_workout_adds_an_extra(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session, session.begin():
        program = await make_program(session)
        from bot.db.models import User

        user = await session.get(User, trainee)
        assert user is not None
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 4), WEDNESDAY)
        sid = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    assert sid is not None
    await bot_app.bot.send_message(alice.chat_id, "Today", reply_markup=_start_markup(sid))
    await alice.press("▶ Start")
    await alice.send("squat 60x5")  # in the workout: logged there, not added
    await alice.send("curl 20x10")  # not in it: an extra
    assert "Barbell Curl" in alice.last_text
    assert await logged(session_factory, sid) == [
        ("Barbell Back Squat", 5, Decimal("60.00"), None, False),
        ("Barbell Curl", 10, Decimal("20.00"), None, True),
    ]
    async with session_factory() as session:
        count = await session.scalar(select(func.count()).select_from(UserWorkoutSession))
    assert count == 1  # no quick workout was started


def _start_markup(sid: uuid.UUID) -> Any:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    return InlineKeyboardMarkup([[InlineKeyboardButton("▶ Start", callback_data=workout_start(sid))]])


async def test_a_named_set_with_no_workout_open_offers_a_quick_workout(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    offer = (await alice.send("bench 60x8"))[-1]
    assert offer.text.startswith("Start a quick workout with this set?")
    assert "Barbell Bench Press" in offer.text and offer.buttons == [["⚡ Start a quick workout"]]
    assert await quick_sessions(session_factory, trainee) == []

    card = (await alice.press("⚡ Start a quick workout"))[-1]
    assert "Logged 60×8" in card.text
    (row,) = await quick_sessions(session_factory, trainee)
    assert row.session_status == SessionStatus.IN_PROGRESS and row.program_enrollment_id is None
    assert await logged(session_factory, row.id) == [("Barbell Bench Press", 8, Decimal("60.00"), None, True)]
    await alice.send("60x7")
    assert len(await logged(session_factory, row.id)) == 2

    plain = (await alice.send("hello there"))[-1]  # not a set: no offer (the workout is open anyway)
    assert "Start a quick workout" not in plain.text


async def test_plain_text_gets_no_offer(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    for text in ("hello 5 times", "zumba 60x8", "60x8"):
        reply = (await alice.send(text))[-1]
        assert "Start a quick workout" not in reply.text and "No workout is in progress" in reply.text
    assert await quick_sessions(session_factory, trainee) == []


async def test_last_time_is_the_trainees_local_date(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A workout at 00:30 in Berlin is on 3 Mar there, though 2 Mar in UTC: the card says 3 Mar."""
    clock.now = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    await alice.send("/log")
    await alice.send("dl 140x5")
    await alice.press("🏁 Finish")
    await alice.press("8")
    await alice.press("1")
    await alice.press("Skip")
    (row,) = await quick_sessions(session_factory, trainee)
    assert row.started_at.date() == date(2026, 3, 2)  # UTC

    clock.now = WEDNESDAY
    await alice.send("/log")
    card = (await alice.send("deadlift 145x5"))[-1]
    assert "Last time, 3 Mar: 140×5" in card.text
