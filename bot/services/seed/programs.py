"""Import and export of one program document."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.db.enums import ProgressionKind, TrackingType, VisibilityCode
from bot.db.models import (
    Category,
    DifficultyLevel,
    Exercise,
    ExerciseInstruction,
    Program,
    ProgramCategory,
    ProgramPhase,
    ProgramRule,
    ProgramSchedule,
    ProgramTag,
    ProgramTranslation,
    ProgressionRule,
    ScheduleWorkout,
    Tag,
    User,
    Visibility,
    Workout,
)
from bot.i18n import _
from bot.services import catalog_cache, custom_exercises
from bot.services.errors import DomainError, NotFound
from bot.services.program_format import (
    CustomExerciseDoc,
    DayDoc,
    InstructionDoc,
    PhaseDoc,
    PhaseTranslationDoc,
    ProgramDoc,
    ProgressionDoc,
    ReadinessDoc,
    ScheduleDoc,
    ScheduledWorkoutDoc,
    TranslationDoc,
    WorkoutDoc,
    WorkoutTranslationDoc,
    with_canonical_keys,
)
from bot.services.seed.errors import ProgramExistsError, UnknownReferenceError


async def _ids_by_code(session: AsyncSession, model: Any, codes: Iterable[str]) -> dict[str, uuid.UUID]:
    query = select(model.code, model.id).where(model.code.in_(list(codes)))
    if model is Exercise:  # programs use the catalog's exercises, never a user's own
        query = query.where(Exercise.owner_id.is_(None))
    rows = await session.execute(query)
    return {row[0]: row[1] for row in rows}


async def _own_exercise_ids(
    session: AsyncSession, doc: ProgramDoc, owner: User, names: list[str]
) -> dict[str, uuid.UUID]:
    """The owner's own exercises the instructions name (by name, ignoring case), the document's
    `exercises` list created first where the owner has none of that name. Checked before anything is
    written: a listed exercise tracked otherwise than the owner's of that name, or named like a catalog
    exercise, is refused."""
    if not names and not doc.custom_exercises:
        return {}
    rows = await session.scalars(select(Exercise).where(Exercise.owner_id == owner.id))
    mine = {exercise.name.casefold(): exercise for exercise in rows}
    wanted = [c for c in doc.custom_exercises if c.name.casefold() not in mine]
    for custom in doc.custom_exercises:
        existing = mine.get(custom.name.casefold())
        if existing is not None and existing.tracking_type != custom.tracking:
            raise UnknownReferenceError(
                _(
                    "Your exercise '{name}' is tracked by {tracking}, not {other}: change the document or "
                    "the exercise's name."
                ).format(
                    name=existing.name,
                    tracking=existing.tracking_type.value.lower(),
                    other=custom.tracking.value.lower(),
                )
            )
    if wanted:
        taken = await session.scalars(
            select(Exercise.name).where(
                Exercise.owner_id.is_(None), func.lower(Exercise.name).in_([c.name.lower() for c in wanted])
            )
        )
        clash = list(taken)
        if clash:
            raise UnknownReferenceError(
                _(
                    "'{name}' is a catalog exercise: refer to it by its code, or give yours another name."
                ).format(name=clash[0])
            )
    for custom in wanted:
        created = await custom_exercises.create_exercise(
            session,
            owner,
            custom.name,
            muscle_group=custom.muscle_group,
            equipment=custom.equipment,
            tracking=custom.tracking,
            description=custom.description,
        )
        mine[created.name.casefold()] = created
    return {
        name: mine[name.casefold()].id
        for name in names
        if name.casefold() in mine and mine[name.casefold()].is_active
    }


async def import_program(
    session: AsyncSession, doc: ProgramDoc, *, owner: User, visibility: VisibilityCode | None = None
) -> Program:
    """Write a validated program in full, owned by `owner`; `visibility` overrides the document's.

    Raises ProgramExistsError if the name is taken and UnknownReferenceError if a code is not in the
    database - both before anything is written. One query per kind of reference row, one flush. The
    document's own exercises (`custom_exercises`) become the owner's: one of theirs with that name
    (ignoring case) is used as it is, a new name is created; instructions that name an exercise rather
    than a catalog code refer to the owner's own exercises only.
    """
    await session.flush()  # pending rows (e.g. new exercises) must be visible to the lookups
    taken = await session.scalar(select(Program.name).where(func.lower(Program.name) == doc.name.lower()))
    if taken is not None:
        # The existing program may be one the uploader cannot see: say only that the name is taken.
        raise ProgramExistsError(
            _("The program name '{name}' is taken - choose another name.").format(name=doc.name)
        )

    visibility_code = visibility or doc.visibility
    difficulty_id = await session.scalar(
        select(DifficultyLevel.id).where(DifficultyLevel.code == doc.difficulty)
    )
    visibility_id = await session.scalar(select(Visibility.id).where(Visibility.code == visibility_code))
    category_ids = await _ids_by_code(session, Category, doc.categories)
    tag_ids = await _ids_by_code(session, Tag, doc.tags)
    codes = sorted(doc.exercise_codes())
    exercise_ids = await _ids_by_code(session, Exercise, codes)
    exercise_ids |= await _own_exercise_ids(session, doc, owner, [c for c in codes if c not in exercise_ids])
    missing = [
        *([_("difficulty '{code}'").format(code=doc.difficulty)] if difficulty_id is None else []),
        *([_("visibility '{code}'").format(code=visibility_code)] if visibility_id is None else []),
        *(_("category '{code}'").format(code=code) for code in doc.categories if code not in category_ids),
        *(_("tag '{code}'").format(code=code) for code in doc.tags if code not in tag_ids),
        *(_("exercise '{code}'").format(code=code) for code in codes if code not in exercise_ids),
    ]
    workout_ids = {workout.key: uuid.uuid4() for workout in doc.workouts}
    missing += [
        _("workout '{code}'").format(code=entry.workout)
        for day in doc.days
        for entry in day.workouts
        if entry.workout not in workout_ids
    ]
    if missing:
        raise UnknownReferenceError(
            _("The program refers to unknown {things}.").format(things=", ".join(missing))
        )
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
    if doc.readiness is not None or doc.stall_remedy is not None:
        session.add(_rule_row(program.id, doc))
    translations = translation_rows(program.id, doc, workout_ids)
    if translations:
        session.add_all(translations)
        await session.flush()
    rules = [
        _progression_row(instruction.id, item.progression)
        for workout, built in zip(doc.workouts, workouts, strict=True)
        for item, instruction in zip(workout.exercises, built.instructions, strict=True)
        if item.progression is not None
    ]
    if rules:
        session.add_all(rules)
        await session.flush()
    await catalog_cache.bump(session)  # every process's cached prescriptions are read again
    return program


async def add_missing_translations(session: AsyncSession, doc: ProgramDoc, *, owner: User) -> bool:
    """Give a bundled program seeded before translations existed (migration 0021) the document's
    translations, when it has none, and a translated workout the notes of its exercises when it has
    none of them yet; its workouts are found by name. Whether anything was added."""
    if not doc.translations:
        return False
    program = await session.scalar(
        select(Program).where(func.lower(Program.name) == doc.name.lower(), Program.created_by == owner.id)
    )
    if program is None:
        return False
    stored = list(
        await session.scalars(select(ProgramTranslation).where(ProgramTranslation.program_id == program.id))
    )
    rows = await session.execute(
        select(Workout.name, Workout.id)
        .join(ScheduleWorkout, ScheduleWorkout.workout_id == Workout.id)
        .join(ProgramSchedule, ProgramSchedule.id == ScheduleWorkout.schedule_id)
        .where(ProgramSchedule.program_id == program.id)
    )
    by_name: dict[str, uuid.UUID] = {str(name): workout_id for name, workout_id in rows}
    workout_ids = {w.key: by_name[w.name] for w in doc.workouts if w.name in by_name}
    if stored:
        added = _add_exercise_notes(stored, doc, workout_ids)
        if added:
            await session.flush()
        return added
    session.add_all(translation_rows(program.id, doc, workout_ids))
    await session.flush()
    return True


def _add_exercise_notes(
    stored: list[ProgramTranslation], doc: ProgramDoc, workout_ids: dict[str, uuid.UUID]
) -> bool:
    """Add the document's translated exercise notes to stored translations whose workouts have none
    (a program seeded before they existed); texts already stored are left as they are."""
    added = False
    by_language = {row.language: row for row in stored}
    for translation in doc.translations:
        row = by_language.get(translation.language)
        if row is None:
            continue
        workouts = dict(row.workouts or {})
        for item in translation.workouts:
            key = str(workout_ids[item.key]) if item.key in workout_ids else None
            texts = workouts.get(key) if key is not None else None
            if key is None or not item.exercises or not isinstance(texts, dict) or "exercises" in texts:
                continue
            workouts[key] = {**texts, "exercises": list(item.exercises)}
            row.workouts = workouts  # a new value: the JSON column is written
            added = True
    return added


def translation_rows(
    program_id: uuid.UUID, doc: ProgramDoc, workout_ids: dict[str, uuid.UUID]
) -> list[ProgramTranslation]:
    """The document's `translations` as rows; workouts named by their ids (the database keeps no keys)."""
    return [
        ProgramTranslation(
            program_id=program_id,
            language=t.language,
            name=t.name,
            description=t.description,
            notes=t.notes,
            stall_remedy=t.stall_remedy,
            schedule_notes=t.schedule_notes,
            phases=[{"name": p.name, "description": p.description} for p in t.phases],
            workouts={str(workout_ids[w.key]): _workout_texts(w) for w in t.workouts if w.key in workout_ids},
        )
        for t in doc.translations
    ]


def _workout_texts(workout: WorkoutTranslationDoc) -> dict[str, Any]:
    """A workout's translated texts as stored in ProgramTranslation.workouts[workout_id]."""
    texts: dict[str, Any] = {"name": workout.name, "description": workout.description}
    if workout.exercises:
        texts["exercises"] = list(workout.exercises)
    return texts


def _translation_doc(row: ProgramTranslation, keys: set[str]) -> TranslationDoc:
    return TranslationDoc(
        language=row.language,
        name=row.name,
        description=row.description,
        notes=row.notes,
        stall_remedy=row.stall_remedy,
        schedule_notes=row.schedule_notes,
        phases=tuple(
            PhaseTranslationDoc(name=str(p["name"]), description=p.get("description"))
            for p in row.phases or []
            if isinstance(p, dict) and p.get("name")
        ),
        workouts=tuple(
            WorkoutTranslationDoc(
                key=key,
                name=str(texts["name"]),
                description=texts.get("description"),
                exercises=catalog_cache.exercise_notes(texts),
            )
            for key, texts in (row.workouts or {}).items()
            if key in keys and isinstance(texts, dict) and texts.get("name")
        ),
    )


def _rule_row(program_id: uuid.UUID, doc: ProgramDoc) -> ProgramRule:
    """The program's coaching rules (readiness question, stall remedy) as their row."""
    readiness = doc.readiness
    return ProgramRule(
        program_id=program_id,
        readiness_enabled=readiness is not None,
        low_below=readiness.low_below if readiness is not None else ReadinessDoc().low_below,
        reduce_percent=readiness.reduce_percent if readiness is not None else 0,
        stall_remedy=doc.stall_remedy,
    )


def _rule_fields(rule: ProgramRule | None) -> dict[str, Any]:
    """The document's `readiness` and `stall_remedy` from the program's rule row (if any)."""
    if rule is None:
        return {}
    readiness = (
        ReadinessDoc(low_below=rule.low_below, reduce_percent=rule.reduce_percent)
        if rule.readiness_enabled
        else None
    )
    return {"readiness": readiness, "stall_remedy": rule.stall_remedy}


def _progression_row(instruction_id: uuid.UUID, doc: ProgressionDoc) -> ProgressionRule:
    return ProgressionRule(
        instruction_id=instruction_id,
        rule=ProgressionKind(doc.rule.upper()),
        increment_kg=doc.increment_kg,
        deload_after=doc.deload_after,
        deload_percent=doc.deload_percent,
        percent=doc.percent,
        training_max_percent=doc.training_max_percent,
    )


def _rule_doc(row: ProgressionRule) -> ProgressionDoc:
    def plain(value: Decimal | None) -> Decimal | None:
        return None if value is None else value.normalize() + 0  # 2.50 -> 2.5, as typed

    return ProgressionDoc(
        rule=row.rule.value.lower(),
        increment_kg=plain(row.increment_kg),
        deload_after=row.deload_after,
        deload_percent=plain(row.deload_percent),
        percent=plain(row.percent),
        training_max_percent=plain(row.training_max_percent),
    )


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
        raise NotFound(_("That program does not exist."))
    rules = {
        row.instruction_id: _rule_doc(row)
        for row in await session.scalars(
            select(ProgressionRule)
            .join(ExerciseInstruction, ExerciseInstruction.id == ProgressionRule.instruction_id)
            .join(ScheduleWorkout, ScheduleWorkout.workout_id == ExerciseInstruction.workout_id)
            .join(ProgramSchedule, ProgramSchedule.id == ScheduleWorkout.schedule_id)
            .where(ProgramSchedule.program_id == program_id)
        )
    }
    schedules = sorted((s for s in program.schedules if s.is_active), key=lambda s: s.created_at)
    if not schedules:
        raise DomainError(
            _("The program '{name}' has no active schedule to export.").format(name=program.name)
        )
    schedule = schedules[0]

    categories = [link for link in program.categories if link.is_active]
    primary = [link.category.code for link in categories if link.is_primary][:1]
    others = sorted(link.category.code for link in categories if link.category.code not in primary)

    workouts: dict[str, WorkoutDoc] = {}
    own: dict[str, Exercise] = {}  # the author's own exercises the workouts use, by name
    days: dict[int, list[ScheduledWorkoutDoc]] = {}
    for entry in sorted(
        (e for e in schedule.workouts if e.is_active), key=lambda e: (e.day_number, e.order_index)
    ):
        key = str(entry.workout_id)
        if key not in workouts:
            workouts[key] = _workout_doc(key, entry.workout, rules)
            own |= {
                i.exercise.name: i.exercise
                for i in entry.workout.instructions
                if i.is_active and i.exercise.owner_id is not None
            }
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
        **_rule_fields(await session.get(ProgramRule, program.id)),
        translations=tuple(
            _translation_doc(row, set(workouts))
            for row in await session.scalars(
                select(ProgramTranslation)
                .where(ProgramTranslation.program_id == program_id)
                .order_by(ProgramTranslation.language)
            )
        ),
        custom_exercises=tuple(
            CustomExerciseDoc(
                name=exercise.name,
                muscle_group=exercise.muscle_group,
                equipment=exercise.equipment,
                tracking=TrackingType(exercise.tracking_type),
                description=exercise.description,
            )
            for _name, exercise in sorted(own.items(), key=lambda pair: pair[0].casefold())
        ),
    )
    return with_canonical_keys(doc)


def _workout_doc(key: str, workout: Workout, rules: dict[uuid.UUID, ProgressionDoc]) -> WorkoutDoc:
    instructions = sorted((i for i in workout.instructions if i.is_active), key=lambda i: i.order_index)
    return WorkoutDoc(
        key=key,
        name=workout.name,
        description=workout.description,
        estimated_minutes=workout.estimated_duration_minutes,
        exercises=tuple(
            InstructionDoc(
                exercise=item.exercise.code if item.exercise.owner_id is None else item.exercise.name,
                sets=item.target_sets,
                reps_min=item.target_reps_min,
                reps_max=item.target_reps_max
                if item.target_reps_max is not None or item.target_reps_min is None
                else item.target_reps_min,
                duration_seconds=item.target_duration_seconds,
                rest_seconds=item.rest_seconds,
                weight_kg=item.target_weight_kg,
                notes=item.notes,
                progression=rules.get(item.id),
            )
            for item in instructions
        ),
    )
