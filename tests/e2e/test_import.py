"""Importing history from Strong, Hevy and FitNotes CSV exports through the emulator: the dry run, the
import (sessions, sets, summaries, new exercises), idempotence, lb files, malformed and oversized files,
cancelled and forged buttons - what the trainee sees and the rows written."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import ImportSource, SessionStatus, SetType, TrackingType, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
    WorkoutImport,
)
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock
from bot.services.importing import MAX_FILE_BYTES, service
from bot.ui import coaching as coaching_ui
from bot.ui import importing as ui
from tests.factories import seed_catalog

DATA = Path(__file__).resolve().parent.parent / "data" / "imports"
WEDNESDAY = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY)


async def _trainee(factory: Factory, who: SandboxUser, name: str, unit: WeightUnit) -> uuid.UUID:
    from bot.services.users import TelegramProfile, register_user

    async with factory() as session, session.begin():
        await seed_catalog(session)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=who.user_id, chat_id=who.chat_id, first_name=name),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = WEDNESDAY
        user.weight_unit = unit
    return user.id


@pytest.fixture
async def trainee(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[uuid.UUID]:
    """Alice, onboarded (Berlin, kg), in no program."""
    yield await _trainee(session_factory, alice, "Alice", WeightUnit.KG)


async def counts(factory: Factory, user_id: uuid.UUID) -> dict[str, int]:
    """How many rows of each kind the user has."""
    async with factory() as session:
        sessions = select(UserWorkoutSession.id).where(UserWorkoutSession.user_id == user_id)
        performances = select(UserExercisePerformance.id).where(
            UserExercisePerformance.user_workout_session_id.in_(sessions)
        )
        return {
            "sessions": await session.scalar(select(func.count()).select_from(sessions.subquery())) or 0,
            "performances": await session.scalar(select(func.count()).select_from(performances.subquery()))
            or 0,
            "sets": await session.scalar(
                select(func.count()).where(UserExerciseSet.performance_id.in_(performances))
            )
            or 0,
            "own": await session.scalar(select(func.count()).where(Exercise.owner_id == user_id)) or 0,
            "imports": await session.scalar(select(func.count()).where(WorkoutImport.user_id == user_id))
            or 0,
            "workouts": await session.scalar(select(func.count()).where(Workout.created_by == user_id)) or 0,
        }


async def sets_of(factory: Factory, user_id: uuid.UUID, exercise: str) -> list[tuple[Any, ...]]:
    """(reps, kg, seconds, metres, set type, warm-up, RPE) of every set of the exercise, oldest first."""
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.reps, UserExerciseSet.weight_kg, UserExerciseSet.duration_seconds,
                   UserExerciseSet.distance_m, UserExerciseSet.set_type, UserExerciseSet.is_warmup,
                   UserExerciseSet.rpe)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
            .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserWorkoutSession.user_id == user_id, Exercise.name == exercise)
            .order_by(UserWorkoutSession.started_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [tuple(r) for r in rows]


async def test_strong_dry_run_import_and_the_same_file_again(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    content = (DATA / "strong.csv").read_bytes()
    dry = (await alice.upload(content, filename="strong.csv"))[-1]
    text = dry.text
    assert text.startswith("📥 Strong export: 2 workouts, 2 Feb – 5 Feb.")
    assert "To import: 2 workouts with 11 sets (1 warm-up)." in text
    assert "1 row without reps or time left out." in text
    assert "read the weights in kg, your unit" in text  # Strong's newer export does not say
    assert "Times read in your time zone, Europe/Berlin." in text
    assert "• Bench Press (Barbell) → Barbell Bench Press\n" in text
    assert "• Plank ✓\n" in text
    assert "• Cable Crunch → ✨ new (core, weight × reps)" in text
    assert "• Running (Treadmill) → ✨ new (cardio, time)" in text
    assert "✨ 2 new exercises of your own will be created" in text
    assert ui.FUZZY_HINT not in text  # every name matched exactly or by an alias
    assert alice.buttons(dry) == [["📥 Import 2 workouts", "✖ Cancel"]]
    assert await counts(session_factory, trainee) == dict.fromkeys(
        ("sessions", "performances", "sets", "own", "imports", "workouts"), 0
    )  # a dry run writes nothing

    await alice.press("📥 Import 2 workouts")
    assert alice.callback_answers[-1].text == ui.IMPORTING
    done = alice.messages[-1]
    assert done.message_id == dry.message_id and done.reply_markup is None  # the dry run, edited
    assert done.text.startswith("✅ Imported 2 workouts with 11 sets from Strong (2 Feb – 5 Feb).")
    assert "New exercises of your own: Cable Crunch, Running (Treadmill)." in done.text
    assert await counts(session_factory, trainee) == {
        "sessions": 2, "performances": 7, "sets": 11, "own": 2, "imports": 2, "workouts": 2,
    }  # fmt: skip

    async with session_factory() as session:
        rows = (
            await session.execute(
                select(UserWorkoutSession, Workout.name)
                .join(Workout, Workout.id == UserWorkoutSession.workout_id)
                .where(UserWorkoutSession.user_id == trainee)
                .order_by(UserWorkoutSession.started_at)
            )
        ).all()
        push, legs = rows
        assert push[1] == "Push Day" and legs[1] == "Legs"
        assert push[0].session_status == SessionStatus.COMPLETED and push[0].program_enrollment_id is None
        # 18:05:12 in Berlin (UTC+1 in February) is 17:05:12 UTC; 1h 5m long
        assert push[0].started_at == datetime(2026, 2, 2, 17, 5, 12, tzinfo=UTC)
        assert push[0].completed_at == datetime(2026, 2, 2, 18, 10, 12, tzinfo=UTC)
        assert push[0].actual_duration_seconds == 3900 and push[0].session_notes == "Felt strong"
        assert legs[0].started_at == datetime(2026, 2, 5, 6, 30, tzinfo=UTC)
        keys = (await session.scalars(select(WorkoutImport).where(WorkoutImport.user_id == trainee))).all()
        assert {k.source for k in keys} == {ImportSource.STRONG}
        assert {k.source_key for k in keys} == {"2026-02-02 18:05:12|Push Day", "2026-02-05 07:30:00|Legs"}
        assert {k.session_id for k in keys} == {push[0].id, legs[0].id}
        crunch = await session.scalar(
            select(Exercise).where(Exercise.owner_id == trainee, Exercise.name == "Cable Crunch")
        )
        assert crunch is not None and (crunch.muscle_group, crunch.equipment) == ("core", "cable")
        assert crunch.tracking_type == TrackingType.WEIGHT_REPS
        bench_summary = (
            await session.execute(
                select(UserExercisePerformance)
                .join(
                    ExerciseInstruction,
                    ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id,
                )
                .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
                .where(Exercise.name == "Barbell Bench Press", ExerciseInstruction.created_by == trainee)
            )
        ).scalar_one()
        assert (bench_summary.sets_completed, bench_summary.reps_completed) == (2, 14)  # warm-up left out
        assert bench_summary.weight_used_kg == Decimal("62.50")

    # in the app's order (the file lists set 2 before set 1), the warm-up first, RPE kept
    assert await sets_of(session_factory, trainee, "Barbell Bench Press") == [
        (10, Decimal("40.00"), None, None, SetType.WARMUP, True, None),
        (8, Decimal("60.00"), None, None, SetType.WORKING, False, Decimal("8.0")),
        (6, Decimal("62.50"), None, None, SetType.WORKING, False, Decimal("9.0")),
    ]
    assert await sets_of(session_factory, trainee, "Barbell Back Squat") == [
        (5, Decimal("100.00"), None, None, SetType.WORKING, False, None),
        (5, Decimal("100.00"), None, None, SetType.WORKING, False, None),
        (8, Decimal("80.00"), None, None, SetType.DROP, False, None),
    ]
    assert await sets_of(session_factory, trainee, "Running (Treadmill)") == [
        (None, None, 1200, Decimal("3200.0"), SetType.WORKING, False, None)
    ]

    again = (await alice.upload(content, filename="strong.csv"))[-1]
    assert "All 2 workouts are already imported. Nothing to add." in again.text
    assert again.reply_markup is None
    assert (await counts(session_factory, trainee))["sets"] == 11


async def test_records_history_and_progress_include_imported_workouts(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID
) -> None:
    await alice.upload((DATA / "strong.csv").read_bytes(), filename="strong.csv")
    await alice.press("📥 Import 2 workouts")
    await alice.send("/records")
    records = alice.last_text
    assert "Barbell Bench Press" in records and "heaviest 62.5 kg × 6" in records
    assert "Deadlift" in records and "heaviest 140 kg × 3" in records
    await alice.send("/history")
    history = alice.last_text
    assert "Push Day" in history and "Legs" in history
    await alice.send("/progress bench")
    assert alice.last_text.startswith("📈 Barbell Bench Press: one session so far (2 Feb)")


async def test_a_newer_export_adds_only_the_new_workout(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    content = (DATA / "strong.csv").read_bytes()
    await alice.upload(content, filename="strong.csv")
    await alice.press("📥 Import 2 workouts")
    newer = content + b'2026-02-09 18:00:00,"Push Day",50m,"Cable Crunch",1,35,12,0,0,"","",\n'
    dry = (await alice.upload(newer, filename="strong 2.csv"))[-1]
    assert "3 workouts, 2 Feb – 9 Feb." in dry.text
    assert "2 workouts of them already imported: skipped." in dry.text
    assert "To import: 1 workout with 1 set." in dry.text
    assert "• Cable Crunch ✓" in dry.text  # now an exercise of the user's own
    await alice.press("📥 Import 1 workout")
    assert alice.messages[-1].text.startswith("✅ Imported 1 workout with 1 set from Strong")
    found = await counts(session_factory, trainee)
    assert (found["sessions"], found["sets"], found["own"], found["imports"]) == (3, 12, 2, 3)


@pytest.mark.parametrize(
    ("filename", "exercise", "expected"),
    [
        ("hevy_lbs.csv", "Barbell Back Squat", [
            (5, Decimal("61.23"), None, None, SetType.WARMUP, True, None),  # 135 lb, a warm-up
            (5, Decimal("102.06"), None, None, SetType.WORKING, False, None),  # 225 lb
        ]),
        ("hevy_lbs.csv", "Treadmill", [(None, None, 900, Decimal("2414.0"), SetType.WORKING, False, None)]),
        ("fitnotes_lbs.csv", "Barbell Bench Press", [
            (8, Decimal("61.23"), None, None, SetType.WORKING, False, None),
            (6, Decimal("65.77"), None, None, SetType.WORKING, False, None),
        ]),
        ("hevy_kg.csv", "Barbell Bench Press", [
            (12, Decimal("40.00"), None, None, SetType.WARMUP, True, None),
            (8, Decimal("70.00"), None, None, SetType.WORKING, False, Decimal("8.0")),
            (7, Decimal("70.00"), None, None, SetType.FAILURE, False, Decimal("10.0")),
            (10, Decimal("50.00"), None, None, SetType.DROP, False, None),
        ]),
    ],
)  # fmt: skip
async def test_hevy_and_fitnotes_files_with_their_units(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    session_factory: Factory,
    filename: str,
    exercise: str,
    expected: list[tuple[Any, ...]],
) -> None:
    dry = (await alice.upload((DATA / filename).read_bytes(), filename=filename))[-1]
    unit = "lb" if "lbs" in filename else "kg"
    assert f"Weights in {unit}, as the file says." in dry.text
    await alice.press(0, dry)
    assert alice.messages[-1].text.startswith("✅ Imported")
    assert await sets_of(session_factory, trainee, exercise) == expected


async def test_fitnotes_days_are_workouts_at_noon_with_categories(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    dry = (await alice.upload((DATA / "fitnotes_lbs.csv").read_bytes(), filename="FitNotes_Export.csv"))[-1]
    assert dry.text.startswith("📥 FitNotes export: 2 workouts, 7 Feb – 9 Feb.")
    assert "• Flat Barbell Bench Press → Barbell Bench Press (closest match)" in dry.text
    assert ui.FUZZY_HINT in dry.text
    await alice.press("📥 Import 2 workouts")
    async with session_factory() as session:
        starts = (
            await session.scalars(
                select(UserWorkoutSession.started_at)
                .where(UserWorkoutSession.user_id == trainee)
                .order_by(UserWorkoutSession.started_at)
            )
        ).all()
        assert starts == [datetime(2026, 2, 7, 11, tzinfo=UTC), datetime(2026, 2, 9, 11, tzinfo=UTC)]
    assert await sets_of(session_factory, trainee, "Rowing Machine") == [
        (None, None, 490, Decimal("2000.0"), SetType.WORKING, False, None)
    ]


async def test_a_lb_user_reads_a_strong_file_in_lb(
    bob: SandboxUser, bot_app: BotApplication, session_factory: Factory
) -> None:
    user_id = await _trainee(session_factory, bob, "Bob", WeightUnit.LB)
    dry = (await bob.upload((DATA / "strong.csv").read_bytes(), filename="strong.csv"))[-1]
    assert "read the weights in lb, your unit" in dry.text and "If the app used kg" in dry.text
    await bob.press("📥 Import 2 workouts")
    squat = await sets_of(session_factory, user_id, "Barbell Back Squat")
    assert squat[0][:2] == (5, Decimal("45.36"))  # 100 lb


async def test_a_malformed_file_names_its_lines_and_writes_nothing(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    lines = (DATA / "strong.csv").read_text().splitlines()
    lines[2] = lines[2].replace("2026-02-02 18:05:12", "2026-02-31 18:05:12")  # line 3: no such date
    lines[4] = lines[4].replace(",40,8,", ",-40,8,")  # line 5: a negative weight
    lines[6] = lines[6] + ",extra"  # line 7: one column too many
    reply = (await alice.upload("\n".join(lines).encode(), filename="strong.csv"))[-1]
    text = reply.text
    assert text.startswith("❌ I can't import this file: nothing was saved.")
    assert "• line 3: the date “2026-02-31 18:05:12” is not a date I can read" in text
    assert "• line 5: the weight “-40” is negative" in text
    assert "• line 7: 13 columns where the header has 12" in text
    assert reply.reply_markup is None
    assert await counts(session_factory, trainee) == dict.fromkeys(
        ("sessions", "performances", "sets", "own", "imports", "workouts"), 0
    )


async def test_an_unknown_header_and_an_empty_file_are_refused(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    await alice.upload(b"name,amount\nrent,1200\n", filename="budget.csv")
    assert (
        "• line 1: the columns (name, amount) are not those of a Strong, Hevy or FitNotes export"
        in alice.last_text
    )
    await alice.upload(b"Date,Exercise,Category,Weight (kgs),Reps\n", filename="fitnotes.csv")
    assert "there is no set with reps or a time in the file" in alice.last_text
    hevy = b'"title","start_time","exercise_title","weight_kg"\n'
    await alice.upload(hevy, filename="workouts.csv")
    assert "this looks like a Hevy export, but the column “reps” is missing" in alice.last_text
    assert (await counts(session_factory, trainee))["sessions"] == 0


async def test_a_file_over_5_mb_is_refused_before_any_download(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    emulator: BotApiEmulator,
    session_factory: Factory,
) -> None:
    header = (DATA / "strong.csv").read_bytes()
    big = header + b"#" * (MAX_FILE_BYTES + 1 - len(header))
    emulator.stats.requests.clear()
    reply = (await alice.upload(big, filename="strong.csv"))[-1]
    assert reply.text.startswith(
        "❌ That file is 5.0 MB; an export can be at most 5 MB. Nothing was downloaded"
    )
    assert emulator.stats.requests["getFile"] == 0 and emulator.stats.requests["<file download>"] == 0
    assert (await counts(session_factory, trainee))["sessions"] == 0


async def test_cancel_forged_and_stale_buttons_change_nothing(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID, session_factory: Factory
) -> None:
    dry = (await alice.upload((DATA / "strong.csv").read_bytes(), filename="strong.csv"))[-1]
    await alice.press_data("im:go:0000000000000000", dry)  # not this file's
    assert alice.callback_answers[-1].text == ui.EXPIRED
    await alice.press_data("im:go", dry)
    assert alice.callback_answers[-1].text == ui.EXPIRED
    go = dry.reply_markup["inline_keyboard"][0][0]["callback_data"]
    await alice.press("✖ Cancel", dry)
    assert alice.messages[-1].message_id == dry.message_id and alice.messages[-1].text == ui.CANCELLED
    await alice.press_data(go, dry)  # the Import button of the cancelled dry run
    assert alice.callback_answers[-1].text == ui.EXPIRED
    assert await counts(session_factory, trainee) == dict.fromkeys(
        ("sessions", "performances", "sets", "own", "imports", "workouts"), 0
    )
    # an import's button pressed again once it is done
    dry = (await alice.upload((DATA / "strong.csv").read_bytes(), filename="strong.csv"))[-1]
    go = dry.reply_markup["inline_keyboard"][0][0]["callback_data"]
    await alice.press(0, dry)
    await alice.press_data(go, dry)  # pressed again after the import: nothing is pending any more
    assert alice.callback_answers[-1].text == ui.EXPIRED
    assert (await counts(session_factory, trainee))["sessions"] == 2


async def test_import_command_and_yaml_uploads_keep_going_to_programs(
    alice: SandboxUser, bot_app: BotApplication, trainee: uuid.UUID
) -> None:
    await alice.send("/import")
    assert alice.last_text.startswith("📥 Import your history from Strong, Hevy or FitNotes")
    assert "Export Strong Data" in alice.last_text and "Spreadsheet Export" in alice.last_text
    await alice.send("/help")
    assert "/import - Import your history from Strong, Hevy or FitNotes" in alice.last_text
    await alice.upload(b"name: My Program\n", filename="program.yaml")
    assert alice.last_text == coaching_ui.UPLOAD_NOT_COACH  # a trainee's YAML: the program upload's answer
    await alice.upload((DATA / "hevy_kg.csv").read_bytes(), filename="workout_data", mime_type="text/csv")
    assert alice.last_text.startswith("📥 Hevy export: 2 workouts")  # by its type, without .csv


@pytest.fixture
def bob(make_user: Any) -> SandboxUser:
    user: SandboxUser = make_user("Bob", username="bob")
    return user


async def test_another_user_is_answered_while_an_export_is_parsed(
    alice: SandboxUser,
    bob: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parsing, resume = threading.Event(), threading.Event()
    parse = service.parse_export

    def slow_parse(*args: Any, **kwargs: Any) -> Any:
        parsing.set()
        # On the event loop this wait would freeze the bot: Bob's reply would come after it, not before.
        assert resume.wait(timeout=30), "the parse was never released"
        return parse(*args, **kwargs)

    monkeypatch.setattr(service, "parse_export", slow_parse)
    uploading = asyncio.create_task(alice.upload((DATA / "strong.csv").read_bytes(), filename="strong.csv"))
    assert await asyncio.to_thread(parsing.wait, 30), "the file was never parsed"
    replies = await bob.send("/import")  # answered while Alice's file is being parsed
    assert replies[-1].text.startswith("📥 Import your history")
    assert not uploading.done()
    resume.set()
    await uploading
    assert alice.last_text.startswith("📥 Strong export: 2 workouts")
