"""Seeding: the data files read and validated, then upserted by natural key (idempotent)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Category, DifficultyLevel, Exercise, Metric, Program, Tag, Visibility
from bot.services import catalog_cache
from bot.services.program_format import (
    DataFormatError,
    Problem,
    ProgramDoc,
    ProgramFormatError,
    parse_program,
)
from bot.services.seed.errors import SeedDataError
from bot.services.seed.known import KnownCodes, ensure_system_user, load_known_codes
from bot.services.seed.programs import add_missing_translations, import_program
from bot.services.seed.reference import ExerciseDoc, ReferenceDoc, parse_exercises, parse_reference

DEFAULT_DATA_DIR: Final = Path(__file__).resolve().parents[2] / "data"  # bot/data
REFERENCE_FILE: Final = "reference.yaml"
EXERCISES_FILE: Final = "exercises.yaml"
PROGRAMS_DIR: Final = "programs"


@dataclass(slots=True)
class SeedCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    @property
    def changed(self) -> int:
        return self.inserted + self.updated

    def __str__(self) -> str:
        parts = [
            f"{count} {label}"
            for count, label in (
                (self.inserted, "inserted"),
                (self.updated, "updated"),
                (self.unchanged, "unchanged"),
                (self.skipped, "skipped"),
            )
            if count
        ]
        return ", ".join(parts) or "none"


@dataclass(slots=True)
class SeedReport:
    """Counts per kind of row. Existing programs are never modified: they count as skipped."""

    difficulty_levels: SeedCounts = field(default_factory=SeedCounts)
    visibilities: SeedCounts = field(default_factory=SeedCounts)
    categories: SeedCounts = field(default_factory=SeedCounts)
    tags: SeedCounts = field(default_factory=SeedCounts)
    metrics: SeedCounts = field(default_factory=SeedCounts)
    exercises: SeedCounts = field(default_factory=SeedCounts)
    programs: SeedCounts = field(default_factory=SeedCounts)

    def kinds(self) -> list[tuple[str, SeedCounts]]:
        return [(item.name, getattr(self, item.name)) for item in fields(self)]

    @property
    def inserted(self) -> int:
        return sum(counts.inserted for _, counts in self.kinds())

    @property
    def updated(self) -> int:
        return sum(counts.updated for _, counts in self.kinds())

    @property
    def changed(self) -> bool:
        return self.inserted + self.updated > 0

    def __str__(self) -> str:
        body = "; ".join(f"{name.replace('_', ' ')}: {counts}" for name, counts in self.kinds())
        head = f"{self.inserted} inserted, {self.updated} updated" if self.changed else "no changes"
        return f"seed: {head} ({body})"


@dataclass(frozen=True, slots=True)
class SeedFiles:
    reference: str
    exercises: str
    programs: tuple[tuple[str, str], ...]  # (relative path, text), sorted by path


def read_seed_files(data_dir: Path) -> SeedFiles:
    """The texts of reference.yaml, exercises.yaml and programs/*.yaml (blocking file reads)."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for name in (REFERENCE_FILE, EXERCISES_FILE):
        try:
            texts[name] = (data_dir / name).read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(Problem(name, f"cannot be read: {exc.strerror or exc}"))
    programs: list[tuple[str, str]] = []
    program_dir = data_dir / PROGRAMS_DIR
    if program_dir.is_dir():
        for path in sorted(program_dir.glob("*.yaml")):
            relative = f"{PROGRAMS_DIR}/{path.name}"
            try:
                programs.append((relative, path.read_text(encoding="utf-8")))
            except OSError as exc:
                problems.append(Problem(relative, f"cannot be read: {exc.strerror or exc}"))
    if problems:
        raise SeedDataError(problems)
    return SeedFiles(texts[REFERENCE_FILE], texts[EXERCISES_FILE], tuple(programs))


def _in_file(name: str, problems: Iterable[Problem]) -> list[Problem]:
    return [Problem(f"{name}: {p.location}" if p.location else name, p.message) for p in problems]


_Parsed = tuple[ReferenceDoc, tuple[ExerciseDoc, ...], tuple[ProgramDoc, ...]]
_PARSED: dict[tuple[object, ...], _Parsed] = {}
"""Seed files already parsed in this process, by their texts and the codes they were checked against:
the bundled programs take about a second of YAML parsing, and the documents are immutable."""
_PARSED_MAX: Final = 8


def _parse_seed_files(
    files: SeedFiles, in_database: KnownCodes
) -> tuple[ReferenceDoc, tuple[ExerciseDoc, ...], list[ProgramDoc]]:
    key = (
        files,
        frozenset(in_database.exercises.items()),
        in_database.difficulties,
        in_database.categories,
        in_database.tags,
        frozenset(in_database.own_exercises.items()),
    )
    found = _PARSED.get(key)
    if found is None:
        found = _parse_uncached(files, in_database)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()
        _PARSED[key] = found
    reference, exercises, programs = found
    return reference, exercises, list(programs)


def _parse_uncached(files: SeedFiles, in_database: KnownCodes) -> _Parsed:
    problems: list[Problem] = []
    reference: ReferenceDoc | None = None
    exercises: tuple[ExerciseDoc, ...] = ()
    try:
        reference = parse_reference(files.reference)
    except DataFormatError as exc:
        problems += _in_file(REFERENCE_FILE, exc.problems)
    try:
        exercises = parse_exercises(files.exercises)
    except DataFormatError as exc:
        problems += _in_file(EXERCISES_FILE, exc.problems)
    known = in_database
    if reference is not None:
        known = known.merged(
            KnownCodes(
                exercises={item.code: item.tracking.value for item in exercises},
                difficulties=frozenset(item.code for item in reference.difficulty_levels),
                categories=frozenset(item.code for item in reference.categories),
                tags=frozenset(item.code for item in reference.tags),
            )
        )
    programs: list[ProgramDoc] = []
    names: dict[str, str] = {}
    catalog_ok = not problems  # else check the programs' structure only: no noise about unknown codes
    for path, text in files.programs:
        try:
            doc = known.parse(text) if catalog_ok else parse_program(text)
        except ProgramFormatError as exc:
            problems += _in_file(path, exc.problems)
            continue
        folded = doc.name.casefold()
        if folded in names:
            problems.append(Problem(f"{path}: name", f"'{doc.name}' is already the name of {names[folded]}"))
            continue
        names[folded] = path
        programs.append(doc)
    if problems or reference is None:
        raise SeedDataError(problems)
    return reference, exercises, tuple(programs)


async def _upsert(
    session: AsyncSession,
    model: Any,
    rows: Sequence[dict[str, Any]],
    counts: SeedCounts,
    *,
    unique: Mapping[str, Callable[[int], Any]] | None = None,
    on_insert: Mapping[str, Any] | None = None,
) -> None:
    """Insert or update rows by `code` in one query; `unique` columns that change are first moved to a
    temporary value (made from the row's position) so that swaps between rows never break a constraint."""
    codes = [row["code"] for row in rows]
    existing = {item.code: item for item in await session.scalars(select(model).where(model.code.in_(codes)))}
    moved = False
    for position, row in enumerate(rows):
        item = existing.get(row["code"])
        if item is None:
            continue
        for column, temporary in (unique or {}).items():
            if getattr(item, column) != row[column]:
                setattr(item, column, temporary(position))
                moved = True
    if moved:
        await session.flush()
    new = []
    for row in rows:
        item = existing.get(row["code"])
        if item is None:
            new.append(model(**row, **(on_insert or {})))
            counts.inserted += 1
            continue
        changed = False
        for column, value in row.items():
            if getattr(item, column) != value:
                setattr(item, column, value)
                changed = True
        if changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.add_all(new)


async def _check_unique(
    session: AsyncSession,
    model: Any,
    label: str,
    rows: Sequence[dict[str, Any]],
    file: str,
    column: str = "name",
) -> list[Problem]:
    """Unique values held in the database by rows the files do not mention (they keep them) cannot be
    reused: report them instead of failing on a constraint halfway through."""
    values = [row[column] for row in rows]
    codes = {row["code"] for row in rows}
    query = select(model.code, getattr(model, column)).where(getattr(model, column).in_(values))
    if model is Exercise:  # users' own exercises may share a name with a new catalog one
        query = query.where(Exercise.owner_id.is_(None))
    held = await session.execute(query)
    return [
        Problem(file, f"{label} {column} '{value}' is already used by '{code}' in the database")
        for code, value in held
        if code not in codes
    ]


async def seed_reference_data(session: AsyncSession, data_dir: Path | None = None) -> SeedReport:
    """Load reference.yaml, exercises.yaml and programs/*.yaml from `data_dir` (default: bot/data).

    Validates everything first (SeedDataError lists every problem), then upserts reference rows and
    exercises by code and imports the programs that do not exist yet; existing programs are skipped.
    Running it twice changes nothing the second time. Flushes, never commits.
    """
    files = await asyncio.to_thread(read_seed_files, data_dir or DEFAULT_DATA_DIR)
    reference, exercises, programs = _parse_seed_files(
        files, await load_known_codes(session, active_only=False)
    )

    difficulty_rows = [
        {"code": d.code, "name": d.name, "rank": d.rank, "description": d.description}
        for d in reference.difficulty_levels
    ]
    category_rows = [
        {"code": c.code, "name": c.name, "description": c.description} for c in reference.categories
    ]
    tag_rows = [{"code": t.code, "name": t.name} for t in reference.tags]
    exercise_rows = [
        {
            "code": e.code,
            "name": e.name,
            "muscle_group": e.muscle_group,
            "equipment": e.equipment,
            "tracking_type": e.tracking,
            "description": e.description,
        }
        for e in exercises
    ]
    conflicts = [
        *await _check_unique(session, DifficultyLevel, "difficulty", difficulty_rows, REFERENCE_FILE, "rank"),
        *await _check_unique(session, Category, "category", category_rows, REFERENCE_FILE),
        *await _check_unique(session, Tag, "tag", tag_rows, REFERENCE_FILE),
        *await _check_unique(session, Exercise, "exercise", exercise_rows, EXERCISES_FILE),
    ]
    if conflicts:
        raise SeedDataError(conflicts)

    owner = await ensure_system_user(session)
    report = SeedReport()
    await _upsert(
        session,
        DifficultyLevel,
        difficulty_rows,
        report.difficulty_levels,
        unique={"rank": lambda position: 30000 + position},
    )
    await _upsert(
        session,
        Visibility,
        [{"code": v.code, "name": v.name, "description": v.description} for v in reference.visibilities],
        report.visibilities,
    )
    renamed = {"name": lambda position: f"~renaming {position}"}
    await _upsert(session, Category, category_rows, report.categories, unique=renamed)
    await _upsert(session, Tag, tag_rows, report.tags, unique=renamed)
    await _upsert(
        session,
        Metric,
        [
            {
                "code": m.code,
                "name": m.name,
                "canonical_unit": m.canonical_unit,
                "accepted_units": list(m.accepted_units),
                "min_value": m.min_value,
                "max_value": m.max_value,
                "sort_order": m.sort_order,
            }
            for m in reference.metrics
        ],
        report.metrics,
    )
    await _upsert(
        session, Exercise, exercise_rows, report.exercises, unique=renamed, on_insert={"created_by": owner.id}
    )
    await session.flush()

    existing = set(
        await session.scalars(
            select(func.lower(Program.name)).where(
                func.lower(Program.name).in_([d.name.lower() for d in programs])
            )
        )
    )
    for doc in programs:
        if doc.name.lower() in existing:
            if await add_missing_translations(session, doc, owner=owner):
                report.programs.updated += 1
            else:
                report.programs.skipped += 1
            continue
        await import_program(session, doc, owner=owner)
        report.programs.inserted += 1
    await catalog_cache.bump(session)
    return report
