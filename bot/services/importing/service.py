"""Importing a parsed export: the dry run (`plan_import`) and the import (`run_import`).

An imported workout is what a finished quick workout is (bot.services.quick_workouts): a `workout` row
of the user's own, a COMPLETED user_workout_session outside any program, an ad-hoc instruction per
exercise (workout_id NULL, one per user and exercise, shared with quick workouts), a summary row per
exercise (user_exercise_performance, by the rule of bot.services.workouts) and the sets. So records,
/history, /progress and /export count imported history like any other. Each workout also gets a
`workout_import` row keyed by (user, app, the workout's key in the app): a workout whose key is there
is skipped, so importing the same file twice adds nothing. The app's local times are read in the user's
time zone and stored in UTC.

`run_import` writes everything in the caller's transaction (all or nothing), in a few bulk INSERTs.
Never commits.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import ImportSource, SessionStatus, WeightUnit
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
    WorkoutImport,
)
from bot.i18n import _, ngettext
from bot.services import custom_exercises as custom
from bot.services import history_cache
from bot.services.errors import DomainError
from bot.services.exercise_match import normalize
from bot.services.importing.exercises import (
    MatchKind,
    NameMapping,
    guess_equipment,
    guess_muscle_group,
    guess_tracking,
    map_name,
)
from bot.services.importing.model import ParsedFile, ParsedSet, ParsedWorkout
from bot.services.importing.parser import SOURCE_NAMES, parse_export
from bot.services.quick_workouts import exercise_index
from bot.services.timezones import local_today
from bot.services.workout_end import BACKDATED_LENGTH, SMALLINT_MAX
from bot.services.workouts import summary_values

NOTES_MAX = 2000
PERFORMANCE_NOTES_MAX = 1000


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing the file would do (the dry run)."""

    source: ImportSource
    workouts: int
    first: date
    last: date
    already: int
    """Workouts of the file imported before (skipped)."""
    new_workouts: int
    new_sets: int
    new_warmups: int
    mappings: tuple[NameMapping, ...]
    """The exercises of the new workouts, in the order they first appear."""
    unit: WeightUnit
    """The unit the weights were read in."""
    unit_from_file: bool
    skipped_rows: int
    timezone: str

    @property
    def app(self) -> str:
        return SOURCE_NAMES[self.source]

    @property
    def new_exercises(self) -> tuple[NameMapping, ...]:
        return tuple(m for m in self.mappings if m.kind is MatchKind.NEW)


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: ImportPlan
    workouts: int
    sets: int
    created: tuple[str, ...]
    """The names of the exercises of the user's own the import created."""


async def parse_in_thread(data: bytes, *, unit: WeightUnit, today: date) -> ParsedFile:
    """`parse_export` in a worker thread: a 5 MB file takes a second or two, and the bot keeps answering
    everyone else meanwhile. Needs no session (run it between two transactions)."""
    return await asyncio.to_thread(parse_export, data, unit=unit, today=today)


def user_today(user: User, now: datetime) -> date:
    return local_today(user.timezone, now)


async def _imported_keys(session: AsyncSession, user: User, source: ImportSource) -> set[str]:
    rows = await session.scalars(
        select(WorkoutImport.source_key).where(
            WorkoutImport.user_id == user.id, WorkoutImport.source == source
        )
    )
    return set(rows.all())


@dataclass(slots=True)
class _Name:
    """One exercise name of the file (all its spellings that normalize alike) and its sets."""

    name: str
    category: str | None
    sets: list[ParsedSet]


def _key(name: str) -> str:
    """Names that mean the same exercise ("Pull Ups", "pull-up") share a key."""
    return normalize(name) or name.casefold()


def _names(workouts: Iterable[ParsedWorkout]) -> dict[str, _Name]:
    names: dict[str, _Name] = {}
    for workout in workouts:
        for exercise in workout.exercises.values():
            key = _key(exercise.name)
            entry = names.setdefault(key, _Name(exercise.name, exercise.category, []))
            entry.sets.extend(exercise.sets)
            entry.category = entry.category or exercise.category
    return names


async def plan_import(session: AsyncSession, user: User, parsed: ParsedFile) -> ImportPlan:
    """The dry run: what is new, and which exercise each name becomes. DomainError when the new
    exercises would take the user over the limit of their own."""
    plan, _todo = await _plan(session, user, parsed)
    return plan


async def _plan(
    session: AsyncSession, user: User, parsed: ParsedFile
) -> tuple[ImportPlan, list[ParsedWorkout]]:
    done = await _imported_keys(session, user, parsed.source)
    todo = [w for w in parsed.workouts if w.key not in done]
    index = await exercise_index(session, user)
    mappings = []
    for entry in _names(todo).values():
        kind, exercise_id, exercise_name = map_name(index, entry.name)
        mapping = NameMapping(entry.name, kind, exercise_id, exercise_name, len(entry.sets))
        if kind is MatchKind.NEW:
            tracking = guess_tracking(entry.sets)
            mapping = replace(
                mapping,
                muscle_group=guess_muscle_group(entry.name, entry.category),
                equipment=guess_equipment(entry.name, tracking),
                tracking=tracking,
            )
        mappings.append(mapping)
    new = sum(1 for m in mappings if m.kind is MatchKind.NEW)
    if new:
        own = await session.scalar(
            select(func.count()).select_from(Exercise).where(Exercise.owner_id == user.id)
        )
        if (own or 0) + new > custom.OWN_MAX:
            raise DomainError(
                ngettext(
                    "This file has {new} exercise that is not in the catalog; with the {own} of your own "
                    "that is more than the {limit} you can have.",
                    "This file has {new} exercises that are not in the catalog; with the {own} of your own "
                    "that is more than the {limit} you can have.",
                    new,
                ).format(new=new, own=own, limit=custom.OWN_MAX)
            )
    sets = [s for w in todo for e in w.exercises.values() for s in e.sets]
    plan = ImportPlan(
        source=parsed.source,
        workouts=len(parsed.workouts),
        first=min(w.start for w in parsed.workouts).date(),
        last=max(w.start for w in parsed.workouts).date(),
        already=len(parsed.workouts) - len(todo),
        new_workouts=len(todo),
        new_sets=len(sets),
        new_warmups=sum(1 for s in sets if s.is_warmup),
        mappings=tuple(mappings),
        unit=parsed.unit,
        unit_from_file=parsed.unit_from_file,
        skipped_rows=parsed.skipped,
        timezone=user.timezone,
    )
    return plan, todo


async def run_import(
    session: AsyncSession, user: User, parsed: ParsedFile, digest: str, now: datetime
) -> ImportResult:
    """Import the workouts not imported yet, in the caller's transaction; DomainError (nothing
    written) when another import of them got there first."""
    plan, todo = await _plan(session, user, parsed)
    if not todo:
        return ImportResult(plan, 0, 0, ())
    try:
        async with session.begin_nested():
            exercise_ids, created = await _exercises(session, user, plan)
            instruction_ids = await _instructions(session, user, set(exercise_ids.values()))
            sets = await _write(
                session, user, parsed.source, todo, digest, now, exercise_ids, instruction_ids
            )
    except IntegrityError:
        raise DomainError(
            _("These workouts were just imported by another message: nothing was added.")
        ) from None
    await history_cache.bump(session, user)  # bests and last time now include the imported workouts
    return ImportResult(plan, len(todo), sets, tuple(created))


async def _exercises(
    session: AsyncSession, user: User, plan: ImportPlan
) -> tuple[dict[str, uuid.UUID], list[str]]:
    """The exercise of each name (by its normalized key), creating the user's own for new names."""
    ids: dict[str, uuid.UUID] = {}
    created: list[str] = []
    for mapping in plan.mappings:
        key = _key(mapping.name)
        if mapping.exercise_id is not None:
            ids[key] = mapping.exercise_id
            continue
        assert mapping.muscle_group and mapping.equipment and mapping.tracking
        exercise = await custom.create_exercise(
            session,
            user,
            mapping.name,
            muscle_group=mapping.muscle_group,
            equipment=mapping.equipment,
            tracking=mapping.tracking,
        )
        ids[key] = exercise.id
        created.append(exercise.name)
    return ids, created


async def _instructions(
    session: AsyncSession, user: User, exercise_ids: set[uuid.UUID]
) -> dict[uuid.UUID, uuid.UUID]:
    """The user's ad-hoc instruction (workout_id NULL) of each exercise, created where missing."""
    rows = await session.execute(
        select(ExerciseInstruction.exercise_id, ExerciseInstruction.id).where(
            ExerciseInstruction.workout_id.is_(None),
            ExerciseInstruction.created_by == user.id,
            ExerciseInstruction.exercise_id.in_(exercise_ids),
        )
    )
    found: dict[uuid.UUID, uuid.UUID] = {row.exercise_id: row.id for row in rows}
    missing = {e: uuid.uuid4() for e in exercise_ids - set(found)}
    if missing:
        await session.execute(
            insert(ExerciseInstruction),
            [
                {"id": i, "workout_id": None, "exercise_id": e, "order_index": 0, "target_sets": 1,
                 "created_by": user.id}
                for e, i in missing.items()
            ],
        )  # fmt: skip
        found.update(missing)
    return found


def _table(model: type[Any]) -> Table:
    """The model's table: Core INSERTs of many rows are one executemany (the ORM's bulk INSERT groups
    rows by which values are None, and spends more per row)."""
    return cast(Table, model.__table__)


def _utc(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone).astimezone(UTC)


def _by_exercise(
    workout: ParsedWorkout, exercise_ids: dict[str, uuid.UUID]
) -> dict[uuid.UUID, tuple[list[ParsedSet], str | None]]:
    """The workout's sets (in order) and notes by exercise: two names of the file that mean the same
    exercise ("Bench Press (Barbell)", "Flat Barbell Bench Press") make one summary row, as the
    session allows one per exercise."""
    found: dict[uuid.UUID, tuple[list[ParsedSet], list[str]]] = {}
    for exercise in workout.exercises.values():
        sets, notes = found.setdefault(exercise_ids[_key(exercise.name)], ([], []))
        sets.extend(exercise.in_order())
        notes.extend(n for n in exercise.notes if n not in notes)
    return {
        exercise_id: (sets, "; ".join(" ".join(n.split()) for n in notes)[:PERFORMANCE_NOTES_MAX] or None)
        for exercise_id, (sets, notes) in found.items()
    }


async def _write(
    session: AsyncSession,
    user: User,
    source: ImportSource,
    todo: list[ParsedWorkout],
    digest: str,
    now: datetime,
    exercise_ids: dict[str, uuid.UUID],
    instruction_ids: dict[uuid.UUID, uuid.UUID],
) -> int:
    """The workouts, sessions, import keys, summaries and sets, in bulk; the number of sets."""
    zone = ZoneInfo(user.timezone)
    workouts: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []
    keys: list[dict[str, Any]] = []
    performances: list[dict[str, Any]] = []
    sets: list[dict[str, Any]] = []
    description = _("Imported from {app}").format(app=SOURCE_NAMES[source])  # the importer's language
    for parsed in todo:
        workout_id, session_id = uuid.uuid4(), uuid.uuid4()
        workouts.append(
            {"id": workout_id, "name": parsed.name, "description": description, "created_by": user.id}
        )
        started = _utc(parsed.start, zone)
        length = min(parsed.duration_seconds, SMALLINT_MAX) if parsed.duration_seconds else None
        ended = started + (timedelta(seconds=length) if length else BACKDATED_LENGTH)
        sessions.append(
            {"id": session_id, "user_id": user.id, "workout_id": workout_id, "program_enrollment_id": None,
             "session_status": SessionStatus.COMPLETED, "started_at": started, "completed_at": ended,
             "actual_duration_seconds": length, "created_by": user.id,
             "session_notes": parsed.notes[:NOTES_MAX] if parsed.notes else None}
        )  # fmt: skip
        keys.append(
            {"user_id": user.id, "source": source, "source_key": parsed.key, "session_id": session_id,
             "file_digest": digest}
        )  # fmt: skip
        for exercise_id, (ordered, notes) in _by_exercise(parsed, exercise_ids).items():
            performance_id = uuid.uuid4()
            performances.append(
                {"id": performance_id, "user_workout_session_id": session_id,
                 "exercise_instruction_id": instruction_ids[exercise_id],
                 "performance_notes": notes, "created_by": user.id,
                 "created_at": now + timedelta(microseconds=len(performances)),
                 **summary_values(ordered, user)}
            )  # fmt: skip
            sets.extend(
                {"performance_id": performance_id, "set_number": number, "reps": s.reps,
                 "weight_kg": s.weight_kg, "duration_seconds": s.duration_seconds, "is_warmup": s.is_warmup,
                 "set_type": s.set_type, "rpe": s.rpe, "rir": None, "distance_m": s.distance_m,
                 "assistance_kg": None}
                for number, s in enumerate(ordered, start=1)
            )  # fmt: skip
    await session.execute(_table(Workout).insert(), workouts)
    await session.execute(_table(UserWorkoutSession).insert(), sessions)
    await session.execute(_table(WorkoutImport).insert(), keys)
    await session.execute(_table(UserExercisePerformance).insert(), performances)
    await session.execute(_table(UserExerciseSet).insert(), sets)
    return len(sets)


__all__ = ["ImportPlan", "ImportResult", "parse_in_thread", "plan_import", "run_import", "user_today"]
