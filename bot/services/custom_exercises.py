"""A user's own exercises, and the exercises each user may see: the catalog's, their own, and those of
the programs they follow.

An own exercise is an `exercise` row with `owner_id` set: its owner sees, logs and lists it, and so does
everyone enrolled in a program that uses it (a coach's program with the coach's own exercises: the
trainees see and log them through the program). Its name is at most 100 characters, unique among the
owner's exercises and different from every catalog name, case-insensitively (the database enforces the
first: uq_exercise_owner_name); its code is generated (codes stay globally unique; programs refer to the
catalog's by code and to their author's own by name, bot/data/README.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    ProgramSchedule,
    ScheduleWorkout,
    User,
    UserProgramEnrollment,
)
from bot.i18n import _, exercise_name, ngettext
from bot.services import catalog_cache
from bot.services.errors import DomainError, NotFound

NAME_MAX: Final = 100
OWN_MAX: Final = 500
"""How many exercises of their own a user may have."""
MUSCLE_GROUPS: Final = (
    "chest", "back", "shoulders", "biceps", "triceps", "forearms", "quads", "hamstrings", "glutes",
    "calves", "core", "full_body", "cardio", "mobility",
)  # fmt: skip
EQUIPMENT: Final = (
    "barbell", "dumbbell", "kettlebell", "machine", "cable", "band", "pull_up_bar", "bodyweight", "none",
    "other",
)  # fmt: skip


class ExerciseNameError(DomainError):
    """The name cannot be used for a new exercise (empty, too long, or taken)."""


@dataclass(frozen=True, slots=True)
class ExerciseListing:
    """What /exercises shows: the catalog by muscle group, then the user's own."""

    catalog: dict[str, list[str]]
    own: list[Exercise]
    from_programs: tuple[Exercise, ...] = ()
    """Other users' own exercises that the user's programs use (a coach's)."""


def in_users_programs(user_id: uuid.UUID) -> Select[uuid.UUID]:
    """The ids of the exercises the programs the user is (or was) enrolled in prescribe."""
    return (
        select(ExerciseInstruction.exercise_id)
        .join(ScheduleWorkout, ScheduleWorkout.workout_id == ExerciseInstruction.workout_id)
        .join(ProgramSchedule, ProgramSchedule.id == ScheduleWorkout.schedule_id)
        .join(UserProgramEnrollment, UserProgramEnrollment.program_id == ProgramSchedule.program_id)
        .where(UserProgramEnrollment.user_id == user_id)
    )


def visible_to(user_id: uuid.UUID | None) -> ColumnElement[bool]:
    """The exercises a user may see: the catalog's, their own, and another user's own that a program
    they are enrolled in uses (None: the catalog's)."""
    if user_id is None:
        return Exercise.owner_id.is_(None)
    return or_(
        Exercise.owner_id.is_(None),
        Exercise.owner_id == user_id,
        and_(Exercise.owner_id.is_not(None), Exercise.id.in_(in_users_programs(user_id))),
    )


async def may_see(session: AsyncSession, user: User, exercise: Exercise) -> bool:
    """Whether `visible_to(user.id)` lets `exercise` through (a query only for another user's own)."""
    if exercise.owner_id in (None, user.id):
        return True
    found = await session.scalar(
        in_users_programs(user.id).where(ExerciseInstruction.exercise_id == exercise.id).limit(1)
    )
    return found is not None


async def visible_exercise(session: AsyncSession, user: User, exercise_id: uuid.UUID) -> Exercise:
    """An active exercise the user may log; NotFound for another user's own that none of the user's
    programs uses (an id proves nothing)."""
    exercise = await session.get(Exercise, exercise_id)
    if exercise is None or not exercise.is_active or not await may_see(session, user, exercise):
        raise NotFound(_("That exercise is not in the catalog."))
    return exercise


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise ExerciseNameError(_("Give the exercise a name, e.g. /exercise new Cable fly."))
    if len(name) > NAME_MAX:
        raise ExerciseNameError(
            ngettext(
                "That name is {n} character long: {max} at most, please.",
                "That name is {n} characters long: {max} at most, please.",
                len(name),
            ).format(n=len(name), max=NAME_MAX)
        )
    return name


async def check_name(session: AsyncSession, user: User, text: str) -> str:
    """The name, cleaned, when the user may create an exercise with it; ExerciseNameError otherwise."""
    name = clean_name(text)
    taken = await session.scalar(
        select(Exercise.name)
        .where(
            func.lower(Exercise.name) == name.lower(),
            or_(Exercise.owner_id.is_(None), Exercise.owner_id == user.id),
        )
        .order_by(Exercise.owner_id.is_(None))
        .limit(1)
    )
    if taken is not None:
        raise ExerciseNameError(
            _("There is already an exercise called “{name}”: type its name with your set.").format(
                name=exercise_name(taken)
            )
        )
    return name


async def create_exercise(
    session: AsyncSession,
    user: User,
    name: str,
    *,
    muscle_group: str,
    equipment: str,
    tracking: TrackingType,
    description: str | None = None,
) -> Exercise:
    """A new exercise of the user's own."""
    name = await check_name(session, user, name)
    if muscle_group not in MUSCLE_GROUPS or equipment not in EQUIPMENT:
        raise DomainError(_("Pick the muscle group and the equipment from the buttons."))
    count = await session.scalar(
        select(func.count()).select_from(Exercise).where(Exercise.owner_id == user.id)
    )
    if (count or 0) >= OWN_MAX:
        raise DomainError(
            _("You have {n} exercises of your own already: that is the limit.").format(n=OWN_MAX)
        )
    exercise = Exercise(
        code=f"u-{uuid.uuid4().hex[:20]}",
        name=name,
        muscle_group=muscle_group,
        equipment=equipment,
        tracking_type=tracking,
        description=description,
        owner_id=user.id,
        created_by=user.id,
    )
    try:
        async with session.begin_nested():
            session.add(exercise)
            await session.flush()
    except IntegrityError:  # created meanwhile by another update of the same user
        raise ExerciseNameError(
            _("There is already an exercise called “{name}”.").format(name=name)
        ) from None
    await catalog_cache.bump(session)  # the user's exercise-name index is built again
    return exercise


async def listing(session: AsyncSession, user: User) -> ExerciseListing:
    rows = await session.execute(
        select(Exercise.muscle_group, Exercise.name)
        .where(Exercise.owner_id.is_(None), Exercise.is_active.is_(True))
        .order_by(Exercise.muscle_group, Exercise.name)
    )
    catalog: dict[str, list[str]] = {}
    for group, name in rows:
        catalog.setdefault(group, []).append(name)
    own = await session.scalars(
        select(Exercise)
        .where(Exercise.owner_id == user.id, Exercise.is_active.is_(True))
        .order_by(func.lower(Exercise.name))
    )
    shared = await session.scalars(
        select(Exercise)
        .where(
            Exercise.owner_id.is_not(None),
            Exercise.owner_id != user.id,
            Exercise.is_active.is_(True),
            Exercise.id.in_(in_users_programs(user.id)),
        )
        .order_by(func.lower(Exercise.name))
    )
    return ExerciseListing(catalog=catalog, own=list(own.all()), from_programs=tuple(shared.all()))


def ordered_groups(groups: Sequence[str]) -> list[str]:
    """Muscle groups in the catalog's order (unknown ones last, alphabetically)."""
    known = [g for g in MUSCLE_GROUPS if g in groups]
    return known + sorted(g for g in groups if g not in MUSCLE_GROUPS)


__all__ = [
    "EQUIPMENT",
    "MUSCLE_GROUPS",
    "NAME_MAX",
    "ExerciseListing",
    "ExerciseNameError",
    "check_name",
    "clean_name",
    "create_exercise",
    "in_users_programs",
    "listing",
    "may_see",
    "ordered_groups",
    "visible_exercise",
    "visible_to",
]
