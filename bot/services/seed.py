"""Loading reference data, the exercise catalog and programs into the database; exporting programs.

The data files live in bot/data (documented in bot/data/README.md). Everything is validated before the
first row is written, seeding is idempotent (upsert by natural key), and nothing here commits: the
caller (the CLI, a handler) owns the transaction.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeVar

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

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
from bot.services.errors import DomainError, NotFound
from bot.services.program_format import (
    Checker,
    DataFormatError,
    DayDoc,
    InstructionDoc,
    PhaseDoc,
    Problem,
    ProgramDoc,
    ProgramFormatError,
    ScheduleDoc,
    ScheduledWorkoutDoc,
    WorkoutDoc,
    at,
    load_yaml,
    parse_program,
    with_canonical_keys,
)

SYSTEM_TELEGRAM_ID: Final = 0
SYSTEM_USER_NAME: Final = "Workout Bot"
DEFAULT_DATA_DIR: Final = Path(__file__).resolve().parent.parent / "data"
REFERENCE_FILE: Final = "reference.yaml"
EXERCISES_FILE: Final = "exercises.yaml"
PROGRAMS_DIR: Final = "programs"

MUSCLE_GROUPS: Final = (
    "chest",
    "back",
    "shoulders",
    "biceps",
    "triceps",
    "forearms",
    "quads",
    "hamstrings",
    "glutes",
    "calves",
    "core",
    "full_body",
    "cardio",
    "mobility",
)
EQUIPMENT: Final = (
    "barbell",
    "dumbbell",
    "kettlebell",
    "machine",
    "cable",
    "band",
    "pull_up_bar",
    "bodyweight",
    "none",
    "other",
)
TRACKING: Final = {
    "weight_reps": TrackingType.WEIGHT_REPS,
    "reps": TrackingType.REPS,
    "duration": TrackingType.DURATION,
}
_CODE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_MEASURE_LIMIT: Final = Decimal(10_000_000)  # NUMERIC(10, 3)
T = TypeVar("T")


class SeedDataError(DataFormatError):
    """The data files are not valid; `problems` are located as `file: path`."""

    subject = "The seed data"


class ProgramExistsError(DomainError):
    """A program with that name already exists (names are unique, compared without case)."""


class UnknownReferenceError(DomainError):
    """A program refers to codes (exercises, categories, ...) the database does not have."""


# --- reference data and the exercise catalog, as documents --------------------------------------------


@dataclass(frozen=True, slots=True)
class DifficultyDoc:
    code: str
    name: str
    rank: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class VisibilityDoc:
    code: VisibilityCode
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryDoc:
    code: str
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TagDoc:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MetricDoc:
    code: str
    name: str
    canonical_unit: str
    accepted_units: tuple[str, ...]
    min_value: Decimal | None
    max_value: Decimal | None
    sort_order: int


@dataclass(frozen=True, slots=True)
class ReferenceDoc:
    difficulty_levels: tuple[DifficultyDoc, ...]
    visibilities: tuple[VisibilityDoc, ...]
    categories: tuple[CategoryDoc, ...]
    tags: tuple[TagDoc, ...]
    metrics: tuple[MetricDoc, ...]


@dataclass(frozen=True, slots=True)
class ExerciseDoc:
    code: str
    name: str
    muscle_group: str
    equipment: str
    tracking: TrackingType
    description: str | None = None


def _code(check: Checker, location: str, value: object, max_length: int) -> str | None:
    text = check.text(location, value, max_length=max_length, single_line=True)
    if text is not None and not _CODE.fullmatch(text):
        check.add(location, f"'{text}' is not a code: use lower-case letters, digits, '-' or '_'")
        return None
    return text


def _records(
    check: Checker,
    location: str,
    value: object,
    parse_one: Callable[[str, dict[str, Any], int], T | None],
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    unique: Sequence[str] = ("code",),
) -> tuple[T, ...]:
    """A list of records; each record parsed by parse_one; fields in `unique` may not repeat."""
    if value is None:
        return ()
    items = check.sequence(location, value, what="a list of entries")
    result: list[T] = []
    seen: dict[str, dict[object, int]] = {name: {} for name in unique}
    for index, item in enumerate(items or ()):
        where = at(location, index)
        fields_ = check.mapping(where, item, required=required, optional=optional)
        if fields_ is None:
            continue
        record = parse_one(where, fields_, index)
        if record is None:
            continue
        clash = False
        for name in unique:
            key = getattr(record, name)
            folded = key.casefold() if isinstance(key, str) else key
            if folded in seen[name]:
                shown = f"'{key}'" if isinstance(key, str) else str(key)
                check.add(at(where, name), f"{shown} is already used by {location}[{seen[name][folded]}]")
                clash = True
            else:
                seen[name][folded] = index
        if not clash:
            result.append(record)
    return tuple(result)


def parse_reference(source: str | bytes | Mapping[str, Any]) -> ReferenceDoc:
    """Read reference.yaml; raise SeedDataError listing every problem."""
    data = load_yaml(source, error=SeedDataError) if isinstance(source, str | bytes) else source
    check = Checker()
    kinds = ("difficulty_levels", "visibilities", "categories", "tags", "metrics")
    top = check.mapping("", data, required=kinds, what="reference data")
    if top is None:
        raise SeedDataError(check.problems)

    def difficulty(where: str, f: dict[str, Any], _index: int) -> DifficultyDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 30)
        name = check.text(at(where, "name"), f.get("name"), max_length=50, single_line=True)
        rank = check.integer(at(where, "rank"), f.get("rank"), minimum=1, maximum=1000)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if code is None or name is None or rank is None:
            return None
        return DifficultyDoc(code=code, name=name, rank=rank, description=description)

    def visibility(where: str, f: dict[str, Any], _index: int) -> VisibilityDoc | None:
        text = check.text(at(where, "code"), f.get("code"), max_length=20, single_line=True)
        name = check.text(at(where, "name"), f.get("name"), max_length=50, single_line=True)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if text is None or name is None:
            return None
        if text not in set(VisibilityCode):
            choices = ", ".join(VisibilityCode)
            check.add(at(where, "code"), f"unknown visibility '{text}' - expected one of: {choices}")
            return None
        return VisibilityDoc(code=VisibilityCode(text), name=name, description=description)

    def category(where: str, f: dict[str, Any], _index: int) -> CategoryDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 50)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if code is None or name is None:
            return None
        return CategoryDoc(code=code, name=name, description=description)

    def tag(where: str, f: dict[str, Any], _index: int) -> TagDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 50)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        if code is None or name is None:
            return None
        return TagDoc(code=code, name=name)

    def metric(where: str, f: dict[str, Any], index: int) -> MetricDoc | None:
        before = len(check.problems)
        code = _code(check, at(where, "code"), f.get("code"), 40)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        unit = check.text(
            at(where, "canonical_unit"), f.get("canonical_unit"), max_length=20, single_line=True
        )
        units: list[str] = []
        raw_units = f.get("accepted_units")
        if raw_units is not None:
            for position, item in enumerate(check.sequence(at(where, "accepted_units"), raw_units) or ()):
                accepted = check.text(
                    at(at(where, "accepted_units"), position), item, max_length=20, single_line=True
                )
                if accepted is not None and accepted not in units:
                    units.append(accepted)
        if unit is not None and raw_units is None:
            units = [unit]
        elif unit is not None and unit not in units:
            check.add(at(where, "accepted_units"), f"must include the canonical unit '{unit}'")
        low, high = (
            check.decimal(
                at(where, key), f.get(key), minimum=-_MEASURE_LIMIT, maximum=_MEASURE_LIMIT, exclusive=True
            )
            for key in ("min_value", "max_value")
        )
        if low is not None and high is not None and low >= high:
            check.add(where, f"min_value {low} must be less than max_value {high}")
        raw_order = f.get("sort_order")
        order = check.integer(
            at(where, "sort_order"),
            (index + 1) * 10 if raw_order is None else raw_order,
            minimum=0,
            maximum=32767,
        )
        if len(check.problems) > before or code is None or name is None or unit is None or order is None:
            return None
        return MetricDoc(
            code=code,
            name=name,
            canonical_unit=unit,
            accepted_units=tuple(units),
            min_value=low,
            max_value=high,
            sort_order=order,
        )

    reference = ReferenceDoc(
        difficulty_levels=_records(
            check,
            "difficulty_levels",
            top.get("difficulty_levels"),
            difficulty,
            required=("code", "name", "rank"),
            optional=("description",),
            unique=("code", "rank"),
        ),
        visibilities=_records(
            check,
            "visibilities",
            top.get("visibilities"),
            visibility,
            required=("code", "name"),
            optional=("description",),
        ),
        categories=_records(
            check,
            "categories",
            top.get("categories"),
            category,
            required=("code", "name"),
            optional=("description",),
            unique=("code", "name"),
        ),
        tags=_records(
            check, "tags", top.get("tags"), tag, required=("code", "name"), unique=("code", "name")
        ),
        metrics=_records(
            check,
            "metrics",
            top.get("metrics"),
            metric,
            required=("code", "name", "canonical_unit"),
            optional=("accepted_units", "min_value", "max_value", "sort_order"),
        ),
    )
    present = {item.code for item in reference.visibilities}
    if isinstance(top.get("visibilities"), list):
        for code in VisibilityCode:
            if code not in present and not check.problems:
                check.add("visibilities", f"{code.value} is missing: every visibility must be listed")
    if check.problems:
        raise SeedDataError(check.problems)
    return reference


def parse_exercises(source: str | bytes | Mapping[str, Any]) -> tuple[ExerciseDoc, ...]:
    """Read exercises.yaml (`exercises:` a list); raise SeedDataError listing every problem."""
    data = load_yaml(source, error=SeedDataError) if isinstance(source, str | bytes) else source
    check = Checker()
    top = check.mapping("", data, required=("exercises",), what="an exercise catalog")
    if top is None:
        raise SeedDataError(check.problems)

    def choice(where: str, value: object, choices: Iterable[str], what: str) -> str | None:
        return check.code(where, value, known=frozenset(choices), what=what, max_length=50)

    def exercise(where: str, f: dict[str, Any], _index: int) -> ExerciseDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 60)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        muscle = choice(at(where, "muscle_group"), f.get("muscle_group"), MUSCLE_GROUPS, "muscle group")
        equipment = choice(at(where, "equipment"), f.get("equipment"), EQUIPMENT, "equipment")
        tracking = choice(at(where, "tracking"), f.get("tracking"), TRACKING, "tracking")
        description = check.text(
            at(where, "description"), f.get("description"), max_length=2000, required=False
        )
        if None in (code, name, muscle, equipment, tracking):
            return None
        assert code and name and muscle and equipment and tracking
        return ExerciseDoc(
            code=code,
            name=name,
            muscle_group=muscle,
            equipment=equipment,
            tracking=TRACKING[tracking],
            description=description,
        )

    result = _records(
        check,
        "exercises",
        top.get("exercises"),
        exercise,
        required=("code", "name", "muscle_group", "equipment", "tracking"),
        optional=("description",),
        unique=("code", "name"),
    )
    if check.problems:
        raise SeedDataError(check.problems)
    return result


# --- codes the database knows ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class KnownCodes:
    """The codes a program document may use: exercise code -> tracking type, and the reference codes."""

    exercises: Mapping[str, str]
    difficulties: frozenset[str]
    categories: frozenset[str]
    tags: frozenset[str]

    def parse(self, source: str | bytes | Mapping[str, Any]) -> ProgramDoc:
        """parse_program against these codes (what the coach upload does)."""
        return parse_program(
            source,
            known_exercises=self.exercises,
            known_difficulties=self.difficulties,
            known_categories=self.categories,
            known_tags=self.tags,
        )

    def merged(self, other: KnownCodes) -> KnownCodes:
        return KnownCodes(
            exercises={**self.exercises, **other.exercises},
            difficulties=self.difficulties | other.difficulties,
            categories=self.categories | other.categories,
            tags=self.tags | other.tags,
        )


async def load_known_codes(session: AsyncSession, *, active_only: bool = True) -> KnownCodes:
    """The codes in the database, in four queries."""

    def where_active(model: Any) -> Any:
        return model.is_active.is_(True) if active_only else True

    exercises = await session.execute(
        select(Exercise.code, Exercise.tracking_type).where(where_active(Exercise))
    )
    difficulties = await session.scalars(select(DifficultyLevel.code).where(where_active(DifficultyLevel)))
    categories = await session.scalars(select(Category.code).where(where_active(Category)))
    tags = await session.scalars(select(Tag.code).where(where_active(Tag)))
    return KnownCodes(
        exercises={code: TrackingType(tracking).value for code, tracking in exercises},
        difficulties=frozenset(difficulties),
        categories=frozenset(categories),
        tags=frozenset(tags),
    )


# --- the system user ---------------------------------------------------------------------------------


async def ensure_system_user(session: AsyncSession) -> User:
    """The owner of seeded rows (telegram_id 0, an admin that gets no reminders); created once."""
    user = await session.scalar(select(User).where(User.telegram_id == SYSTEM_TELEGRAM_ID))
    if user is None:
        user = User(
            telegram_id=SYSTEM_TELEGRAM_ID,
            first_name=SYSTEM_USER_NAME,
            role=Role.ADMIN,
            reminders_enabled=False,
            rest_timer_enabled=False,
            timezone="UTC",
        )
        session.add(user)
        await session.flush()
    return user


# --- seeding -----------------------------------------------------------------------------------------


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


def _parse_seed_files(
    files: SeedFiles, in_database: KnownCodes
) -> tuple[ReferenceDoc, tuple[ExerciseDoc, ...], list[ProgramDoc]]:
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
    return reference, exercises, programs


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
    held = await session.execute(
        select(model.code, getattr(model, column)).where(getattr(model, column).in_(values))
    )
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
            report.programs.skipped += 1
            continue
        await import_program(session, doc, owner=owner)
        report.programs.inserted += 1
    return report


# --- import and export of one program ----------------------------------------------------------------


async def _ids_by_code(session: AsyncSession, model: Any, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    rows = await session.execute(select(model.code, model.id).where(model.code.in_(list(codes))))
    return {row[0]: row[1] for row in rows}


async def import_program(
    session: AsyncSession, doc: ProgramDoc, *, owner: User, visibility: VisibilityCode | None = None
) -> Program:
    """Write a validated program in full, owned by `owner`; `visibility` overrides the document's.

    Raises ProgramExistsError if the name is taken and UnknownReferenceError if a code is not in the
    database - both before anything is written. One query per kind of reference row, one flush.
    """
    await session.flush()  # pending rows (e.g. new exercises) must be visible to the lookups
    taken = await session.scalar(select(Program.name).where(func.lower(Program.name) == doc.name.lower()))
    if taken is not None:
        # The existing program may be one the uploader cannot see: say only that the name is taken.
        raise ProgramExistsError(f"The program name '{doc.name}' is taken - choose another name.")

    visibility_code = visibility or doc.visibility
    difficulty_id = await session.scalar(
        select(DifficultyLevel.id).where(DifficultyLevel.code == doc.difficulty)
    )
    visibility_id = await session.scalar(select(Visibility.id).where(Visibility.code == visibility_code))
    category_ids = await _ids_by_code(session, Category, doc.categories)
    tag_ids = await _ids_by_code(session, Tag, doc.tags)
    codes = sorted(doc.exercise_codes())
    exercise_ids = await _ids_by_code(session, Exercise, codes)
    missing = [
        *([f"difficulty '{doc.difficulty}'"] if difficulty_id is None else []),
        *([f"visibility '{visibility_code}'"] if visibility_id is None else []),
        *(f"category '{code}'" for code in doc.categories if code not in category_ids),
        *(f"tag '{code}'" for code in doc.tags if code not in tag_ids),
        *(f"exercise '{code}'" for code in codes if code not in exercise_ids),
    ]
    workout_ids = {workout.key: uuid.uuid4() for workout in doc.workouts}
    missing += [
        f"workout '{entry.workout}'"
        for day in doc.days
        for entry in day.workouts
        if entry.workout not in workout_ids
    ]
    if missing:
        raise UnknownReferenceError(f"The program refers to unknown {', '.join(missing)}.")
    assert difficulty_id is not None and visibility_id is not None

    by = owner.id
    workouts = [
        Workout(
            id=workout_ids[workout.key],
            name=workout.name,
            description=workout.description,
            estimated_duration_minutes=workout.estimated_minutes,
            created_by=by,
            instructions=[
                ExerciseInstruction(
                    exercise_id=exercise_ids[item.exercise],
                    order_index=index,
                    target_sets=item.sets,
                    target_reps_min=item.reps_min,
                    target_reps_max=item.reps_max,
                    target_weight_kg=item.weight_kg,
                    target_duration_seconds=item.duration_seconds,
                    rest_seconds=item.rest_seconds,
                    notes=item.notes,
                    created_by=by,
                )
                for index, item in enumerate(workout.exercises)
            ],
        )
        for workout in doc.workouts
    ]
    schedule = ProgramSchedule(
        length_days=doc.schedule.length_days,
        rest_days_per_week=doc.schedule.rest_days_per_week,
        notes=doc.schedule.notes,
        created_by=by,
        workouts=[
            ScheduleWorkout(
                workout_id=workout_ids[entry.workout],
                day_number=day.day,
                order_index=index,
                is_optional=entry.optional,
                notes=entry.notes,
                created_by=by,
            )
            for day in doc.days
            for index, entry in enumerate(day.workouts)
        ],
    )
    program = Program(
        id=uuid.uuid4(),
        name=doc.name,
        description=doc.description,
        notes=doc.notes,
        difficulty_level_id=difficulty_id,
        visibility_id=visibility_id,
        created_by=by,
        categories=[
            ProgramCategory(category_id=category_ids[code], is_primary=index == 0, created_by=by)
            for index, code in enumerate(doc.categories)
        ],
        tags=[ProgramTag(tag_id=tag_ids[code], created_by=by) for code in doc.tags],
        schedules=[schedule],
        phases=[
            ProgramPhase(
                name=phase.name,
                description=phase.description,
                start_day=phase.start_day,
                end_day=phase.end_day,
                order_index=index,
                created_by=by,
            )
            for index, phase in enumerate(doc.phases)
        ],
    )
    session.add_all(workouts)
    session.add(program)
    await session.flush()
    return program


async def export_program(session: AsyncSession, program_id: uuid.UUID) -> ProgramDoc:
    """The program as a document: its active schedule as an explicit day list, workouts keyed by the
    slug of their names in order of first use (see with_canonical_keys). Inactive rows are left out."""
    statement = (
        select(Program)
        .where(Program.id == program_id)
        .options(
            selectinload(Program.difficulty),
            selectinload(Program.visibility),
            selectinload(Program.categories).selectinload(ProgramCategory.category),
            selectinload(Program.tags).selectinload(ProgramTag.tag),
            selectinload(Program.phases),
            selectinload(Program.schedules)
            .selectinload(ProgramSchedule.workouts)
            .selectinload(ScheduleWorkout.workout)
            .selectinload(Workout.instructions)
            .selectinload(ExerciseInstruction.exercise),
        )
        .execution_options(populate_existing=True)
    )
    program = await session.scalar(statement)
    if program is None:
        raise NotFound("That program does not exist.")
    schedules = sorted((s for s in program.schedules if s.is_active), key=lambda s: s.created_at)
    if not schedules:
        raise DomainError(f"The program '{program.name}' has no active schedule to export.")
    schedule = schedules[0]

    categories = [link for link in program.categories if link.is_active]
    primary = [link.category.code for link in categories if link.is_primary][:1]
    others = sorted(link.category.code for link in categories if link.category.code not in primary)

    workouts: dict[str, WorkoutDoc] = {}
    days: dict[int, list[ScheduledWorkoutDoc]] = {}
    for entry in sorted(
        (e for e in schedule.workouts if e.is_active), key=lambda e: (e.day_number, e.order_index)
    ):
        key = str(entry.workout_id)
        if key not in workouts:
            workouts[key] = _workout_doc(key, entry.workout)
        days.setdefault(entry.day_number, []).append(
            ScheduledWorkoutDoc(workout=key, optional=entry.is_optional, notes=entry.notes)
        )
    doc = ProgramDoc(
        name=program.name,
        description=program.description,
        notes=program.notes,
        difficulty=program.difficulty.code,
        visibility=VisibilityCode(program.visibility.code),
        categories=(*primary, *others),
        tags=tuple(sorted(link.tag.code for link in program.tags if link.is_active)),
        schedule=ScheduleDoc(
            length_days=schedule.length_days,
            rest_days_per_week=schedule.rest_days_per_week,
            notes=schedule.notes,
        ),
        workouts=tuple(workouts.values()),
        days=tuple(DayDoc(day=number, workouts=tuple(entries)) for number, entries in sorted(days.items())),
        phases=tuple(
            PhaseDoc(name=p.name, start_day=p.start_day, end_day=p.end_day, description=p.description)
            for p in sorted(program.phases, key=lambda p: (p.order_index, p.start_day))
            if p.is_active
        ),
    )
    return with_canonical_keys(doc)


def _workout_doc(key: str, workout: Workout) -> WorkoutDoc:
    instructions = sorted((i for i in workout.instructions if i.is_active), key=lambda i: i.order_index)
    return WorkoutDoc(
        key=key,
        name=workout.name,
        description=workout.description,
        estimated_minutes=workout.estimated_duration_minutes,
        exercises=tuple(
            InstructionDoc(
                exercise=item.exercise.code,
                sets=item.target_sets,
                reps_min=item.target_reps_min,
                reps_max=item.target_reps_max
                if item.target_reps_max is not None or item.target_reps_min is None
                else item.target_reps_min,
                duration_seconds=item.target_duration_seconds,
                rest_seconds=item.rest_seconds,
                weight_kg=item.target_weight_kg,
                notes=item.notes,
            )
            for item in instructions
        ),
    )


__all__ = [
    "DEFAULT_DATA_DIR",
    "EQUIPMENT",
    "MUSCLE_GROUPS",
    "SYSTEM_TELEGRAM_ID",
    "TRACKING",
    "CategoryDoc",
    "DifficultyDoc",
    "ExerciseDoc",
    "KnownCodes",
    "MetricDoc",
    "ProgramExistsError",
    "ReferenceDoc",
    "SeedCounts",
    "SeedDataError",
    "SeedFiles",
    "SeedReport",
    "TagDoc",
    "UnknownReferenceError",
    "VisibilityDoc",
    "ensure_system_user",
    "export_program",
    "import_program",
    "load_known_codes",
    "parse_exercises",
    "parse_reference",
    "read_seed_files",
    "seed_reference_data",
]
