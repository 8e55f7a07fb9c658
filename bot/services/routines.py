"""Routines: a workout of the user's own, outside any program, started whenever they like.

A routine is a `workout` row with `owner_id` set, its exercises and targets `exercise_instruction` rows
(migration 0013). It is saved from a finished workout that followed no program (targets from what was
done: sets x reps at the top weight, or the time and distance), renamed, deleted, and - by a coach -
shared with trainees (`routine_share`), who may start it or save a copy but never change it. A shared
routine is seen only while the coach-trainee link is ACTIVE.

Starting a routine opens a session like a quick workout's, on a copy of the routine (a workout of its
own, without owner, with the routine's name and instructions): the session's history keeps what was
planned that day whatever happens to the routine later (renamed, deleted, unshared, its owner gone).
Names are at most 100 characters with a letter or a digit, unique per owner ignoring case (the
database's uq_workout_owner_name backs the check made here, which also folds non-ASCII case).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import Select, and_, delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, SessionStatus, TrackingType
from bot.db.models import (
    CoachTrainee,
    Exercise,
    ExerciseInstruction,
    RoutineShare,
    User,
    Workout,
)
from bot.i18n import N_, _
from bot.services.coaching import Person, list_trainees, require_coach
from bot.services.errors import DomainError, NotFound
from bot.services.quick_workouts import none_in_progress, open_session
from bot.services.workout_views import ExerciseView, own_session, session_view

NAME_MAX: Final = 100
ROUTINES_MAX: Final = 50
"""How many routines of their own a user may keep."""
SETS_MAX: Final = 20
"""A routine's target sets per exercise at most (a workout with more sets of one exercise is capped)."""
NOT_FOUND: Final = N_("That routine does not exist (or is not yours).")
READ_ONLY: Final = N_(
    "Your coach shared this routine: you can start it or save a copy of your own to change."
)


class RoutineNameError(DomainError):
    """The name cannot be used for a routine (empty, too long, no letter or digit, or taken)."""


@dataclass(frozen=True, slots=True)
class RoutineExercise:
    name: str
    tracking: TrackingType
    target_sets: int
    reps_min: int | None
    reps_max: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    distance_m: Decimal | None
    rest_seconds: int | None


@dataclass(frozen=True, slots=True)
class Routine:
    """A routine as its viewer sees it: `coach` names the coach who shared it (None: the viewer's own);
    `shared_with` counts the trainees the owner shared it with."""

    id: uuid.UUID
    name: str
    coach: str | None
    shared_with: int
    exercises: tuple[RoutineExercise, ...] = ()

    @property
    def own(self) -> bool:
        return self.coach is None


# ---------------------------------------------------------------------------------------------------------
# names


def clean_name(text: str) -> str:
    """The name with its whitespace collapsed; RoutineNameError when empty, too long or without a
    letter or digit (only emoji, punctuation)."""
    name = " ".join(text.split())
    if not name:
        raise RoutineNameError(_("The name is empty: type one, like Push day."))
    if len(name) > NAME_MAX:
        raise RoutineNameError(
            _("That name is {length} characters long: {limit} at most, please (like Push day).").format(
                length=len(name), limit=NAME_MAX
            )
        )
    if not any(character.isalnum() for character in name):
        raise RoutineNameError(_("A routine's name needs a letter or a digit, like Push day 💪."))
    return name


async def check_name(
    session: AsyncSession, user: User, text: str, *, renaming: uuid.UUID | None = None
) -> str:
    """The cleaned name when the user may give it to a routine (`renaming`: that routine may keep it)."""
    name = clean_name(text)
    rows = await session.execute(select(Workout.id, Workout.name).where(Workout.owner_id == user.id))
    for routine_id, existing in rows:
        if routine_id != renaming and existing.casefold() == name.casefold():
            raise RoutineNameError(
                _("You already have a routine called “{name}”: pick another name.").format(name=existing)
            )
    return name


async def _room_for_one(session: AsyncSession, user: User) -> None:
    count = await session.scalar(select(func.count()).select_from(Workout).where(Workout.owner_id == user.id))
    if (count or 0) >= ROUTINES_MAX:
        raise DomainError(
            _("You have {n} routines, the most you can keep: delete one first.").format(n=ROUTINES_MAX)
        )


async def _create(
    session: AsyncSession, user: User, name: str, instructions: Sequence[ExerciseInstruction]
) -> Workout:
    """A routine of the user's own named `name` (checked) with copies of `instructions`, in order."""
    name = await check_name(session, user, name)
    await _room_for_one(session, user)
    routine = Workout(name=name, owner_id=user.id, created_by=user.id)
    try:
        async with session.begin_nested():
            session.add(routine)
            await session.flush()
    except IntegrityError:  # saved meanwhile by another update of the same user
        raise RoutineNameError(
            _("You already have a routine called “{name}”: pick another name.").format(name=name)
        ) from None
    session.add_all(_copies(instructions, routine.id, user.id))
    await session.flush()
    return routine


def _copies(
    instructions: Sequence[ExerciseInstruction], workout_id: uuid.UUID, user_id: uuid.UUID
) -> list[ExerciseInstruction]:
    return [
        ExerciseInstruction(
            workout_id=workout_id,
            exercise_id=i.exercise_id,
            order_index=index,
            target_sets=i.target_sets,
            target_reps_min=i.target_reps_min,
            target_reps_max=i.target_reps_max,
            target_weight_kg=i.target_weight_kg,
            target_duration_seconds=i.target_duration_seconds,
            target_distance_m=i.target_distance_m,
            rest_seconds=i.rest_seconds,
            notes=i.notes,
            created_by=user_id,
        )
        for index, i in enumerate(instructions)
    ]


# ---------------------------------------------------------------------------------------------------------
# saving a finished workout


def targets_of(exercise: ExerciseView) -> ExerciseInstruction | None:
    """The routine's instruction for an exercise as it was done (workout_id and order left to the
    caller): its working sets, their reps (a range when they differ) at the top weight, or for a timed
    exercise the longest time with its distance. None when no working set was logged."""
    working = exercise.working_sets
    if not working:
        return None
    reps = [s.reps for s in working if s.reps]
    weights = [s.weight_kg for s in working if s.weight_kg is not None]
    timed = [s for s in working if s.duration_seconds]
    duration = distance = None
    if timed and (exercise.tracking is TrackingType.DURATION or not reps):
        longest = max(timed, key=lambda s: (s.distance_m or 0, s.duration_seconds or 0))
        duration, distance = longest.duration_seconds, longest.distance_m
        reps = []
    return ExerciseInstruction(
        exercise_id=exercise.exercise_id,
        target_sets=min(len(working), SETS_MAX),
        target_reps_min=min(reps) if reps else None,
        target_reps_max=max(reps) if reps and max(reps) != min(reps) else None,
        target_weight_kg=max(weights) if weights and reps else None,
        target_duration_seconds=duration,
        target_distance_m=distance,
        rest_seconds=None if exercise.adhoc else exercise.rest_seconds,
        notes=None if exercise.adhoc else exercise.notes,
    )


async def savable_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> bool:
    """Whether the user's finished workout can become a routine: completed, outside any program, with
    at least one working set."""
    row = await own_session(session, user, session_id)
    if row.session_status != SessionStatus.COMPLETED or row.program_enrollment_id is not None:
        return False
    view = await session_view(session, user, session_id)
    return any(e.working_sets for e in view.exercises)


async def save_from_session(session: AsyncSession, user: User, session_id: uuid.UUID, name: str) -> Workout:
    """A routine from the user's finished workout outside any program: its exercises in order with the
    targets of what was done (`targets_of`)."""
    row = await own_session(session, user, session_id)
    if row.program_enrollment_id is not None:
        raise DomainError(
            _("A program's workout stays in its program: routines are saved from /log workouts.")
        )
    if row.session_status != SessionStatus.COMPLETED:
        raise DomainError(_("Finish the workout first: a routine is saved from a finished one."))
    view = await session_view(session, user, session_id)
    instructions = [i for i in (targets_of(e) for e in view.exercises) if i is not None]
    if not instructions:
        raise DomainError(_("Nothing was logged in that workout: there is nothing to save as a routine."))
    return await _create(session, user, name, instructions)


# ---------------------------------------------------------------------------------------------------------
# reading


def _shared_with(user: User) -> Select[uuid.UUID]:
    """The routines shared with `user` by a coach they still train with."""
    return (
        select(RoutineShare.workout_id)
        .join(Workout, Workout.id == RoutineShare.workout_id)
        .join(
            CoachTrainee,
            and_(
                CoachTrainee.coach_id == Workout.owner_id,
                CoachTrainee.trainee_id == RoutineShare.trainee_id,
                CoachTrainee.status == CoachLinkStatus.ACTIVE,
            ),
        )
        .where(RoutineShare.trainee_id == user.id)
    )


async def routines_of(session: AsyncSession, user: User) -> list[Routine]:
    """The user's routines (by name), then those their coaches shared with them (by coach, name);
    without their exercises."""
    shares = (
        select(RoutineShare.workout_id, func.count().label("n")).group_by(RoutineShare.workout_id).subquery()
    )
    rows = await session.execute(
        select(Workout.id, Workout.name, Workout.owner_id, User, func.coalesce(shares.c.n, 0))
        .join(User, User.id == Workout.owner_id)
        .outerjoin(shares, shares.c.workout_id == Workout.id)
        .where(or_(Workout.owner_id == user.id, Workout.id.in_(_shared_with(user))))
    )
    found = [
        Routine(
            id=routine_id,
            name=name,
            coach=None if owner_id == user.id else owner.display_name,
            shared_with=int(count) if owner_id == user.id else 0,
        )
        for routine_id, name, owner_id, owner, count in rows
    ]
    return sorted(found, key=lambda r: (r.coach is not None, (r.coach or "").casefold(), r.name.casefold()))


async def _visible(session: AsyncSession, user: User, routine_id: uuid.UUID) -> Workout:
    """The routine if it is the user's or shared with them; NotFound otherwise."""
    routine = await session.get(Workout, routine_id)
    if routine is None or routine.owner_id is None:
        raise NotFound(_(NOT_FOUND))
    if routine.owner_id != user.id:
        shared = await session.scalar(_shared_with(user).where(RoutineShare.workout_id == routine_id))
        if shared is None:
            raise NotFound(_(NOT_FOUND))
    return routine


async def _own(session: AsyncSession, user: User, routine_id: uuid.UUID) -> Workout:
    """The user's own routine; a shared one is read-only (DomainError), anything else NotFound."""
    routine = await _visible(session, user, routine_id)
    if routine.owner_id != user.id:
        raise DomainError(_(READ_ONLY))
    return routine


async def _instructions(session: AsyncSession, routine_id: uuid.UUID) -> list[ExerciseInstruction]:
    rows = await session.scalars(
        select(ExerciseInstruction)
        .where(ExerciseInstruction.workout_id == routine_id, ExerciseInstruction.is_active.is_(True))
        .order_by(ExerciseInstruction.order_index)
    )
    return list(rows.all())


async def routine(session: AsyncSession, user: User, routine_id: uuid.UUID) -> Routine:
    """One routine the user may see, with its exercises and targets."""
    found = await _visible(session, user, routine_id)
    rows = await session.execute(
        select(ExerciseInstruction, Exercise)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(ExerciseInstruction.workout_id == routine_id, ExerciseInstruction.is_active.is_(True))
        .order_by(ExerciseInstruction.order_index)
    )
    exercises = tuple(
        RoutineExercise(
            name=exercise.name,
            tracking=exercise.tracking_type,
            target_sets=i.target_sets,
            reps_min=i.target_reps_min,
            reps_max=i.target_reps_max,
            weight_kg=i.target_weight_kg,
            duration_seconds=i.target_duration_seconds,
            distance_m=i.target_distance_m,
            rest_seconds=i.rest_seconds,
        )
        for i, exercise in rows
    )
    coach = None
    shared = 0
    if found.owner_id != user.id:
        owner = await session.get(User, found.owner_id)
        coach = owner.display_name if owner is not None else _("your coach")
    else:
        shared = int(
            await session.scalar(
                select(func.count()).select_from(RoutineShare).where(RoutineShare.workout_id == routine_id)
            )
            or 0
        )
    return Routine(id=found.id, name=found.name, coach=coach, shared_with=shared, exercises=exercises)


# ---------------------------------------------------------------------------------------------------------
# changing


async def rename_routine(session: AsyncSession, user: User, routine_id: uuid.UUID, text: str) -> Workout:
    found = await _own(session, user, routine_id)
    name = await check_name(session, user, text, renaming=routine_id)
    try:
        async with session.begin_nested():
            found.name = name
            await session.flush()
    except IntegrityError:
        raise RoutineNameError(
            _("You already have a routine called “{name}”: pick another name.").format(name=name)
        ) from None
    return found


async def delete_routine(session: AsyncSession, user: User, routine_id: uuid.UUID) -> str:
    """Delete the user's routine (its instructions and shares go with it); its name. Workouts started
    from it keep their own copy."""
    found = await _own(session, user, routine_id)
    name = found.name
    await session.execute(delete(RoutineShare).where(RoutineShare.workout_id == routine_id))
    await session.execute(delete(ExerciseInstruction).where(ExerciseInstruction.workout_id == routine_id))
    await session.execute(delete(Workout).where(Workout.id == routine_id))
    return name


async def copy_routine(
    session: AsyncSession, user: User, routine_id: uuid.UUID, name: str | None = None
) -> Workout:
    """A routine of the user's own copied from one they may see (a coach's shared one), under `name`
    (default: the same name)."""
    found = await _visible(session, user, routine_id)
    return await _create(session, user, name or found.name, await _instructions(session, routine_id))


async def start_routine(session: AsyncSession, user: User, routine_id: uuid.UUID, now: datetime) -> uuid.UUID:
    """A workout in progress with the routine's exercises and targets (WorkoutInProgress when one
    already is); the session's id."""
    found = await _visible(session, user, routine_id)
    await none_in_progress(session, user)
    plan = Workout(name=found.name, created_by=user.id)
    session.add(plan)
    await session.flush()
    session.add_all(_copies(await _instructions(session, routine_id), plan.id, user.id))
    await session.flush()
    return await open_session(session, user, plan.id, now)


# ---------------------------------------------------------------------------------------------------------
# sharing (coaches)


@dataclass(frozen=True, slots=True)
class ShareChange:
    routine: str
    coach: str
    added: tuple[User, ...]
    """Trainees who see the routine now and did not before (to be told)."""
    removed: int


async def share_targets(
    session: AsyncSession, coach: User, routine_id: uuid.UUID
) -> list[tuple[Person, bool]]:
    """The coach's trainees, each with whether they have the routine."""
    require_coach(coach)
    await _own(session, coach, routine_id)
    trainees = await list_trainees(session, coach)
    have = set(
        (
            await session.scalars(
                select(RoutineShare.trainee_id).where(RoutineShare.workout_id == routine_id)
            )
        ).all()
    )
    return [(person, person.id in have) for person in trainees]


async def share(
    session: AsyncSession, coach: User, routine_id: uuid.UUID, trainee_id: uuid.UUID | None
) -> ShareChange:
    """Share the coach's routine with one trainee (`trainee_id`), or every current trainee (None)."""
    require_coach(coach)
    found = await _own(session, coach, routine_id)
    targets = await _trainee_rows(session, coach, trainee_id)
    have = set(
        (
            await session.scalars(
                select(RoutineShare.trainee_id).where(RoutineShare.workout_id == routine_id)
            )
        ).all()
    )
    added = [t for t in targets if t.id not in have]
    session.add_all(RoutineShare(workout_id=routine_id, trainee_id=t.id) for t in added)
    await session.flush()
    return ShareChange(found.name, coach.display_name, tuple(added), 0)


async def unshare(
    session: AsyncSession, coach: User, routine_id: uuid.UUID, trainee_id: uuid.UUID | None
) -> ShareChange:
    """Stop sharing the coach's routine with one trainee, or with everyone (None)."""
    require_coach(coach)
    found = await _own(session, coach, routine_id)
    query = delete(RoutineShare).where(RoutineShare.workout_id == routine_id)
    if trainee_id is not None:
        await _trainee_rows(session, coach, trainee_id)
        query = query.where(RoutineShare.trainee_id == trainee_id)
    result = await session.execute(query)
    return ShareChange(found.name, coach.display_name, (), int(getattr(result, "rowcount", 0) or 0))


async def _trainee_rows(session: AsyncSession, coach: User, trainee_id: uuid.UUID | None) -> list[User]:
    """The coach's ACTIVE trainees (one, or all); NotFound for anyone else's id."""
    query = (
        select(User)
        .join(CoachTrainee, CoachTrainee.trainee_id == User.id)
        .where(CoachTrainee.coach_id == coach.id, CoachTrainee.status == CoachLinkStatus.ACTIVE)
    )
    if trainee_id is not None:
        query = query.where(User.id == trainee_id)
    found = list((await session.scalars(query.order_by(User.first_name, User.id))).all())
    if trainee_id is not None and not found:
        raise NotFound(_("That person is not one of your trainees."))
    if not found:
        raise DomainError(_("You have no trainees yet: send /invite to get a link for them."))
    return found


__all__ = [
    "NAME_MAX",
    "NOT_FOUND",
    "READ_ONLY",
    "ROUTINES_MAX",
    "Routine",
    "RoutineExercise",
    "RoutineNameError",
    "ShareChange",
    "check_name",
    "clean_name",
    "copy_routine",
    "delete_routine",
    "rename_routine",
    "routine",
    "routines_of",
    "savable_session",
    "save_from_session",
    "share",
    "share_targets",
    "start_routine",
    "targets_of",
    "unshare",
]
