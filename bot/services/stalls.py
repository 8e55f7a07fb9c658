"""Stalled lifts: no progress in three sessions of an exercise.

A session's result on an exercise is its top set (the heaviest working weight) and its best estimated
1RM (Epley, sets of 1-12 reps: bot.services.records). Over the exercise's last four sessions, the last
three are progress when one of them beats the best top set or the best e1RM of the sessions before it
(within those four); a lift is stalled when none of them does. Fewer than four sessions: not stalled.

`is_stalled` is the rule, a pure function; `stalled_lifts` reads the last four sessions of every
exercise of many users in one SQL statement (a window function) and applies it. Free of Telegram.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Final

from sqlalchemy import Subquery, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    ProgramRule,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.i18n import N_, _
from bot.services.records import SESSION_MOMENT, e1rm_column

STALL_SESSIONS: Final = 3
"""Sessions without progress that make a stall."""
GENERIC_REMEDY: Final = N_("try a deload of 10% for a week, then build back up.")
DONE: Final = (SessionStatus.COMPLETED, SessionStatus.CANCELLED)
"""Sessions whose sets count (cancelled ones keep their sets, as for records)."""


@dataclass(frozen=True, slots=True)
class SessionResult:
    """One session of one exercise: its top set weight and best estimated 1RM (kg)."""

    top_kg: Decimal
    e1rm_kg: Decimal | None = None


@dataclass(frozen=True, slots=True)
class StalledLift:
    user_id: uuid.UUID
    exercise_id: uuid.UUID
    name: str
    top_kg: Decimal
    """The best top set of the stalled stretch."""


def is_stalled(results: Sequence[SessionResult], sessions: int = STALL_SESSIONS) -> bool:
    """True when the last `sessions` results (oldest first) beat neither the best top set nor the best
    e1RM of the results before them; False with too short a history to tell."""
    if len(results) <= sessions:
        return False
    window = results[-(sessions + 1) :]
    best_top = window[0].top_kg
    best_e1rm = window[0].e1rm_kg
    for result in window[1:]:
        if result.top_kg > best_top:
            return False
        if result.e1rm_kg is not None and (best_e1rm is None or result.e1rm_kg > best_e1rm):
            return False
        best_top = max(best_top, result.top_kg)
        if result.e1rm_kg is not None:
            best_e1rm = result.e1rm_kg if best_e1rm is None else max(best_e1rm, result.e1rm_kg)
    return True


def _per_session(
    user_ids: Sequence[uuid.UUID], exercise_ids: Sequence[uuid.UUID] | None, since: datetime | None
) -> Subquery:
    moment = SESSION_MOMENT.label("moment")
    query = (
        select(
            UserWorkoutSession.user_id.label("user_id"),
            ExerciseInstruction.exercise_id.label("exercise_id"),
            UserWorkoutSession.id.label("session_id"),
            moment,
            func.max(UserExerciseSet.weight_kg).label("top"),
            func.max(e1rm_column()).label("e1rm"),
        )
        .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
        .where(
            UserWorkoutSession.user_id.in_(list(user_ids)),
            UserWorkoutSession.session_status.in_(DONE),
            UserWorkoutSession.is_active.is_(True),
            UserExerciseSet.is_warmup.is_(False),
            UserExerciseSet.weight_kg.is_not(None),
        )
        .group_by(
            UserWorkoutSession.user_id, ExerciseInstruction.exercise_id, UserWorkoutSession.id, SESSION_MOMENT
        )
    )
    if exercise_ids is not None:
        query = query.where(ExerciseInstruction.exercise_id.in_(list(exercise_ids)))
    if since is not None:
        query = query.where(since <= SESSION_MOMENT)
    return query.subquery("per_session")


async def stalled_lifts(
    session: AsyncSession,
    user_ids: Iterable[uuid.UUID],
    *,
    exercise_ids: Iterable[uuid.UUID] | None = None,
    since: datetime | None = None,
) -> dict[uuid.UUID, list[StalledLift]]:
    """Every stalled lift of each user (by user id, in name order), looking at sessions from `since` on
    (all when None) and, when given, only at `exercise_ids`. One statement: each user's sessions of each
    weighted exercise reduced to their top set and e1RM, numbered newest first, the last four kept."""
    users = list(dict.fromkeys(user_ids))
    if not users:
        return {}
    exercises = None if exercise_ids is None else list(dict.fromkeys(exercise_ids))
    if exercises is not None and not exercises:
        return {}
    per = _per_session(users, exercises, since)
    rank = (
        func.row_number()
        .over(
            partition_by=(per.c.user_id, per.c.exercise_id), order_by=(per.c.moment.desc(), per.c.session_id)
        )
        .label("rank")
    )
    ranked = select(per, rank).subquery("ranked")
    rows = await session.execute(
        select(ranked.c.user_id, ranked.c.exercise_id, Exercise.name, ranked.c.top, ranked.c.e1rm)
        .join(Exercise, Exercise.id == ranked.c.exercise_id)
        .where(ranked.c.rank <= STALL_SESSIONS + 1)
        .order_by(ranked.c.user_id, ranked.c.exercise_id, ranked.c.rank.desc())
    )
    history: dict[tuple[uuid.UUID, uuid.UUID], tuple[str, list[SessionResult]]] = {}
    for user_id, exercise_id, name, top, best in rows:
        entry = history.setdefault((user_id, exercise_id), (name, []))
        entry[1].append(SessionResult(_kg(top), None if best is None else _kg(best)))
    found: dict[uuid.UUID, list[StalledLift]] = {}
    for (user_id, exercise_id), (name, results) in history.items():
        if is_stalled(results):
            top = max(r.top_kg for r in results[-STALL_SESSIONS:])
            found.setdefault(user_id, []).append(StalledLift(user_id, exercise_id, name, top))
    for lifts in found.values():
        lifts.sort(key=lambda lift: lift.name.lower())
    return found


def _kg(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


async def remedy_for_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> str:
    """What to do about a stalled lift: the `stall_remedy` of the program of the user's session, else
    the generic advice."""
    remedy = await session.scalar(
        select(ProgramRule.stall_remedy)
        .select_from(UserWorkoutSession)
        .join(UserProgramEnrollment, UserProgramEnrollment.id == UserWorkoutSession.program_enrollment_id)
        .join(ProgramRule, ProgramRule.program_id == UserProgramEnrollment.program_id)
        .where(UserWorkoutSession.id == session_id, UserWorkoutSession.user_id == user.id)
    )
    return remedy or _(GENERIC_REMEDY)


async def stalled_in_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> list[StalledLift]:
    """The user's stalled lifts among the exercises they logged weighted sets of in one session (the
    session itself counting as the latest)."""
    done = await session.scalars(
        select(ExerciseInstruction.exercise_id)
        .join(
            UserExercisePerformance, UserExercisePerformance.exercise_instruction_id == ExerciseInstruction.id
        )
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .where(
            UserExercisePerformance.user_workout_session_id == session_id,
            UserWorkoutSession.user_id == user.id,
            UserExercisePerformance.weight_used_kg.is_not(None),
        )
    )
    exercise_ids = list(done)
    if not exercise_ids:
        return []
    return (await stalled_lifts(session, [user.id], exercise_ids=exercise_ids)).get(user.id, [])
