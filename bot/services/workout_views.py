"""Reading a workout as the trainee works through it: the session's view (prescription and what was
logged), its owner check, the workout in progress, and what was done on an exercise last time.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, event, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from bot.db.enums import SessionStatus, TargetReason, TrackingType
from bot.db.models import (
    ExerciseInstruction,
    ProgramDaySession,
    SessionExerciseSwap,
    SessionReadiness,
    TraineeTarget,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserLoading,
    UserWorkoutSession,
    Workout,
)
from bot.i18n import DEFAULT_LOCALE, _, current_locale
from bot.services import catalog_cache, history_cache, readiness
from bot.services.errors import DomainError, NotFound
from bot.services.loading import Scales
from bot.services.progression import Rule, Target, prescribed_weight
from bot.services.targets import target_of
from bot.services.workout_values import CONDITIONING as CONDITIONING
from bot.services.workout_values import ExerciseView as ExerciseView
from bot.services.workout_values import LastTime as LastTime
from bot.services.workout_values import SessionView as SessionView
from bot.services.workout_values import SetView as SetView

# ---------------------------------------------------------------------------------------------------------
# reading


async def own_session(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool = False
) -> UserWorkoutSession:
    """The user's workout session, or NotFound (someone else's id proves nothing)."""
    query = select(UserWorkoutSession).where(
        UserWorkoutSession.id == session_id, UserWorkoutSession.user_id == user.id
    )
    if lock:
        query = query.with_for_update()
    found = await session.scalar(query)
    if found is None:
        raise NotFound(_("That workout does not exist."))
    return found


# The queries of every logged set are built once: constructing a statement costs SQLAlchemy more than
# compiling (cached) and running it. Parameters are bindparams named after the arguments.


@cache
def _in_progress_query() -> Select[uuid.UUID]:
    return (
        select(UserWorkoutSession.id)
        .where(
            UserWorkoutSession.user_id == bindparam("user_id"),
            UserWorkoutSession.session_status == SessionStatus.IN_PROGRESS,
        )
        .order_by(UserWorkoutSession.started_at.desc())
        .limit(1)
    )


def _view_columns(head: Any) -> tuple[Any, ...]:
    """The columns every view read returns, `head` being user_workout_session (or a subquery of it):
    the session, its workout's name and program day, whether it has swaps, the catalog's version, then
    one row per logged set (summary rows without sets once, with NULL set columns)."""
    has_swaps = (
        select(SessionExerciseSwap.session_id).where(SessionExerciseSwap.session_id == head.c.id).exists()
    )
    return (
        head.c.id,
        head.c.workout_id,
        head.c.session_status,
        head.c.started_at,
        head.c.program_enrollment_id,
        Workout.name,
        ProgramDaySession.day_number,
        has_swaps.label("has_swaps"),
        catalog_cache.version_column(),
        SessionReadiness.reduce_percent,
        UserLoading.bar_weight_kg,
        UserExercisePerformance.id,
        UserExercisePerformance.exercise_instruction_id,
        UserExercisePerformance.created_at,
        UserExercisePerformance.difficulty_rating,
        UserExerciseSet.set_number,
        UserExerciseSet.reps,
        UserExerciseSet.weight_kg,
        UserExerciseSet.duration_seconds,
        UserExerciseSet.is_warmup,
        UserExerciseSet.set_type,
        UserExerciseSet.rpe,
        UserExerciseSet.rir,
        UserExerciseSet.distance_m,
        UserExerciseSet.assistance_kg,
        UserExerciseSet.calories,
    )


def _view_joins(query: Select[Any], head: Any) -> Select[Any]:
    return (
        query.outerjoin(Workout, Workout.id == head.c.workout_id)
        .outerjoin(ProgramDaySession, ProgramDaySession.session_id == head.c.id)
        .outerjoin(SessionReadiness, SessionReadiness.session_id == head.c.id)
        .outerjoin(UserLoading, UserLoading.user_id == head.c.user_id)
        .outerjoin(UserExercisePerformance, UserExercisePerformance.user_workout_session_id == head.c.id)
        .outerjoin(UserExerciseSet, UserExerciseSet.performance_id == UserExercisePerformance.id)
        .order_by(UserExercisePerformance.created_at, UserExercisePerformance.id, UserExerciseSet.set_number)
    )


@cache
def _view_query(lock: bool) -> Select[Any]:
    """session_view's one query: the session's head and what was logged (built once)."""
    head = UserWorkoutSession.__table__
    query = _view_joins(select(*_view_columns(head)).select_from(head), head).where(
        head.c.id == bindparam("session_id"), head.c.user_id == bindparam("user_id")
    )
    if lock:
        query = query.with_for_update(of=head)
    return query


@cache
def _user_view_query() -> Select[Any]:
    """`load_user_view`'s one query: the user (by Telegram id) and the view of a session of theirs -
    the one given, else the one in progress - with its row locked (FOR UPDATE on PostgreSQL)."""
    owner = select(User.id).where(User.telegram_id == bindparam("telegram_id")).scalar_subquery()
    in_progress = (
        select(UserWorkoutSession.id)
        .where(
            UserWorkoutSession.user_id == owner,
            UserWorkoutSession.session_status == SessionStatus.IN_PROGRESS,
        )
        .order_by(UserWorkoutSession.started_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    table = UserWorkoutSession.__table__
    wanted = func.coalesce(bindparam("session_id", type_=table.c.id.type), in_progress)
    head = select(table).where(table.c.id == wanted).with_for_update().subquery("head")
    query = (
        select(User, history_cache.token_column(), *_view_columns(head))
        .select_from(User)
        .outerjoin(head, head.c.user_id == User.id)
    )
    return _view_joins(query, head).where(User.telegram_id == bindparam("telegram_id"))


@cache
def _swaps_query() -> Select[uuid.UUID, uuid.UUID]:
    """The session's swapped exercises: the original instruction's id and its replacement's."""
    return select(
        SessionExerciseSwap.original_instruction_id, SessionExerciseSwap.replacement_instruction_id
    ).where(SessionExerciseSwap.session_id == bindparam("session_id"))


_NOTHING: Any = object()
_STASHED = "workout_view"
_IN_PROGRESS = "workout_in_progress"
_LAST_TIMES = "workout_last_times"
"""`last_time`'s answers in this transaction (other sessions' sets: what this one writes cannot change
them)."""


def _forget_stash(session: Session) -> None:
    """A write in the transaction: what `load_user_view` read may be out of date now."""
    session.info.pop(_STASHED, None)
    session.info.pop(_IN_PROGRESS, None)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    info = state.session.info
    if not state.is_select and (_STASHED in info or _IN_PROGRESS in info):
        _forget_stash(state.session)


@event.listens_for(Session, "after_flush")
def _on_flush(session: Session, _context: object) -> None:
    if _STASHED in session.info or _IN_PROGRESS in session.info:
        _forget_stash(session)


async def in_progress_session(session: AsyncSession, user: User) -> uuid.UUID | None:
    stashed = session.info.pop(_IN_PROGRESS, _NOTHING)
    if stashed is not _NOTHING and stashed[0] == user.id:
        found: uuid.UUID | None = stashed[1]
        return found
    result: uuid.UUID | None = await session.scalar(_in_progress_query(), {"user_id": user.id})
    return result


async def load_user_view(
    session: AsyncSession, telegram_id: int, session_id: uuid.UUID | None
) -> User | None:
    """The user with this Telegram id (None if not registered) and, read in the same query, the view of
    their session `session_id` - or, with None, of their workout in progress - locked as
    `session_view(lock=True)` locks it.

    The view is kept in the transaction for the next `session_view` (and, without `session_id`,
    `in_progress_session`) of this user to take instead of reading it again: one query where the
    workout's steps would otherwise run user, in-progress and view reads one after the other.
    """
    parameters = {
        "telegram_id": telegram_id,
        "session_id": session_id,
        "history_key": history_cache.key_of(telegram_id),
    }
    rows = (await session.execute(_user_view_query(), parameters)).all()
    if not rows:
        return None
    user: User = rows[0][0]
    history_cache.check(session, user.id, rows[0][1])
    view = await _assemble(session, user, [tuple(row)[2:] for row in rows], locked=True)
    if session_id is None:
        session.info[_IN_PROGRESS] = (user.id, view.id if view is not None else None)
    if view is not None:
        session.info[_STASHED] = (user.id, view)
    return user


async def session_view(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool = False
) -> SessionView:
    """The workout as the trainee works through it: prescribed exercises in order, then their extras.

    One query (the session, its workout's name and program day, and what was logged); the prescription
    and the extras' instructions come from the process's catalog cache (bot.services.catalog_cache,
    checked against the version the query read), swaps (bot.services.exercise_swap) from one more query
    only when the session has any. `lock` takes the session row FOR UPDATE (PostgreSQL), as
    `own_session(lock=True)` does. A view `load_user_view` read in this transaction is taken once.
    """
    stashed = session.info.pop(_STASHED, None)
    if stashed is not None and stashed[0] == user.id and stashed[1].id == session_id:
        view: SessionView = stashed[1]
        if view.locked or not lock:
            return view
    rows = (await session.execute(_view_query(lock), {"session_id": session_id, "user_id": user.id})).all()
    found = await _assemble(session, user, [tuple(row) for row in rows], locked=lock)
    if found is None:
        raise NotFound(_("That workout does not exist."))
    return found


async def _progression(
    session: AsyncSession, user: User, session_id: uuid.UUID, items: Sequence[catalog_cache.Prescribed]
) -> dict[uuid.UUID, tuple[Rule | None, Target | None]]:
    """Each prescribed instruction's progression rule and the trainee's target on its exercise, where
    either applies: a target applies where a rule progresses the exercise, or a coach set it. The
    targets are read once per session and kept in the history cache (bot.services.targets bumps the
    user's token when one changes outside a finish: /tm, a coach's /target, a first target)."""
    if not items:
        return {}
    key = (session_id, None)
    found = history_cache.get(session, user.id, "targets", key)
    if found is history_cache.MISSING:
        rows = await session.scalars(
            select(TraineeTarget).where(
                TraineeTarget.user_id == user.id,
                TraineeTarget.exercise_id.in_(sorted({item.exercise_id for item in items})),
            )
        )
        found = {row.exercise_id: target_of(row) for row in rows}
        history_cache.put(session, user.id, "targets", key, found)
    progression: dict[uuid.UUID, tuple[Rule | None, Target | None]] = {}
    for item in items:
        target = found.get(item.exercise_id)
        if item.rule is None and (target is None or target.reason.kind is not TargetReason.COACH):
            target = None
        if item.rule is not None or target is not None:
            progression[item.instruction_id] = (item.rule, target)
    return progression


async def _assemble(
    session: AsyncSession, user: User, rows: Sequence[tuple[Any, ...]], *, locked: bool
) -> SessionView | None:
    """The view from the rows of `_view_columns` (None when they hold no session)."""
    if not rows or rows[0][0] is None:
        return None
    session_id, workout_id, status, started_at, enrollment_id, workout_name, day, has_swaps, version = rows[
        0
    ][:9]
    reduce = int(rows[0][9] or 0)
    bar_kg: Decimal | None = rows[0][10]
    catalog_cache.CACHE.check(version)
    locale = current_locale()
    program_rows = await catalog_cache.prescription(session, workout_id)
    translated_notes: dict[uuid.UUID, str] = {}
    if locale != DEFAULT_LOCALE:  # a program workout's texts in the reader's language (no query in English)
        texts = (await catalog_cache.workout_texts(session, locale)).get(workout_id)
        if texts is not None:
            workout_name = texts.name or workout_name
            translated_notes = {
                p.instruction_id: note
                for position, p in enumerate(program_rows)
                if (note := texts.note(position)) is not None
            }
    progression = await _progression(session, user, session_id, program_rows)
    swapped: dict[uuid.UUID, uuid.UUID] = {}
    if has_swaps:
        pairs = (await session.execute(_swaps_query(), {"session_id": session_id})).all()
        swapped = {row[0]: row[1] for row in pairs}
    performances: dict[uuid.UUID, tuple[uuid.UUID, datetime, int | None]] = {}
    sets_by_performance: dict[uuid.UUID, list[SetView]] = {}
    for row in rows:
        performance_id, instruction_id, created_at, difficulty, number, *columns = row[11:]
        if performance_id is None:
            continue
        performances.setdefault(instruction_id, (performance_id, created_at, difficulty))
        logged_sets = sets_by_performance.setdefault(performance_id, [])
        if number is not None:
            logged_sets.append(SetView(number, *columns))
    known = {p.instruction_id for p in program_rows}
    extra_ids = [i for i in performances if i not in known]
    by_id = await catalog_cache.instructions(session, [*swapped.values(), *extra_ids])
    replaced = {swapped[p.instruction_id]: p.name for p in program_rows if p.instruction_id in swapped}
    prescribed = [by_id.get(swapped.get(p.instruction_id, p.instruction_id), p) for p in program_rows]
    known = {p.instruction_id for p in prescribed}
    extras = sorted(
        (by_id[i] for i in performances if i not in known and i in by_id),
        key=lambda p: performances[p.instruction_id][1],
    )
    exercises = []
    scales = Scales(session, user, bar_kg)
    for index, item in enumerate([*prescribed, *extras]):
        performance = performances.get(item.instruction_id)
        rule, target = progression.get(item.instruction_id, (None, None))
        weight = item.target_weight_kg
        computed = rule is not None or target is not None
        loadable = False
        if (computed or reduce) and item.tracking is TrackingType.WEIGHT_REPS:
            scale = await scales.of(item.equipment)
            if computed:
                weight = prescribed_weight(rule, target, scale, weight)
                weight = scale.round(weight) if weight is not None else None
            weight = readiness.prescribed_weight(weight, reduce, scale)
            loadable = weight is not None
        exercises.append(
            ExerciseView(
                index=index,
                instruction_id=item.instruction_id,
                exercise_id=item.exercise_id,
                name=item.name,
                tracking=item.tracking,
                target_sets=item.target_sets,
                reps_min=item.reps_min,
                reps_max=item.reps_max,
                target_weight_kg=weight,
                target_duration_seconds=item.target_duration_seconds,
                rest_seconds=item.rest_seconds,
                notes=translated_notes.get(item.instruction_id, item.notes),
                adhoc=item.workout_id is None and item.instruction_id not in replaced,
                sets=tuple(sets_by_performance.get(performance[0], ())) if performance else (),
                difficulty=performance[2] if performance else None,
                performance_id=performance[0] if performance else None,
                muscle_group=item.muscle_group,
                replaces=replaced.get(item.instruction_id),
                equipment=item.equipment,
                reduced_percent=reduce if item.target_weight_kg is not None else 0,
                target_distance_m=item.target_distance_m,
                rule=rule,
                target=target,
                program_weight_kg=item.target_weight_kg,
                loadable=loadable,
            )
        )
    return SessionView(
        id=session_id,
        workout_name=workout_name or "Workout",
        status=SessionStatus(status),
        started_at=started_at,
        enrollment_id=enrollment_id,
        day_number=day,
        exercises=tuple(exercises),
        locked=locked,
        reduce_percent=reduce,
    )


def with_exercise(view: SessionView, exercise: ExerciseView) -> SessionView:
    """The view with one exercise replaced (after a change this transaction made)."""
    return replace(
        view, exercises=tuple(exercise if e.index == exercise.index else e for e in view.exercises)
    )


def _set_view(row: UserExerciseSet) -> SetView:
    return SetView.of(row.set_number, row)


@cache
def _last_time_queries() -> tuple[Select[uuid.UUID, datetime | None, datetime], Select[UserExerciseSet]]:
    latest = (
        select(UserExercisePerformance.id, UserWorkoutSession.started_at, UserWorkoutSession.created_at)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .where(
            UserWorkoutSession.user_id == bindparam("user_id"),
            UserWorkoutSession.id != bindparam("exclude_session"),
            ExerciseInstruction.exercise_id == bindparam("exercise_id"),
            UserExercisePerformance.sets_completed > 0,
        )
        .order_by(func.coalesce(UserWorkoutSession.started_at, UserWorkoutSession.created_at).desc())
        .limit(1)
    )
    sets = (
        select(UserExerciseSet)
        .where(
            UserExerciseSet.performance_id == bindparam("performance_id"),
            UserExerciseSet.is_warmup.is_(False),
        )
        .order_by(UserExerciseSet.set_number)
    )
    return latest, sets


async def last_time(
    session: AsyncSession, user: User, exercise_id: uuid.UUID, *, exclude_session: uuid.UUID
) -> LastTime | None:
    """What the user did on this exercise the last time, in another session."""
    memo: dict[tuple[uuid.UUID, uuid.UUID, uuid.UUID], LastTime | None] = session.info.setdefault(
        _LAST_TIMES, {}
    )
    key = (user.id, exercise_id, exclude_session)
    if key in memo:  # read once per transaction: the screen after a tapped set asks again
        return memo[key]
    cached = history_cache.get(session, user.id, "last", (exercise_id, exclude_session))
    if cached is not history_cache.MISSING:
        result: LastTime | None = cached
        return result
    latest_query, sets_query = _last_time_queries()
    parameters = {"user_id": user.id, "exclude_session": exclude_session, "exercise_id": exercise_id}
    latest = (await session.execute(latest_query, parameters)).first()
    found = None
    if latest is not None:
        performance_id, started_at, created_at = latest
        sets = await session.scalars(sets_query, {"performance_id": performance_id})
        found = LastTime(when=started_at or created_at, sets=tuple(_set_view(s) for s in sets))
    memo[key] = found
    history_cache.put(session, user.id, "last", (exercise_id, exclude_session), found)
    return found


async def in_progress_row(session: AsyncSession, user: User, session_id: uuid.UUID) -> UserWorkoutSession:
    workout_session = await own_session(session, user, session_id, lock=True)
    if workout_session.session_status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    return workout_session


async def recently_finished(
    session: AsyncSession, user: User, now: datetime, within: timedelta
) -> uuid.UUID | None:
    """The user's workout completed at most `within` before `now` (the latest), if any."""
    found: uuid.UUID | None = await session.scalar(
        select(UserWorkoutSession.id)
        .where(
            UserWorkoutSession.user_id == user.id,
            UserWorkoutSession.session_status == SessionStatus.COMPLETED,
            UserWorkoutSession.completed_at >= now - within,
        )
        .order_by(UserWorkoutSession.completed_at.desc())
        .limit(1)
    )
    return found
