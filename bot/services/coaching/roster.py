"""Coaching: following trainees - the roster, one trainee's detail, who hears about a workout.

Free of Telegram; never commits. Only a coach's ACTIVE trainees are ever read.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, EnrollmentStatus, SessionStatus
from bot.db.models import (
    CoachTrainee,
    Program,
    ProgramDaySession,
    ScheduleWorkout,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.i18n import user_locale
from bot.services import enrollment as enrollments
from bot.services.coaching.attention import STALL_LOOKBACK, AttentionFlag, attention_flags, recent_soreness
from bot.services.coaching.links import COACH_ROLES, Person, list_trainees, own_trainee, person_of
from bot.services.program_day import OPEN
from bot.services.stalls import stalled_lifts
from bot.services.timezones import on_clock
from bot.services.workouts import session_summary

ADHERENCE_WINDOW: Final = timedelta(days=14)
RATINGS_WINDOW: Final = timedelta(days=7)
RECENT_SESSIONS: Final = 8


# --- following trainees --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterProgram:
    """One open program of a trainee: its name, the day they are on, ACTIVE or PAUSED."""

    name: str
    current_day: int
    status: EnrollmentStatus


@dataclass(frozen=True, slots=True)
class RosterRow:
    trainee: Person
    programs: tuple[RosterProgram, ...]  # every open program: the active ones first, newest first
    last_workout: datetime | None
    completed: int
    scheduled: int
    avg_effort: Decimal | None
    avg_soreness: Decimal | None
    flags: tuple[AttentionFlag, ...] = ()
    """Why the trainee needs attention (bot.services.coaching.attention); empty when all is well."""

    @property
    def program(self) -> str | None:
        """The first program's name (None without any)."""
        return self.programs[0].name if self.programs else None

    @property
    def current_day(self) -> int | None:
        return self.programs[0].current_day if self.programs else None

    @property
    def enrollment_status(self) -> EnrollmentStatus | None:
        return self.programs[0].status if self.programs else None

    @property
    def adherence(self) -> int | None:
        """Completed / scheduled over the window, as a whole percentage; None with nothing scheduled."""
        return round(100 * self.completed / self.scheduled) if self.scheduled else None


def _avg(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


async def roster(session: AsyncSession, coach: User, now: datetime) -> list[RosterRow]:
    """Every active trainee with every open program (and its day), last workout, 14-day adherence,
    7-day average ratings and what needs attention: five queries whatever the number of trainees.
    Trainees who need attention come first (the most reasons first), then by name.

    Adherence counts the program sessions scheduled in the last 14 days up to now (not optional, not
    cancelled by quitting): `completed` are those COMPLETED.
    """
    people = await list_trainees(session, coach)
    ids = [p.id for p in people]
    if not ids:
        return []
    enrolled = await session.execute(
        select(
            UserProgramEnrollment.user_id,
            Program.name,
            UserProgramEnrollment.current_day,
            UserProgramEnrollment.enrollment_status,
        )
        .join(Program, Program.id == UserProgramEnrollment.program_id)
        .where(
            UserProgramEnrollment.user_id.in_(ids),
            UserProgramEnrollment.enrollment_status.in_(OPEN),
            UserProgramEnrollment.is_active.is_(True),
        )
        .order_by(
            UserProgramEnrollment.user_id,
            (UserProgramEnrollment.enrollment_status == EnrollmentStatus.ACTIVE).desc(),
            UserProgramEnrollment.start_date.desc(),
            Program.name,
        )
    )
    programs: dict[uuid.UUID, list[RosterProgram]] = {}
    for user_id, name, day, status in enrolled:
        programs.setdefault(user_id, []).append(RosterProgram(name, day, status))

    since14, since7 = now - ADHERENCE_WINDOW, now - RATINGS_WINDOW
    done = UserWorkoutSession.session_status == SessionStatus.COMPLETED
    in_window = and_(
        UserWorkoutSession.program_enrollment_id.is_not(None),
        UserWorkoutSession.scheduled_at >= since14,
        UserWorkoutSession.scheduled_at <= now,
        UserWorkoutSession.session_status != SessionStatus.CANCELLED,
        func.coalesce(ScheduleWorkout.is_optional, False).is_(False),
    )
    recent = and_(done, UserWorkoutSession.completed_at >= since7)
    stats = await session.execute(
        select(
            UserWorkoutSession.user_id,
            func.max(case((done, UserWorkoutSession.completed_at))),
            func.sum(case((in_window, 1), else_=0)),
            func.sum(case((and_(in_window, done), 1), else_=0)),
            func.avg(case((recent, UserWorkoutSession.effort_rating))),
            func.avg(case((recent, UserWorkoutSession.soreness_rating))),
        )
        .outerjoin(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
        .outerjoin(ScheduleWorkout, ScheduleWorkout.id == ProgramDaySession.schedule_workout_id)
        .where(UserWorkoutSession.user_id.in_(ids), UserWorkoutSession.is_active.is_(True))
        .group_by(UserWorkoutSession.user_id)
    )
    by_user = {row[0]: row[1:] for row in stats}
    soreness = await recent_soreness(session, ids)
    stalled = await stalled_lifts(session, ids, since=now - STALL_LOOKBACK)
    rows: list[RosterRow] = []
    for person in people:
        last, scheduled, completed, effort, sore = by_user.get(person.id, (None, 0, 0, None, None))
        if isinstance(last, str):  # SQLite's max() of the UTC text
            last = datetime.fromisoformat(last)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        row = RosterRow(
            trainee=person,
            programs=tuple(programs.get(person.id, ())),
            last_workout=last,
            completed=int(completed or 0),
            scheduled=int(scheduled or 0),
            avg_effort=_avg(effort),
            avg_soreness=_avg(sore),
        )
        flags = attention_flags(
            now=now,
            last_workout=last,
            adherence=row.adherence,
            soreness=soreness.get(person.id, []),
            stalled=[lift.name for lift in stalled.get(person.id, [])],
        )
        rows.append(replace(row, flags=flags))
    rows.sort(key=lambda r: -len(r.flags))  # stable: by name within the same number of reasons
    return rows


@dataclass(frozen=True, slots=True)
class SessionLine:
    id: uuid.UUID
    workout: str
    status: SessionStatus
    when: datetime | None
    """When it was finished (or scheduled), on the trainee's clock (their time zone)."""
    effort: int | None
    soreness: int | None
    notes: str | None
    records: tuple[tuple[str, str], ...]
    """(exercise name, record kind: bot.services.records.RecordKind's value) of the session's new records."""


@dataclass(frozen=True, slots=True)
class TraineeDetail:
    trainee: Person
    enrollments: list[enrollments.EnrollmentInfo]
    sessions: list[SessionLine]


async def trainee_detail(session: AsyncSession, coach: User, trainee_id: uuid.UUID) -> TraineeDetail:
    """A trainee's open programs and recent finished or skipped sessions, with ratings, notes, records."""
    trainee, link = await own_trainee(session, coach, trainee_id)
    open_enrollments = await enrollments.list_enrollments(session, trainee, OPEN)
    when = func.coalesce(UserWorkoutSession.completed_at, UserWorkoutSession.scheduled_at)
    rows = await session.execute(
        select(UserWorkoutSession, Workout.name)
        .join(Workout, Workout.id == UserWorkoutSession.workout_id)
        .where(
            UserWorkoutSession.user_id == trainee.id,
            UserWorkoutSession.session_status.in_((SessionStatus.COMPLETED, SessionStatus.SKIPPED)),
        )
        .order_by(when.desc(), UserWorkoutSession.id)
        .limit(RECENT_SESSIONS)
    )
    lines: list[SessionLine] = []
    for row, name in rows:
        records: tuple[tuple[str, str], ...] = ()
        if row.session_status == SessionStatus.COMPLETED:
            summary = await session_summary(session, trainee, row.id)
            records = tuple((exercise, record.kind.value) for exercise, record in summary.records)
        lines.append(
            SessionLine(
                id=row.id,
                workout=name,
                status=row.session_status,
                when=on_clock(row.completed_at or row.scheduled_at, trainee.timezone),
                effort=row.effort_rating,
                soreness=row.soreness_rating,
                notes=row.session_notes,
                records=records,
            )
        )
    return TraineeDetail(person_of(trainee, link.notify_on_workout), open_enrollments, lines)


@dataclass(frozen=True, slots=True)
class CoachChat:
    """Where to tell a coach about their trainee, and in which language (bot.i18n locale)."""

    chat_id: int
    locale: str


async def coaches_to_notify(session: AsyncSession, trainee: User) -> list[CoachChat]:
    """The chats of the trainee's coaches who asked for a message after each workout, each with the
    coach's own language (the notice is in the coach's language, whatever the trainee's)."""
    coaches = await session.scalars(
        select(User)
        .join(CoachTrainee, CoachTrainee.coach_id == User.id)
        .where(
            CoachTrainee.trainee_id == trainee.id,
            CoachTrainee.status == CoachLinkStatus.ACTIVE,
            CoachTrainee.notify_on_workout.is_(True),
            User.chat_id.is_not(None),
            User.role.in_(COACH_ROLES),
        )
    )
    return [CoachChat(coach.chat_id, user_locale(coach)) for coach in coaches if coach.chat_id is not None]


async def session_note(session: AsyncSession, trainee: User, session_id: uuid.UUID) -> str | None:
    """The note the trainee wrote on one of their workout sessions (None without one, or for a
    session that is not theirs)."""
    return await session.scalar(
        select(UserWorkoutSession.session_notes).where(
            UserWorkoutSession.id == session_id, UserWorkoutSession.user_id == trainee.id
        )
    )
