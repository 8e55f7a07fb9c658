"""Catalog data cached in the process: exercises with their prescriptions (exercise_instruction), and
the exercise-name index a typed named set is matched against (bot.services.exercise_match).

What is cached only changes when a program is imported or uploaded, the catalog is seeded, or a user
creates an exercise of their own. Each of those calls `bump` in its own transaction: it stores a new
random token in the ``bot_persistence`` row (``catalog``, ``version``). Readers compare the token they
read (the hot path reads it inside a query it runs anyway: bot.services.workout_views) with the one the
cache was filled under, and drop everything when it differs - so a change made by another process is
seen by the next update that reads the token, and the cache never serves a version it was not filled
under. Exercise instructions and exercises are treated as immutable between two bumps: code that
changes one in place must call `bump`.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from contextlib import suppress
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, Final

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.enums import TrackingType
from bot.db.models import Exercise, ExerciseInstruction, ProgramTranslation, ProgressionRule
from bot.db.models.state import BotState
from bot.i18n import DEFAULT_LOCALE, LOCALES, current_locale, register_exercise_names
from bot.services.exercise_match import ExerciseIndex, display_names
from bot.services.progression import Rule
from bot.services.targets import rule_of

KIND: Final = "catalog"
KEY: Final = "version"
MAX_WORKOUTS: Final = 4096
"""Workouts whose prescriptions are kept (least recently used dropped first)."""
MAX_INSTRUCTIONS: Final = 100_000
"""Instructions kept by id (ad-hoc extras accumulate): beyond it the cache starts over."""
MAX_INDEXES: Final = 256
"""Users with exercises of their own whose name index is kept (the shared catalog index is apart)."""


@dataclass(frozen=True, slots=True)
class Prescribed:
    """An exercise instruction with its exercise: what a workout prescribes (or an ad-hoc extra)."""

    instruction_id: uuid.UUID
    workout_id: uuid.UUID | None
    order_index: int
    exercise_id: uuid.UUID
    name: str
    tracking: TrackingType
    muscle_group: str
    equipment: str
    target_sets: int
    reps_min: int | None
    reps_max: int | None
    target_weight_kg: Decimal | None
    target_duration_seconds: int | None
    rest_seconds: int | None
    notes: str | None
    target_distance_m: Decimal | None = None
    rule: Rule | None = None
    """The instruction's progression rule (bot.services.progression), if the program gives one."""

    @classmethod
    def of(
        cls, instruction: ExerciseInstruction, exercise: Exercise, rule: ProgressionRule | None = None
    ) -> Prescribed:
        return cls(
            instruction_id=instruction.id,
            workout_id=instruction.workout_id,
            order_index=instruction.order_index,
            exercise_id=exercise.id,
            name=exercise.name,
            tracking=TrackingType(exercise.tracking_type),
            muscle_group=exercise.muscle_group,
            equipment=exercise.equipment,
            target_sets=instruction.target_sets,
            reps_min=instruction.target_reps_min,
            reps_max=instruction.target_reps_max,
            target_weight_kg=instruction.target_weight_kg,
            target_duration_seconds=instruction.target_duration_seconds,
            rest_seconds=instruction.rest_seconds,
            notes=instruction.notes,
            target_distance_m=instruction.target_distance_m,
            rule=rule_of(rule, instruction) if rule is not None else None,
        )


@dataclass(frozen=True, slots=True)
class WorkoutTexts:
    """A program workout's texts in another language (program_translation): its name, and the notes of
    its exercises in their order (None: that exercise's own notes)."""

    name: str | None
    notes: tuple[str | None, ...] = ()

    def note(self, position: int) -> str | None:
        """The translated note of the workout's exercise at `position` (0-based), if any."""
        return self.notes[position] if 0 <= position < len(self.notes) else None


def exercise_notes(texts: dict[str, Any]) -> tuple[str | None, ...]:
    """The translated notes of a workout's exercises, in order, from its stored texts (bad entries: None)."""
    notes = texts.get("exercises")
    if not isinstance(notes, list):
        return ()
    found = [note if isinstance(note, str) and note else None for note in notes]
    while found and found[-1] is None:
        found.pop()
    return tuple(found)


class CatalogCache:
    """The process's cache; `check` with the version token read from the database before each use."""

    def __init__(self) -> None:
        self.version: object = _UNSET
        self.workouts: OrderedDict[uuid.UUID, tuple[Prescribed, ...]] = OrderedDict()
        self.instructions: dict[uuid.UUID, Prescribed] = {}
        self.catalog_index: ExerciseIndex | None = None
        self.own_indexes: OrderedDict[uuid.UUID, ExerciseIndex] = OrderedDict()
        self.no_own: set[uuid.UUID] = set()
        """Users known to have no exercise of their own (they use `catalog_index`)."""
        self.workout_texts: dict[str, dict[uuid.UUID, WorkoutTexts]] = {}
        """locale -> program workout id -> its translated texts (program_translation), per version."""
        self.hits = 0
        self.misses = 0

    def check(self, version: object) -> None:
        """Drop everything if the database's version token is not the one the cache was filled under."""
        if version != self.version:
            self.clear()
            self.version = version

    def clear(self) -> None:
        self.version = _UNSET
        self.workouts.clear()
        self.instructions.clear()
        self.catalog_index = None
        self.own_indexes.clear()
        self.no_own.clear()
        self.workout_texts.clear()

    def put_workout(self, workout_id: uuid.UUID, rows: tuple[Prescribed, ...]) -> None:
        self.workouts[workout_id] = rows
        for row in rows:
            self.instructions[row.instruction_id] = row
        while len(self.workouts) > MAX_WORKOUTS:
            _, dropped = self.workouts.popitem(last=False)
            for row in dropped:
                self.instructions.pop(row.instruction_id, None)

    def workout(self, workout_id: uuid.UUID) -> tuple[Prescribed, ...] | None:
        found = self.workouts.get(workout_id)
        if found is None:
            self.misses += 1
            return None
        self.hits += 1
        self.workouts.move_to_end(workout_id)
        return found

    def put_own_index(self, user_id: uuid.UUID, index: ExerciseIndex) -> None:
        self.own_indexes[user_id] = index
        while len(self.own_indexes) > MAX_INDEXES:
            self.own_indexes.popitem(last=False)


def register_catalog_names() -> None:
    """Teach bot.i18n.exercise_name the catalog's names in every language (exercises.yaml `names`)."""
    for locale in LOCALES[1:]:
        register_exercise_names(locale, display_names(locale))


register_catalog_names()  # the catalog's names are bundled data: known as soon as the catalog is

_UNSET: Final = object()
CACHE: Final = CatalogCache()
"""The process's catalog cache (one per process; every engine's reads check its version first)."""


@cache
def version_query() -> Select[Any]:
    """SELECT the version token (None until the first bump)."""
    return select(BotState.data).where(BotState.kind == KIND, BotState.key == KEY)


def version_column() -> Any:
    """The version token as a scalar subquery, to read along with another query."""
    return version_query().scalar_subquery().label("catalog_version")


async def current_version(session: AsyncSession) -> object:
    """The catalog's version token (one short SELECT), for readers with no query to carry it."""
    return await session.scalar(version_query())


async def workout_texts(session: AsyncSession, locale: str) -> dict[uuid.UUID, WorkoutTexts]:
    """Program workouts' texts translated into `locale` (none in English), read once per catalog version:
    `CACHE.check` must have been given the version this transaction read."""
    if locale == DEFAULT_LOCALE:
        return {}
    texts = CACHE.workout_texts.get(locale)
    if texts is None:
        texts = {}
        rows = await session.scalars(
            select(ProgramTranslation.workouts).where(ProgramTranslation.language == locale)
        )
        for workouts in rows:
            for key, stored in (workouts or {}).items():
                if not isinstance(stored, dict):
                    continue
                name = stored.get("name")
                with suppress(ValueError):
                    texts[uuid.UUID(str(key))] = WorkoutTexts(
                        name=str(name) if name else None, notes=exercise_notes(stored)
                    )
        CACHE.workout_texts[locale] = texts
    return texts


async def translated_workout_names(session: AsyncSession) -> dict[uuid.UUID, str]:
    """Program workouts' names in the current locale (`workout_texts`), the cache checked first: a query
    for non-English readers only, English readers get {} at no cost."""
    locale = current_locale()
    if locale == DEFAULT_LOCALE:
        return {}
    CACHE.check(await current_version(session))
    return {key: texts.name for key, texts in (await workout_texts(session, locale)).items() if texts.name}


async def bump(session: AsyncSession) -> None:
    """Mark the catalog changed, in the caller's transaction: every process drops its cache at its next
    read of the token. Call it whenever exercises, workouts or their instructions are added or changed."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    native_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    token = uuid.uuid4().hex
    statement = native_insert(BotState).values(kind=KIND, key=KEY, data=token, updated_at=utcnow())
    statement = statement.on_conflict_do_update(
        index_elements=[BotState.kind, BotState.key],
        set_={"data": statement.excluded["data"], "updated_at": statement.excluded["updated_at"]},
    )
    await session.execute(statement)
    CACHE.clear()


@cache
def _workout_query() -> Select[ExerciseInstruction, Exercise, ProgressionRule]:
    return (
        select(ExerciseInstruction, Exercise, ProgressionRule)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .outerjoin(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
        .where(
            ExerciseInstruction.workout_id == bindparam("workout_id"), ExerciseInstruction.is_active.is_(True)
        )
        .order_by(ExerciseInstruction.order_index)
    )


async def prescription(session: AsyncSession, workout_id: uuid.UUID) -> tuple[Prescribed, ...]:
    """A workout's active instructions in order (cached: the caller has checked the version)."""
    found = CACHE.workout(workout_id)
    if found is not None:
        return found
    rows = await session.execute(_workout_query(), {"workout_id": workout_id})
    found = tuple(Prescribed.of(instruction, exercise, rule) for instruction, exercise, rule in rows)
    CACHE.put_workout(workout_id, found)
    return found


async def instructions(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Prescribed]:
    """Instructions by id (ad-hoc extras and swaps included), read only for those not cached."""
    if len(CACHE.instructions) > MAX_INSTRUCTIONS:
        CACHE.clear()
    found = {i: CACHE.instructions[i] for i in ids if i in CACHE.instructions}
    missing = [i for i in ids if i not in found]
    if missing:
        rows = await session.execute(
            select(ExerciseInstruction, Exercise, ProgressionRule)
            .join(Exercise, and_(Exercise.id == ExerciseInstruction.exercise_id))
            .outerjoin(ProgressionRule, ProgressionRule.instruction_id == ExerciseInstruction.id)
            .where(ExerciseInstruction.id.in_(missing))
        )
        for instruction, exercise, rule in rows:
            row = Prescribed.of(instruction, exercise, rule)
            CACHE.instructions[row.instruction_id] = row
            found[row.instruction_id] = row
    return found


__all__ = [
    "CACHE",
    "CatalogCache",
    "Prescribed",
    "WorkoutTexts",
    "bump",
    "current_version",
    "exercise_notes",
    "instructions",
    "prescription",
    "register_catalog_names",
    "version_column",
    "workout_texts",
]
