"""Programs in other languages: the program format's `translations`, stored in program_translation,
round-tripped by import and export, and given to bundled programs seeded before they existed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Program, ProgramTranslation, User
from bot.i18n import use_locale
from bot.services.program_format import ProgramFormatError, dump_program, parse_program, with_canonical_keys
from bot.services.seed import (
    DEFAULT_DATA_DIR,
    KnownCodes,
    ensure_system_user,
    export_program,
    import_program,
    load_known_codes,
    seed_reference_data,
)

RU: dict[str, Any] = {
    "name": "Импортированная программа",
    "description": "Для тестов импорта.",
    "notes": "Заметки.",
    "schedule_notes": "Заметки к расписанию.",
    "workouts": {"a": {"name": "День жима", "description": "Жим и планка."}, "b": "День тяги"},
    "phases": [{"name": "Первая", "description": "Первая половина."}, {"name": "Вторая"}],
}


def _doc(**translations: Any) -> dict[str, Any]:
    return {
        "name": "Imported Program",
        "description": "For the import tests.",
        "notes": "Some notes.",
        "difficulty": "intermediate",
        "categories": ["strength"],
        "schedule": {"length_days": 14, "notes": "Schedule notes."},
        "phases": [
            {"name": "One", "start_day": 1, "end_day": 7, "description": "First half."},
            {"name": "Two", "start_day": 8, "end_day": 14},
        ],
        "workouts": {
            "b": {"name": "Pull Day", "exercises": [{"exercise": "pull-up", "sets": 3, "reps": 8}]},
            "a": {"name": "Push Day", "exercises": [{"exercise": "bench-press", "sets": 5, "reps": 5}]},
        },
        "days": [{"day": 1, "workouts": ["a"]}, {"day": 3, "workouts": ["b"]}],
        "translations": translations or {"ru": RU},
    }


def test_translations_are_read_and_dumped_back() -> None:
    doc = parse_program(_doc())
    ru = doc.translation("ru")
    assert ru is not None and ru.name == "Импортированная программа"
    assert [(w.key, w.name, w.description) for w in ru.workouts] == [
        ("b", "День тяги", None),
        ("a", "День жима", "Жим и планка."),
    ]
    assert [p.name for p in ru.phases] == ["Первая", "Вторая"]
    assert parse_program(dump_program(doc)) == doc
    assert "translations:\n  ru:\n    name: Импортированная программа" in dump_program(doc)


@pytest.mark.parametrize(
    ("translations", "problem"),
    [
        ({"de": {"name": "X"}}, "translations.de: unknown field 'de'"),
        ({"ru": {"name": ""}}, "translations.ru.name: must not be empty"),
        ({"ru": {"titel": "X"}}, "translations.ru.titel: unknown field"),
        ({"ru": {"workouts": {"z": "Зет"}}}, "translations.ru.workouts.z: unknown field 'z'"),
        ({"ru": {"workouts": {"a": {"description": "X"}}}}, "translations.ru.workouts.a.name: required"),
        ({"ru": {"phases": [{"name": "Одна"}]}}, "1 phases, but the program has 2"),
        ({"ru": {"name": "x" * 101}}, "translations.ru.name: 101 characters, at most 100"),
        ({"ru": "Имя"}, "translations.ru: expected a mapping"),
    ],
)
def test_bad_translations_are_refused_with_their_place(translations: dict[str, Any], problem: str) -> None:
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(_doc(**translations))
    assert problem in caught.value.reason


@pytest.fixture
async def catalog(seed_session: AsyncSession, tmp_path: Path) -> tuple[User, KnownCodes]:
    data_dir = tmp_path / "catalog"
    data_dir.mkdir()
    for name in ("reference.yaml", "exercises.yaml"):
        shutil.copy(DEFAULT_DATA_DIR / name, data_dir / name)
    await seed_reference_data(seed_session, data_dir)
    return await ensure_system_user(seed_session), await load_known_codes(seed_session)


async def test_import_stores_the_translation_and_export_gives_it_back(
    seed_session: AsyncSession, catalog: tuple[User, KnownCodes]
) -> None:
    owner, known = catalog
    doc = known.parse(_doc())
    program = await import_program(seed_session, doc, owner=owner)
    await seed_session.commit()
    row = await seed_session.scalar(
        select(ProgramTranslation).where(ProgramTranslation.program_id == program.id)
    )
    assert row is not None and (row.language, row.name, row.schedule_notes) == (
        "ru",
        "Импортированная программа",
        "Заметки к расписанию.",
    )
    assert sorted(w["name"] for w in row.workouts.values()) == ["День жима", "День тяги"]
    seed_session.expunge_all()
    exported = await export_program(seed_session, program.id)
    assert exported == with_canonical_keys(doc)
    ru = exported.translation("ru")
    assert ru is not None and [(w.key, w.name) for w in ru.workouts] == [
        ("push-day", "День жима"),
        ("pull-day", "День тяги"),
    ]
    assert known.parse(dump_program(exported)) == exported


async def test_seeding_gives_bundled_programs_their_missing_translations(
    seed_session: AsyncSession, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir, ignore=shutil.ignore_patterns("*.md"))
    await seed_reference_data(seed_session, data_dir)
    programs = int(await seed_session.scalar(select(func.count()).select_from(Program)) or 0)
    assert await seed_session.scalar(select(func.count()).select_from(ProgramTranslation)) == programs
    await seed_session.execute(delete(ProgramTranslation))  # a database seeded before migration 0021
    report = await seed_reference_data(seed_session, data_dir)
    assert report.programs.updated == programs
    names = set(await seed_session.scalars(select(ProgramTranslation.name)))
    assert "С дивана до 5 км - 9 недель" in names and len(names) == programs
    again = await seed_reference_data(seed_session, data_dir)
    assert again.programs.skipped == programs and again.programs.updated == 0


NOTED: dict[str, Any] = {
    "name": "День жима",
    "exercises": [None, "Лопатки сведены, ноги упираются в пол.", ""],
}


def _noted_doc(**ru: Any) -> dict[str, Any]:
    data = _doc(ru={**RU, "workouts": {"a": {**NOTED, **ru}, "b": "День тяги"}})
    data["workouts"]["a"]["exercises"] = [
        {"exercise": "bench-press", "sets": 5, "reps": 5, "notes": "Warm up first."},
        {"exercise": "push-up", "sets": 3, "reps": 10, "notes": "Shoulder blades back, feet on the floor."},
        {"exercise": "plank", "sets": 3, "duration": "30s"},
    ]
    return data


def test_exercise_notes_are_read_and_dumped_back() -> None:
    doc = parse_program(_noted_doc())
    ru = doc.translation("ru")
    assert ru is not None
    (push,) = [w for w in ru.workouts if w.key == "a"]
    assert push.exercises == (None, "Лопатки сведены, ноги упираются в пол.")  # "" and trailing: none
    text = dump_program(doc)
    assert "exercises:\n          - null\n          - Лопатки сведены, ноги упираются в пол.\n" in text
    assert parse_program(text) == doc


@pytest.mark.parametrize(
    ("notes", "problem"),
    [
        (
            ["a", "b", "c", "d"],
            "translations.ru.workouts.a.exercises: more notes (4) than the workout has exercises (3)",
        ),
        (["x" * 1001], "translations.ru.workouts.a.exercises[0]: 1001 characters, at most 1000"),
        ([5], "translations.ru.workouts.a.exercises[0]: expected text, got"),
        ("Заметка", "translations.ru.workouts.a.exercises: expected a list of notes"),
    ],
)
def test_bad_exercise_notes_are_refused_with_their_place(notes: Any, problem: str) -> None:
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(_noted_doc(exercises=notes))
    assert problem in caught.value.reason


async def test_exercise_notes_are_stored_and_exported(
    seed_session: AsyncSession, catalog: tuple[User, KnownCodes]
) -> None:
    owner, known = catalog
    doc = known.parse(_noted_doc())
    program = await import_program(seed_session, doc, owner=owner)
    await seed_session.commit()
    row = await seed_session.scalar(
        select(ProgramTranslation).where(ProgramTranslation.program_id == program.id)
    )
    assert row is not None
    stored = {w["name"]: w.get("exercises") for w in row.workouts.values()}
    assert stored == {"День жима": [None, "Лопатки сведены, ноги упираются в пол."], "День тяги": None}
    seed_session.expunge_all()
    exported = await export_program(seed_session, program.id)
    assert exported == with_canonical_keys(doc)
    ru = exported.translation("ru")
    assert ru is not None and [w.exercises for w in ru.workouts] == [
        (None, "Лопатки сведены, ноги упираются в пол."),
        (),
    ]
    assert known.parse(dump_program(exported)) == exported


async def test_seeding_gives_bundled_workouts_their_missing_exercise_notes(
    seed_session: AsyncSession, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir, ignore=shutil.ignore_patterns("*.md"))
    await seed_reference_data(seed_session, data_dir)
    rows = list(await seed_session.scalars(select(ProgramTranslation)))
    noted = sum(1 for row in rows for texts in row.workouts.values() if texts.get("exercises"))
    assert noted >= 20
    edited, key = next(
        (row, key) for row in rows for key, texts in row.workouts.items() if texts.get("exercises")
    )
    for row in rows:  # a database seeded before the notes were translated
        row.workouts = {
            key: {"name": t["name"], "description": t["description"]} for key, t in row.workouts.items()
        }
    edited.workouts = {**edited.workouts, key: {**edited.workouts[key], "exercises": ["Своя заметка."]}}
    await seed_session.flush()
    programs = len(rows)
    report = await seed_reference_data(seed_session, data_dir)
    assert report.programs.updated == programs
    seed_session.expire_all()
    rows = list(await seed_session.scalars(select(ProgramTranslation)))
    assert sum(1 for row in rows for texts in row.workouts.values() if texts.get("exercises")) == noted
    kept = next(row for row in rows if row.id == edited.id)
    assert kept.workouts[key]["exercises"] == ["Своя заметка."]  # a stored translation is not overwritten
    again = await seed_reference_data(seed_session, data_dir)
    assert again.programs.skipped == programs and again.programs.updated == 0


@pytest.mark.parametrize(
    ("count", "head"),
    [
        (2, "В программе 2 ошибки:"),
        (5, "В программе 5 ошибок:"),
        (11, "В программе 11 ошибок:"),
        (21, "В программе 21 ошибка:"),
    ],
)
def test_upload_problems_are_explained_in_russian(count: int, head: str) -> None:
    data = _doc()
    del data["difficulty"]
    data["categories"] = ["strength", "strength"]  # listed twice
    data |= {f"extra{i}": 1 for i in range(count - 2)}  # unknown fields
    with use_locale("ru"), pytest.raises(ProgramFormatError) as caught:
        parse_program(data, known_categories={"strength"})
    reason = caught.value.reason
    assert reason.startswith(head), reason
    assert "- difficulty: обязательно, но отсутствует" in reason
    assert "categories[1]: «strength» указан дважды" in reason


def test_one_upload_problem_in_russian() -> None:
    with use_locale("ru"), pytest.raises(ProgramFormatError) as caught:
        parse_program(_doc(ru={"name": "Имя", "titel": "X"}))
    assert caught.value.reason == (
        "В программе ошибка: translations.ru.titel: неизвестное поле «titel» - ожидалось одно из: "
        "name, description, notes, stall_remedy, schedule_notes, workouts, phases"
    )


def test_too_many_exercise_notes_explained_in_russian() -> None:
    with use_locale("ru"), pytest.raises(ProgramFormatError) as caught:
        parse_program(_noted_doc(exercises=["а", "б", "в", "г"]))
    assert caught.value.reason == (
        "В программе ошибка: translations.ru.workouts.a.exercises: заметок (4) больше, чем упражнений "
        "в тренировке (3): по одной на упражнение"
    )
