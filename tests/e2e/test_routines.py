"""Routines through the emulator: saving a finished /log workout as a routine (names refused: empty,
too long, emoji only, taken), /routines and a routine's card, starting one (targets and last time),
logging and finishing it, renaming, deleting, a coach sharing with trainees (all or one, unsharing),
a trainee starting and copying a shared routine, forged buttons - what each user saw and the rows.

The clock is fixed at Wednesday 4 Mar 2026 09:00 UTC; everyone lives in UTC and lifts in kg.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import CoachLinkStatus, Role, SessionStatus
from bot.db.models import (
    CoachTrainee,
    Exercise,
    ExerciseInstruction,
    RoutineShare,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import pack
from tests.factories import seed_catalog

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def register(factory: Factory, person: SandboxUser, name: str, role: Role = Role.TRAINEE) -> uuid.UUID:
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(
                telegram_id=person.user_id, chat_id=person.chat_id, first_name=name, username=name.lower()
            ),
            default_timezone="UTC",
            default_reminder_time=time(7, 0),
        )
        registration.user.onboarded_at = NOW - timedelta(days=30)
        registration.user.role = role
        return registration.user.id


@pytest.fixture
async def sam(make_user: Any, session_factory: Factory) -> tuple[SandboxUser, uuid.UUID]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
    chat: SandboxUser = make_user("Sam", username="sam")
    return chat, await register(session_factory, chat, "Sam")


async def routines_of(factory: Factory, owner: uuid.UUID) -> dict[str, list[tuple[Any, ...]]]:
    """The owner's routines by name: (exercise code, sets, reps min, reps max, kg, seconds, metres)."""
    async with factory() as session:
        rows = await session.execute(
            select(
                Workout.name, Exercise.code, ExerciseInstruction.target_sets, ExerciseInstruction.target_reps_min,
                ExerciseInstruction.target_reps_max, ExerciseInstruction.target_weight_kg,
                ExerciseInstruction.target_duration_seconds, ExerciseInstruction.target_distance_m,
            )
            .outerjoin(ExerciseInstruction, ExerciseInstruction.workout_id == Workout.id)
            .outerjoin(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(Workout.owner_id == owner)
            .order_by(Workout.name, ExerciseInstruction.order_index)
        )  # fmt: skip
        found: dict[str, list[tuple[Any, ...]]] = {}
        for name, *columns in rows:
            found.setdefault(name, [])
            if columns[0] is not None:
                found[name].append(tuple(columns))
        return found


async def routine_id(factory: Factory, owner: uuid.UUID, name: str) -> uuid.UUID:
    async with factory() as session:
        found = await session.scalar(
            select(Workout.id).where(Workout.owner_id == owner, Workout.name == name)
        )
    assert found is not None, name
    return found


async def sessions_of(factory: Factory, user: uuid.UUID) -> list[tuple[UserWorkoutSession, Workout]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserWorkoutSession, Workout)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .where(UserWorkoutSession.user_id == user)
            .order_by(UserWorkoutSession.created_at)
        )
        return [(s, w) for s, w in rows]


async def quick_workout_saved(chat: SandboxUser, name: str) -> None:
    """A /log workout (bench 60x8, 60x8, 60x6 and a warm-up; a plank; a 5 km run), finished and saved."""
    await chat.send("/log")
    await chat.send("bench press w 40x5")
    await chat.send("60x8")
    await chat.send("60x8")
    await chat.send("60x6")
    await chat.send("plank 45s")
    await chat.send("run 5km 25:00")
    await chat.press("🏁 Finish")
    await chat.press("7")
    await chat.press("2")
    summary = (await chat.press("Skip"))[-1]
    assert "Workout complete: Quick workout" in summary.text
    assert chat.buttons(summary) == [["💾 Save as routine"]]
    await chat.press("💾 Save as routine")
    assert "What should the routine be called?" in chat.last_text
    await chat.send(name)


PUSH = [
    ("bench-press", 3, 6, 8, Decimal("60.00"), None, None),
    ("plank", 1, None, None, None, 45, None),
    ("easy-run", 1, None, None, None, 1500, Decimal("5000.0")),
]


async def test_save_after_a_quick_workout_names_refused_then_saved(
    sam: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory
) -> None:
    chat, sam_id = sam
    await chat.send("/log")
    await chat.send("bench press w 40x5")  # a warm-up: not part of the targets
    for text in ("60x8", "60x8", "60x6", "plank 45s", "run 5km 25:00"):
        await chat.send(text)
    await chat.press("🏁 Finish")
    await chat.press("7")
    await chat.press("2")
    summary = (await chat.press("Skip"))[-1]
    assert chat.buttons(summary) == [["💾 Save as routine"]]
    await chat.press("💾 Save as routine", summary)
    assert "What should the routine be called?" in chat.last_text

    for text, reason in (
        ("💪💪 🔥", "needs a letter or a digit"),
        ("x" * 101, "101 characters long: 100 at most"),
        ("   .  ", "needs a letter or a digit"),
    ):
        reply = (await chat.send(text))[-1]
        assert reason in reply.text and "Type another name" in reply.text, reply.text
    assert await routines_of(session_factory, sam_id) == {}

    saved = (await chat.send("  Push   day "))[-1]
    assert "Saved the routine Push day (3 exercises)" in saved.text
    routines = await routines_of(session_factory, sam_id)
    assert routines == {"Push day": PUSH}
    async with session_factory() as session:
        routine = await session.scalar(select(Workout).where(Workout.owner_id == sam_id))
        assert routine is not None and routine.created_by == sam_id

    # the question is answered: the next text is not a name
    await chat.send("Legs")
    assert set(await routines_of(session_factory, sam_id)) == {"Push day"}

    # a second workout saved under the same name, in another case: refused, then another name
    await quick_workout_saved(chat, "PUSH DAY")
    assert "You already have a routine called “Push day”" in chat.last_text
    assert set(await routines_of(session_factory, sam_id)) == {"Push day"}
    await chat.send("Push day B")
    assert set(await routines_of(session_factory, sam_id)) == {"Push day", "Push day B"}

    listing = (await chat.send("/routines"))[-1]
    assert "Your routines" in listing.text and "• Push day\n• Push day B" in listing.text
    assert chat.buttons(listing) == [["📋 Push day"], ["📋 Push day B"]]
    card = (await chat.press("📋 Push day"))[-1]
    assert "1. Barbell Bench Press: 3 × 6-8 @ 60 kg" in card.text
    assert "2. Plank: 1 × 45 s" in card.text and "3. Continuous Easy Run: 1 × 5 km in 25 min" in card.text
    assert chat.buttons(card) == [["▶ Start"], ["✏️ Rename", "🗑 Delete"], ["« All routines"]]  # no Share


async def test_start_log_and_finish_a_routine(
    sam: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory, clock: Clock
) -> None:
    chat, sam_id = sam
    await quick_workout_saved(chat, "Push day")
    clock.now = NOW + timedelta(days=2)
    await chat.send("/routines")
    await chat.press("📋 Push day")
    card = (await chat.press("▶ Start"))[-1]
    assert "▶ Push day started" in card.text
    assert "Push day · exercise 1 of 3" in card.text and "Barbell Bench Press" in card.text
    assert "Target: 3 × 6-8 @ 60 kg" in card.text
    assert "Last time, 4 Mar: 60×8×2, 60×6" in card.text
    assert "✓ 60×8" in chat.buttons(card)[0]

    await chat.press("✓ 60×8")
    await chat.send("62.5x6")
    await chat.send("plank 1:00")
    await chat.press("🏁 Finish")
    await chat.press("8")
    await chat.press("3")
    summary = (await chat.press("Skip"))[-1]
    assert "Workout complete: Push day" in summary.text and "2 of 3 exercises" in summary.text
    assert chat.buttons(summary) == [["💾 Save as routine"]]

    (_, _first), (done, plan) = await sessions_of(session_factory, sam_id)
    assert done.session_status == SessionStatus.COMPLETED and done.program_enrollment_id is None
    assert plan.name == "Push day" and plan.owner_id is None  # the session's own copy of the routine
    assert plan.id != await routine_id(session_factory, sam_id, "Push day")
    async with session_factory() as session:
        rows = await session.execute(
            select(Exercise.code, ExerciseInstruction.workout_id, UserExerciseSet.reps,
                   UserExerciseSet.weight_kg, UserExerciseSet.duration_seconds)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserExercisePerformance.user_workout_session_id == done.id)
            .order_by(Exercise.code, UserExerciseSet.set_number)
        )  # fmt: skip
        assert [tuple(r) for r in rows] == [
            ("bench-press", plan.id, 8, Decimal("60.00"), None),
            ("bench-press", plan.id, 6, Decimal("62.50"), None),
            ("plank", plan.id, None, None, 60),
        ]

    # renaming or deleting the routine leaves the workout done with it as it was
    await chat.send("/routines")
    await chat.press("📋 Push day")
    await chat.press("🗑 Delete")
    await chat.press("🗑 Yes, delete")
    assert await routines_of(session_factory, sam_id) == {}
    (_, _), (_, plan_after) = await sessions_of(session_factory, sam_id)
    assert plan_after.name == "Push day"
    history = (await chat.send("/history"))[-1]
    assert "Push day" in history.text


async def test_rename_and_delete(
    sam: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory
) -> None:
    chat, sam_id = sam
    await quick_workout_saved(chat, "Push day")
    await quick_workout_saved(chat, "Pull day")
    await chat.send("/routines")
    await chat.press("📋 Push day")
    asked = (await chat.press("✏️ Rename"))[-1]
    assert "Type a new name for Push day" in asked.text
    refused = (await chat.send("pull DAY"))[-1]
    assert "You already have a routine called “Pull day”" in refused.text
    same = (await chat.send("PUSH day"))[-1]  # its own name in another case: fine
    assert "Renamed to PUSH day" in same.text
    await chat.press("✏️ Rename")
    done = (await chat.send("Legs & <b>arms</b>"))[-1]
    assert "Renamed to Legs & <b>arms</b>" in done.text  # escaped: shown as typed
    assert "Legs &amp; &lt;b&gt;arms&lt;/b&gt;" in (done.html or "")
    assert set(await routines_of(session_factory, sam_id)) == {"Legs & <b>arms</b>", "Pull day"}

    confirm = (await chat.press("🗑 Delete"))[-1]
    assert "Delete the routine Legs & <b>arms</b>?" in confirm.text
    kept = (await chat.press("✖ Keep it"))[-1]
    assert "Barbell Bench Press" in kept.text
    assert set(await routines_of(session_factory, sam_id)) == {"Legs & <b>arms</b>", "Pull day"}
    await chat.press("🗑 Delete")
    gone = (await chat.press("🗑 Yes, delete"))[-1]
    assert "Deleted the routine Legs & <b>arms</b>" in gone.text and "• Pull day" in gone.text
    assert set(await routines_of(session_factory, sam_id)) == {"Pull day"}
    async with session_factory() as session:
        orphans = await session.scalar(
            select(func.count())
            .select_from(ExerciseInstruction)
            .outerjoin(Workout, Workout.id == ExerciseInstruction.workout_id)
            .where(ExerciseInstruction.workout_id.is_not(None), Workout.id.is_(None))
        )
    assert orphans == 0


async def test_the_name_question_gives_way_to_a_workout(
    sam: tuple[SandboxUser, uuid.UUID], bot_app: BotApplication, session_factory: Factory, clock: Clock
) -> None:
    """Asked for a name, the user starts a workout instead: their sets are sets, not names."""
    chat, sam_id = sam
    await quick_workout_saved(chat, "Push day")
    await chat.send("/routines")
    await chat.press("📋 Push day")
    await chat.press("✏️ Rename")
    await chat.send("/log")
    logged = (await chat.send("squat 100x5"))[-1]
    assert "Logged 100×5" in logged.text
    assert set(await routines_of(session_factory, sam_id)) == {"Push day"}
    await chat.press("📋 All exercises")
    await chat.press("✖ Cancel workout")
    await chat.press("Yes, cancel it")

    # a question left open for more than ten minutes takes nothing
    await chat.send("/routines")
    await chat.press("📋 Push day")
    await chat.press("✏️ Rename")
    clock.now = clock.now + timedelta(minutes=11)
    await chat.send("Leg day")
    assert set(await routines_of(session_factory, sam_id)) == {"Push day"}


@pytest.fixture
async def team(make_user: Any, session_factory: Factory) -> dict[str, Any]:
    """Cole the coach with trainees Tess and Tom; Olga, a trainee of nobody."""
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
    chats = {name: make_user(name.capitalize(), username=name) for name in ("cole", "tess", "tom", "olga")}
    ids = {
        "cole": await register(session_factory, chats["cole"], "Cole", Role.COACH),
        "tess": await register(session_factory, chats["tess"], "Tess"),
        "tom": await register(session_factory, chats["tom"], "Tom"),
        "olga": await register(session_factory, chats["olga"], "Olga"),
    }
    async with session_factory() as session, session.begin():
        session.add_all(CoachTrainee(coach_id=ids["cole"], trainee_id=ids[t]) for t in ("tess", "tom"))
    return {"chats": chats, "ids": ids}


async def shares(factory: Factory) -> set[tuple[str, uuid.UUID]]:
    async with factory() as session:
        rows = await session.execute(
            select(Workout.name, RoutineShare.trainee_id).join(Workout, Workout.id == RoutineShare.workout_id)
        )
        return {(name, trainee) for name, trainee in rows}


async def test_a_coach_shares_a_routine_and_a_trainee_starts_and_copies_it(
    team: dict[str, Any], bot_app: BotApplication, session_factory: Factory
) -> None:
    cole, tess, tom, olga = (team["chats"][k] for k in ("cole", "tess", "tom", "olga"))
    ids = team["ids"]
    await quick_workout_saved(cole, "Coach push")
    rid = await routine_id(session_factory, ids["cole"], "Coach push")
    await cole.send("/routines")
    card = (await cole.press("📋 Coach push"))[-1]
    assert ["👥 Share with trainees"] in cole.buttons(card)
    menu = (await cole.press("👥 Share with trainees"))[-1]
    assert "shared with 0 of your 2 trainees" in menu.text
    assert cole.buttons(menu)[:2] == [["➕ Tess"], ["➕ Tom"]]

    menu = (await cole.press("➕ Tess"))[-1]
    assert cole.callback_answers[-1].text == "Shared with 1 trainee."
    assert cole.buttons(menu)[:2] == [["✅ Tess"], ["➕ Tom"]]
    assert await shares(session_factory) == {("Coach push", ids["tess"])}
    notice = tess.messages[-1]
    assert "Cole shared the routine Coach push with you" in notice.text
    assert tess.buttons(notice) == [["▶ Start", "📋 Open"]]
    assert not any("shared the routine" in (m.text or "") for m in tom.messages)

    # Tess sees it, marked with her coach's name; she may start it or copy it, not change it
    listing = (await tess.send("/routines"))[-1]
    assert "• Coach push · from Cole" in listing.text
    shared = (await tess.press("📋 Coach push"))[-1]
    assert "Shared by Cole" in shared.text and "1. Barbell Bench Press: 3 × 6-8 @ 60 kg" in shared.text
    assert tess.buttons(shared) == [["▶ Start"], ["📄 Save a copy"], ["« All routines"]]
    for forged in (pack("rt", "r", rid), pack("rt", "d", rid), pack("rt", "dy", rid)):
        await tess.press_data(forged, shared.message_id)
        assert "Your coach shared this routine" in (tess.callback_answers[-1].text or "")
    await tess.press_data(pack("rt", "sh", rid, 0), shared.message_id)
    assert "Only coaches" in (tess.callback_answers[-1].text or "")
    assert await routines_of(session_factory, ids["cole"]) == {"Coach push": PUSH}
    assert await routines_of(session_factory, ids["tess"]) == {}

    started = (await tess.press("▶ Start", shared))[-1]
    assert "Coach push · exercise 1 of 3" in started.text and "Target: 3 × 6-8 @ 60 kg" in started.text
    await tess.send("50x8")
    ((row, plan),) = await sessions_of(session_factory, ids["tess"])
    assert row.session_status == SessionStatus.IN_PROGRESS and plan.name == "Coach push"
    assert plan.created_by == ids["tess"] and plan.owner_id is None

    copied = (await tess.press("📄 Save a copy", shared))[-1]
    assert "Saved a copy: Coach push is yours" in copied.text
    assert await routines_of(session_factory, ids["tess"]) == {"Coach push": PUSH}

    # Share with all: Tom is told (Tess already had it); Olga, not a trainee, never sees it
    await cole.press("👥 Share with all", menu)
    assert cole.callback_answers[-1].text == "Shared with 1 trainee."
    assert "Cole shared the routine Coach push with you" in tom.messages[-1].text
    assert await shares(session_factory) == {("Coach push", ids["tess"]), ("Coach push", ids["tom"])}
    assert "no routines yet" in (await olga.send("/routines"))[-1].text
    await olga.press_data(pack("rs", rid), olga.messages[-1].message_id)
    assert olga.callback_answers[-1].text == "That routine does not exist (or is not yours)."
    assert await sessions_of(session_factory, ids["olga"]) == []

    # tapping Tom again unshares him; Unshare all empties it
    await cole.press("✅ Tom", cole.messages[-1])
    assert cole.callback_answers[-1].text == "No longer shared with 1 trainee."
    assert await shares(session_factory) == {("Coach push", ids["tess"])}
    assert "no routines yet" in (await tom.send("/routines"))[-1].text
    await cole.press("✖ Unshare all", cole.messages[-1])
    assert await shares(session_factory) == set()
    listing = (await tess.send("/routines"))[-1]
    assert "from Cole" not in listing.text and "• Coach push" in listing.text  # her own copy stays


async def test_a_shared_routine_goes_when_the_coach_link_ends(
    team: dict[str, Any], bot_app: BotApplication, session_factory: Factory
) -> None:
    cole, tess = team["chats"]["cole"], team["chats"]["tess"]
    ids = team["ids"]
    await quick_workout_saved(cole, "Coach push")
    await cole.send("/routines")
    await cole.press("📋 Coach push")
    await cole.press("👥 Share with trainees")
    await cole.press("👥 Share with all")
    assert "• Coach push · from Cole" in (await tess.send("/routines"))[-1].text
    async with session_factory() as session, session.begin():
        link = await session.scalar(select(CoachTrainee).where(CoachTrainee.trainee_id == ids["tess"]))
        assert link is not None
        link.status = CoachLinkStatus.ENDED
    assert "no routines yet" in (await tess.send("/routines"))[-1].text
    rid = await routine_id(session_factory, ids["cole"], "Coach push")
    await tess.press_data(pack("rt", "o", rid), tess.messages[-1].message_id)
    assert tess.callback_answers[-1].text == "That routine does not exist (or is not yours)."


async def test_forged_and_foreign_buttons_change_nothing(
    team: dict[str, Any], bot_app: BotApplication, session_factory: Factory
) -> None:
    cole, tess, olga = (team["chats"][k] for k in ("cole", "tess", "olga"))
    ids = team["ids"]
    await quick_workout_saved(tess, "Tess legs")
    rid = await routine_id(session_factory, ids["tess"], "Tess legs")
    ((done, _),) = await sessions_of(session_factory, ids["tess"])
    before = await routines_of(session_factory, ids["tess"])
    decoy = (await olga.send("/routines"))[-1]
    for data in (
        pack("rt", "o", rid), pack("rt", "r", rid), pack("rt", "d", rid), pack("rt", "dy", rid),
        pack("rt", "c", rid), pack("rt", "sh", rid, 0), pack("rt", "sa", rid), pack("rt", "ua", rid),
        pack("rt", "st", rid, ids["olga"]), pack("rt", "save", done.id), pack("rs", rid),
    ):  # fmt: skip
        await olga.press_data(data, decoy.message_id)
        answer = olga.callback_answers[-1].text or ""
        assert "does not exist" in answer or "Only coaches" in answer, (data, answer)
    for data in ("rt:o:zz", "rt:zz:" + "A" * 22, "rt", "rs:zz", "rt:l:-1", "rt:st:" + "A" * 22 + ":zz"):
        await olga.press_data(data, decoy.message_id)
        assert olga.callback_answers[-1].text, data
    await olga.send("Stolen")  # no question is open for Olga
    assert await routines_of(session_factory, ids["olga"]) == {}
    assert await routines_of(session_factory, ids["tess"]) == before
    assert await sessions_of(session_factory, ids["olga"]) == []

    # a trainee cannot share; a coach cannot share with someone who is not their trainee
    card = (await tess.press_data(pack("rt", "o", rid), tess.messages[-1].message_id))[-1]
    assert ["👥 Share with trainees"] not in tess.buttons(card)
    await tess.press_data(pack("rt", "sa", rid), card.message_id)
    assert "Only coaches" in (tess.callback_answers[-1].text or "")
    await quick_workout_saved(cole, "Coach push")
    crid = await routine_id(session_factory, ids["cole"], "Coach push")
    await cole.press_data(pack("rt", "st", crid, ids["olga"]), cole.messages[-1].message_id)
    assert cole.callback_answers[-1].text == "That person is not one of your trainees."
    await cole.press_data(pack("rt", "save", done.id), cole.messages[-1].message_id)  # Tess's workout
    assert "Only a finished workout" in (cole.callback_answers[-1].text or "") or "does not exist" in (
        cole.callback_answers[-1].text or ""
    )
    assert await shares(session_factory) == set()
