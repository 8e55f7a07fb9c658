"""Routines at the service level: names, targets from what was done, the per-owner unique index on both
databases, the limit, and who sees a shared routine; /deleteme takes a user's routines with them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, Role, SetType, TrackingType
from bot.db.models import CoachTrainee, Exercise, ExerciseInstruction, RoutineShare, User, Workout
from bot.services import account, routines
from bot.services.errors import DomainError, NotFound
from bot.services.workout_views import ExerciseView, SetView
from tests.factories import make_user, seed_catalog

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("x" * 101, "101 characters long"),
        ("💪🔥", "letter or a digit"),
        ("-- !! --", "letter or a digit"),
    ],
)
def test_refused_names(text: str, reason: str) -> None:
    with pytest.raises(routines.RoutineNameError, match=reason):
        routines.clean_name(text)


def test_accepted_names() -> None:
    assert routines.clean_name("  Push \n day 💪 ") == "Push day 💪"
    assert routines.clean_name("x" * 100) == "x" * 100
    assert routines.clean_name("5x5") == "5x5"


def _exercise(
    tracking: TrackingType, *sets: SetView, adhoc: bool = True, rest: int | None = 90
) -> ExerciseView:
    return ExerciseView(
        index=0, instruction_id=uuid.uuid4(), exercise_id=uuid.uuid4(), name="X", tracking=tracking,
        target_sets=5, reps_min=5, reps_max=None, target_weight_kg=None, target_duration_seconds=None,
        rest_seconds=rest, notes="slow", adhoc=adhoc, sets=sets, difficulty=None,
    )  # fmt: skip


def _set(
    n: int, reps: int | None, kg: str | None = None, seconds: int | None = None, **more: object
) -> SetView:
    return SetView(n, reps, Decimal(kg) if kg else None, seconds, bool(more.pop("warmup", False)), **more)  # type: ignore[arg-type]


def test_targets_from_what_was_done() -> None:
    lifted = routines.targets_of(
        _exercise(
            TrackingType.WEIGHT_REPS,
            _set(1, 10, "40", warmup=True, set_type=SetType.WARMUP),
            _set(2, 8, "60"),
            _set(3, 6, "62.5"),
            _set(4, 5, "62.5"),
        )
    )
    assert lifted is not None
    assert (lifted.target_sets, lifted.target_reps_min, lifted.target_reps_max, lifted.target_weight_kg) == (
        3, 5, 8, Decimal("62.5"),
    )  # fmt: skip
    assert (lifted.rest_seconds, lifted.notes) == (None, None)  # an extra has no prescription to keep

    same = routines.targets_of(_exercise(TrackingType.REPS, _set(1, 12), _set(2, 12), adhoc=False))
    assert same is not None
    assert (same.target_reps_min, same.target_reps_max, same.target_weight_kg) == (12, None, None)
    assert (same.rest_seconds, same.notes) == (90, "slow")  # a routine's exercise keeps its rest and note

    run = routines.targets_of(
        _exercise(
            TrackingType.DURATION,
            _set(1, None, seconds=600),
            _set(2, None, seconds=1500, distance_m=Decimal("5000")),
        )
    )
    assert run is not None
    assert (run.target_sets, run.target_duration_seconds, run.target_distance_m, run.target_reps_min) == (
        2, 1500, Decimal("5000"), None,
    )  # fmt: skip

    assert routines.targets_of(_exercise(TrackingType.WEIGHT_REPS, _set(1, 5, "40", warmup=True))) is None


async def _routine(session: AsyncSession, owner: User, name: str) -> Workout:
    bench = await session.scalar(select(Exercise).where(Exercise.code == "bench-press"))
    assert bench is not None
    routine = Workout(name=name, owner_id=owner.id, created_by=owner.id)
    session.add(routine)
    await session.flush()
    session.add(
        ExerciseInstruction(
            workout_id=routine.id, exercise_id=bench.id, target_sets=3, target_reps_min=8, created_by=owner.id
        )
    )
    await session.flush()
    return routine


async def test_names_are_unique_per_owner_ignoring_case(session: AsyncSession) -> None:
    await seed_catalog(session)
    ann = await make_user(session, 3001, first_name="Ann")
    ben = await make_user(session, 3002, first_name="Ben")
    await _routine(session, ann, "Жим день")
    await _routine(session, ben, "Жим день")  # another owner: fine
    session.add(Workout(name="Жим день", created_by=ann.id))  # not a routine: fine
    await session.flush()
    with pytest.raises(routines.RoutineNameError, match="already have a routine"):
        await routines.check_name(session, ann, "жим ДЕНЬ")  # non-ASCII case folded here, on any database
    with pytest.raises(IntegrityError):  # the database's own guard (ASCII case on SQLite)
        async with session.begin_nested():
            session.add(Workout(name="PUSH", owner_id=ann.id, created_by=ann.id))
            session.add(Workout(name="push", owner_id=ann.id, created_by=ann.id))
            await session.flush()
    bench = await session.scalar(select(Exercise.id).where(Exercise.code == "bench-press"))
    with pytest.raises(IntegrityError, match="target_distance"):  # a distance target is positive
        async with session.begin_nested():
            session.add(
                ExerciseInstruction(
                    exercise_id=bench,
                    target_distance_m=Decimal(0),
                    target_duration_seconds=60,
                    created_by=ann.id,
                )
            )
            await session.flush()


async def test_limit_and_copy(session: AsyncSession) -> None:
    await seed_catalog(session)
    ann = await make_user(session, 3001, first_name="Ann")
    original = await _routine(session, ann, "Push")
    copy = await routines.copy_routine(session, ann, original.id, "Push 2")
    assert (await routines.routine(session, ann, copy.id)).exercises == (
        await routines.routine(session, ann, original.id)
    ).exercises
    for number in range(routines.ROUTINES_MAX - 2):
        session.add(Workout(name=f"R{number}", owner_id=ann.id, created_by=ann.id))
    await session.flush()
    with pytest.raises(DomainError, match=f"You have {routines.ROUTINES_MAX} routines"):
        await routines.copy_routine(session, ann, original.id, "One more")


async def test_who_sees_a_shared_routine(session: AsyncSession) -> None:
    await seed_catalog(session)
    coach = await make_user(session, 3001, first_name="Cole")
    coach.role = Role.COACH
    tess = await make_user(session, 3002, first_name="Tess")
    olga = await make_user(session, 3003, first_name="Olga")
    link = CoachTrainee(coach_id=coach.id, trainee_id=tess.id)
    session.add(link)
    await session.flush()
    routine = await _routine(session, coach, "Coach push")
    await _routine(session, tess, "Tess legs")
    change = await routines.share(session, coach, routine.id, None)
    assert [t.id for t in change.added] == [tess.id]
    with pytest.raises(NotFound):
        await routines.share(session, coach, routine.id, olga.id)  # not a trainee of Cole's

    seen = await routines.routines_of(session, tess)
    assert [(r.name, r.coach) for r in seen] == [("Tess legs", None), ("Coach push", "Cole")]
    assert [(r.name, r.shared_with) for r in await routines.routines_of(session, coach)] == [
        ("Coach push", 1)
    ]
    with pytest.raises(DomainError, match="Your coach shared this routine"):
        await routines.rename_routine(session, tess, routine.id, "Mine")
    with pytest.raises(NotFound):
        await routines.routine(session, olga, routine.id)
    started = await routines.start_routine(session, tess, routine.id, NOW)
    assert started is not None

    link.status = CoachLinkStatus.ENDED
    await session.flush()
    assert [r.name for r in await routines.routines_of(session, tess)] == ["Tess legs"]
    with pytest.raises(NotFound):
        await routines.routine(session, tess, routine.id)


async def test_deleting_an_account_takes_its_routines(session: AsyncSession) -> None:
    await seed_catalog(session)
    coach = await make_user(session, 3001, first_name="Cole")
    coach.role = Role.COACH
    tess = await make_user(session, 3002, first_name="Tess")
    session.add(CoachTrainee(coach_id=coach.id, trainee_id=tess.id))
    await session.flush()
    routine = await _routine(session, coach, "Coach push")
    await routines.share(session, coach, routine.id, tess.id)
    await routines.start_routine(session, tess, routine.id, NOW)  # Tess's workout keeps its own copy
    await account.delete_account(session, coach)
    assert (
        await session.scalar(select(func.count()).select_from(Workout).where(Workout.owner_id.is_not(None)))
        == 0
    )
    assert await session.scalar(select(func.count()).select_from(RoutineShare)) == 0
    assert (
        await session.scalar(select(func.count()).select_from(Workout).where(Workout.name == "Coach push"))
        == 1
    )
