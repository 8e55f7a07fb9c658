"""Every CHECK, UNIQUE, NOT NULL and FOREIGN KEY of the data model rejects a row that violates it.

Rows are written with Core inserts (no ORM validation in the way), so the database itself must refuse.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Table, insert, select, text, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db import models as m
from bot.db.base import Base
from bot.db.enums import TrackingType, VisibilityCode

Ids = dict[str, uuid.UUID]


def _ids() -> Ids:
    names = "user coach diff vis program schedule phase workout exercise instr sw enrol session perf metric"
    return {name: uuid.uuid4() for name in names.split()}


def valid_rows(ids: Ids) -> dict[str, dict[str, Any]]:
    """One valid row per table, keyed by table name, all tied together by `ids`."""
    user = ids["user"]
    return {
        "app_user": {"id": user, "telegram_id": 1001, "first_name": "Alice"},
        "coach": {"id": ids["coach"], "telegram_id": 1002, "first_name": "Coach"},
        "difficulty_level": {"id": ids["diff"], "code": "beginner", "name": "Beginner", "rank": 1},
        "visibility": {"id": ids["vis"], "code": VisibilityCode.PUBLIC, "name": "Public"},
        "program": {
            "id": ids["program"], "name": "P1", "description": "d", "difficulty_level_id": ids["diff"],
            "visibility_id": ids["vis"], "created_by": user,
        },
        "program_schedule": {"id": ids["schedule"], "program_id": ids["program"], "length_days": 7, "created_by": user},
        "program_phase": {
            "id": ids["phase"], "program_id": ids["program"], "name": "Base", "start_day": 1, "end_day": 7,
            "order_index": 0, "created_by": user,
        },
        "workout": {"id": ids["workout"], "name": "A", "created_by": user},
        "exercise": {
            "id": ids["exercise"], "code": "squat", "name": "Squat", "muscle_group": "quads",
            "equipment": "barbell", "tracking_type": TrackingType.WEIGHT_REPS,
        },
        "exercise_instruction": {
            "id": ids["instr"], "workout_id": ids["workout"], "exercise_id": ids["exercise"], "target_sets": 3,
            "target_reps_min": 5, "created_by": user,
        },
        "schedule_workout": {
            "id": ids["sw"], "schedule_id": ids["schedule"], "workout_id": ids["workout"], "day_number": 1,
            "created_by": user,
        },
        "user_program_enrollment": {
            "id": ids["enrol"], "user_id": user, "program_id": ids["program"], "created_by": user,
        },
        "user_workout_session": {
            "id": ids["session"], "user_id": user, "workout_id": ids["workout"],
            "program_enrollment_id": ids["enrol"], "created_by": user,
        },
        "user_exercise_performance": {
            "id": ids["perf"], "user_workout_session_id": ids["session"], "exercise_instruction_id": ids["instr"],
            "created_by": user,
        },
        "metric": {"id": ids["metric"], "code": "body_weight", "name": "Body weight", "canonical_unit": "kg",
                   "accepted_units": ["kg", "lb"]},
    }  # fmt: skip


TABLE_OF = {"coach": "app_user"}


@pytest.fixture
async def graph(session_factory: async_sessionmaker[AsyncSession]) -> Ids:
    ids = _ids()
    async with session_factory() as session, session.begin():
        for key, row in valid_rows(ids).items():
            table: Table = Base.metadata.tables[TABLE_OF.get(key, key)]
            await session.execute(insert(table).values(**row))
    return ids


def fresh(table: str, ids: Ids, **changes: Any) -> tuple[str, dict[str, Any]]:
    """A new row for `table` built from the valid one, with a new id and the given changes."""
    row = dict(valid_rows(ids)[table])
    if "id" in row:
        row["id"] = uuid.uuid4()
    row.update(changes)
    return table, row


X = "x"
Case = Callable[[Ids], tuple[str, dict[str, Any]]]

VIOLATIONS: dict[str, Case] = {
    # user_workout_session
    "effort_rating 0": lambda i: fresh("user_workout_session", i, effort_rating=0),
    "effort_rating 11": lambda i: fresh("user_workout_session", i, effort_rating=11),
    "soreness_rating -1": lambda i: fresh("user_workout_session", i, soreness_rating=-1),
    "soreness_rating 11": lambda i: fresh("user_workout_session", i, soreness_rating=11),
    "actual_duration_seconds 0": lambda i: fresh("user_workout_session", i, actual_duration_seconds=0),
    "session_notes 2001": lambda i: fresh("user_workout_session", i, session_notes=X * 2001),
    "session unknown workout": lambda i: fresh("user_workout_session", i, workout_id=uuid.uuid4()),
    "session unknown user": lambda i: fresh("user_workout_session", i, user_id=uuid.uuid4()),
    "session unknown enrollment": lambda i: fresh("user_workout_session", i, program_enrollment_id=uuid.uuid4()),
    # user_program_enrollment
    "current_day 0": lambda i: fresh("user_program_enrollment", i, current_day=0, user_id=i["coach"]),
    "second enrollment same program": lambda i: fresh("user_program_enrollment", i),
    "enrollment_notes 2001": lambda i: fresh(
        "user_program_enrollment", i, enrollment_notes=X * 2001, user_id=i["coach"]
    ),
    "enrollment unknown program": lambda i: fresh("user_program_enrollment", i, program_id=uuid.uuid4()),
    "enrollment unknown assigner": lambda i: fresh(
        "user_program_enrollment", i, assigned_by=uuid.uuid4(), user_id=i["coach"]
    ),
    "enrollment created_by null": lambda i: fresh(
        "user_program_enrollment", i, created_by=None, user_id=i["coach"]
    ),
    # user_exercise_performance
    "weight_used_kg 0": lambda i: fresh("user_exercise_performance", i, weight_used_kg=Decimal(0)),
    "sets_completed -1": lambda i: fresh("user_exercise_performance", i, sets_completed=-1),
    "reps_completed -1": lambda i: fresh("user_exercise_performance", i, reps_completed=-1),
    "performance duration 0": lambda i: fresh("user_exercise_performance", i, duration_seconds=0),
    "difficulty_rating 0": lambda i: fresh("user_exercise_performance", i, difficulty_rating=0),
    "difficulty_rating 11": lambda i: fresh("user_exercise_performance", i, difficulty_rating=11),
    "performance_notes 1001": lambda i: fresh("user_exercise_performance", i, performance_notes=X * 1001),
    "second performance same exercise": lambda i: fresh("user_exercise_performance", i),
    "performance unknown instruction": lambda i: fresh(
        "user_exercise_performance", i, exercise_instruction_id=uuid.uuid4()
    ),
    # user_measurement
    "measured_value -1": lambda i: (
        "user_measurement",
        {"user_id": i["user"], "metric_id": i["metric"], "measured_value": Decimal(-1), "unit": "kg",
         "measurement_date": date(2026, 1, 1), "created_by": i["user"]},
    ),
    "empty unit": lambda i: (
        "user_measurement",
        {"user_id": i["user"], "metric_id": i["metric"], "measured_value": Decimal(80), "unit": "",
         "measurement_date": date(2026, 1, 1), "created_by": i["user"]},
    ),
    "measurement_notes 1001": lambda i: (
        "user_measurement",
        {"user_id": i["user"], "metric_id": i["metric"], "measured_value": Decimal(80), "unit": "kg",
         "measurement_notes": X * 1001, "measurement_date": date(2026, 1, 1), "created_by": i["user"]},
    ),
    "measurement unknown metric": lambda i: (
        "user_measurement",
        {"user_id": i["user"], "metric_id": uuid.uuid4(), "measured_value": Decimal(80), "unit": "kg",
         "measurement_date": date(2026, 1, 1), "created_by": i["user"]},
    ),
    "measurement without date": lambda i: (
        "user_measurement",
        {"user_id": i["user"], "metric_id": i["metric"], "measured_value": Decimal(80), "unit": "kg",
         "measurement_date": None, "created_by": i["user"]},
    ),
    # program catalog
    "program name not unique": lambda i: fresh("program", i),
    "program description 2001": lambda i: fresh("program", i, name="P2", description=X * 2001),
    "program description null": lambda i: fresh("program", i, name="P2", description=None),
    "program notes 2001": lambda i: fresh("program", i, name="P2", notes=X * 2001),
    "program unknown visibility": lambda i: fresh("program", i, name="P2", visibility_id=uuid.uuid4()),
    "program unknown difficulty": lambda i: fresh("program", i, name="P2", difficulty_level_id=uuid.uuid4()),
    "program unknown creator": lambda i: fresh("program", i, name="P2", created_by=uuid.uuid4()),
    "schedule notes 2001": lambda i: fresh("program_schedule", i, notes=X * 2001),
    "schedule length null": lambda i: fresh("program_schedule", i, length_days=None),
    "schedule_workout notes 1001": lambda i: fresh("schedule_workout", i, notes=X * 1001),
    "schedule_workout unknown workout": lambda i: fresh("schedule_workout", i, workout_id=uuid.uuid4()),
    "phase description 1001": lambda i: fresh("program_phase", i, description=X * 1001),
    "phase name null": lambda i: fresh("program_phase", i, name=None),
    "program_category twice": lambda i: (
        "program_category", {"program_id": i["program"], "category_id": i["cat"], "created_by": i["user"]}
    ),
    "program_tag twice": lambda i: (
        "program_tag", {"program_id": i["program"], "tag_id": i["tag"], "created_by": i["user"]}
    ),
    "program_category unknown category": lambda i: (
        "program_category", {"program_id": i["program"], "category_id": uuid.uuid4(), "created_by": i["user"]}
    ),
    # additions
    "user telegram_id not unique": lambda i: ("app_user", {"telegram_id": 1001, "first_name": "Bob"}),
    "set_number 0": lambda i: ("user_exercise_set", {"performance_id": i["perf"], "set_number": 0, "reps": 5}),
    "set weight 0": lambda i: (
        "user_exercise_set", {"performance_id": i["perf"], "set_number": 2, "reps": 5, "weight_kg": Decimal(0)}
    ),
    "set without reps or time": lambda i: ("user_exercise_set", {"performance_id": i["perf"], "set_number": 2}),
    "set number twice": lambda i: ("user_exercise_set", {"performance_id": i["perf"], "set_number": 1, "reps": 3}),
    "coach of self": lambda i: ("coach_trainee", {"coach_id": i["user"], "trainee_id": i["user"]}),
    "coach link twice": lambda i: ("coach_trainee", {"coach_id": i["coach"], "trainee_id": i["user"]}),
    "reminder twice a day": lambda i: (
        "reminder_log", {"enrollment_id": i["enrol"], "user_id": i["user"], "local_date": date(2026, 3, 1),
                         "program_day": 1, "claimed_at": datetime.now(UTC)}
    ),
    "instruction order twice": lambda i: fresh("exercise_instruction", i),
    "instruction reps range inverted": lambda i: fresh(
        "exercise_instruction", i, order_index=1, target_reps_min=10, target_reps_max=8
    ),
}  # fmt: skip


async def _add_second_level(session: AsyncSession, ids: Ids) -> None:
    """Rows some cases collide with: a category and tag link, a set, a coach link, a reminder."""
    ids["cat"], ids["tag"] = uuid.uuid4(), uuid.uuid4()
    await session.execute(insert(m.Category).values(id=ids["cat"], code="strength", name="Strength"))
    await session.execute(insert(m.Tag).values(id=ids["tag"], code="barbell", name="Barbell"))
    await session.execute(
        insert(m.ProgramCategory).values(
            program_id=ids["program"], category_id=ids["cat"], created_by=ids["user"]
        )
    )
    await session.execute(
        insert(m.ProgramTag).values(program_id=ids["program"], tag_id=ids["tag"], created_by=ids["user"])
    )
    await session.execute(insert(m.UserExerciseSet).values(performance_id=ids["perf"], set_number=1, reps=5))
    await session.execute(insert(m.CoachTrainee).values(coach_id=ids["coach"], trainee_id=ids["user"]))
    await session.execute(
        insert(m.ReminderLog).values(
            enrollment_id=ids["enrol"],
            user_id=ids["user"],
            local_date=date(2026, 3, 1),
            program_day=1,
            claimed_at=datetime.now(UTC),
        )
    )


@pytest.mark.parametrize("case", sorted(VIOLATIONS))
async def test_violation_is_rejected(
    case: str, graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await _add_second_level(session, graph)
    table_name, row = VIOLATIONS[case](graph)
    table = Base.metadata.tables[table_name]
    async with session_factory() as session:
        before = await session.scalar(select(text("count(*)")).select_from(table))
        await session.rollback()
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(insert(table).values(**row))
        after = await session.scalar(select(text("count(*)")).select_from(table))
    assert after == before, "a rejected row must leave the table as it was"


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("user_program_enrollment", "enrollment_status", "BOGUS"),
        ("user_workout_session", "session_status", "DONE"),
        ("user_measurement", "measurement_source", "GUESS"),
    ],
)
async def test_unknown_enum_value_is_rejected(
    table: str, column: str, value: str, graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    if table == "user_measurement":
        async with session_factory() as session, session.begin():
            await session.execute(
                insert(m.UserMeasurement).values(
                    user_id=graph["user"], metric_id=graph["metric"], measured_value=Decimal(80), unit="kg",
                    measurement_date=date(2026, 1, 1), created_by=graph["user"],
                )
            )  # fmt: skip
    async with session_factory() as session:
        with pytest.raises((IntegrityError, DBAPIError)):
            async with session.begin():
                await session.execute(text(f"UPDATE {table} SET {column} = :v"), {"v": value})


async def test_boundaries_are_accepted(graph: Ids, session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(
            update(m.UserWorkoutSession)
            .where(m.UserWorkoutSession.id == graph["session"])
            .values(effort_rating=10, soreness_rating=0, session_notes=X * 2000, actual_duration_seconds=1)
        )
        await session.execute(
            update(m.UserExercisePerformance)
            .where(m.UserExercisePerformance.id == graph["perf"])
            .values(weight_used_kg=Decimal("0.01"), difficulty_rating=1, performance_notes=X * 1000)
        )
    async with session_factory() as session:
        row = await session.get(m.UserWorkoutSession, graph["session"])
        assert row is not None
        assert (row.effort_rating, row.soreness_rating, len(row.session_notes or "")) == (10, 0, 2000)


async def test_defaults_and_timestamps(graph: Ids, session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        enrollment = await session.get(m.UserProgramEnrollment, graph["enrol"])
        assert enrollment is not None
        assert enrollment.enrollment_status == "ACTIVE"
        assert enrollment.current_day == 1
        assert enrollment.is_active is True
        assert isinstance(enrollment.start_date, date)
        created = enrollment.created_at
        assert created.tzinfo is not None and created.utcoffset() == timedelta(0)
        assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
        session_row = await session.get(m.UserWorkoutSession, graph["session"])
        assert session_row is not None and session_row.session_status == "PLANNED"
        measurement_default = m.UserMeasurement.__table__.c.measurement_source.server_default
        assert measurement_default is not None


async def test_server_defaults_apply_to_raw_sql(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Defaults live in the schema too, not only in Python: a plain SQL insert gets them."""
    async with session_factory() as session, session.begin():
        await session.execute(
            text(
                "INSERT INTO user_program_enrollment (id, user_id, program_id, created_by) "
                "VALUES (:id, :u, :p, :u)"
            ),
            {"id": uuid.uuid4().hex if session.bind.dialect.name == "sqlite" else uuid.uuid4(),
             "u": graph["coach"].hex if session.bind.dialect.name == "sqlite" else graph["coach"],
             "p": graph["program"].hex if session.bind.dialect.name == "sqlite" else graph["program"]},
        )  # fmt: skip
    async with session_factory() as session:
        enrollment = await session.scalar(
            select(m.UserProgramEnrollment).where(m.UserProgramEnrollment.user_id == graph["coach"])
        )
        assert enrollment is not None
        assert (enrollment.enrollment_status, enrollment.current_day, enrollment.is_active) == (
            "ACTIVE",
            1,
            True,
        )
        assert enrollment.start_date is not None
        assert enrollment.created_at.tzinfo is not None


async def test_updated_at_moves_on_update(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        enrollment = await session.get(m.UserProgramEnrollment, graph["enrol"])
        assert enrollment is not None
        before = enrollment.updated_at
        enrollment.current_day = 2
    async with session_factory() as session:
        enrollment = await session.get(m.UserProgramEnrollment, graph["enrol"])
        assert enrollment is not None and enrollment.updated_at > before


async def test_naive_datetimes_are_refused(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session:
        with pytest.raises(Exception, match="naive datetime"):
            async with session.begin():
                await session.execute(
                    update(m.UserWorkoutSession)
                    .where(m.UserWorkoutSession.id == graph["session"])
                    .values(started_at=datetime(2026, 1, 1, 12, 0))  # noqa: DTZ001 - the point of the test
                )


async def test_aware_datetimes_round_trip_as_utc(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    from zoneinfo import ZoneInfo

    berlin = datetime(2026, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    async with session_factory() as session, session.begin():
        row = await session.get(m.UserWorkoutSession, graph["session"])
        assert row is not None
        row.started_at = berlin
    async with session_factory() as session:
        row = await session.get(m.UserWorkoutSession, graph["session"])
        assert row is not None and row.started_at is not None
        assert row.started_at == berlin
        assert row.started_at.tzinfo == UTC and row.started_at.hour == 7


async def test_deleting_a_session_deletes_its_performances_and_sets(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(
            insert(m.UserExerciseSet).values(performance_id=graph["perf"], set_number=1, reps=5)
        )
    async with session_factory() as session, session.begin():
        await session.execute(text("DELETE FROM user_workout_session"))
    async with session_factory() as session:
        assert await session.scalar(select(text("count(*)")).select_from(m.UserExercisePerformance)) == 0
        assert await session.scalar(select(text("count(*)")).select_from(m.UserExerciseSet)) == 0


async def test_one_workout_in_progress_per_user(
    graph: Ids, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """uq_user_workout_in_progress: a second IN_PROGRESS session of a user is refused; PLANNED, finished
    and other users' sessions are not limited."""
    sessions = m.UserWorkoutSession.__table__
    in_progress = {"session_status": "IN_PROGRESS"}
    async with session_factory() as session, session.begin():
        await session.execute(update(sessions).values(**in_progress))  # the graph's session
        for status in ("PLANNED", "PLANNED", "COMPLETED", "CANCELLED"):
            await session.execute(
                insert(sessions).values(**fresh("user_workout_session", graph)[1], session_status=status)
            )
        coach = graph["coach"]
        await session.execute(
            insert(sessions).values(
                **fresh("user_workout_session", graph, user_id=coach, created_by=coach)[1], **in_progress
            )
        )
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(
                    insert(sessions).values(**fresh("user_workout_session", graph)[1], **in_progress)
                )
    async with session_factory() as session:
        count = (
            select(text("count(*)")).select_from(sessions).where(sessions.c.session_status == "IN_PROGRESS")
        )
        assert await session.scalar(count) == 2


async def test_sqlite_pragmas(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        if session.bind.dialect.name != "sqlite":
            pytest.skip("SQLite only")
        assert (await session.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await session.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
