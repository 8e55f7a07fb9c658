"""Seeding the reference data, the exercise catalog and the shipped programs; importing and exporting
programs."""

from __future__ import annotations

import shutil
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.base import Base
from bot.db.enums import Role, TrackingType, VisibilityCode
from bot.db.models import (
    Category,
    DifficultyLevel,
    Exercise,
    ExerciseInstruction,
    Metric,
    Program,
    ProgramCategory,
    ProgramPhase,
    ProgramSchedule,
    ProgramTag,
    ScheduleWorkout,
    Tag,
    User,
    Visibility,
    Workout,
)
from bot.services.errors import NotFound
from bot.services.program_format import ProgramDoc, dump_program, parse_program, with_canonical_keys
from bot.services.seed import (
    DEFAULT_DATA_DIR,
    EQUIPMENT,
    MUSCLE_GROUPS,
    SYSTEM_TELEGRAM_ID,
    KnownCodes,
    ProgramExistsError,
    SeedDataError,
    UnknownReferenceError,
    ensure_system_user,
    export_program,
    import_program,
    load_known_codes,
    parse_exercises,
    parse_reference,
    seed_reference_data,
)

PROGRAM_FILES = sorted((DEFAULT_DATA_DIR / "programs").glob("*.yaml"))
PROGRAM_TEXTS = {path.stem: path.read_text() for path in PROGRAM_FILES}


def _catalog() -> KnownCodes:
    reference = parse_reference((DEFAULT_DATA_DIR / "reference.yaml").read_text())
    exercises = parse_exercises((DEFAULT_DATA_DIR / "exercises.yaml").read_text())
    return KnownCodes(
        exercises={e.code: e.tracking.value for e in exercises},
        difficulties=frozenset(d.code for d in reference.difficulty_levels),
        categories=frozenset(c.code for c in reference.categories),
        tags=frozenset(t.code for t in reference.tags),
    )


async def _count_rows(session: AsyncSession) -> dict[str, int]:
    return {
        table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
        for table in Base.metadata.sorted_tables
    }


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, target, ignore=shutil.ignore_patterns("*.md"))
    return target


# --- the shipped data files --------------------------------------------------------------------------


def test_the_catalog_has_at_least_60_described_exercises_of_every_kind() -> None:
    exercises = parse_exercises((DEFAULT_DATA_DIR / "exercises.yaml").read_text())
    assert len(exercises) >= 60
    assert all(e.description and len(e.description) >= 40 for e in exercises)
    assert {e.muscle_group for e in exercises} == set(MUSCLE_GROUPS)
    assert {e.equipment for e in exercises} <= set(EQUIPMENT)
    tracking = {e.code: e.tracking for e in exercises}
    assert tracking["back-squat"] is TrackingType.WEIGHT_REPS
    assert tracking["push-up"] is TrackingType.REPS
    assert tracking["pull-up"] is TrackingType.REPS
    assert tracking["plank"] is TrackingType.DURATION
    assert tracking["jog"] is TrackingType.DURATION


def test_the_reference_data_is_complete() -> None:
    reference = parse_reference((DEFAULT_DATA_DIR / "reference.yaml").read_text())
    assert [(d.code, d.rank) for d in reference.difficulty_levels][:3] == [
        ("beginner", 1),
        ("intermediate", 2),
        ("advanced", 3),
    ]
    assert {v.code for v in reference.visibilities} == set(VisibilityCode)
    metrics = {m.code: m for m in reference.metrics}
    assert metrics["body_weight"].canonical_unit == "kg"
    assert metrics["body_weight"].accepted_units == ("kg", "lb")
    assert metrics["waist"].accepted_units == ("cm", "in")
    assert metrics["resting_heart_rate"].canonical_unit == "bpm"
    assert all(
        m.min_value is not None and m.max_value is not None and m.min_value < m.max_value
        for m in metrics.values()
    )


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=[p.stem for p in PROGRAM_FILES])
def test_each_shipped_program_validates_and_round_trips(path: Path) -> None:
    doc = _catalog().parse(path.read_text())
    assert parse_program(dump_program(doc)) == doc
    # Keys in the files are the slugs export_program produces, in order of use: export gives the same.
    assert with_canonical_keys(doc) == doc


def test_the_shipped_programs() -> None:
    docs = {doc.name: doc for doc in (_catalog().parse(p.read_text()) for p in PROGRAM_FILES)}
    assert len(docs) >= 4

    beginner = docs["Beginner Full-Body Linear Progression"]
    assert (beginner.schedule.length_days, beginner.difficulty) == (84, "beginner")
    assert [p.name for p in beginner.phases] == ["Foundation", "Build", "Consolidate"]
    week_1 = [(d.day, d.workouts[0].workout) for d in beginner.days if d.day <= 14]
    assert week_1 == [
        (1, "full-body-a"),
        (3, "full-body-b"),
        (5, "full-body-a"),
        (8, "full-body-b"),
        (10, "full-body-a"),
        (12, "full-body-b"),
    ]
    assert len(beginner.days) == 36

    split = docs["Intermediate Upper/Lower Split"]
    assert (split.schedule.length_days, split.difficulty) == (56, "intermediate")
    optional = [entry for day in split.days for entry in day.workouts if entry.optional]
    assert len(optional) == 8 and {entry.workout for entry in optional} == {"conditioning-mobility"}
    assert sum(not entry.optional for day in split.days for entry in day.workouts) == 32

    home = docs["Bodyweight at Home - 6 Weeks"]
    assert home.schedule.length_days == 42 and "no-equipment" in home.tags
    equipment = {
        e.code: e.equipment for e in parse_exercises((DEFAULT_DATA_DIR / "exercises.yaml").read_text())
    }
    assert {equipment[code] for code in home.exercise_codes()} == {"bodyweight"}

    running = docs["Couch to 5K - 9 Weeks"]
    assert running.schedule.length_days == 63 and len(running.days) == 27
    tracking = _catalog().exercises
    assert {tracking[code] for code in running.exercise_codes()} == {"DURATION"}
    run_minutes = [
        sum(
            i.duration_seconds * i.sets
            for i in running.workout(d.workouts[0].workout).exercises
            if i.exercise != "brisk-walk"
        )
        // 60
        for d in running.days
    ]
    assert (
        run_minutes
        == [8] * 3 + [9] * 3 + [9] * 3 + [16] * 3 + [15, 16, 20, 18, 20, 25] + [25] * 3 + [28] * 3 + [30] * 3
    )
    assert len({d.workouts[0].workout for d in running.days}) == 13  # a new workout every week


# --- seeding -----------------------------------------------------------------------------------------


async def test_seeding_writes_everything_and_a_second_run_changes_nothing(seed_session: AsyncSession) -> None:
    report = await seed_reference_data(seed_session)
    assert report.changed
    assert report.difficulty_levels.inserted == 4
    assert report.visibilities.inserted == 3
    assert report.exercises.inserted >= 60
    assert report.programs.inserted == len(PROGRAM_FILES)
    assert str(report).startswith(f"seed: {report.inserted} inserted, 0 updated (")
    await seed_session.commit()
    counts = await _count_rows(seed_session)
    assert counts["program"] == len(PROGRAM_FILES)
    assert counts["exercise"] == report.exercises.inserted

    again = await seed_reference_data(seed_session)
    assert not again.changed
    assert (again.inserted, again.updated) == (0, 0)
    assert again.programs.skipped == len(PROGRAM_FILES)
    assert again.exercises.unchanged == report.exercises.inserted
    assert str(again).startswith("seed: no changes (")
    assert await _count_rows(seed_session) == counts


async def test_seeded_rows_are_owned_by_the_system_user(seed_session: AsyncSession) -> None:
    await seed_reference_data(seed_session)
    system = await ensure_system_user(seed_session)
    assert (system.telegram_id, system.first_name, system.role) == (
        SYSTEM_TELEGRAM_ID,
        "Workout Bot",
        Role.ADMIN,
    )
    assert system.reminders_enabled is False
    for model in (Program, ProgramCategory, ProgramTag, ProgramSchedule, ScheduleWorkout, ProgramPhase):
        owners = set(await seed_session.scalars(select(model.created_by)))
        assert owners == {system.id}, model
    assert set(await seed_session.scalars(select(Workout.created_by))) == {system.id}
    assert set(await seed_session.scalars(select(ExerciseInstruction.created_by))) == {system.id}
    assert set(await seed_session.scalars(select(Exercise.created_by))) == {system.id}
    assert await seed_session.scalar(select(func.count()).select_from(User)) == 1


async def test_ensure_system_user_is_idempotent(seed_session: AsyncSession) -> None:
    first = await ensure_system_user(seed_session)
    second = await ensure_system_user(seed_session)
    assert first.id == second.id
    assert await seed_session.scalar(select(func.count()).select_from(User)) == 1


async def test_changed_reference_data_is_updated_in_place(seed_session: AsyncSession, tmp_path: Path) -> None:
    data_dir = _copy_data(tmp_path)
    await seed_reference_data(seed_session, data_dir)
    category_id = await seed_session.scalar(select(Category.id).where(Category.code == "strength"))
    beginner_id = await seed_session.scalar(
        select(DifficultyLevel.id).where(DifficultyLevel.code == "beginner")
    )

    reference = yaml.safe_load((data_dir / "reference.yaml").read_text())
    reference["categories"][0]["name"] = "Strength Training"
    levels = reference["difficulty_levels"]
    levels[0]["rank"], levels[1]["rank"] = levels[1]["rank"], levels[0]["rank"]  # a swap: unique ranks
    reference["metrics"][0]["max_value"] = 500
    reference["metrics"][0]["accepted_units"] = ["kg", "lb", "st"]
    reference["tags"].append({"code": "kettlebell-only", "name": "Kettlebell Only"})
    (data_dir / "reference.yaml").write_text(yaml.safe_dump(reference, sort_keys=False))
    exercises = yaml.safe_load((data_dir / "exercises.yaml").read_text())
    exercises["exercises"][0]["description"] = "Changed."
    (data_dir / "exercises.yaml").write_text(yaml.safe_dump(exercises, sort_keys=False))

    report = await seed_reference_data(seed_session, data_dir)
    assert (report.categories.updated, report.difficulty_levels.updated, report.metrics.updated) == (1, 2, 1)
    assert (report.tags.inserted, report.exercises.updated, report.programs.skipped) == (
        1,
        1,
        len(PROGRAM_FILES),
    )
    category = await seed_session.scalar(select(Category).where(Category.code == "strength"))
    assert category is not None and (category.id, category.name) == (category_id, "Strength Training")
    beginner = await seed_session.scalar(select(DifficultyLevel).where(DifficultyLevel.code == "beginner"))
    assert beginner is not None and (beginner.id, beginner.rank) == (beginner_id, 2)
    metric = await seed_session.scalar(select(Metric).where(Metric.code == "body_weight"))
    assert metric is not None and metric.max_value == 500 and metric.accepted_units == ["kg", "lb", "st"]
    assert not (await seed_reference_data(seed_session, data_dir)).changed


async def test_an_existing_program_is_left_untouched(seed_session: AsyncSession, tmp_path: Path) -> None:
    data_dir = _copy_data(tmp_path)
    await seed_reference_data(seed_session, data_dir)
    path = data_dir / "programs" / PROGRAM_FILES[0].name
    path.write_text(path.read_text().replace("Twelve weeks of simple", "Twelve weeks of changed"))
    before = await _count_rows(seed_session)
    report = await seed_reference_data(seed_session, data_dir)
    assert report.programs.skipped == len(PROGRAM_FILES) and not report.changed
    assert await _count_rows(seed_session) == before
    descriptions = await seed_session.scalars(select(Program.description))
    assert not any("changed" in text for text in descriptions)


async def test_invalid_seed_data_writes_nothing_and_reports_every_file(
    seed_session: AsyncSession, tmp_path: Path
) -> None:
    data_dir = _copy_data(tmp_path)
    reference = yaml.safe_load((data_dir / "reference.yaml").read_text())
    reference["tags"].append({"code": "Bad Code", "name": "Bad"})
    (data_dir / "reference.yaml").write_text(yaml.safe_dump(reference, sort_keys=False))
    exercises = yaml.safe_load((data_dir / "exercises.yaml").read_text())
    exercises["exercises"][1]["tracking"] = "weight"
    exercises["exercises"][2]["muscle_group"] = "legs"
    exercises["exercises"][3]["code"] = exercises["exercises"][0]["code"]
    (data_dir / "exercises.yaml").write_text(yaml.safe_dump(exercises, sort_keys=False))
    (data_dir / "programs" / "zz-broken.yaml").write_text("name: Broken\nworkouts: {}\n")

    with pytest.raises(SeedDataError) as caught:
        await seed_reference_data(seed_session, data_dir)
    found = [str(problem) for problem in caught.value.problems]
    first = exercises["exercises"][0]["code"]
    assert (
        "reference.yaml: tags[15].code: 'Bad Code' is not a code: use lower-case letters, digits, '-' or '_'"
        in found
    )
    assert any(
        p.startswith("exercises.yaml: exercises[1].tracking: unknown tracking 'weight'") for p in found
    )
    assert any(
        p.startswith("exercises.yaml: exercises[2].muscle_group: unknown muscle group 'legs'") for p in found
    )
    assert f"exercises.yaml: exercises[3].code: '{first}' is already used by exercises[0]" in found
    assert "programs/zz-broken.yaml: description: required, but missing" in found
    assert "programs/zz-broken.yaml: workouts: define at least one workout" in found
    assert all(count == 0 for count in (await _count_rows(seed_session)).values())


def test_reference_data_rules() -> None:
    with pytest.raises(SeedDataError) as caught:
        parse_reference(
            """
difficulty_levels:
  - {code: beginner, name: Beginner, rank: 1}
  - {code: novice, name: Novice, rank: 1}
visibilities:
  - {code: PUBLIC, name: Public}
  - {code: SECRET, name: Secret}
categories:
  - {code: strength, name: Strength, description: x}
  - {code: power, name: strength}
tags: []
metrics:
  - {code: body_weight, name: Body weight, canonical_unit: kg, accepted_units: [lb], min_value: 400, max_value: 20}
  - {code: waist, name: Waist, canonical_unit: cm, min_value: true}
"""
        )
    assert [str(p) for p in caught.value.problems] == [
        "difficulty_levels[1].rank: 1 is already used by difficulty_levels[0]",
        "visibilities[1].code: unknown visibility 'SECRET' - expected one of: PUBLIC, PRIVATE, UNLISTED",
        "categories[1].name: 'strength' is already used by categories[0]",
        "metrics[0].accepted_units: must include the canonical unit 'kg'",
        "metrics[0]: min_value 400 must be less than max_value 20",
        "metrics[1].min_value: expected a number, got true",
    ]


async def test_unique_values_held_by_unmanaged_rows_are_reported(seed_session: AsyncSession) -> None:
    seed_session.add_all(
        [Tag(code="my-own", name="Barbell"), DifficultyLevel(code="pro", name="Pro", rank=3)]
    )
    await seed_session.flush()
    with pytest.raises(SeedDataError) as caught:
        await seed_reference_data(seed_session)
    assert [str(p) for p in caught.value.problems] == [
        "reference.yaml: difficulty rank '3' is already used by 'pro' in the database",
        "reference.yaml: tag name 'Barbell' is already used by 'my-own' in the database",
    ]
    assert await seed_session.scalar(select(func.count()).select_from(Program)) == 0


# --- import and export -------------------------------------------------------------------------------


def _doc(length_days: int = 14, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": "Imported Program",
        "description": "For the import tests.",
        "notes": "Some notes.",
        "difficulty": "intermediate",
        "visibility": "UNLISTED",
        "categories": ["hypertrophy", "strength", "full-body"],
        "tags": ["gym", "barbell"],
        "schedule": {"length_days": length_days, "rest_days_per_week": 2, "notes": "Schedule notes."},
        "phases": [
            {"name": "One", "start_day": 1, "end_day": length_days // 2, "description": "First half."},
            {"name": "Two", "start_day": length_days // 2 + 1, "end_day": length_days},
        ],
        "workouts": {
            "b": {
                "name": "Pull Day",
                "description": "Rows and curls.",
                "estimated_minutes": 45,
                "exercises": [
                    {"exercise": "barbell-row", "sets": 4, "reps": "6-8", "weight_kg": 52.5, "rest": 150},
                    {"exercise": "pull-up", "sets": 3, "reps": 8, "rest": 120, "notes": "Full hang."},
                    {"exercise": "dumbbell-curl", "sets": 3, "reps": "10-12", "rest": 60},
                ],
            },
            "a": {
                "name": "Push Day",
                "exercises": [
                    {"exercise": "bench-press", "sets": 5, "reps": 5, "weight_kg": 60, "rest": 180},
                    {"exercise": "plank", "sets": 2, "duration": "1:15", "rest": 45},
                ],
            },
        },
        "cycle": [["a"], ["b", {"workout": "a", "optional": True, "notes": "Only if fresh."}], []],
    }
    data.update(changes)
    return data


@pytest.fixture
async def seeded(seed_session: AsyncSession, tmp_path: Path) -> tuple[User, KnownCodes]:
    """The reference data and the catalog, without the shipped programs; the owner and known codes."""
    data_dir = tmp_path / "catalog"
    data_dir.mkdir()
    for name in ("reference.yaml", "exercises.yaml"):
        shutil.copy(DEFAULT_DATA_DIR / name, data_dir / name)
    report = await seed_reference_data(seed_session, data_dir)
    assert report.programs.inserted == 0
    return await ensure_system_user(seed_session), await load_known_codes(seed_session)


async def test_import_program_writes_exactly_the_expected_rows(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    owner, known = seeded
    doc = known.parse(_doc())
    before = await _count_rows(seed_session)
    program = await import_program(seed_session, doc, owner=owner)
    await seed_session.commit()
    after = await _count_rows(seed_session)
    added = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    entries = sum(len(day.workouts) for day in doc.days)
    assert added == {
        "program": 1,
        "program_category": 3,
        "program_tag": 2,
        "program_schedule": 1,
        "program_phase": 2,
        "workout": 2,
        "exercise_instruction": 5,
        "schedule_workout": entries,
    }
    assert entries == 5 + 5 * 2  # 14 days of the 3-day cycle [a], [b, a?], []: 5 + 5 days
    rows = (
        await seed_session.execute(
            select(ScheduleWorkout.day_number, ScheduleWorkout.order_index, ScheduleWorkout.is_optional)
            .join(ProgramSchedule)
            .where(ProgramSchedule.program_id == program.id)
            .order_by(ScheduleWorkout.day_number, ScheduleWorkout.order_index)
        )
    ).all()
    assert [tuple(row) for row in rows[:3]] == [(1, 0, False), (2, 0, False), (2, 1, True)]
    assert len({row.day_number for row in rows}) == len(doc.days)

    primary = (
        await seed_session.execute(
            select(Category.code, ProgramCategory.is_primary)
            .join(Category)
            .where(ProgramCategory.program_id == program.id)
        )
    ).all()
    assert sorted(tuple(row) for row in primary) == [
        ("full-body", False),
        ("hypertrophy", True),
        ("strength", False),
    ]
    phases = (
        await seed_session.execute(
            select(ProgramPhase.name, ProgramPhase.order_index, ProgramPhase.start_day, ProgramPhase.end_day)
            .where(ProgramPhase.program_id == program.id)
            .order_by(ProgramPhase.order_index)
        )
    ).all()
    assert [tuple(row) for row in phases] == [("One", 0, 1, 7), ("Two", 1, 8, 14)]
    orders = Counter(await seed_session.scalars(select(ExerciseInstruction.order_index)))
    assert orders == Counter({0: 2, 1: 2, 2: 1})
    visibility = await seed_session.scalar(
        select(Visibility.code).where(Visibility.id == program.visibility_id)
    )
    assert visibility is VisibilityCode.UNLISTED


async def test_export_reproduces_the_imported_document(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    owner, known = seeded
    doc = known.parse(_doc())
    program = await import_program(seed_session, doc, owner=owner)
    await seed_session.commit()
    exported = await export_program(seed_session, program.id)
    assert exported == with_canonical_keys(doc)
    assert [w.key for w in exported.workouts] == ["push-day", "pull-day"]
    assert known.parse(dump_program(exported)) == exported
    # In a fresh session too (nothing from the identity map).
    seed_session.expunge_all()
    assert await export_program(seed_session, program.id) == exported


@pytest.mark.parametrize("path", PROGRAM_FILES, ids=[p.stem for p in PROGRAM_FILES])
async def test_each_shipped_program_exports_exactly_as_written(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes], path: Path
) -> None:
    owner, known = seeded
    doc = known.parse(PROGRAM_TEXTS[path.stem])
    program = await import_program(seed_session, doc, owner=owner)
    seed_session.expunge_all()
    assert await export_program(seed_session, program.id) == doc


async def test_visibility_can_be_overridden(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    owner, known = seeded
    program = await import_program(
        seed_session, known.parse(_doc()), owner=owner, visibility=VisibilityCode.PRIVATE
    )
    assert (await export_program(seed_session, program.id)).visibility is VisibilityCode.PRIVATE


async def test_a_program_name_can_be_imported_only_once(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    owner, known = seeded
    await import_program(seed_session, known.parse(_doc()), owner=owner)
    before = await _count_rows(seed_session)
    with pytest.raises(ProgramExistsError) as caught:
        await import_program(seed_session, known.parse(_doc(name="IMPORTED program")), owner=owner)
    assert caught.value.reason == "The program name 'IMPORTED program' is taken - choose another name."
    assert await _count_rows(seed_session) == before


async def test_unknown_codes_are_refused_before_anything_is_written(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    owner, _known = seeded
    data = _doc(tags=["gym", "no-such-tag"])
    data["workouts"]["a"]["exercises"][0]["exercise"] = "no-such-exercise"
    doc = parse_program(data)  # parsed without a catalog
    before = await _count_rows(seed_session)
    with pytest.raises(UnknownReferenceError) as caught:
        await import_program(seed_session, doc, owner=owner)
    assert (
        caught.value.reason == "The program refers to unknown tag 'no-such-tag', exercise 'no-such-exercise'."
    )
    assert await _count_rows(seed_session) == before


async def test_exporting_a_missing_program_is_not_found(seed_session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await export_program(seed_session, uuid.uuid4())


async def test_a_730_day_program_imports_in_a_few_statements(
    seed_session: AsyncSession, seed_engine: AsyncEngine, seeded: tuple[User, KnownCodes]
) -> None:
    owner, known = seeded
    data = _doc(length_days=730, name="Two Years")
    data["cycle"] = [["a", "b"]]
    doc: ProgramDoc = known.parse(data)
    assert sum(len(day.workouts) for day in doc.days) == 1460

    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    event.listen(seed_engine.sync_engine, "before_cursor_execute", count)
    try:
        program = await import_program(seed_session, doc, owner=owner)
    finally:
        event.remove(seed_engine.sync_engine, "before_cursor_execute", count)
    # 7 look-ups and one (executemany) INSERT per table; never one statement per row.
    assert len(statements) <= 20, statements
    assert await seed_session.scalar(select(func.count()).select_from(ScheduleWorkout)) == 1460
    seed_session.expunge_all()
    assert await export_program(seed_session, program.id) == with_canonical_keys(doc)


async def test_known_codes_leave_out_inactive_rows(
    seed_session: AsyncSession, seeded: tuple[User, KnownCodes]
) -> None:
    _owner, known = seeded
    assert known.exercises["plank"] == "DURATION"
    exercise = await seed_session.scalar(select(Exercise).where(Exercise.code == "plank"))
    assert exercise is not None
    exercise.is_active = False
    await seed_session.flush()
    assert "plank" not in (await load_known_codes(seed_session)).exercises
    assert "plank" in (await load_known_codes(seed_session, active_only=False)).exercises
    assert {"beginner", "intermediate"} <= known.difficulties
    tag_count = await seed_session.scalar(select(func.count()).select_from(Tag))
    assert len(known.tags) == tag_count
