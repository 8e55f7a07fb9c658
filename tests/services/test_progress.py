"""Progress services: account deletion, measurement parsing (property tests), records agree with logging."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import WeightUnit
from bot.db.models import (
    Program,
    User,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.services import account, enrollment, progress
from bot.services.measurements import MeasurementError, MetricInfo, parse_measurement
from bot.services.records import epley
from bot.services.seed import ensure_system_user
from bot.services.units import convert
from tests.e2e.test_progress import SQUAT_SESSIONS, add_history
from tests.factories import make_program, make_user, seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WEIGHT = MetricInfo("Body weight", "kg", ("kg", "lb"), Decimal(20), Decimal(400))
WAIST = MetricInfo("Waist circumference", "cm", ("cm", "in"), Decimal(40), Decimal(250))
TODAY = date(2026, 3, 2)


async def test_deleting_an_author_keeps_the_program_others_follow(session: AsyncSession) -> None:
    await seed_catalog(session)
    alice = await make_user(session, 1001, first_name="Alice")
    bob = await make_user(session, 1002, first_name="Bob")
    followed = await make_program(session, name="Alice's Program", owner=alice)
    private = await make_program(session, name="Alice's Private", visibility="PRIVATE", owner=alice)
    await enrollment.enroll(session, alice, followed.id, TODAY, NOW)
    await enrollment.enroll(session, alice, private.id, TODAY, NOW)
    info = await enrollment.enroll(session, bob, followed.id, TODAY, NOW)
    bob_enrollment = await session.get(UserProgramEnrollment, info.id)
    assert bob_enrollment is not None
    bob_enrollment.assigned_by = alice.id  # as if Alice were Bob's coach
    bob_enrollment.created_by = alice.id
    await add_history(session, alice, SQUAT_SESSIONS)
    await add_history(session, bob, SQUAT_SESSIONS[:1])
    session.add(
        UserMeasurement(user_id=alice.id, metric_id=(await _metric(session)), measured_value=Decimal(80),
                        unit="kg", measurement_date=TODAY, created_by=alice.id)
    )  # fmt: skip
    await session.flush()
    alice_id, bob_id, followed_id, private_id = alice.id, bob.id, followed.id, private.id

    report = await account.delete_account(session, alice)
    await session.flush()
    session.expire_all()

    assert report.programs_deleted == 1 and report.programs_kept == 1 and report.sets == 10
    system = await ensure_system_user(session)
    assert await session.get(User, alice_id) is None
    kept = await session.get(Program, followed_id)
    assert kept is not None and kept.created_by == system.id
    assert await session.get(Program, private_id) is None
    bob_row = await session.get(UserProgramEnrollment, info.id)
    assert bob_row is not None and bob_row.assigned_by is None and bob_row.created_by == system.id
    for model in (UserWorkoutSession, UserMeasurement, UserProgramEnrollment):
        assert (
            await session.scalar(select(func.count()).select_from(model).where(model.user_id == alice_id))
            == 0
        )
    assert (
        await session.scalar(
            select(func.count())
            .select_from(UserWorkoutSession)
            .where(UserWorkoutSession.user_id == bob_id, UserWorkoutSession.completed_at.is_not(None))
        )
        == 1
    )
    assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 4
    with pytest.raises(Exception):  # noqa: B017 - the system user is never deleted
        await account.delete_account(session, system)


async def _metric(session: AsyncSession) -> object:
    from bot.db.models import Metric

    return await session.scalar(select(Metric.id).where(Metric.code == "body_weight"))


async def test_records_agree_with_epley_and_hand_values(session: AsyncSession) -> None:
    await seed_catalog(session)
    await make_program(session)
    alice = await make_user(session)
    await add_history(session, alice, SQUAT_SESSIONS)
    (squat,) = await progress.personal_records(session, alice)
    assert (squat.heaviest_kg, squat.reps_at_heaviest) == (Decimal("80.00"), 3)
    assert (squat.most_reps, squat.most_reps_weight_kg) == (6, Decimal("75.00"))
    assert squat.e1rm_kg == epley(Decimal(75), 6) == Decimal("90.00")
    assert squat.best_volume_kg == Decimal("1065.00")
    data = await progress.exercise_progress(session, alice, squat.exercise_id)
    assert [p.volume_kg for p in data.points] == [Decimal("900.00"), Decimal("917.50"), Decimal("1065.00")]
    assert [p.e1rm_kg for p in data.points] == [Decimal("70.00"), Decimal("81.67"), Decimal("90.00")]
    assert [w for w, _ in data.weekly_volume] == [date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16)]
    match = await progress.match_exercise(session, alice, "squat")
    assert match.exercise is not None and match.exercise[1] == "Barbell Back Squat"


values = st.decimals(min_value=Decimal(20), max_value=Decimal(400), places=1)


@settings(max_examples=200, deadline=None)
@given(values)
def test_a_bare_value_is_canonical(value: Decimal) -> None:
    parsed = parse_measurement(str(value), WEIGHT, today=TODAY)
    assert parsed.value == value and parsed.unit == "kg" and parsed.day == TODAY and parsed.note is None


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=Decimal(45), max_value=Decimal(880), places=1),
    st.sampled_from(["lb", "lbs", "LB", "pounds"]),
)
def test_pounds_convert_to_kg(value: Decimal, unit: str) -> None:
    try:
        parsed = parse_measurement(f"{value} {unit}", WEIGHT, today=TODAY)
    except MeasurementError as error:
        assert "out of range" in error.reason
        kg = value * Decimal("0.45359237")
        assert kg < 20 or kg > 400
        return
    assert abs(parsed.value - value * Decimal("0.45359237")) <= Decimal("0.0005")
    # back to lb, to one decimal, as typed
    assert convert(parsed.value, "kg", "lb").quantize(Decimal("0.1")) == value


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=Decimal(16), max_value=Decimal(98), places=2))
def test_inches_convert_to_cm(value: Decimal) -> None:
    parsed = parse_measurement(f"{value}in", WAIST, today=TODAY)
    assert parsed.value == (value * Decimal("2.54")).quantize(Decimal("0.001"))
    assert parsed.unit == "cm"


def test_an_lb_user_types_bare_pounds() -> None:
    assert parse_measurement("182", WEIGHT, today=TODAY, weight_unit=WeightUnit.LB).value == Decimal("82.554")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_the_parser_only_raises_measurement_errors(text: str) -> None:
    try:
        parsed = parse_measurement(text, WAIST, today=TODAY)
    except MeasurementError as error:
        assert error.reason
        return
    assert Decimal(40) <= parsed.value <= Decimal(250) and parsed.day <= TODAY


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("82 cm", "measured in kg, lb"),
        ("82 furlongs", "I don't know the unit"),
        ("5", "out of range"),
        ("abc", "can't read"),
        ("80, tomorrow", "future"),
    ],
)
def test_clear_errors(text: str, reason: str) -> None:
    with pytest.raises(MeasurementError, match=reason):
        parse_measurement(text, WEIGHT, today=TODAY)


def test_date_and_note() -> None:
    parsed = parse_measurement("82,5 kg, 1 Mar, after breakfast; fasted", WEIGHT, today=TODAY)
    assert (parsed.value, parsed.day, parsed.note) == (
        Decimal("82.500"),
        date(2026, 3, 1),
        "after breakfast, fasted",
    )


async def test_e1rm_only_from_sets_of_at_most_12_reps_everywhere(session: AsyncSession) -> None:
    """The rule lives in records.e1rm (Python) and records.e1rm_column (SQL): /records, the charts, the
    announcements' bests and the weekly bests agree at the boundary, 12 reps counts and 13 does not."""
    from bot.services.records import E1RM_MAX_REPS, RecordKind, bests_before, bests_until, e1rm, measures
    from bot.services.set_input import SetInput

    assert E1RM_MAX_REPS == 12
    assert e1rm(Decimal(60), 12) == Decimal("84.00") and e1rm(Decimal(60), 13) is None
    assert e1rm(Decimal(60), 0) is None and e1rm(None, 5) is None and e1rm(Decimal(60), 1) == Decimal("60.00")
    assert RecordKind.E1RM not in measures(SetInput(reps=50, weight_kg=Decimal("100.02")))
    await seed_catalog(session)
    await make_program(session)
    alice = await make_user(session)
    day = date(2026, 2, 2)
    await add_history(session, alice, [(day, [(60, 12, False), (61, 13, False), (100, 50, False)])])
    (squat,) = await progress.personal_records(session, alice)
    assert (squat.e1rm_kg, squat.e1rm_weight_kg, squat.e1rm_reps) == (Decimal("84.00"), Decimal("60.00"), 12)
    assert (squat.heaviest_kg, squat.most_reps) == (Decimal("100.00"), 50)  # still the heaviest, most reps
    (point,) = (await progress.exercise_progress(session, alice, squat.exercise_id)).points
    assert point.e1rm_kg == Decimal("84.00") and point.top_kg == Decimal("100.00")
    before = await bests_before(session, alice.id, squat.exercise_id, exclude_session=None)
    until = await bests_until(session, alice.id, squat.exercise_id, NOW)
    assert before.e1rm_kg == until.e1rm_kg == Decimal("84.00")
