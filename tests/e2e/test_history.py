"""/history end to end (#11 items 4, 5, 22, 23): cancelled workouts in the history, a workout's ratings
and note, a forgotten set added, a workout deleted with its records recomputed, e1RM only from sets of
at most 12 reps, timed work shown as time. What Alice sees and what the database holds.

Alice (Berlin, kg) has the three finished squat sessions of test_progress (heaviest 80 kg x 3, e1RM
90 kg from 75 x 6) and is enrolled today in the mini program: day 1 is Workout A (squat, plank).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus
from bot.db.models import UserExercisePerformance, UserExerciseSet, UserWorkoutSession
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from tests.e2e.test_progress import NOW, SQUAT_SESSIONS, add_history, register, summary_of
from tests.e2e.test_workout import offer, sets_of
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def lifter(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await register(session, alice, "Alice")
        ids = await add_history(session, user, SQUAT_SESSIONS)
        latest = await session.get(UserWorkoutSession, ids[-1])
        assert latest is not None
        latest.session_notes = "Knees <felt> good & strong"
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), NOW)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    yield {"user_id": user.id, "sessions": ids, "planned": planned}


async def count_sessions(factory: Factory, user_id: uuid.UUID) -> int:
    async with factory() as session:
        found = await session.scalar(
            select(func.count()).select_from(UserWorkoutSession).where(UserWorkoutSession.user_id == user_id)
        )
        return int(found or 0)


async def test_a_cancelled_workout_is_in_the_history_editable_and_deletable(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid = lifter["planned"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    logged = await alice.send("100x3")
    assert "New record: heaviest Barbell Back Squat, 100 kg (was 80 kg)" in logged[0].text  # type: ignore[operator]
    await alice.press("📋 All exercises")
    await alice.press("✖ Cancel workout")
    await alice.press("Yes, cancel it")
    await alice.send("/records")
    assert "heaviest 100 kg × 3" in alice.last_text  # a cancelled workout's sets count...

    await alice.send("/history")  # ...so it is in the history, marked
    assert "1. Workout A · 2 Mar 10:00\n✖ cancelled · 1 set · 3 reps · volume 300 kg" in alice.last_text
    assert alice.buttons()[0] == ["1. ✖ Workout A"]
    await alice.press("1. ✖ Workout A")
    assert "✖ cancelled" in alice.last_text and "1) 100×3" in alice.last_text
    await alice.press("Barbell Back Squat 1: 100×3")  # editable
    await alice.press("✏️ Edit")
    await alice.send("90x3")
    assert "Set 1 corrected" in alice.messages[-2].text  # type: ignore[operator]
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [(3, Decimal("90.00"))]

    before = await count_sessions(session_factory, lifter["user_id"])
    await alice.press("🗑 Delete workout")  # deletable: asked first
    assert "Delete Workout A (2 Mar 10:00) with its 1 set?" in alice.last_text
    await alice.press("‹ Keep it")
    assert await count_sessions(session_factory, lifter["user_id"]) == before
    await alice.press("🗑 Delete workout")
    await alice.press("🗑 Yes, delete it")
    done = [m.text for m in alice.messages[-2:]]
    assert done[0] is not None and "Deleted Workout A and its 1 set." in done[0]
    assert "Records recomputed:" in done[0]
    assert "heaviest 80 kg × 3 · e1RM 90 kg" in done[0] and "(was heaviest 90 kg × 3" in done[0]
    assert done[1] is not None and "✖" not in done[1] and "16 Feb" in done[1]  # the history again
    assert await count_sessions(session_factory, lifter["user_id"]) == before - 1
    async with session_factory() as session:
        assert await session.get(UserWorkoutSession, sid) is None
        orphans = await session.scalar(
            select(func.count())
            .select_from(UserExercisePerformance)
            .where(UserExercisePerformance.user_workout_session_id == sid)
        )
        assert orphans == 0
    await alice.send("/records")
    assert "heaviest 80 kg × 3" in alice.last_text


async def test_a_finished_program_workout_cannot_be_deleted(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid = lifter["planned"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    await alice.press("📋 All exercises")
    await alice.press("🏁 Finish")
    await alice.press("8")
    await alice.press("3")
    await alice.send("ok")
    await alice.send("/history")
    await alice.press("1. Workout A")
    assert "🗑 Delete workout" not in [b for row in alice.buttons() for b in row]
    from bot.ui.callback import pack

    before = await count_sessions(session_factory, lifter["user_id"])
    await alice.press_data(pack("hi", "dw", sid, "y"), alice.messages[-1].message_id)
    assert "moved your program on" in (alice.callback_answers[-1].text or "")
    assert await count_sessions(session_factory, lifter["user_id"]) == before


async def test_detail_shows_ratings_and_note_and_a_forgotten_set_can_be_added(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    latest = lifter["sessions"][2]
    await alice.send("/history")
    await alice.press("1. Workout A")
    text = alice.last_text
    assert "Duration 50 min · effort 8/10 · soreness 4/10" in text
    assert "📝 Knees <felt> good & strong" in text  # escaped: the emulator parsed it as HTML
    await alice.press("➕ Add a set")
    assert alice.buttons()[:2] == [["Barbell Back Squat"], ["Plank"]]
    await alice.press("Barbell Back Squat")
    assert "Send the forgotten set" in alice.last_text
    await alice.send("banana")  # bad input: a reason, nothing changes
    assert "60x8" in alice.last_text
    assert (await summary_of(session_factory, latest))[0] == 3
    await alice.send("90x2")
    added = alice.messages[-2].text
    assert added is not None and "Added 90×2" in added and "80×3, 75×6, 75×5, 90×2" in added
    assert "New record: heaviest Barbell Back Squat, 90 kg (was 80 kg)" in added
    assert await summary_of(session_factory, latest) == (
        4, 16, Decimal("90.00"),
        [(1, Decimal("80.00"), 3), (2, Decimal("75.00"), 6), (3, Decimal("75.00"), 5), (4, Decimal("90.00"), 2)],
    )  # fmt: skip
    assert "4) 90×2" in alice.last_text  # the workout again
    await alice.send("/records")
    assert "heaviest 90 kg × 2" in alice.last_text

    # A timed exercise with no sets yet: its summary row is created; its work is time, not "0 kg"
    await alice.send("/history")
    await alice.press("1. Workout A")
    await alice.press("➕ Add a set")
    await alice.press("Plank")
    await alice.send("45s, 1:00")
    async with session_factory() as session:
        plank = await session.scalar(
            select(UserExercisePerformance)
            .where(UserExercisePerformance.user_workout_session_id == latest)
            .order_by(UserExercisePerformance.created_at.desc())
        )
        assert plank is not None and (plank.sets_completed, plank.duration_seconds) == (2, 105)
        count = await session.scalar(
            select(func.count())
            .select_from(UserExerciseSet)
            .where(UserExerciseSet.performance_id == plank.id)
        )
        assert count == 2
    await alice.send("/history")
    assert "6 sets · 16 reps · volume 1,245 kg · time 1 min 45 s" in alice.last_text


async def test_e1rm_only_from_sets_of_at_most_12_reps(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    await offer(bot_app, alice, lifter["planned"])
    await alice.press("▶ Start")
    stray = (await alice.send("100x20"))[0].text  # Epley would say 166.67 kg
    assert stray is not None and "heaviest Barbell Back Squat, 100 kg" in stray
    assert "estimated 1RM" not in stray
    await alice.send("/records")
    assert "heaviest 100 kg × 20" in alice.last_text and "e1RM 90 kg (75×6)" in alice.last_text
    await offer(bot_app, alice, lifter["planned"])
    await alice.press("▶ Start")
    real = (await alice.send("85x5"))[0].text  # 85 x (1 + 5/30) = 99.17
    assert real is not None and "estimated 1RM on Barbell Back Squat 99.17 kg" in real
    assert "was 90 kg" in real
    await alice.send("/records")
    assert "e1RM 99.17 kg (85×5)" in alice.last_text and "up to 12 reps" in alice.last_text
    replies = await alice.send("/progress squat")  # the chart's caption agrees
    assert replies[-1].caption is not None and "Best e1RM: 99.17 kg" in replies[-1].caption
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, lifter["planned"])] == [
        (20, Decimal("100.00")),
        (5, Decimal("85.00")),
    ]


async def test_a_timed_workout_summary_shows_time_not_zero_reps(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid = lifter["planned"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("📋 All exercises")
    await alice.press("2. Plank")
    await alice.send("45s")
    await alice.send("1:00")
    await alice.press("📋 All exercises")
    await alice.press("🏁 Finish")
    await alice.press("6")
    await alice.press("2")
    summary = (await alice.send("core day"))[-1].text
    assert summary is not None and "1 of 2 exercises · 2 sets · time 1 min 45 s" in summary
    assert "0 reps" not in summary and "volume 0" not in summary
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.COMPLETED
    assert [d for _, _, _, d, _ in await sets_of(session_factory, sid)] == [45, 60]
    await alice.send("/history")
    assert "2 sets · time 1 min 45 s · effort 6/10" in alice.last_text
    # A forgotten plank in an older workout: a chart of two sessions, its caption in time
    await alice.press("2. Workout A")
    await alice.press("➕ Add a set")
    await alice.press("Plank")
    await alice.send("30s")
    replies = await alice.send("/progress plank")
    caption = replies[-1].caption
    assert replies[-1].kind == "photo" and caption is not None
    assert "2 sessions since 16 Feb" in caption
    assert "Last: longest 1 min, 1 min 45 s in all (2 Mar) · best 1 min" in caption


async def test_forged_history_buttons_change_nothing(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    from bot.ui.callback import pack

    mallory: SandboxUser = make_user("Mallory")
    decoy = await bot_app.bot.send_message(mallory.chat_id, "decoy")
    sid = lifter["sessions"][0]
    before = await summary_of(session_factory, sid)
    sessions = await count_sessions(session_factory, lifter["user_id"])
    for data in (pack("hi", "dw", sid), pack("hi", "dw", sid, "y"), pack("hi", "add", sid)):
        await mallory.press_data(data, decoy.message_id)
        assert mallory.callback_answers[-1].text == "That isn't available."
    await mallory.press_data(pack("hi", "ad", sid, 0), decoy.message_id)
    assert mallory.callback_answers[-1].text == "That isn't available."
    await mallory.send("200x1")  # not a set of anyone's
    for data in ("hi:ad:" + "A" * 22 + ":x", "hi:dw:zz:y", "hi:add", f"hi:ad:{pack('hi', 'x', sid)[5:]}:99"):
        await mallory.press_data(data, decoy.message_id)
    assert await summary_of(session_factory, sid) == before
    assert await count_sessions(session_factory, lifter["user_id"]) == sessions
    # Alice's own button with an exercise that is not in the workout
    await alice.send("/history")
    await alice.press_data(pack("hi", "ad", sid, 7), alice.messages[-1].message_id)
    assert alice.callback_answers[-1].text == "That isn't available."
    await alice.send("60x5")  # no prompt is waiting: not logged anywhere
    assert await summary_of(session_factory, sid) == before
