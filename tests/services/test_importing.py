"""The import service on the database: idempotence per user, the ad-hoc instructions shared with quick
workouts, the limit of one's own exercises, time zones, records, and a deleted workout's key."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    UserExercisePerformance,
    UserWorkoutSession,
    WorkoutImport,
)
from bot.services import custom_exercises as custom
from bot.services.errors import DomainError
from bot.services.importing import MatchKind, parse_export, plan_import, run_import
from bot.services.records import bests_before
from tests.factories import make_user, seed_catalog

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
NOW = datetime(2026, 8, 1, 12, 0, tzinfo=UTC)
TODAY = date(2026, 8, 1)


def strong() -> tuple[bytes, str]:
    content = (DATA / "strong.csv").read_bytes()
    return content, hashlib.sha256(content).hexdigest()


async def count(session: AsyncSession, model: type, *where: object) -> int:
    return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


async def test_importing_twice_adds_nothing_and_each_user_has_their_own_keys(session: AsyncSession) -> None:
    await seed_catalog(session)
    alice = await make_user(session, 3001)
    bob = await make_user(session, 3002, first_name="Bob")
    content, digest = strong()
    parsed = parse_export(content, unit=WeightUnit.KG, today=TODAY)
    first = await run_import(session, alice, parsed, digest, NOW)
    assert (first.workouts, first.sets, first.created) == (2, 11, ("Cable Crunch", "Running (Treadmill)"))
    again = await run_import(session, alice, parsed, digest, NOW)
    assert (again.workouts, again.sets, again.plan.already) == (0, 0, 2)
    plan = await plan_import(session, alice, parsed)
    assert plan.new_workouts == 0 and plan.mappings == ()
    assert await count(session, UserWorkoutSession, UserWorkoutSession.user_id == alice.id) == 2
    bobs = await run_import(session, bob, parsed, digest, NOW)  # Alice's keys are hers only
    assert (bobs.workouts, bobs.sets) == (2, 11)
    keys = (
        await session.scalars(select(WorkoutImport.file_digest).where(WorkoutImport.user_id == bob.id))
    ).all()
    assert keys == [digest, digest]


async def test_the_ad_hoc_instruction_of_a_quick_workout_is_reused(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session, 3003)
    bench = await session.scalar(select(Exercise).where(Exercise.code == "bench-press"))
    assert bench is not None
    session.add(
        ExerciseInstruction(
            workout_id=None, exercise_id=bench.id, order_index=0, target_sets=1, created_by=user.id
        )
    )
    await session.flush()
    content, digest = strong()
    await run_import(session, user, parse_export(content, unit=WeightUnit.KG, today=TODAY), digest, NOW)
    instructions = ExerciseInstruction.created_by == user.id, ExerciseInstruction.exercise_id == bench.id
    assert await count(session, ExerciseInstruction, *instructions) == 1
    bests = await bests_before(session, user.id, bench.id, exclude_session=None)
    assert (bests.weight_kg, bests.e1rm_kg) == (Decimal("62.50"), Decimal("76.00"))  # 60×8: 60 × (1 + 8/30)


async def test_new_exercises_beyond_the_limit_refuse_the_file(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_catalog(session)
    user = await make_user(session, 3004)
    await custom.create_exercise(
        session, user, "Sled push", muscle_group="quads", equipment="other", tracking=TrackingType.WEIGHT_REPS
    )
    monkeypatch.setattr(custom, "OWN_MAX", 2)
    content, digest = strong()
    parsed = parse_export(content, unit=WeightUnit.KG, today=TODAY)
    with pytest.raises(DomainError, match="2 exercises that are not in the catalog; with the 1 of your own"):
        await plan_import(session, user, parsed)
    with pytest.raises(DomainError):
        await run_import(session, user, parsed, digest, NOW)
    assert await count(session, UserWorkoutSession, UserWorkoutSession.user_id == user.id) == 0


async def test_local_times_follow_the_users_zone_in_summer_and_winter(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session, 3005, timezone="America/New_York")
    text = (
        b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment\n"
        b"2026-01-15,Deadlift,Back,100,5,,,,\n"
        b"2026-07-15,Deadlift,Back,110,5,,,,\n"
    )
    result = await run_import(
        session, user, parse_export(text, unit=WeightUnit.KG, today=TODAY), "0" * 64, NOW
    )
    assert result.plan.mappings[0].kind is MatchKind.EXACT
    starts = (
        await session.scalars(
            select(UserWorkoutSession.started_at)
            .where(UserWorkoutSession.user_id == user.id)
            .order_by(UserWorkoutSession.started_at)
        )
    ).all()
    assert starts == [
        datetime(2026, 1, 15, 17, tzinfo=UTC),
        datetime(2026, 7, 15, 16, tzinfo=UTC),
    ]  # noon: EST, EDT


async def test_a_deleted_workout_can_be_imported_again(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session, 3006)
    content, digest = strong()
    parsed = parse_export(content, unit=WeightUnit.KG, today=TODAY)
    await run_import(session, user, parsed, digest, NOW)
    legs = await session.scalar(
        select(WorkoutImport.session_id).where(WorkoutImport.source_key == "2026-02-05 07:30:00|Legs")
    )
    await session.execute(delete(UserWorkoutSession).where(UserWorkoutSession.id == legs))
    assert await count(session, WorkoutImport, WorkoutImport.user_id == user.id) == 1  # its key went with it
    again = await run_import(session, user, parsed, digest, NOW)
    assert (again.workouts, again.sets, again.created) == (1, 5, ())  # Running (Treadmill) exists now
    own = await count(session, Exercise, Exercise.owner_id == user.id)
    assert own == 2


async def test_two_names_for_one_exercise_in_a_workout_make_one_summary(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session, 3007)
    text = (
        b"Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment\n"
        b"2026-02-07,Barbell Bench Press,Chest,60,8,,,,first\n"
        b"2026-02-07,Flat Barbell Bench Press,Chest,70,5,,,,second\n"
    )
    result = await run_import(
        session, user, parse_export(text, unit=WeightUnit.KG, today=TODAY), "1" * 64, NOW
    )
    assert [(m.kind, m.exercise_name) for m in result.plan.mappings] == [
        (MatchKind.EXACT, "Barbell Bench Press"),
        (MatchKind.FUZZY, "Barbell Bench Press"),
    ]
    performances = (
        await session.scalars(
            select(UserExercisePerformance)
            .join(
                UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id
            )
            .where(UserWorkoutSession.user_id == user.id)
        )
    ).all()
    assert [
        (p.sets_completed, p.reps_completed, p.weight_used_kg, p.performance_notes) for p in performances
    ] == [(2, 13, Decimal("70.00"), "first; second")]
