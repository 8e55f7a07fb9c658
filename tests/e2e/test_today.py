"""/today through the emulator: workout days, rest days, future and late days, paused, several, none.

The clock is fixed at Tuesday 24 Nov 2026 09:00 UTC (10:00 in Alice's Berlin) unless a test moves it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import User, UserWorkoutSession
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services import workouts
from bot.services.program_day import DayPlan, DayWorkout
from bot.ui import today as ui
from bot.ui.callback import workout_skip, workout_start
from tests.e2e.test_programs import (
    BEGINNER,
    C25K,
    NOW,
    REST_FIRST,
    TODAY,
    UPPER_LOWER,
    Factory,
    add_program,
    all_answered,
    catalog,
    clock,
    data_of,
    enroll_directly,
    register,
    sessions_of,
)

__all__ = ["catalog", "clock"]  # fixtures shared with test_programs


async def user_in(session: AsyncSession, person: SandboxUser) -> User:
    user = await session.scalar(select(User).where(User.telegram_id == person.user_id))
    assert user is not None
    return user


async def test_no_enrollment_points_to_programs(
    alice: SandboxUser, session_factory: Factory, clock: Clock, emulator: BotApiEmulator
) -> None:
    await register(session_factory, alice)
    replies = await alice.send("/today")
    assert len(replies) == 1
    assert "📅 Today · Tue 24 Nov" in replies[0].text
    assert "not following a program yet" in replies[0].text and "/programs" in replies[0].text
    assert replies[0].buttons == [["🔄 Refresh"]]
    assert await alice.press("🔄 Refresh") == []  # nothing changed: no identical edit, no error
    all_answered(emulator)


async def test_a_workout_day(
    alice: SandboxUser, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    await register(session_factory, alice)
    enrollment_id = await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY)
    [planned] = await sessions_of(session_factory, enrollment_id)
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert f"🏋️ {BEGINNER}\nFoundation · day 1 of 84\n• Full Body A · ~1 h" in text
    assert "planned for" not in text and "Starts" not in text
    assert replies[0].buttons == [["▶️ Start Full Body A", "⏭ Skip"], ["🔄 Refresh"]]
    assert data_of(alice, "▶️ Start Full Body A") == workout_start(planned.id)
    assert data_of(alice, "⏭ Skip") == workout_skip(planned.id)


async def test_optional_workouts_and_statuses(
    alice: SandboxUser, session_factory: Factory, clock: Clock, catalog: dict[str, uuid.UUID]
) -> None:
    await register(session_factory, alice)
    program_id = await add_program(session_factory, "Mini")
    enrollment_id = await enroll_directly(session_factory, alice, program_id, TODAY)
    main, optional = await sessions_of(session_factory, enrollment_id)
    async with session_factory() as session, session.begin():
        user = await user_in(session, alice)
        await workouts.start_session(session, user, main.id, NOW)
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert text.index("▶️ Workout in progress: Workout A") < text.index("🏋️ Mini")
    assert "▶️ Workout A · ~45 min - in progress" in text
    assert "• Mobility B (optional) · ~15 min" in text
    assert replies[0].buttons == [
        ["▶️ Resume Workout A"],
        ["▶️ Start Mobility B", "⏭ Skip"],
        ["🔄 Refresh"],
    ]
    assert data_of(alice, "▶️ Resume Workout A") == workout_start(main.id)
    assert data_of(alice, "▶️ Start Mobility B") == workout_start(optional.id)

    # skipping both: done for today, the next day is tomorrow's (a rest day here)
    async with session_factory() as session, session.begin():
        user = await user_in(session, alice)
        await workouts.skip_session(session, user, optional.id, NOW, reason=None)
        await workouts.skip_session(session, user, main.id, NOW, reason=None)
    await alice.press("🔄 Refresh")
    text = alice.last_text
    assert "Start · day 1 of 10\n⏭ Skipped today: Workout A, Mobility B\n" in text
    assert "Next: day 2 tomorrow (Wed 25 Nov) - a rest day 😴" in text
    assert "day 2 of 10" not in text and "Done for today" not in text
    assert alice.buttons() == [["🔄 Refresh"]]
    assert len(alice.messages) == 1  # refreshed in place


async def test_a_rest_day(
    alice: SandboxUser, session_factory: Factory, clock: Clock, catalog: dict[str, uuid.UUID]
) -> None:
    await register(session_factory, alice)
    program_id = await add_program(session_factory, "Rest First", days=REST_FIRST)
    await enroll_directly(session_factory, alice, program_id, TODAY)
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert "🏋️ Rest First\nStart · day 1 of 10\n😴 Rest day" in text
    assert replies[0].buttons == [["🔄 Refresh"]]

    # the next morning the rest day has passed: day 2's workout is today's
    clock.now = NOW + timedelta(days=1)
    replies = await alice.send("/today")
    assert "Start · day 2 of 10\n• Workout A · ~45 min" in (replies[0].text or "")
    assert replies[0].buttons[0] == ["▶️ Start Workout A", "⏭ Skip"]


async def test_a_future_start(
    alice: SandboxUser, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    await register(session_factory, alice)
    await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY + timedelta(days=1))
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert "🗓 Starts on Wed 25 Nov" in text and "• Full Body A · ~1 h" in text
    assert replies[0].buttons == [["🔄 Refresh"]]  # nothing to start yet

    clock.now = NOW + timedelta(days=1)
    replies = await alice.send("/today")
    assert "Starts on" not in (replies[0].text or "")
    assert replies[0].buttons[0] == ["▶️ Start Full Body A", "⏭ Skip"]


async def test_a_day_planned_in_the_past(
    alice: SandboxUser, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    await register(session_factory, alice)
    await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY - timedelta(days=2))
    replies = await alice.send("/today")
    assert "⏰ This was planned for Sun 22 Nov" in (replies[0].text or "")
    assert replies[0].buttons[0] == ["▶️ Start Full Body A", "⏭ Skip"]


async def test_a_paused_enrollment(
    alice: SandboxUser, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    await register(session_factory, alice)
    enrollment_id = await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY)
    async with session_factory() as session, session.begin():
        user = await user_in(session, alice)
        await enrollments.pause(session, user, enrollment_id)
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert "⏸ Paused - /resume to continue" in text and "Full Body A" in text
    assert replies[0].buttons == [["🔄 Refresh"]]  # no Start while paused


async def test_several_enrollments(
    alice: SandboxUser, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    await register(session_factory, alice)
    await enroll_directly(session_factory, alice, catalog[C25K], TODAY - timedelta(days=1))
    upper_lower = await enroll_directly(session_factory, alice, catalog[UPPER_LOWER], TODAY)
    replies = await alice.send("/today")
    text = replies[0].text or ""
    assert text.index(UPPER_LOWER) < text.index(C25K)  # newest start first
    assert "Accumulation · day 1 of 56\n• Upper A · ~1 h 10 min" in text
    assert "This was planned for Mon 23 Nov" in text
    rows = replies[0].buttons
    assert rows[0] == ["▶️ Start Upper A", "⏭ Skip"]
    assert len(rows) == 3 and rows[-1] == ["🔄 Refresh"]
    [upper_a] = await sessions_of(session_factory, upper_lower)
    assert data_of(alice, "▶️ Start Upper A") == workout_start(upper_a.id)


async def test_today_sessions_are_the_users_own(
    alice: SandboxUser,
    make_user: object,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    clock: Clock,
) -> None:
    """Two trainees of the same program each see their own session ids."""
    bob: SandboxUser = make_user("Bob")  # type: ignore[operator]
    await register(session_factory, alice)
    await register(session_factory, bob, "Bob")
    mine = await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY)
    await enroll_directly(session_factory, bob, catalog[BEGINNER], TODAY)
    await alice.send("/today")
    [planned] = await sessions_of(session_factory, mine)
    assert data_of(alice, "▶️ Start Full Body A") == workout_start(planned.id)
    async with session_factory() as session:
        owners = set(await session.scalars(select(UserWorkoutSession.user_id)))
        assert len(owners) == 2
    assert planned.session_status == SessionStatus.PLANNED


def test_the_message_stays_within_telegrams_limits() -> None:
    """Many enrollments with long names: the text is cut at a line, the keyboard capped."""
    workouts_of_day = [
        DayWorkout(
            uuid.uuid4(), uuid.uuid4(), "W" * 100, 90, False, None, uuid.uuid4(), SessionStatus.PLANNED
        )
        for _ in range(5)
    ]
    plans = [
        DayPlan(
            uuid.uuid4(), "P" * 100, EnrollmentStatus.ACTIVE, 3, 84, "F" * 100, TODAY, TODAY, workouts_of_day
        )
        for _ in range(30)
    ]
    text = ui.today_text(plans, TODAY, ui.Running(uuid.uuid4(), "R" * 100))
    assert len(text) <= ui.MESSAGE_LIMIT and text.endswith("…")
    keyboard = ui.today_keyboard(plans)
    assert sum(len(row) for row in keyboard.inline_keyboard) <= 100
    assert all(len(b.text) <= 60 for row in keyboard.inline_keyboard for b in row)


def test_clip_and_fit() -> None:
    assert ui.clip("short", 10) == "short"
    assert ui.clip("one two three four five", 12) == "one two…"
    assert ui.clip("one two three four five", 14) == "one two three…"
    assert ui.clip("one two, three", 9) == "one two…"
    assert ui.clip("x" * 50, 10) == "x" * 9 + "…"
    assert ui.fit(["a", "b"], 10) == "a\nb"
    assert ui.fit(["a" * 5, "b" * 5, "c"], 10) == "aaaaa\n…"
