"""The richer set language end to end (issue #12): a trainee logs warm-up, RPE, RIR, AMRAP, drop and failure
sets, assisted and weighted pull-ups and runs with a distance in one workout. What Alice sees (the workout
card, the summary, /history and its detail, /export) and what the set rows hold, column by column."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SetType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from tests.e2e.test_export import rows_of
from tests.e2e.test_workout import offer
from tests.factories import make_program, seed_catalog

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]
D = Decimal
W, WU, DROP, FAIL, AMRAP = SetType.WORKING, SetType.WARMUP, SetType.DROP, SetType.FAILURE, SetType.AMRAP


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
async def trainee(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Alice, onboarded (Berlin, kg), enrolled today in the mini program: day 1 is Workout A."""
    from bot.services.users import TelegramProfile, register_user

    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        profile = TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice")
        user = (await register_user(session, profile, default_timezone="Europe/Berlin")).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    yield {"user_id": user.id, "session_id": planned}


Row = tuple[str, int | None, Decimal | None, int | None, bool, SetType, Decimal | None, int | None, Decimal | None,
            Decimal | None]  # fmt: skip


async def rows(factory: Factory, session_id: Any) -> list[Row]:
    """(exercise, reps, weight, seconds, is_warmup, set_type, rpe, rir, distance_m, assistance_kg) in order."""
    async with factory() as session:
        found = await session.execute(
            select(Exercise.name, UserExerciseSet.reps, UserExerciseSet.weight_kg, UserExerciseSet.duration_seconds,
                   UserExerciseSet.is_warmup, UserExerciseSet.set_type, UserExerciseSet.rpe, UserExerciseSet.rir,
                   UserExerciseSet.distance_m, UserExerciseSet.assistance_kg)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in found]  # type: ignore[misc]


SQUAT = "Barbell Back Squat"
PULL = "Pull-Up"
RUN = "Continuous Easy Run"
EXPECTED: list[Row] = [
    (SQUAT, 10, D("40.00"), None, True, WU, None, None, None, None),
    (SQUAT, 8, D("60.00"), None, False, W, D("8.0"), None, None, None),
    (SQUAT, 8, D("60.00"), None, False, W, D("7.5"), 2, None, None),
    (SQUAT, 12, D("60.00"), None, False, AMRAP, None, None, None, None),
    (SQUAT, 10, D("40.00"), None, False, DROP, None, None, None, None),
    (SQUAT, 6, D("50.00"), None, False, FAIL, None, 0, None, None),
    (PULL, 8, None, None, False, W, None, None, None, D("20.00")),
    (PULL, 6, None, None, False, W, None, None, None, D("15.00")),
    (PULL, 5, D("10.00"), None, False, W, D("9.0"), None, None, None),
    (RUN, None, None, 1500, False, W, None, None, D("5000.0"), None),
    (RUN, None, None, 90, False, W, None, None, D("400.0"), None),
    (RUN, None, None, 90, False, W, None, None, D("400.0"), None),
]


async def add_exercise(alice: SandboxUser, query: str, name: str) -> str:
    await alice.press("➕ Add exercise")
    await alice.send(query)
    card = (await alice.press(name))[-1]
    assert name in card.text
    return card.text or ""


async def test_every_new_kind_of_set_in_one_workout(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: Factory,
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    for text in ("w 40x10", "60x8 @8", "60x8 @7.5 rir2", "60x12+", "d 40x10"):
        await alice.send(text)
    logged = (await alice.send("f 50x6 rir0"))[-1].text or ""
    assert logged.startswith("✅ Logged f 50×6 rir0")
    assert (
        "Today: w 40×10 · 60×8 @8 · 60×8 @7.5 rir2 · 60×12+ · d 40×10 · f 50×6 rir0  (5 of 3 sets)" in logged
    )

    bad = (await alice.send("60x8 @11"))[-1].text or ""  # refused with an example; nothing logged
    assert "RPE 11 is out of range: it goes from 1 to 10, like 60x8 @8." in bad
    bad = (await alice.send("5km 25:00"))[-1].text or ""
    assert "“5km 25:00” is a distance, but this exercise is counted in reps." in bad
    assert len(await rows(session_factory, sid)) == 6

    await add_exercise(alice, "pull", PULL)
    await alice.send("-20kg x 8")
    await alice.send("6 -15kg")
    card = (await alice.send("+10kg x 5 @9"))[-1].text or ""
    assert "Today: -20×8 · -15×6 · +10×5 @9  (3 sets)" in card

    await add_exercise(alice, "easy run", RUN)
    bad = (await alice.send("5km"))[-1].text or ""
    assert "How long did “5km” take? Add the time, like 5km 25:00 or 400m 1:30." in bad
    await alice.send("5km 25:00")
    card = (await alice.send("2x400m 1:30"))[-1].text or ""
    assert "Today: 5 km in 25 min · 400 m in 1 min 30 s · 400 m in 1 min 30 s  (3 sets)" in card

    assert await rows(session_factory, sid) == EXPECTED

    await alice.press("📋 All exercises")
    await alice.press("✖ Cancel workout")
    summary = (await alice.press("Yes, cancel it"))[-1].text or ""
    # the run's work is its distance, time and pace (5.8 km in 28 min: 4:50 /km), with the lifts' reps
    assert "3 of 4 exercises · 11 sets · 63 reps · volume 2,430 kg · distance 5.8 km · time 28 min" in summary
    assert "pace 4:50 /km" in summary

    clock.now = MONDAY + timedelta(hours=1)
    await alice.send("/history")
    assert (
        "11 sets · 63 reps · volume 2,430 kg · distance 5.8 km · time 28 min · pace 4:50 /km"
        in alice.last_text
    )
    await alice.press("1. ✖ Workout A")
    detail = alice.last_text
    assert "1) w 40×10, 2) 60×8 @8, 3) 60×8 @7.5 rir2, 4) 60×12+, 5) d 40×10, 6) f 50×6 rir0" in detail
    assert "1) -20×8, 2) -15×6, 3) +10×5 @9" in detail
    assert "1) 5 km in 25 min, 2) 400 m in 1 min 30 s, 3) 400 m in 1 min 30 s" in detail

    [document] = await alice.send("/export")
    exported = rows_of(document.file, "sets.csv")

    def number(text: str) -> Decimal | None:
        return Decimal(text) if text else None

    assert [
        (r["exercise"], number(r["reps"]), r["is_warmup"], r["set_type"], number(r["rpe"]), number(r["rir"]),
         number(r["distance_m"]), number(r["assistance_kg"]))
        for r in exported
    ] == [
        (name, reps, str(warmup).lower(), kind.value, rpe, rir, metres, assist)
        for name, reps, _, _, warmup, kind, rpe, rir, metres, assist in EXPECTED
    ]  # fmt: skip
