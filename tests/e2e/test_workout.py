"""Logging a whole workout through the emulator: what the trainee sees and what the database holds."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import BotApplication
from bot.db.enums import SessionStatus
from bot.db.models import (
    ProgramDaySession,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.ui.callback import workout_skip, workout_start
from tests.factories import make_program, seed_catalog

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
async def trainee(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession], clock: Clock
) -> AsyncIterator[dict[str, Any]]:
    """Alice, onboarded (Berlin, kg), enrolled today in the mini program: day 1 is Workout A."""
    from bot.services.users import TelegramProfile, register_user

    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    yield {"user_id": user.id, "enrollment_id": info.id, "session_id": planned}


async def offer(bot_app: BotApplication, user: SandboxUser, session_id: uuid.UUID) -> None:
    """The bot shows Start/Skip buttons for a session, as /today and the reminder do."""
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("▶ Start", callback_data=workout_start(session_id)),
          InlineKeyboardButton("⏭ Skip", callback_data=workout_skip(session_id))]]
    )  # fmt: skip
    await bot_app.bot.send_message(user.chat_id, "Today: Workout A", reply_markup=markup)


async def sets_of(
    factory: async_sessionmaker[AsyncSession], session_id: uuid.UUID
) -> list[tuple[int, int | None, Decimal | None, int | None, bool]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.set_number, UserExerciseSet.reps, UserExerciseSet.weight_kg,
                   UserExerciseSet.duration_seconds, UserExerciseSet.is_warmup)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_whole_workout(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert "Workout A" in card.text and "exercise 1 of 2" in card.text
    assert "Barbell Back Squat" in card.text and "Target: 3 × 5 @ 60 kg · rest 2 min" in card.text
    assert card.buttons[0][0] == "✓ 60×5"
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert (
            row is not None and row.session_status == SessionStatus.IN_PROGRESS and row.started_at == MONDAY
        )

    await alice.send("w 40x10")
    assert "Today: w 40×10" in alice.last_text
    await alice.press("✓ 60×5")
    await alice.send("60 x 5")
    replies = await alice.send("135lb x 5")
    assert len(replies) == 1  # one message: the notice on top of the card
    assert replies[0].text.startswith("✅ Logged 61.2×5\n\n🏋️ Workout A · exercise 1 of 2")
    await alice.press("↻ Same again")
    await alice.press("↶ Undo")
    assert [(n, r, w, warm) for n, r, w, _, warm in await sets_of(session_factory, sid)] == [
        (1, 10, Decimal("40.00"), True),
        (2, 5, Decimal("60.00"), False),
        (3, 5, Decimal("60.00"), False),
        (4, 5, Decimal("61.23"), False),
    ]

    bad = await alice.send("sixty kilos")
    assert "couldn" in bad[0].text.lower() and "60x8" in bad[0].text
    assert len(await sets_of(session_factory, sid)) == 4  # nothing changed

    prompt = (await alice.press("Next ▶"))[-1]
    assert "How hard was" in prompt.text
    plank = (await alice.press("7"))[-1]
    assert "Plank" in plank.text and "exercise 2 of 2" in plank.text
    await alice.send("45s")
    await alice.send("1:30")
    await alice.press("Next ▶")
    done = (await alice.press("Skip rating"))[-1]
    assert "last exercise" in done.text

    await alice.press("🏁 Finish")
    await alice.press("8")
    await alice.press("3")
    clock.now = MONDAY + timedelta(minutes=47)
    summary = (await alice.send("Great session <b>not bold</b>"))[-1]
    assert "Workout complete: Workout A" in summary.text
    assert "2 of 2 exercises · 5 sets · 15 reps" in summary.text
    assert "volume 906 kg" in summary.text  # 60x5 + 60x5 + 61.23x5
    assert "Duration: 47 min" in summary.text
    assert "Day 2 is next" in summary.text

    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None
        assert (row.session_status, row.effort_rating, row.soreness_rating) == (SessionStatus.COMPLETED, 8, 3)
        assert row.session_notes == "Great session <b>not bold</b>"
        assert row.actual_duration_seconds == 47 * 60 and row.completed_at == clock.now
        squat, plank_row = (
            await session.scalars(
                select(UserExercisePerformance)
                .where(UserExercisePerformance.user_workout_session_id == sid)
                .order_by(UserExercisePerformance.created_at)
            )
        ).all()
        assert (squat.sets_completed, squat.reps_completed, squat.weight_used_kg, squat.difficulty_rating) == (
            3, 15, Decimal("61.23"), 7,
        )  # fmt: skip
        assert (plank_row.sets_completed, plank_row.duration_seconds, plank_row.difficulty_rating) == (
            2,
            135,
            None,
        )
        enrollment = await session.get(UserProgramEnrollment, trainee["enrollment_id"])
        assert enrollment is not None and enrollment.current_day == 2


async def test_double_press_logs_once_and_forged_buttons_change_nothing(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    await alice.press("✓ 60×5", message=card)
    await alice.press_data(
        card.inline_keyboard[0][0]["callback_data"], card.message_id
    )  # the same press again
    assert alice.callback_answers[-1].text == "Already logged ✔"
    assert len(await sets_of(session_factory, sid)) == 1

    mallory = make_user("Mallory")
    await bot_app.bot.send_message(mallory.chat_id, "hi")
    decoy = mallory.messages[-1]
    forged = card.inline_keyboard[0][0]["callback_data"].replace(":1", ":0")
    await mallory.press_data(forged, decoy.message_id)
    assert mallory.callback_answers[-1].text == "That workout isn't available."
    await mallory.press_data("wk:fin:" + "A" * 22, decoy.message_id)
    await mallory.press_data("wk:bogus", decoy.message_id)
    await mallory.press_data("wk:start:not-an-id", decoy.message_id)
    assert {a.text for a in mallory.callback_answers[-3:]} <= {
        "That workout isn't available.",
        "This button is no longer valid.",
    }
    assert len(await sets_of(session_factory, sid)) == 1
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.IN_PROGRESS


async def test_skip_with_reason_advances_the_day(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    prompt = (await alice.press("⏭ Skip"))[-1]
    assert "Why skip" in prompt.text
    summary = (await alice.send("knee hurts " + "🦵" * 3))[-1]
    assert "Workout skipped" in summary.text and "Day 2 is next" in summary.text
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.SKIPPED
        assert row.session_notes == "Skipped: knee hurts 🦵🦵🦵"


async def test_cancel_keeps_sets_and_extra_exercise(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("➕ Add exercise")
    results = (await alice.send("curl"))[-1]
    assert "Barbell Curl" in [b for row in results.buttons for b in row]
    card = (await alice.press("Barbell Curl"))[-1]
    assert "Barbell Curl" in card.text and "(extra)" in card.text and "exercise 3 of 3" in card.text
    await alice.send("30x10, 30x8")
    await alice.press("📋 All exercises")
    await alice.press("✖ Cancel workout")
    summary = (await alice.press("Yes, cancel it"))[-1]
    assert "cancelled" in summary.text and "kept" in summary.text
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [
        (10, Decimal("30.00")),
        (8, Decimal("30.00")),
    ]
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.CANCELLED
        fresh = await session.scalar(
            select(UserWorkoutSession.session_status)
            .join(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
            .where(ProgramDaySession.is_current.is_(True), ProgramDaySession.day_number == 1)
        )
        assert fresh == SessionStatus.PLANNED


async def test_rest_timer_and_notes_limit(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    assert bot_app.job_queue is not None
    (job,) = bot_app.job_queue.get_jobs_by_name(f"rest:{alice.chat_id}")
    assert job.next_t is not None
    assert 110 <= (job.next_t - datetime.now(UTC)).total_seconds() <= 121  # the squat's 2 min rest
    await job.run(bot_app)
    assert "Rest is over - time for set 2 of Barbell Back Squat" in alice.last_text

    await alice.press("🏁 Finish")
    await alice.press("5")
    await alice.press("5")
    too_long = (await alice.send("x" * 2001))[-1]
    assert "2001 characters; the limit is 2000" in too_long.text
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert (
            row is not None and row.session_status == SessionStatus.IN_PROGRESS and row.session_notes is None
        )
    summary = (await alice.press("Skip"))[-1]
    assert "Workout complete" in summary.text
    assert bot_app.job_queue.get_jobs_by_name(f"rest:{alice.chat_id}") == ()


async def test_typing_without_a_workout(
    alice: SandboxUser, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    replies = await alice.send("/workout")
    assert "No workout is in progress" in replies[0].text
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(User)) == 1


async def test_following_a_short_program_to_its_end(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """Day 1 skipped, day 2 a rest day, day 3 done without its optional workout, day 4 the last one."""
    await offer(bot_app, alice, trainee["session_id"])
    await alice.press("⏭ Skip")
    assert "Day 2 is next" in (await alice.press("No reason"))[-1].text

    clock.now = MONDAY + timedelta(days=2)  # Wednesday: the rest day (Tuesday) is over
    today = (await alice.send("/today"))[-1]
    assert "day 3 of 4" in today.text and "Workout B" in today.text and "Mobility C" in today.text
    await alice.press("⏭ Skip", message=today)
    assert "Day 4 is next" in (await alice.press("No reason"))[-1].text

    clock.now = MONDAY + timedelta(days=3)
    today = (await alice.send("/today"))[-1]
    assert "day 4 of 4" in today.text
    await alice.press("▶️ Start Workout A", message=today)
    await alice.send("60x5")
    await alice.press("🏁 Finish")
    await alice.press("6")
    await alice.press("2")
    clock.now += timedelta(minutes=30)
    summary = (await alice.press("Skip"))[-1]
    assert "You finished Mini Program!" in summary.text
    assert "1 workout done, 3 skipped, 1 set," in summary.text

    async with session_factory() as session:
        enrollment = await session.get(UserProgramEnrollment, trainee["enrollment_id"])
        assert enrollment is not None
        assert enrollment.enrollment_status == "COMPLETED"
        assert enrollment.actual_completion_date == date(2026, 3, 5)
        statuses = await session.scalars(
            select(UserWorkoutSession.session_status)
            .where(UserWorkoutSession.program_enrollment_id == trainee["enrollment_id"])
            .order_by(UserWorkoutSession.created_at)
        )
        assert list(statuses) == ["SKIPPED", "SKIPPED", "SKIPPED", "COMPLETED"]  # A, B, optional C, A
    assert "/programs" in (await alice.send("/today"))[-1].text  # nothing left to follow
