"""The trainee's journey at the service level: enroll, the program day, logging, advancing, finishing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import (
    EnrollmentDayState,
    ProgramDaySession,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.services import enrollment as enrollments
from bot.services import program_day, workouts
from bot.services.errors import DomainError, NotFound
from bot.services.records import RecordKind
from bot.services.set_input import SetInput
from tests.factories import make_program, make_user, seed_catalog

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Berlin
DAY = timedelta(days=1)


def S(
    reps: int | None = None, kg: str | None = None, secs: int | None = None, warmup: bool = False
) -> SetInput:
    return SetInput(reps=reps, weight_kg=Decimal(kg) if kg else None, duration_seconds=secs, is_warmup=warmup)


@pytest.fixture
async def world(session: AsyncSession) -> tuple[User, uuid.UUID]:
    await seed_catalog(session)
    program = await make_program(session)
    user = await make_user(session)
    await session.commit()
    return user, program.id


async def enrolled(
    session: AsyncSession, world: tuple[User, uuid.UUID], start: date = date(2026, 3, 2)
) -> uuid.UUID:
    user, program_id = world
    info = await enrollments.enroll(session, user, program_id, start, MONDAY)
    await session.commit()
    return info.id


async def day_sessions(session: AsyncSession, enrollment_id: uuid.UUID) -> list[UserWorkoutSession]:
    return list(
        await session.scalars(
            select(UserWorkoutSession)
            .join(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
            .join(UserProgramEnrollment, UserProgramEnrollment.id == ProgramDaySession.enrollment_id)
            .where(
                ProgramDaySession.enrollment_id == enrollment_id,
                ProgramDaySession.is_current.is_(True),
                ProgramDaySession.day_number == UserProgramEnrollment.current_day,
            )
            .order_by(UserWorkoutSession.created_at)
        )
    )


async def test_enroll_creates_the_enrollment_and_plans_day_one(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _program_id = world
    enrollment_id = await enrolled(session, world)
    row = await session.get(UserProgramEnrollment, enrollment_id)
    assert row is not None
    assert (row.enrollment_status, row.current_day, row.start_date) == (
        EnrollmentStatus.ACTIVE,
        1,
        date(2026, 3, 2),
    )
    assert row.target_completion_date == date(2026, 3, 5)
    assert (row.created_by, row.assigned_by, row.actual_completion_date) == (user.id, None, None)
    planned = await day_sessions(session, enrollment_id)
    assert [s.session_status for s in planned] == [SessionStatus.PLANNED]
    assert planned[0].scheduled_at == datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 07:00 Berlin


async def test_future_start_plans_nothing_until_it_begins(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world, start=date(2026, 3, 4))
    assert await day_sessions(session, enrollment_id) == []
    plans = await program_day.today_plans(session, user, MONDAY)
    assert plans[0].start_date == date(2026, 3, 4) and plans[0].workouts[0].session_id is None
    plans = await program_day.today_plans(session, user, MONDAY + 2 * DAY)
    assert plans[0].workouts[0].status == SessionStatus.PLANNED


async def test_enrolling_twice_and_reactivating(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, program_id = world
    enrollment_id = await enrolled(session, world)
    with pytest.raises(enrollments.AlreadyEnrolled, match="already following Mini Program"):
        await enrollments.enroll(session, user, program_id, date(2026, 3, 2), MONDAY)
    await session.rollback()
    await session.refresh(user)
    await enrollments.quit_program(session, user, enrollment_id)
    await session.commit()
    assert [s.session_status for s in await session.scalars(select(UserWorkoutSession))] == [
        SessionStatus.CANCELLED
    ]
    again = await enrollments.enroll(session, user, program_id, date(2026, 3, 3), MONDAY)
    await session.commit()
    assert again.id == enrollment_id and again.reactivated
    row = await session.get(UserProgramEnrollment, enrollment_id)
    assert row is not None and (row.enrollment_status, row.current_day, row.start_date) == (
        "ACTIVE",
        1,
        date(2026, 3, 3),
    )
    assert await session.scalar(select(func.count()).select_from(UserProgramEnrollment)) == 1


async def test_start_date_window(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, program_id = world
    with pytest.raises(DomainError, match="at most 28 days ago"):
        await enrollments.enroll(session, user, program_id, date(2026, 1, 1), MONDAY)
    with pytest.raises(DomainError, match="a year"):
        await enrollments.enroll(session, user, program_id, date(2027, 6, 1), MONDAY)


async def test_full_workout_logging(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    pid = planned.id
    view = await workouts.start_session(session, user, pid, MONDAY)
    await session.commit()
    assert view.status == SessionStatus.IN_PROGRESS and view.day_number == 1
    assert [e.name for e in view.exercises] == ["Barbell Back Squat", "Plank"]

    await workouts.log_sets(session, user, pid, 0, [S(10, "40", warmup=True)])
    result = await workouts.log_sets(
        session, user, pid, 0, [S(5, "60"), S(5, "60"), S(4, "62.5")], expected_count=1
    )
    await session.commit()
    assert [s.number for s in result.exercise.sets] == [1, 2, 3, 4]
    performance = await session.scalar(select(UserExercisePerformance))
    assert performance is not None
    assert (performance.sets_completed, performance.reps_completed, performance.weight_used_kg) == (
        3,
        14,
        Decimal("62.50"),
    )

    with pytest.raises(workouts.AlreadyLogged):  # the same button pressed twice
        await workouts.log_sets(session, user, pid, 0, [S(5, "60")], expected_count=1)
    await session.rollback()
    await session.refresh(user)
    after, undone = await workouts.undo_last_set(session, user, pid, 0)
    await session.commit()
    assert undone.weight_kg == Decimal("62.50") and len(after.exercise(0).sets) == 3
    reread = await workouts.session_view(session, user, pid)  # what the view said is what is stored
    assert reread.exercise(0).sets == after.exercise(0).sets
    await session.refresh(performance)
    assert (performance.sets_completed, performance.reps_completed, performance.weight_used_kg) == (
        2,
        10,
        Decimal("60.00"),
    )

    await workouts.log_sets(session, user, pid, 1, [S(secs=45), S(secs=50)])
    await workouts.rate_exercise(session, user, pid, 0, 7)
    end = await workouts.finish_session(
        session, user, pid, MONDAY + timedelta(minutes=50), effort=8, soreness=3, notes="  Felt strong  "
    )
    await session.commit()
    summary = end.summary
    assert (summary.sets, summary.reps, summary.volume_kg) == (4, 10, Decimal("600.00"))
    assert summary.duration_seconds == 3000 and (summary.effort, summary.soreness) == (8, 3)
    row = await session.get(UserWorkoutSession, pid)
    assert row is not None
    assert (row.session_status, row.effort_rating, row.soreness_rating, row.session_notes) == (
        "COMPLETED",
        8,
        3,
        "Felt strong",
    )
    assert row.completed_at == MONDAY + timedelta(minutes=50) and row.actual_duration_seconds == 3000
    assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 5
    # day 1 done -> day 2 (a rest day) is for Tuesday
    assert end.advance is not None and end.advance.day_number == 2
    state = await session.get(EnrollmentDayState, enrollment_id)
    assert state is not None and state.current_since == date(2026, 3, 3)


async def test_rest_day_advances_after_its_date(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    await workouts.skip_session(session, user, planned.id, MONDAY, reason="travel")
    await session.commit()
    enrollment = await session.get(UserProgramEnrollment, enrollment_id)
    assert enrollment is not None and enrollment.current_day == 2
    plans = await program_day.today_plans(session, user, MONDAY + DAY)  # Tuesday: the rest day
    assert plans[0].is_rest_day and plans[0].day_number == 2
    # Wednesday 00:30 in Berlin is still Tuesday 23:30 UTC: the local date decides
    plans = await program_day.today_plans(session, user, datetime(2026, 3, 3, 23, 30, tzinfo=UTC))
    assert plans[0].day_number == 3
    assert [w.name for w in plans[0].workouts] == ["Workout B", "Mobility C"]
    assert [w.is_optional for w in plans[0].workouts] == [False, True]
    skipped = await session.get(UserWorkoutSession, planned.id)
    assert skipped is not None and skipped.session_notes == "Skipped: travel"


async def test_optional_workouts_do_not_hold_the_day(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (first,) = await day_sessions(session, enrollment_id)
    await workouts.skip_session(session, user, first.id, MONDAY, reason=None)
    await program_day.rollover(session, user, MONDAY + 2 * DAY)  # Wednesday: the rest day is over
    await session.commit()
    enrollment = await session.get(UserProgramEnrollment, enrollment_id)
    assert enrollment is not None and enrollment.current_day == 3
    b, c = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, b.id, MONDAY + 2 * DAY)
    await workouts.log_sets(session, user, b.id, 0, [S(10), S(9), S(8)])
    end = await workouts.finish_session(
        session, user, b.id, MONDAY + 2 * DAY + timedelta(minutes=20), effort=6, soreness=2, notes=None
    )
    await session.commit()
    assert end.advance is not None and end.advance.day_number == 4
    await session.refresh(c)
    assert c.session_status == SessionStatus.SKIPPED  # the optional one is no longer on offer


async def test_completing_the_program(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    now = MONDAY
    last = None
    for _step in range(6):
        for planned in await day_sessions(session, enrollment_id):
            if planned.session_status != SessionStatus.PLANNED:
                continue
            await workouts.start_session(session, user, planned.id, now)
            view = await workouts.session_view(session, user, planned.id)
            if view.exercises[0].tracking == "WEIGHT_REPS":
                await workouts.log_sets(session, user, planned.id, 0, [S(5, "100")])
            last = await workouts.finish_session(
                session, user, planned.id, now + timedelta(minutes=30), effort=5, soreness=1, notes=None
            )
        now += DAY
        await program_day.rollover(session, user, now)
        await session.commit()
    enrollment = await session.get(UserProgramEnrollment, enrollment_id)
    assert enrollment is not None
    assert enrollment.enrollment_status == EnrollmentStatus.COMPLETED
    assert enrollment.actual_completion_date is not None and enrollment.current_day == 4
    assert last is not None and last.advance is not None and last.advance.completed is not None
    stats = last.advance.completed
    assert (stats.program_name, stats.workouts_completed, stats.workouts_skipped) == ("Mini Program", 3, 1)
    assert stats.volume_kg == 1000.0  # two A workouts, 5x100 each
    assert await program_day.today_plans(session, user, now) == []


async def test_stale_enrollment_expires(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    await program_day.rollover(session, user, MONDAY + 31 * DAY)  # target 5 Mar + 28 = 2 Apr: not yet
    enrollment = await session.get(UserProgramEnrollment, enrollment_id)
    assert enrollment is not None and enrollment.enrollment_status == EnrollmentStatus.ACTIVE
    await program_day.rollover(session, user, MONDAY + 33 * DAY)
    await session.commit()
    await session.refresh(enrollment)
    assert enrollment.enrollment_status == EnrollmentStatus.EXPIRED
    assert {s.session_status for s in await session.scalars(select(UserWorkoutSession))} == {
        SessionStatus.CANCELLED
    }


async def test_recent_activity_keeps_an_overdue_enrollment(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, planned.id, MONDAY + 30 * DAY)
    await program_day.rollover(session, user, MONDAY + 40 * DAY)
    enrollment = await session.get(UserProgramEnrollment, enrollment_id)
    assert enrollment is not None and enrollment.enrollment_status == EnrollmentStatus.ACTIVE


async def test_pause_resume_and_quit_keep_logged_work(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, planned.id, MONDAY)
    await workouts.log_sets(session, user, planned.id, 0, [S(5, "60")])
    await enrollments.pause(session, user, enrollment_id)
    with pytest.raises(DomainError, match="not active"):
        await enrollments.pause(session, user, enrollment_id)
    info = await enrollments.resume(session, user, enrollment_id, MONDAY + 5 * DAY)
    assert info.status == EnrollmentStatus.ACTIVE
    state = await session.get(EnrollmentDayState, enrollment_id)
    assert state is not None and state.current_since == date(2026, 3, 7)
    await enrollments.quit_program(session, user, enrollment_id)
    await session.commit()
    assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 1
    row = await session.get(UserWorkoutSession, planned.id)
    assert row is not None and row.session_status == SessionStatus.IN_PROGRESS  # never lost


async def test_cancel_keeps_sets_and_offers_the_workout_again(
    session: AsyncSession, world: tuple[User, uuid.UUID]
) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, planned.id, MONDAY)
    await workouts.log_sets(session, user, planned.id, 0, [S(5, "60")])
    await workouts.cancel_session(session, user, planned.id, MONDAY)
    await session.commit()
    (fresh,) = await day_sessions(session, enrollment_id)
    assert fresh.id != planned.id and fresh.session_status == SessionStatus.PLANNED
    old = await session.get(UserWorkoutSession, planned.id)
    assert old is not None and old.session_status == SessionStatus.CANCELLED
    assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 1


async def test_records_last_time_and_ownership(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (first,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, first.id, MONDAY)
    first_log = await workouts.log_sets(session, user, first.id, 0, [S(5, "60"), S(5, "60"), S(4, "60")])
    assert first_log.records == ()  # the first time sets the bar
    await workouts.finish_session(
        session, user, first.id, MONDAY + timedelta(hours=1), effort=7, soreness=2, notes=None
    )
    await program_day.rollover(session, user, MONDAY + 3 * DAY)
    await session.commit()
    (b, _c) = await day_sessions(session, enrollment_id)
    await workouts.skip_session(session, user, b.id, MONDAY + 3 * DAY, reason=None)
    (second,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, second.id, MONDAY + 3 * DAY)
    last = await workouts.last_time(
        session,
        user,
        (await workouts.session_view(session, user, second.id)).exercises[0].exercise_id,
        exclude_session=second.id,
    )
    assert last is not None and [(s.reps, s.weight_kg) for s in last.sets] == [(5, Decimal("60.00"))] * 2 + [
        (4, Decimal("60.00"))
    ]
    result = await workouts.log_sets(session, user, second.id, 0, [S(3, "65")])
    kinds = {r.kind: r for r in result.records}
    assert kinds[RecordKind.WEIGHT].value == Decimal("65") and kinds[RecordKind.WEIGHT].previous == Decimal(
        "60.00"
    )
    assert kinds[RecordKind.E1RM].value == Decimal("71.50")  # 65 x (1 + 3/30)
    intruder = await make_user(session, 2002, first_name="Mallory")
    with pytest.raises(NotFound):
        await workouts.log_sets(session, intruder, second.id, 0, [S(5, "60")])
    with pytest.raises(NotFound):
        await enrollments.quit_program(session, intruder, enrollment_id)


async def test_extra_exercise_and_notes_limit(session: AsyncSession, world: tuple[User, uuid.UUID]) -> None:
    user, _ = world
    enrollment_id = await enrolled(session, world)
    (planned,) = await day_sessions(session, enrollment_id)
    await workouts.start_session(session, user, planned.id, MONDAY)
    (curl,) = await workouts.search_exercises(session, "barbell curl")
    extra = await workouts.add_extra_exercise(session, user, planned.id, curl.id)
    assert extra.adhoc and extra.index == 2 and extra.name == "Barbell Curl"
    await workouts.log_sets(session, user, planned.id, 2, [S(10, "30")])
    with pytest.raises(DomainError, match="2001 characters; the limit is 2000"):
        await workouts.finish_session(
            session, user, planned.id, MONDAY, effort=5, soreness=5, notes="x" * 2001
        )
    with pytest.raises(DomainError, match="Effort goes from 1 to 10"):
        await workouts.finish_session(session, user, planned.id, MONDAY, effort=11, soreness=5, notes=None)
    view = await workouts.session_view(session, user, planned.id)
    assert view.status == SessionStatus.IN_PROGRESS and view.exercises[2].sets[0].reps == 10


async def test_concurrent_planning_makes_one_session_per_slot(
    session_factory: async_sessionmaker[AsyncSession], world: tuple[User, uuid.UUID]
) -> None:
    """/today and a reminder tick planning the same day at the same moment never fail or double up."""
    import asyncio

    user, program_id = world
    async with session_factory() as session, session.begin():
        owner = await session.get(User, user.id)
        assert owner is not None
        info = await enrollments.enroll(session, owner, program_id, date(2026, 3, 4), MONDAY)

    async def plan() -> int:
        async with session_factory() as session, session.begin():
            owner = await session.get(User, user.id)
            assert owner is not None
            plans = await program_day.today_plans(session, owner, MONDAY + 2 * DAY)
            return len(plans[0].workouts)

    assert await asyncio.gather(*(plan() for _ in range(4))) == [1, 1, 1, 1]
    async with session_factory() as session:
        links = await session.scalar(
            select(func.count())
            .select_from(ProgramDaySession)
            .where(ProgramDaySession.enrollment_id == info.id)
        )
        assert links == 1
