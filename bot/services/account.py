"""Erasing an account and all its data (/deleteme).

The user's own rows go: sessions with their performances and sets, measurements, exercise notes,
enrollments (with their day state, reminder log and program-day links), coach links, ad-hoc exercise
instructions, the bot's persisted state for them, and the programs and workouts they authored that
nobody else uses. What other people rely on survives, with the user's name taken off it:

- a program or workout they authored that someone else follows (or another program schedules) is handed
  to the system user (`bot.services.seed.ensure_system_user`);
- every other reference to the user from a row that stays is rewritten by the same rule, found from the
  schema itself (so tables added later are covered): a foreign key to app_user without ON DELETE becomes
  NULL when nullable, else the system user; keys with ON DELETE CASCADE / SET NULL are left to the
  database.

Explicit deletes in dependency order rather than reliance on cascades, so SQLite and PostgreSQL behave
the same. Never commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Table, delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import Base
from bot.db.models import (
    EnrollmentDayState,
    ExerciseInstruction,
    Program,
    ProgramDaySession,
    SessionExerciseSwap,
    User,
    UserExerciseNote,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.db.models.program import ScheduleWorkout
from bot.db.models.state import BotState
from bot.i18n import _
from bot.services.errors import DomainError
from bot.services.seed import ensure_system_user

CONFIRMATION = "DELETE"


@dataclass(frozen=True, slots=True)
class DeletionReport:
    sessions: int
    sets: int
    measurements: int
    enrollments: int
    programs_deleted: int
    programs_kept: int


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def _audit_references() -> list[tuple[Table, str, bool]]:
    """(table, column, nullable) of every foreign key to app_user.id without an ON DELETE rule."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            for key in column.foreign_keys:
                if key.column.table.name == "app_user" and key.ondelete is None:
                    found.append((table, column.name, bool(column.nullable)))
    return found


async def delete_account(session: AsyncSession, user: User) -> DeletionReport:
    """Erase `user` and everything that is only theirs; see the module docstring."""
    system = await ensure_system_user(session)
    if user.id == system.id:
        raise DomainError(_("The system account cannot be deleted."))
    uid = user.id
    own_sessions = select(UserWorkoutSession.id).where(UserWorkoutSession.user_id == uid)
    own_performances = select(UserExercisePerformance.id).where(
        UserExercisePerformance.user_workout_session_id.in_(own_sessions)
    )
    own_enrollments = select(UserProgramEnrollment.id).where(UserProgramEnrollment.user_id == uid)
    sets = await session.execute(
        delete(UserExerciseSet).where(UserExerciseSet.performance_id.in_(own_performances))
    )
    await session.execute(
        delete(UserExercisePerformance).where(UserExercisePerformance.id.in_(own_performances))
    )
    await session.execute(delete(ProgramDaySession).where(ProgramDaySession.session_id.in_(own_sessions)))
    await session.execute(delete(SessionExerciseSwap).where(SessionExerciseSwap.session_id.in_(own_sessions)))
    sessions = await session.execute(delete(UserWorkoutSession).where(UserWorkoutSession.user_id == uid))
    measurements = await session.execute(delete(UserMeasurement).where(UserMeasurement.user_id == uid))
    await session.execute(delete(UserExerciseNote).where(UserExerciseNote.user_id == uid))
    await session.execute(
        delete(ProgramDaySession).where(ProgramDaySession.enrollment_id.in_(own_enrollments))
    )
    await session.execute(
        delete(EnrollmentDayState).where(EnrollmentDayState.enrollment_id.in_(own_enrollments))
    )
    for table in Base.metadata.sorted_tables:  # the reminder log and anything else keyed by enrollment
        if table.name in ("program_day_session", "enrollment_day_state", "user_workout_session"):
            continue
        for column in table.columns:
            if any(k.column.table.name == "user_program_enrollment" for k in column.foreign_keys):
                await session.execute(delete(table).where(column.in_(own_enrollments)))
    enrollments = await session.execute(
        delete(UserProgramEnrollment).where(UserProgramEnrollment.user_id == uid)
    )
    # Ad-hoc instructions (an exercise added to a session on one's own) no other row uses.
    await session.execute(
        delete(ExerciseInstruction).where(
            ExerciseInstruction.workout_id.is_(None),
            ExerciseInstruction.created_by == uid,
            ~exists().where(UserExercisePerformance.exercise_instruction_id == ExerciseInstruction.id),
        )
    )
    # Authored programs nobody else follows go; the others stay, handed to the system user (below).
    unused_program = (Program.created_by == uid) & ~exists().where(
        UserProgramEnrollment.program_id == Program.id
    )
    doomed = list((await session.scalars(select(Program.id).where(unused_program))).all())
    if doomed:
        await session.execute(delete(Program).where(Program.id.in_(doomed)))
    kept = len(list((await session.scalars(select(Program.id).where(Program.created_by == uid))).all()))
    # Authored workouts no program schedules and no session (anyone's) used.
    await session.execute(
        delete(Workout).where(
            Workout.created_by == uid,
            ~exists().where(ScheduleWorkout.workout_id == Workout.id),
            ~exists().where(UserWorkoutSession.workout_id == Workout.id),
            ~exists().where(
                ExerciseInstruction.workout_id == Workout.id,
                exists().where(UserExercisePerformance.exercise_instruction_id == ExerciseInstruction.id),
            ),
        )
    )
    for table, name, nullable in _audit_references():
        await session.execute(
            update(table).where(table.c[name] == uid).values({name: None if nullable else system.id})
        )
    await _forget_bot_state(session, user.telegram_id)
    await session.execute(delete(User).where(User.id == uid))
    session.expunge(user)
    return DeletionReport(
        sessions=_count(sessions),
        sets=_count(sets),
        measurements=_count(measurements),
        enrollments=_count(enrollments),
        programs_deleted=len(doomed),
        programs_kept=kept,
    )


async def _forget_bot_state(session: AsyncSession, telegram_id: int) -> None:
    """The persisted user_data and conversation states of the user (keys hold their Telegram id)."""
    await session.execute(
        delete(BotState).where(BotState.kind == "user_data", BotState.key == str(telegram_id))
    )
    rows = await session.execute(
        select(BotState.kind, BotState.key).where(BotState.kind.like("conversation:%"))
    )
    for kind, key in rows.all():
        try:
            parts = json.loads(key)
        except ValueError:
            continue
        if isinstance(parts, list) and telegram_id in parts:
            await session.execute(delete(BotState).where(BotState.kind == kind, BotState.key == key))


__all__ = ["CONFIRMATION", "DeletionReport", "delete_account"]
