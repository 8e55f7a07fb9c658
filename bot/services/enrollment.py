"""Enrollment: joining a program (or being assigned one), pausing, resuming and quitting it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import (
    Program,
    ProgramDaySession,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.i18n import N_, _
from bot.services import catalog_cache
from bot.services.errors import DomainError, NotFound
from bot.services.program_day import OPEN, get_day_state, plan_for
from bot.services.programs import active_schedule, get_visible_program, program_name, program_names
from bot.services.timezones import local_today

EARLIEST_START = timedelta(days=28)
LATEST_START = timedelta(days=365)


class AlreadyEnrolled(DomainError):
    """The user already follows this program (ACTIVE or PAUSED)."""


@dataclass(frozen=True, slots=True)
class EnrollmentInfo:
    id: uuid.UUID
    program_id: uuid.UUID
    program_name: str
    status: EnrollmentStatus
    current_day: int
    start_date: date
    target_completion_date: date | None
    reactivated: bool = False


_STATUS: Final = {
    EnrollmentStatus.ACTIVE: N_("active"),
    EnrollmentStatus.PAUSED: N_("paused"),
    EnrollmentStatus.COMPLETED: N_("completed"),
    EnrollmentStatus.CANCELLED: N_("cancelled"),
    EnrollmentStatus.EXPIRED: N_("expired"),
}


def _info(enrollment: UserProgramEnrollment, name: str, *, reactivated: bool = False) -> EnrollmentInfo:
    return EnrollmentInfo(
        id=enrollment.id,
        program_id=enrollment.program_id,
        program_name=name,
        status=enrollment.enrollment_status,
        current_day=enrollment.current_day,
        start_date=enrollment.start_date,
        target_completion_date=enrollment.target_completion_date,
        reactivated=reactivated,
    )


def check_start_date(start: date, today: date) -> None:
    if start < today - EARLIEST_START:
        raise DomainError(_("The start date can be at most {n} days ago.").format(n=EARLIEST_START.days))
    if start > today + LATEST_START:
        raise DomainError(_("The start date can be at most a year from now."))


async def enroll(
    session: AsyncSession,
    user: User,
    program_id: uuid.UUID,
    start_date: date,
    now: datetime,
    *,
    actor: User | None = None,
) -> EnrollmentInfo:
    """Enroll `user` (by themselves, or assigned by `actor`): ACTIVE from day 1.

    A CANCELLED, COMPLETED or EXPIRED enrollment of the same program is re-activated (the pair is
    unique); an ACTIVE or PAUSED one is refused with AlreadyEnrolled.
    """
    actor = actor or user
    program = await get_visible_program(session, actor, program_id)
    name = await program_name(session, program.id, program.name)
    schedule = await active_schedule(session, program.id)
    if schedule is None:
        raise DomainError(_("{program} has no schedule yet, so it cannot be started.").format(program=name))
    today = local_today(user.timezone, now)
    check_start_date(start_date, today)
    target = start_date + timedelta(days=schedule.length_days - 1)
    enrollment = await session.scalar(
        select(UserProgramEnrollment)
        .where(UserProgramEnrollment.user_id == user.id, UserProgramEnrollment.program_id == program.id)
        .with_for_update()
    )
    reactivated = enrollment is not None
    if enrollment is None:
        enrollment = UserProgramEnrollment(
            id=uuid.uuid4(),
            user_id=user.id,
            program_id=program.id,
            assigned_by=actor.id if actor.id != user.id else None,
            enrollment_status=EnrollmentStatus.ACTIVE,
            start_date=start_date,
            target_completion_date=target,
            current_day=1,
            created_by=actor.id,
        )
        try:
            async with session.begin_nested():
                session.add(enrollment)
                await session.flush()
        except IntegrityError:  # the same enrollment made meanwhile (a double tap, another process)
            raise AlreadyEnrolled(_("You are already following {program}.").format(program=name)) from None
    elif enrollment.enrollment_status in OPEN:
        status = _(_STATUS[enrollment.enrollment_status])
        raise AlreadyEnrolled(
            _("You are already following {program} (day {day}, {status}).").format(
                program=name, day=enrollment.current_day, status=status
            )
        )
    else:
        await session.execute(
            update(ProgramDaySession)
            .where(ProgramDaySession.enrollment_id == enrollment.id, ProgramDaySession.is_current.is_(True))
            .values(is_current=False)
        )
        enrollment.enrollment_status = EnrollmentStatus.ACTIVE
        enrollment.start_date = start_date
        enrollment.target_completion_date = target
        enrollment.actual_completion_date = None
        enrollment.current_day = 1
        enrollment.assigned_by = actor.id if actor.id != user.id else None
        enrollment.updated_by = actor.id
        enrollment.is_active = True
    await session.flush()
    # the program's own exercises (a coach's) become visible to the user: cached name indexes are stale
    await catalog_cache.bump(session)
    state = await get_day_state(session, enrollment)
    state.current_since = start_date
    await plan_for(session, user, enrollment, today)
    return _info(enrollment, name, reactivated=reactivated)


async def list_enrollments(
    session: AsyncSession, user: User, statuses: tuple[EnrollmentStatus, ...] = OPEN
) -> list[EnrollmentInfo]:
    rows = await session.execute(
        select(UserProgramEnrollment, Program.name)
        .join(Program, Program.id == UserProgramEnrollment.program_id)
        .where(
            UserProgramEnrollment.user_id == user.id,
            UserProgramEnrollment.enrollment_status.in_(statuses),
            UserProgramEnrollment.is_active.is_(True),
        )
        .order_by(UserProgramEnrollment.start_date.desc(), Program.name)
    )
    found = list(rows)
    names = await program_names(session, {e.program_id: name for e, name in found})
    return [_info(enrollment, names[enrollment.program_id]) for enrollment, _name in found]


async def _own_enrollment(
    session: AsyncSession, user: User, enrollment_id: uuid.UUID
) -> tuple[UserProgramEnrollment, str]:
    row = (
        await session.execute(
            select(UserProgramEnrollment, Program.name)
            .join(Program, Program.id == UserProgramEnrollment.program_id)
            .where(UserProgramEnrollment.id == enrollment_id, UserProgramEnrollment.user_id == user.id)
        )
    ).first()
    if row is None:
        raise NotFound(_("That enrollment does not exist."))
    enrollment, name = row
    return enrollment, await program_name(session, enrollment.program_id, name)


async def pause(
    session: AsyncSession, user: User, enrollment_id: uuid.UUID, *, actor: User | None = None
) -> EnrollmentInfo:
    enrollment, name = await _own_enrollment(session, user, enrollment_id)
    if enrollment.enrollment_status != EnrollmentStatus.ACTIVE:
        raise DomainError(_("{program} is not active, so it cannot be paused.").format(program=name))
    enrollment.enrollment_status = EnrollmentStatus.PAUSED
    enrollment.updated_by = (actor or user).id
    await session.flush()
    return _info(enrollment, name)


async def resume(
    session: AsyncSession, user: User, enrollment_id: uuid.UUID, now: datetime, *, actor: User | None = None
) -> EnrollmentInfo:
    """PAUSED -> ACTIVE; the current program day becomes today's (days paused are not missed)."""
    enrollment, name = await _own_enrollment(session, user, enrollment_id)
    if enrollment.enrollment_status != EnrollmentStatus.PAUSED:
        raise DomainError(_("{program} is not paused.").format(program=name))
    enrollment.enrollment_status = EnrollmentStatus.ACTIVE
    enrollment.updated_by = (actor or user).id
    today = local_today(user.timezone, now)
    state = await get_day_state(session, enrollment)
    state.current_since = max(state.current_since, today)
    await session.flush()
    await plan_for(session, user, enrollment, today)
    return _info(enrollment, name)


async def quit_program(
    session: AsyncSession, user: User, enrollment_id: uuid.UUID, *, actor: User | None = None
) -> EnrollmentInfo:
    """ACTIVE or PAUSED -> CANCELLED. Logged workouts stay; sessions never started are cancelled."""
    enrollment, name = await _own_enrollment(session, user, enrollment_id)
    if enrollment.enrollment_status not in OPEN:
        raise DomainError(_("You are not following {program}.").format(program=name))
    enrollment.enrollment_status = EnrollmentStatus.CANCELLED
    enrollment.updated_by = (actor or user).id
    await session.execute(
        update(UserWorkoutSession)
        .where(
            UserWorkoutSession.program_enrollment_id == enrollment.id,
            UserWorkoutSession.session_status == SessionStatus.PLANNED,
        )
        .values(session_status=SessionStatus.CANCELLED, updated_by=(actor or user).id)
    )
    await session.flush()
    return _info(enrollment, name)
