"""The workout history: past sessions (finished, and cancelled or skipped ones with what was logged in
them), their details, and corrections - edit or delete a set, add a forgotten one, delete a workout.

Domain only: no Telegram, never commits. Records are never stored: every record (/records, the charts,
the announcements) is computed from the sets as they are, so a correction recomputes them by itself;
the functions here report which records a change made or unmade.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, case, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    ProgramDaySession,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.i18n import _
from bot.services import catalog_cache, exercise_notes, history_cache, workouts
from bot.services.coaching.comments import CommentView, comments_on
from bot.services.errors import DomainError, NotFound
from bot.services.progress import ExerciseRecords, personal_records
from bot.services.records import TWO_PLACES, Record, SetLike, bests_before, new_records
from bot.services.set_input import SetInput

HISTORY_PAGE_SIZE = 5
PAST = (SessionStatus.COMPLETED, SessionStatus.CANCELLED, SessionStatus.SKIPPED)
MAX_ADDED_SETS = 10
# A past session is in the history when it was finished, or when it was started and then cancelled or
# skipped: its sets count for records and "last time", so the trainee must be able to see and fix them.
_IN_HISTORY = or_(
    UserWorkoutSession.completed_at.is_not(None),
    and_(
        UserWorkoutSession.session_status.in_((SessionStatus.CANCELLED, SessionStatus.SKIPPED)),
        UserWorkoutSession.started_at.is_not(None),
    ),
)
_WHEN = func.coalesce(UserWorkoutSession.completed_at, UserWorkoutSession.started_at)


def _dec(value: object) -> Decimal:
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


# ---------------------------------------------------------------------------------------------------------
# the list


@dataclass(frozen=True, slots=True)
class HistoryItem:
    session_id: uuid.UUID
    workout_name: str
    status: SessionStatus
    completed_at: datetime | None  # None: cancelled or skipped
    started_at: datetime | None
    duration_seconds: int | None
    sets: int
    reps: int
    volume_kg: Decimal
    seconds: int  # the time of timed working sets
    effort: int | None
    soreness: int | None
    distance_m: Decimal = Decimal(0)  # the distance of working sets with one
    distance_seconds: int = 0  # the time of those sets (for the pace)
    calories: int = 0  # the calories of working sets with them

    @property
    def when(self) -> datetime:
        moment = self.started_at or self.completed_at
        assert moment is not None
        return moment


@dataclass(frozen=True, slots=True)
class HistoryPage:
    items: tuple[HistoryItem, ...]
    page: int
    has_more: bool
    size: int = HISTORY_PAGE_SIZE


async def history_page(
    session: AsyncSession, user: User, page: int = 0, *, size: int = HISTORY_PAGE_SIZE
) -> HistoryPage:
    """The user's past workouts (finished, cancelled, skipped after starting), newest first, `size` a
    page (pages count from 0)."""
    page = max(page, 0)
    rows = (
        await session.execute(
            select(UserWorkoutSession, Workout.name)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .where(UserWorkoutSession.user_id == user.id, _IN_HISTORY)
            .order_by(_WHEN.desc(), UserWorkoutSession.id)
            .offset(page * size)
            .limit(size + 1)
        )
    ).all()
    shown = rows[:size]
    totals: dict[uuid.UUID, tuple[int, int, Decimal, int, Decimal, int, int]] = {}
    if shown:
        volume = case(
            (
                and_(UserExerciseSet.weight_kg.is_not(None), UserExerciseSet.reps.is_not(None)),
                UserExerciseSet.weight_kg * UserExerciseSet.reps,
            ),
            else_=0,
        )
        distance_time = case(
            (UserExerciseSet.distance_m.is_not(None), UserExerciseSet.duration_seconds), else_=0
        )
        for sid, count, reps, total, seconds, metres, metres_time, calories in await session.execute(
            select(
                UserExercisePerformance.user_workout_session_id,
                func.count(UserExerciseSet.id),
                func.coalesce(func.sum(UserExerciseSet.reps), 0),
                func.coalesce(func.sum(volume), 0),
                func.coalesce(func.sum(UserExerciseSet.duration_seconds), 0),
                func.coalesce(func.sum(UserExerciseSet.distance_m), 0),
                func.coalesce(func.sum(distance_time), 0),
                func.coalesce(func.sum(UserExerciseSet.calories), 0),
            )
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(
                UserExercisePerformance.user_workout_session_id.in_([r[0].id for r in shown]),
                UserExerciseSet.is_warmup.is_(False),
            )
            .group_by(UserExercisePerformance.user_workout_session_id)
        ):
            totals[sid] = (
                int(count),
                int(reps),
                _dec(total).quantize(TWO_PLACES),
                int(seconds),
                _dec(metres),
                int(metres_time),
                int(calories),
            )
    translated = await catalog_cache.translated_workout_names(session)
    items = []
    for row, name in shown:
        count, reps, total, seconds, metres, metres_time, calories = totals.get(
            row.id, (0, 0, Decimal(0), 0, Decimal(0), 0, 0)
        )
        items.append(
            HistoryItem(
                session_id=row.id,
                workout_name=translated.get(row.workout_id, name),
                status=row.session_status,
                completed_at=row.completed_at,
                started_at=row.started_at,
                duration_seconds=row.actual_duration_seconds,
                sets=count,
                reps=reps,
                volume_kg=total,
                seconds=seconds,
                effort=row.effort_rating,
                soreness=row.soreness_rating,
                distance_m=metres,
                distance_seconds=metres_time,
                calories=calories,
            )
        )
    return HistoryPage(tuple(items), page, len(rows) > size, size)


# ---------------------------------------------------------------------------------------------------------
# one workout


@dataclass(frozen=True, slots=True)
class SessionDetail:
    """A past workout with every set, its ratings and its note."""

    view: workouts.SessionView
    started_at: datetime | None
    completed_at: datetime | None
    duration_seconds: int | None
    effort: int | None
    soreness: int | None
    notes: str | None
    program: bool  # part of a program
    exercise_notes: dict[uuid.UUID, str] = field(default_factory=dict)
    """The user's sticky notes on the workout's exercises, by exercise id."""
    comments: tuple[CommentView, ...] = ()
    """Coaches' comments on the workout (and the user's answers), oldest first."""

    @property
    def status(self) -> SessionStatus:
        return self.view.status

    @property
    def deletable(self) -> bool:
        """A cancelled workout, or one outside a program: a program's finished or skipped workout is
        what moved the program on, so it stays (its sets can still be corrected)."""
        return not self.program or self.status == SessionStatus.CANCELLED


async def _past(
    session: AsyncSession, user: User, session_id: uuid.UUID, *, lock: bool
) -> UserWorkoutSession:
    owned = await workouts.own_session(session, user, session_id, lock=lock)
    if owned.session_status not in PAST:
        raise DomainError(
            _("That workout is still open: correct its sets from the workout itself (/workout).")
        )
    return owned


async def session_detail(session: AsyncSession, user: User, session_id: uuid.UUID) -> SessionDetail:
    """A past workout of the user's (NotFound when it is not theirs)."""
    row = await _past(session, user, session_id, lock=False)
    view = await workouts.session_view(session, user, session_id)
    return SessionDetail(
        view=view,
        started_at=row.started_at,
        completed_at=row.completed_at,
        duration_seconds=row.actual_duration_seconds,
        effort=row.effort_rating,
        soreness=row.soreness_rating,
        notes=row.session_notes,
        program=row.program_enrollment_id is not None,
        exercise_notes=await exercise_notes.notes_for(
            session, user, (e.exercise_id for e in view.exercises if e.sets)
        ),
        comments=tuple(await comments_on(session, user, session_id)),
    )


async def past_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> workouts.SessionView:
    """A session of the user's history with every set (NotFound when it is not theirs)."""
    return await workouts.session_view(session, user, session_id)


# ---------------------------------------------------------------------------------------------------------
# correcting sets


async def _past_set(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_index: int, set_number: int
) -> tuple[workouts.ExerciseView, UserExercisePerformance, UserExerciseSet]:
    await _past(session, user, session_id, lock=True)
    exercise = (await workouts.session_view(session, user, session_id)).exercise(exercise_index)
    performance = await session.scalar(
        select(UserExercisePerformance).where(
            UserExercisePerformance.user_workout_session_id == session_id,
            UserExercisePerformance.exercise_instruction_id == exercise.instruction_id,
        )
    )
    if performance is None:
        raise NotFound(_("That set does not exist."))
    row = await session.scalar(
        select(UserExerciseSet).where(
            UserExerciseSet.performance_id == performance.id, UserExerciseSet.set_number == set_number
        )
    )
    if row is None:
        raise NotFound(_("That set does not exist."))
    return exercise, performance, row


def _numbered(number: int, s: SetLike) -> workouts.SetView:
    """`s` (a typed set, a view, or a plain set-like value) as the set numbered `number`."""
    if isinstance(s, SetInput | workouts.SetView):
        return workouts.SetView.of(number, s)
    return workouts.SetView(number, s.reps, s.weight_kg, s.duration_seconds, s.is_warmup)


def _columns(s: SetLike) -> dict[str, object]:
    return _numbered(1, s).columns()


async def past_set(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_index: int, set_number: int
) -> tuple[workouts.ExerciseView, workouts.SetView]:
    """One set of a past session, checked to be the user's."""
    exercise, _performance, row = await _past_set(session, user, session_id, exercise_index, set_number)
    return exercise, workouts.SetView.of(row.set_number, row)


async def edit_past_set(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    exercise_index: int,
    set_number: int,
    new: SetLike,
) -> workouts.ExerciseView:
    """Replace a logged set of a past session by `new`; the exercise's summary row is recomputed."""
    _exercise, performance, row = await _past_set(session, user, session_id, exercise_index, set_number)
    await history_cache.bump(session, user)
    for column, value in _columns(new).items():
        setattr(row, column, value)
    await session.flush()
    await workouts.summarise(session, performance, user)
    return (await workouts.session_view(session, user, session_id)).exercise(exercise_index)


async def delete_past_set(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_index: int, set_number: int
) -> workouts.ExerciseView:
    """Delete a logged set of a past session, renumber the later ones, recompute the summary row."""
    _exercise, performance, row = await _past_set(session, user, session_id, exercise_index, set_number)
    await history_cache.bump(session, user)
    await session.execute(delete(UserExerciseSet).where(UserExerciseSet.id == row.id))
    later = (
        await session.scalars(
            select(UserExerciseSet)
            .where(UserExerciseSet.performance_id == performance.id, UserExerciseSet.set_number > set_number)
            .order_by(UserExerciseSet.set_number)
        )
    ).all()
    for item in later:  # one at a time, ascending: the unique (performance, number) holds at every step
        item.set_number -= 1
        await session.flush()
    await workouts.summarise(session, performance, user)
    return (await workouts.session_view(session, user, session_id)).exercise(exercise_index)


async def past_exercise(
    session: AsyncSession, user: User, session_id: uuid.UUID, exercise_index: int
) -> workouts.ExerciseView:
    """An exercise of a past session of the user's (to add a forgotten set to)."""
    await _past(session, user, session_id, lock=False)
    return (await workouts.session_view(session, user, session_id)).exercise(exercise_index)


@dataclass(frozen=True, slots=True)
class AddedSets:
    exercise: workouts.ExerciseView
    added: tuple[workouts.SetView, ...]
    records: tuple[Record, ...]  # what the added sets beat: everything else logged, as when logging


async def add_past_sets(
    session: AsyncSession,
    user: User,
    session_id: uuid.UUID,
    exercise_index: int,
    sets: Sequence[SetLike],
) -> AddedSets:
    """Append forgotten sets to an exercise of a past (finished, cancelled or skipped) session."""
    if not sets:
        raise DomainError(_("There is no set to add."))
    await history_cache.bump(session, user)
    if len(sets) > MAX_ADDED_SETS:
        raise DomainError(_("Add at most {limit} sets at once.").format(limit=MAX_ADDED_SETS))
    await _past(session, user, session_id, lock=True)
    exercise = (await workouts.session_view(session, user, session_id)).exercise(exercise_index)
    previous = await bests_before(session, user.id, exercise.exercise_id, exclude_session=session_id)
    _records, so_far = new_records(previous, exercise.sets)
    records = [] if previous.empty else new_records(so_far, sets)[0]
    performance = await session.scalar(
        select(UserExercisePerformance).where(
            UserExercisePerformance.user_workout_session_id == session_id,
            UserExercisePerformance.exercise_instruction_id == exercise.instruction_id,
        )
    )
    if performance is None:
        performance = UserExercisePerformance(
            user_workout_session_id=session_id,
            exercise_instruction_id=exercise.instruction_id,
            sets_completed=0,
            created_by=user.id,
        )
        session.add(performance)
        await session.flush()
    added = tuple(_numbered(len(exercise.sets) + n, s) for n, s in enumerate(sets, start=1))
    session.add_all(
        UserExerciseSet(performance_id=performance.id, set_number=s.number, **s.columns()) for s in added
    )
    await workouts.summarise(session, performance, user)
    updated = (await workouts.session_view(session, user, session_id)).exercise(exercise_index)
    return AddedSets(updated, added, tuple(records))


# ---------------------------------------------------------------------------------------------------------
# deleting a workout


@dataclass(frozen=True, slots=True)
class RecordChange:
    name: str
    before: ExerciseRecords
    after: ExerciseRecords | None  # None: nothing of this exercise is left


@dataclass(frozen=True, slots=True)
class DeletedSession:
    workout_name: str
    sets: int
    changes: tuple[RecordChange, ...]  # the exercises whose records the deletion changed


def _record_values(records: ExerciseRecords | None) -> tuple[object, ...]:
    if records is None:
        return ()
    return (
        records.heaviest_kg,
        records.reps_at_heaviest,
        records.most_reps,
        records.most_reps_weight_kg,
        records.e1rm_kg,
        records.best_volume_kg,
        records.bodyweight_reps,
        records.longest_seconds,
    )


def require_deletable(detail: SessionDetail) -> None:
    """DomainError with the reason when the workout cannot be deleted."""
    if not detail.deletable:
        raise DomainError(
            _("This program workout moved your program on, so it stays: correct or delete its sets instead.")
        )


async def delete_past_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> DeletedSession:
    """Delete a past workout with its sets (see `SessionDetail.deletable`); the records it held are
    recomputed from what is left, and the changes reported."""
    detail = await session_detail(session, user, session_id)
    require_deletable(detail)
    await _past(session, user, session_id, lock=True)
    await history_cache.bump(session, user)
    exercises = {e.exercise_id: e.name for e in detail.view.exercises if e.sets}
    before = {r.exercise_id: r for r in await _records_of(session, user, exercises)}
    performances = select(UserExercisePerformance.id).where(
        UserExercisePerformance.user_workout_session_id == session_id
    )
    await session.execute(delete(UserExerciseSet).where(UserExerciseSet.performance_id.in_(performances)))
    await session.execute(
        delete(UserExercisePerformance).where(UserExercisePerformance.user_workout_session_id == session_id)
    )
    await session.execute(delete(ProgramDaySession).where(ProgramDaySession.session_id == session_id))
    await session.execute(delete(UserWorkoutSession).where(UserWorkoutSession.id == session_id))
    after = {r.exercise_id: r for r in await _records_of(session, user, exercises)}
    changes = tuple(
        RecordChange(exercises[ex_id], old, after.get(ex_id))
        for ex_id, old in before.items()
        if _record_values(old) != _record_values(after.get(ex_id))
    )
    sets = sum(len(e.sets) for e in detail.view.exercises)
    return DeletedSession(detail.view.workout_name, sets, changes)


async def _records_of(
    session: AsyncSession, user: User, exercises: dict[uuid.UUID, str]
) -> list[ExerciseRecords]:
    found: list[ExerciseRecords] = []
    for exercise_id in exercises:
        found += await personal_records(session, user, exercise_id)
    return found


__all__ = [
    "HISTORY_PAGE_SIZE",
    "AddedSets",
    "DeletedSession",
    "HistoryItem",
    "HistoryPage",
    "RecordChange",
    "SessionDetail",
    "add_past_sets",
    "delete_past_session",
    "delete_past_set",
    "edit_past_set",
    "history_page",
    "past_exercise",
    "past_session",
    "require_deletable",
    "session_detail",
]
