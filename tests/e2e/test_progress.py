"""History, records, charts, measurements, export and account deletion through the emulator.

Alice (Berlin, kg) has three finished "Workout A" sessions with known squat sets; the numbers the bot
shows are checked against values computed by hand.
"""

from __future__ import annotations

import csv
import io
import struct
import uuid
import zipfile
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    Metric,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserWorkoutSession,
    Workout,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import workouts
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import pack
from tests.factories import make_program, seed_catalog

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Squat sessions: (day, [(kg, reps, warm-up)]). Hand-computed records over working sets:
# heaviest 80 kg (x3); most reps 6 @ 75 kg; e1RM max(60x5=70, 70x5=81.67, 72.5x3=79.75, 80x3=88, 75x6=90)
# = 90 kg (75x6); session volume 900 / 917.5 / 1065 -> best 1,065 kg.
SQUAT_SESSIONS = [
    (date(2026, 2, 2), [(40, 10, True), (60, 5, False), (60, 5, False), (60, 5, False)]),
    (date(2026, 2, 9), [(70, 5, False), (70, 5, False), (Decimal("72.5"), 3, False)]),
    (date(2026, 2, 16), [(80, 3, False), (75, 6, False), (75, 5, False)]),
]


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def add_history(
    session: AsyncSession, user: User, sessions: list[tuple[date, list[tuple[Any, int, bool]]]]
) -> list[uuid.UUID]:
    workout = await session.scalar(select(Workout).where(Workout.name == "Workout A"))
    assert workout is not None
    squat = await session.scalar(
        select(ExerciseInstruction.id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(ExerciseInstruction.workout_id == workout.id, Exercise.code == "back-squat")
    )
    ids = []
    for number, (day, sets) in enumerate(sessions):
        start = datetime(day.year, day.month, day.day, 17, 0, tzinfo=UTC)
        row = UserWorkoutSession(
            id=uuid.uuid4(), user_id=user.id, workout_id=workout.id, session_status=SessionStatus.COMPLETED,
            started_at=start, completed_at=start + timedelta(minutes=50), actual_duration_seconds=3000,
            effort_rating=6 + number, soreness_rating=2 + number, created_by=user.id,
        )  # fmt: skip
        session.add(row)
        await session.flush()
        performance = UserExercisePerformance(
            user_workout_session_id=row.id, exercise_instruction_id=squat, created_by=user.id
        )
        session.add(performance)
        await session.flush()
        for n, (kg, reps, warm) in enumerate(sets, start=1):
            session.add(
                UserExerciseSet(
                    performance_id=performance.id,
                    set_number=n,
                    reps=reps,
                    weight_kg=Decimal(kg),
                    is_warmup=warm,
                )
            )
        await session.flush()
        await workouts.summarise(session, performance, user)
        ids.append(row.id)
    return ids


async def register(session: AsyncSession, sandbox: SandboxUser, name: str) -> User:
    user = (
        await register_user(
            session,
            TelegramProfile(telegram_id=sandbox.user_id, chat_id=sandbox.chat_id, first_name=name),
            default_timezone="Europe/Berlin",
        )
    ).user
    user.onboarded_at = NOW
    return user


@pytest.fixture
async def lifter(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[dict[str, Any]]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
        user = await register(session, alice, "Alice")
        ids = await add_history(session, user, SQUAT_SESSIONS)
    yield {"user_id": user.id, "sessions": ids}


def png_size(data: bytes | None) -> tuple[int, int]:
    assert data is not None and data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_records_match_hand_computed_values(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any
) -> None:
    await alice.send("/records")
    text = alice.last_text
    assert "Barbell Back Squat" in text
    assert "heaviest 80 kg × 3" in text
    assert "most reps 6 @ 75 kg" in text
    assert "e1RM 90 kg (75×6)" in text
    assert "best session volume 1,065 kg" in text
    assert "weight × (1 + reps / 30), Epley" in text


async def test_progress_chart_is_a_png(alice: SandboxUser, bot_app: BotApplication, lifter: Any) -> None:
    replies = await alice.send("/progress squat")
    photo = replies[-1]
    assert photo.kind == "photo"
    assert png_size(photo.file) == (1000, 700)
    assert 5_000 < len(photo.file or b"") < 1_000_000
    assert photo.caption is not None and "3 sessions" in photo.caption
    assert "Last top set: 75 kg × 6" not in photo.caption  # the top set is the heaviest: 80 × 3
    assert "Last top set: 80 kg × 3" in photo.caption and "Best e1RM: 90 kg" in photo.caption
    # The menu and the suggestions
    await alice.send("/progress")
    assert alice.buttons()[0] == ["Barbell Back Squat"]
    await alice.send("/progress sqat")
    assert "Which exercise" in alice.last_text and alice.buttons()[0] == ["Barbell Back Squat"]
    replies = await alice.press("Barbell Back Squat")
    assert replies[-1].kind == "photo"
    # Adherence (no program sessions: text) and effort/soreness (3 rated sessions: a chart)
    await alice.send("/progress")
    await alice.press("📅 Adherence")
    assert "No program workouts" in alice.last_text
    replies = await alice.press("😓 Effort & soreness")
    assert replies[-1].kind == "photo" and png_size(replies[-1].file) == (1000, 700)


async def test_progress_text_fallback_with_one_session(
    alice: SandboxUser, bot_app: BotApplication, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
        user = await register(session, alice, "Alice")
        await add_history(session, user, SQUAT_SESSIONS[:1])
    replies = await alice.send("/progress back squat")
    assert replies[-1].kind == "text"
    assert "one session so far" in replies[-1].text  # type: ignore[operator]
    assert "Top set 60 kg × 5 · e1RM 70 kg · volume 900 kg" in alice.last_text


async def summary_of(factory: async_sessionmaker[AsyncSession], sid: uuid.UUID) -> tuple[Any, ...]:
    async with factory() as session:
        perf = await session.scalar(
            select(UserExercisePerformance).where(UserExercisePerformance.user_workout_session_id == sid)
        )
        assert perf is not None
        sets = (
            await session.execute(
                select(UserExerciseSet.set_number, UserExerciseSet.weight_kg, UserExerciseSet.reps)
                .where(UserExerciseSet.performance_id == perf.id)
                .order_by(UserExerciseSet.set_number)
            )
        ).all()
        return perf.sets_completed, perf.reps_completed, perf.weight_used_kg, [tuple(s) for s in sets]


async def test_history_edit_and_delete_a_past_set(
    alice: SandboxUser,
    bot_app: BotApplication,
    lifter: Any,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await alice.send("/history")
    text = alice.last_text
    assert "1. Workout A" in text and "16 Feb 18:00" in text  # Berlin time
    assert "50 min · 3 sets · 14 reps · volume 1,065 kg · effort 8/10 · soreness 4/10" in text
    assert "3. Workout A" in text and "2 Feb" in text and "900 kg" in text
    await alice.press("1. Workout A")
    assert "1) 80×3, 2) 75×6, 3) 75×5" in alice.last_text
    latest = lifter["sessions"][2]
    await alice.press("Barbell Back Squat 1: 80×3")
    assert "set 1: 80×3" in alice.last_text
    await alice.press("✏️ Edit")
    await alice.send("85x2")
    assert "Set 1 corrected" in alice.messages[-2].text  # type: ignore[operator]
    assert await summary_of(session_factory, latest) == (
        3, 13, Decimal("85.00"), [(1, Decimal("85.00"), 2), (2, Decimal("75.00"), 6), (3, Decimal("75.00"), 5)]
    )  # fmt: skip
    await alice.send("/records")
    assert "heaviest 85 kg × 2" in alice.last_text
    # Bad input: a clear reason, nothing changes
    await alice.send("/history")
    await alice.press("1. Workout A")
    await alice.press("Barbell Back Squat 2: 75×6")
    await alice.press("✏️ Edit")
    await alice.send("banana")
    assert (await summary_of(session_factory, latest))[0] == 3
    await alice.send("75x7")
    await alice.press("Barbell Back Squat 1: 85×2")
    await alice.press("🗑 Delete")
    assert await summary_of(session_factory, latest) == (
        2, 12, Decimal("75.00"), [(1, Decimal("75.00"), 7), (2, Decimal("75.00"), 5)]
    )  # fmt: skip
    assert "Set 1 deleted" in alice.messages[-2].text  # type: ignore[operator]


async def test_forged_buttons_change_nothing(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    lifter: Any,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    mallory: SandboxUser = make_user("Mallory")
    decoy = await bot_app.bot.send_message(mallory.chat_id, "decoy")
    sid = lifter["sessions"][0]
    before = await summary_of(session_factory, sid)
    for data in (pack("hi", "del", sid, 0, 1), pack("hi", "x", sid, 0, 1), pack("hi", "s", sid, 0)):
        await mallory.press_data(data, decoy.message_id)
        assert mallory.callback_answers[-1].text == "That isn't available."
    await mallory.press_data(pack("hi", "ed", sid, 0, 1), decoy.message_id)
    await mallory.send("200x1")
    for data in ("hi:del:xx:0:1", "hi:p:zz", "pr:ex:nope", "me:m:" + "A" * 22, "dm:2:guess", "dm:1"):
        await mallory.press_data(data, decoy.message_id)
    assert await summary_of(session_factory, sid) == before
    async with session_factory() as session:
        assert (
            await session.scalar(select(func.count()).select_from(User).where(User.id == lifter["user_id"]))
            == 1
        )


async def test_measure_and_measurements(
    alice: SandboxUser,
    bot_app: BotApplication,
    lifter: Any,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await alice.send("/measure")
    await alice.press("Body weight")
    await alice.send("182 lb")
    assert "Saved: Body weight 82.6 kg on 2 Mar" in alice.last_text
    await alice.send("/measure")
    await alice.press("Waist circumference")
    await alice.send("900 cm")
    assert "out of range" in alice.last_text
    await alice.send("31 kg")
    assert "not kg" in alice.last_text
    await alice.send("31 in, 20.2.2026, before breakfast")
    assert "Saved: Waist circumference 78.7 cm on 20 Feb" in alice.last_text
    await alice.send("/measure")
    await alice.press("Body weight")
    await alice.send("81,5, yesterday")
    async with session_factory() as session:
        rows = (
            await session.execute(
                select(Metric.code, UserMeasurement.measured_value, UserMeasurement.unit,
                       UserMeasurement.measurement_date, UserMeasurement.measurement_notes,
                       UserMeasurement.measurement_source)
                .join(Metric, Metric.id == UserMeasurement.metric_id)
                .order_by(UserMeasurement.measurement_date)
            )
        ).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("waist", Decimal("78.740"), "cm", date(2026, 2, 20), "before breakfast", "MANUAL"),
        ("body_weight", Decimal("81.500"), "kg", date(2026, 3, 1), None, "MANUAL"),
        ("body_weight", Decimal("82.554"), "kg", date(2026, 3, 2), None, "MANUAL"),
    ]
    await alice.send("/measurements")
    assert "Body weight (2): 82.6 kg (2 Mar), 81.5 kg (1 Mar)" in alice.last_text
    replies = await alice.press("📈 Body weight")
    assert replies[-1].kind == "photo" and png_size(replies[-1].file) == (1000, 700)
    await alice.send("/measurements")
    await alice.press("📈 Waist circumference")
    assert "a chart needs two values" in alice.last_text


async def test_export_is_a_zip_of_bom_csvs(alice: SandboxUser, bot_app: BotApplication, lifter: Any) -> None:
    replies = await alice.send("/export")
    document = replies[-1]
    assert document.kind == "document" and document.file_name == "workout-bot-export-2026-03-02.zip"
    bundle = zipfile.ZipFile(io.BytesIO(document.file or b""))
    assert set(bundle.namelist()) == {
        "profile.csv", "sessions.csv", "performances.csv", "sets.csv", "measurements.csv", "enrollments.csv",
        "exercise_notes.csv",
    }  # fmt: skip
    raw = bundle.read("sets.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    sets = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(sets) == 10 and sets[0]["exercise"] == "Barbell Back Squat"
    sessions = list(csv.DictReader(io.StringIO(bundle.read("sessions.csv").decode("utf-8-sig"))))
    first = min(sessions, key=lambda s: s["started_at_utc"])
    assert first["started_at_utc"] == "2026-02-02T17:00:00Z"
    assert first["started_at_local"] == "2026-02-02T18:00:00+01:00"


async def test_deleteme_erases_only_the_user(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    lifter: Any,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    bob_sandbox: SandboxUser = make_user("Bob")
    async with session_factory() as session, session.begin():
        bob = await register(session, bob_sandbox, "Bob")
        await add_history(session, bob, SQUAT_SESSIONS[:1])
    await alice.send("/deleteme")
    await alice.press("Yes, delete my account")
    async with session_factory() as session:
        assert await session.get(User, lifter["user_id"]) is not None
    await alice.press("🗑 Delete everything")
    assert "account and all its data are deleted" in alice.last_text
    async with session_factory() as session:
        assert await session.get(User, lifter["user_id"]) is None
        assert await session.scalar(select(func.count()).select_from(UserWorkoutSession)) == 1
        assert await session.scalar(select(func.count()).select_from(UserExerciseSet)) == 4
    # The old confirmation button does nothing now
    await alice.send("/deleteme")
    await alice.press("Cancel")
    assert alice.last_text == "Nothing was deleted."
