"""The attention rules, stall detection, readiness and comment checks: pure rules, then the SQL that
feeds them (on the test database: SQLite, or PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.services.coaching import comments
from bot.services.coaching.attention import AttentionFlag, FlagKind, attention_flags, recent_soreness
from bot.services.plates import Scale
from bot.services.readiness import ReadinessRule, is_low, parse_answers, prescribed_weight
from bot.services.stalls import SessionResult, is_stalled, stalled_lifts
from tests.factories import make_user, seed_catalog

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def results(*pairs: tuple[str, str | None]) -> list[SessionResult]:
    return [SessionResult(Decimal(top), None if e1rm is None else Decimal(e1rm)) for top, e1rm in pairs]


# --- stall rule ----------------------------------------------------------------------------------------


def test_three_sessions_without_a_better_top_set_or_e1rm_are_a_stall() -> None:
    assert is_stalled(results(("100", "116.67"), ("100", "116.67"), ("97.5", "113.75"), ("100", "113.33")))


def test_any_better_top_set_or_e1rm_in_the_three_is_progress() -> None:
    # a heavier top set in the last session
    assert not is_stalled(results(("100", "116.67"), ("100", "116.67"), ("100", "116.67"), ("102.5", "119")))
    # the same weight for more reps: a better e1RM
    assert not is_stalled(results(("100", "116.67"), ("100", "116.67"), ("100", "120"), ("100", "116.67")))


def test_a_comeback_below_the_old_best_is_still_a_stall_only_within_four_sessions() -> None:
    history = results(
        ("120", "140"), ("100", "116.67"), ("100", "116.67"), ("100", "116.67"), ("100", "116.67")
    )
    assert is_stalled(history)  # the last three do not beat the fourth-last (100), the 120 is not looked at
    climbing = results(("100", "116.67"), ("90", "105"), ("92.5", "107.92"), ("95", "110.83"))
    assert is_stalled(climbing)  # none beats the 100 of the session before them
    assert not is_stalled(results(("90", "105"), ("92.5", "107.92"), ("95", "110.83"), ("97.5", "113.75")))


def test_too_short_a_history_is_never_a_stall() -> None:
    assert not is_stalled(results(("100", "116.67"), ("100", "116.67"), ("100", "116.67")))
    assert not is_stalled([])


def test_sets_without_an_e1rm_compare_on_the_top_set() -> None:
    assert is_stalled(results(("20", None), ("20", None), ("20", None), ("20", None)))
    assert not is_stalled(results(("20", None), ("20", None), ("20", None), ("22", None)))


# --- attention rules ----------------------------------------------------------------------------------


def kinds(flags: tuple[AttentionFlag, ...]) -> list[FlagKind]:
    return [f.kind for f in flags]


def test_all_well_gives_no_flag() -> None:
    flags = attention_flags(
        now=NOW, last_workout=NOW - timedelta(days=4, hours=23), adherence=60, soreness=[8, 7], stalled=[]
    )
    assert flags == ()


def test_each_rule_flags_with_its_reason() -> None:
    flags = attention_flags(
        now=NOW, last_workout=NOW - timedelta(days=5), adherence=59, soreness=[9, 8, 2], stalled=["Squat"]
    )
    assert kinds(flags) == [FlagKind.IDLE, FlagKind.ADHERENCE, FlagKind.SORENESS, FlagKind.STALLED]
    assert flags[0].days == 5 and flags[1].percent == 59
    assert flags[2].soreness == (9, 8) and flags[3].lifts == ("Squat",)


def test_never_trained_and_nothing_scheduled() -> None:
    flags = attention_flags(now=NOW, last_workout=None, adherence=None, soreness=[], stalled=[])
    assert kinds(flags) == [FlagKind.IDLE] and flags[0].days is None


def test_soreness_needs_two_in_a_row() -> None:
    recent = NOW - timedelta(days=1)
    assert attention_flags(now=NOW, last_workout=recent, adherence=None, soreness=[9], stalled=[]) == ()
    assert attention_flags(now=NOW, last_workout=recent, adherence=None, soreness=[7, 9], stalled=[]) == ()


# --- readiness ----------------------------------------------------------------------------------------


def test_low_readiness_and_the_reduced_weight() -> None:
    rule = ReadinessRule(low_below=2, reduce_percent=10)
    assert is_low((1, 5, 5), rule) and not is_low((2, 2, 2), rule)
    steps = Scale(WeightUnit.KG)  # 2.5 kg steps
    assert prescribed_weight(Decimal(60), 10, steps) == Decimal("55.00")  # 54 -> nearest 2.5 kg
    assert prescribed_weight(Decimal("62.5"), 10, steps) == Decimal("55.00")  # 56.25: a half rounds down
    assert prescribed_weight(Decimal(12), 10, steps) == Decimal("10.00")  # 10.8 -> nearest 2.5 kg
    assert prescribed_weight(Decimal(20), 5, steps) == Decimal("17.50")  # 19 -> 20: one step lighter
    assert prescribed_weight(Decimal("2.5"), 10, steps) == Decimal("2.50")  # nothing lighter to load
    assert prescribed_weight(Decimal(100), 0, steps) == Decimal(100)  # no reduction: untouched
    assert prescribed_weight(None, 10, steps) is None


def test_forged_readiness_answers_are_refused() -> None:
    assert parse_answers("4") == (4,) and parse_answers("435") == (4, 3, 5)
    for forged in ("", "0", "6", "4444", "a", "4-", "٣"):
        assert parse_answers(forged) is None, forged


def test_comment_text_checks() -> None:
    assert comments.check_text("  Good depth  ") == "Good depth"
    with pytest.raises(comments.EmptyText):
        comments.check_text("   \n ")
    with pytest.raises(comments.TooLong):
        comments.check_text("x" * 1001)
    assert comments.check_text("💪" * 1000) == "💪" * 1000


# --- the SQL --------------------------------------------------------------------------------------------


async def log_session(
    session: AsyncSession,
    user: User,
    exercise: Exercise,
    when: datetime,
    sets: list[tuple[str, int]],
    *,
    status: SessionStatus = SessionStatus.COMPLETED,
    soreness: int | None = None,
) -> UserWorkoutSession:
    workout = Workout(name="Log", created_by=user.id)
    session.add(workout)
    await session.flush()
    instruction = ExerciseInstruction(workout_id=workout.id, exercise_id=exercise.id, created_by=user.id)
    session.add(instruction)
    row = UserWorkoutSession(
        user_id=user.id,
        workout_id=workout.id,
        session_status=status,
        started_at=when,
        completed_at=when + timedelta(hours=1) if status == SessionStatus.COMPLETED else None,
        soreness_rating=soreness,
        created_by=user.id,
    )
    session.add(row)
    await session.flush()
    performance = UserExercisePerformance(
        user_workout_session_id=row.id,
        exercise_instruction_id=instruction.id,
        sets_completed=len(sets),
        created_by=user.id,
    )
    session.add(performance)
    await session.flush()
    session.add(
        UserExerciseSet(
            performance_id=performance.id, set_number=1, reps=10, weight_kg=Decimal(20), is_warmup=True
        )
    )
    for number, (weight, reps) in enumerate(sets, start=2):
        session.add(
            UserExerciseSet(
                performance_id=performance.id, set_number=number, reps=reps, weight_kg=Decimal(weight)
            )
        )
    await session.flush()
    return row


async def exercise(session: AsyncSession, code: str) -> Exercise:
    found = await session.scalar(select(Exercise).where(Exercise.code == code))
    assert found is not None
    return found


async def test_stalled_lifts_in_one_statement(session: AsyncSession) -> None:
    await seed_catalog(session)
    ann = await make_user(session, 5001, first_name="Ann")
    bob = await make_user(session, 5002, first_name="Bob")
    squat, bench = await exercise(session, "back-squat"), await exercise(session, "bench-press")
    day = timedelta(days=2)
    # Ann's squat: 100x5 four times (a warm-up of 20x10 each time does not count), plus an older 120
    for i, top in enumerate(["120", "100", "100", "100", "100"]):
        await log_session(session, ann, squat, NOW - (10 - i) * day, [(top, 5), ("90", 5)])
    # Ann's bench: progressing (a set of more reps at the same weight is progress)
    for i, reps in enumerate([5, 5, 6, 5]):
        await log_session(session, ann, bench, NOW - (10 - i) * day, [("60", reps)])
    # Bob's squat: the same weights but only three sessions, and a cancelled one (its sets count)
    for i in range(3):
        await log_session(session, bob, squat, NOW - (5 - i) * day, [("80", 5)])
    await log_session(session, bob, squat, NOW - day, [("80", 5)], status=SessionStatus.CANCELLED)
    # a workout in progress never counts
    await log_session(session, ann, bench, NOW, [("40", 5)], status=SessionStatus.IN_PROGRESS)
    await session.commit()

    found = await stalled_lifts(session, [ann.id, bob.id])
    assert {u: [lift.name for lift in lifts] for u, lifts in found.items()} == {
        ann.id: [squat.name],
        bob.id: [squat.name],
    }
    assert found[ann.id][0].top_kg == Decimal("100.00")
    only_bench = await stalled_lifts(session, [ann.id], exercise_ids=[bench.id])
    assert only_bench == {}
    recent = await stalled_lifts(session, [ann.id, bob.id], since=NOW - 6 * day)
    assert list(recent) == [bob.id]  # Ann's squat has fewer than four sessions since then


async def test_recent_soreness_newest_first(session: AsyncSession) -> None:
    await seed_catalog(session)
    ann = await make_user(session, 5001, first_name="Ann")
    squat = await exercise(session, "back-squat")
    for days, sore in ((5, 9), (3, 8), (2, None), (1, 9)):
        await log_session(session, ann, squat, NOW - timedelta(days=days), [("50", 5)], soreness=sore)
    await session.commit()
    assert await recent_soreness(session, [ann.id, uuid.uuid4()]) == {ann.id: [9, 8]}
