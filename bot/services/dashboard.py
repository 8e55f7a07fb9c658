"""The Mini App's dashboard, read side: the calendar (done, planned, missed, rest), the streak and the
week's adherence, the programs' schedules, and the profile's counts.

Domain only: no Telegram, no HTTP, never writes (read functions for bot.webapp). Dates are the user's
local dates (their IANA zone); a day's sessions are those that happened (started, else completed) or
were scheduled then.

Statuses of a calendar day, first that applies:
- ``done``: a workout was completed that day;
- ``planned``: today or later, a session is planned (a PLANNED or IN_PROGRESS row) or an ACTIVE
  enrollment's schedule puts a workout on that day (projected from its current program day: one program
  day per calendar day);
- ``missed``: before today, a session was skipped or planned and never done;
- ``rest``: nothing of the above.

The streak counts consecutive weeks (Monday to Sunday) with at least one completed workout, back from
this week - or from last week while this week has none yet.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import (
    EnrollmentDayState,
    Program,
    ProgramSchedule,
    ScheduleWorkout,
    User,
    UserExercisePerformance,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.services.timezones import local_today

DayStatus = Literal["done", "planned", "missed", "rest"]
PAST_DAYS: Final = 365
AHEAD_DAYS: Final = 14
OPEN: Final = (EnrollmentStatus.ACTIVE, EnrollmentStatus.PAUSED)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_midnight(day: date, tz: str) -> datetime:
    """The UTC instant the local date `day` starts in zone `tz`."""
    return datetime.combine(day, time(0), ZoneInfo(tz)).astimezone(UTC)


# ---------------------------------------------------------------------------------------------------------
# the profile's counts


@dataclass(frozen=True, slots=True)
class Counts:
    workouts: int
    sets: int


async def profile_counts(session: AsyncSession, user: User) -> Counts:
    """Completed workouts, and the working sets logged in them (from the per-exercise summary rows,
    which bot.services.workouts keeps equal to the sets)."""
    workouts, sets = (
        await session.execute(
            select(
                func.count(func.distinct(UserWorkoutSession.id)),
                func.coalesce(func.sum(UserExercisePerformance.sets_completed), 0),
            )
            .select_from(UserWorkoutSession)
            .join(
                UserExercisePerformance,
                UserExercisePerformance.user_workout_session_id == UserWorkoutSession.id,
                isouter=True,
            )
            .where(
                UserWorkoutSession.user_id == user.id,
                UserWorkoutSession.session_status == SessionStatus.COMPLETED,
            )
        )
    ).one()
    return Counts(int(workouts or 0), int(sets or 0))


# ---------------------------------------------------------------------------------------------------------
# the calendar


@dataclass(frozen=True, slots=True)
class DaySession:
    id: uuid.UUID | None  # None: a workout the schedule puts there, not planned as a session yet
    name: str


@dataclass(slots=True)
class CalendarDay:
    day: date
    status: DayStatus = "rest"
    sessions: list[DaySession] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Calendar:
    today: date
    streak: int
    week_done: int
    week_scheduled: int
    days: tuple[CalendarDay, ...]


_RANK: Final[dict[DayStatus, int]] = {"rest": 0, "missed": 1, "planned": 2, "done": 3}


def _promote(day: CalendarDay, status: DayStatus) -> None:
    if _RANK[status] > _RANK[day.status]:
        day.status = status


async def _schedule_days(
    session: AsyncSession, program_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[int, dict[int, list[tuple[uuid.UUID, str]]]]]:
    """Each program's active schedule: (length in days, day number -> [(workout id, name)])."""
    if not program_ids:
        return {}
    rows = await session.execute(
        select(
            ProgramSchedule.program_id,
            ProgramSchedule.length_days,
            ScheduleWorkout.day_number,
            Workout.id,
            Workout.name,
        )
        .join(
            ScheduleWorkout,
            and_(ScheduleWorkout.schedule_id == ProgramSchedule.id, ScheduleWorkout.is_active.is_(True)),
            isouter=True,
        )
        .join(Workout, Workout.id == ScheduleWorkout.workout_id, isouter=True)
        .where(ProgramSchedule.program_id.in_(program_ids), ProgramSchedule.is_active.is_(True))
        .order_by(ProgramSchedule.program_id, ScheduleWorkout.day_number, ScheduleWorkout.order_index)
    )
    found: dict[uuid.UUID, tuple[int, dict[int, list[tuple[uuid.UUID, str]]]]] = {}
    for program_id, length, day_number, workout_id, name in rows:
        entry = found.setdefault(program_id, (int(length), {}))
        if day_number is not None and workout_id is not None:
            entry[1].setdefault(int(day_number), []).append((workout_id, name))
    return found


async def _projected(
    session: AsyncSession, user: User, today: date, last: date
) -> dict[date, list[DaySession]]:
    """The workouts the ACTIVE enrollments' schedules put on the days from today to `last`."""
    enrollments = (
        await session.execute(
            select(UserProgramEnrollment, EnrollmentDayState.current_since)
            .join(
                EnrollmentDayState,
                EnrollmentDayState.enrollment_id == UserProgramEnrollment.id,
                isouter=True,
            )
            .where(
                UserProgramEnrollment.user_id == user.id,
                UserProgramEnrollment.enrollment_status == EnrollmentStatus.ACTIVE,
                UserProgramEnrollment.is_active.is_(True),
            )
        )
    ).all()
    schedules = await _schedule_days(session, [e.program_id for e, _since in enrollments])
    projected: dict[date, list[DaySession]] = {}
    for enrollment, since in enrollments:
        schedule = schedules.get(enrollment.program_id)
        if schedule is None:
            continue
        length, days = schedule
        if enrollment.start_date > today:  # starts later: its day 1 is its start date
            day, number = enrollment.start_date, 1
        else:  # the current program day is today's (or, once today's is done, the next date's)
            day, number = max(since or enrollment.start_date, today), enrollment.current_day
        while day <= last and number <= length:
            for _workout_id, name in days.get(number, []):
                projected.setdefault(day, []).append(DaySession(None, name))
            day += timedelta(days=1)
            number += 1
    return projected


async def calendar(
    session: AsyncSession,
    user: User,
    now: datetime,
    *,
    past_days: int = PAST_DAYS,
    ahead_days: int = AHEAD_DAYS,
) -> Calendar:
    """The last `past_days` days and the next `ahead_days` (oldest first), the streak and this week."""
    tz = user.timezone
    zone = ZoneInfo(tz)
    today = local_today(tz, now)
    first, last = today - timedelta(days=past_days), today + timedelta(days=ahead_days)
    span = (first + timedelta(days=n) for n in range(past_days + ahead_days + 1))
    days = {day: CalendarDay(day) for day in span}
    moment = func.coalesce(
        UserWorkoutSession.started_at, UserWorkoutSession.completed_at, UserWorkoutSession.scheduled_at
    )
    rows = await session.execute(
        select(
            UserWorkoutSession.id,
            Workout.name,
            UserWorkoutSession.session_status,
            UserWorkoutSession.started_at,
            UserWorkoutSession.completed_at,
            UserWorkoutSession.scheduled_at,
        )
        .join(Workout, Workout.id == UserWorkoutSession.workout_id)
        .where(
            UserWorkoutSession.user_id == user.id,
            moment >= local_midnight(first, tz),
            moment < local_midnight(last + timedelta(days=1), tz),
            or_(
                UserWorkoutSession.session_status != SessionStatus.CANCELLED,
                UserWorkoutSession.completed_at.is_not(None),
            ),
        )
        .order_by(moment, UserWorkoutSession.id)
    )
    done_weeks: set[date] = set()
    week = week_start(today)
    week_done = week_scheduled = 0
    for sid, name, status, started, completed, scheduled in rows:
        when = started or completed or scheduled
        assert when is not None
        local = when.astimezone(zone).date()
        entry = days.get(local)
        if entry is None:
            continue
        in_week = week_start(local) == week
        if status == SessionStatus.COMPLETED:
            _promote(entry, "done")
            done_weeks.add(week_start(local))
            week_done += in_week
            week_scheduled += in_week
        elif status in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS) and local >= today:
            _promote(entry, "planned")
            week_scheduled += in_week
        elif status in (SessionStatus.PLANNED, SessionStatus.SKIPPED):
            _promote(entry, "missed")
            week_scheduled += in_week
        else:
            continue  # cancelled after starting: in the history, not on the calendar
        entry.sessions.append(DaySession(sid, name))
    for day, sessions in (await _projected(session, user, today, last)).items():
        entry = days[day]
        if entry.sessions:  # the day's sessions are planned already (or done)
            continue
        _promote(entry, "planned")
        entry.sessions.extend(sessions)
        week_scheduled += len(sessions) if week_start(day) == week else 0
    return Calendar(
        today=today,
        streak=week_streak(done_weeks, today),
        week_done=week_done,
        week_scheduled=week_scheduled,
        days=tuple(days[d] for d in sorted(days)),
    )


def week_streak(done_weeks: set[date], today: date) -> int:
    """Consecutive weeks with a completed workout back from this week (or last week, while this one has
    none yet). `done_weeks` holds Mondays."""
    monday = week_start(today)
    if monday not in done_weeks:
        monday -= timedelta(days=7)
    streak = 0
    while monday in done_weeks:
        streak += 1
        monday -= timedelta(days=7)
    return streak


# ---------------------------------------------------------------------------------------------------------
# the programs


@dataclass(frozen=True, slots=True)
class ProgramDay:
    day: int
    workouts: tuple[tuple[uuid.UUID, str], ...]


@dataclass(frozen=True, slots=True)
class EnrollmentOverview:
    id: uuid.UUID
    program_id: uuid.UUID
    program_name: str
    status: EnrollmentStatus
    current_day: int
    days: tuple[ProgramDay, ...]


async def program_overview(session: AsyncSession, user: User) -> list[EnrollmentOverview]:
    """The user's open (ACTIVE, PAUSED) enrollments, the active first, each with its whole schedule
    (every day from 1 to the schedule's length; a rest day has no workouts)."""
    rows = (
        await session.execute(
            select(UserProgramEnrollment, Program.name)
            .join(Program, Program.id == UserProgramEnrollment.program_id)
            .where(
                UserProgramEnrollment.user_id == user.id,
                UserProgramEnrollment.enrollment_status.in_(OPEN),
                UserProgramEnrollment.is_active.is_(True),
            )
            .order_by(
                (UserProgramEnrollment.enrollment_status == EnrollmentStatus.ACTIVE).desc(),
                UserProgramEnrollment.start_date.desc(),
                Program.name,
            )
        )
    ).all()
    schedules = await _schedule_days(session, [e.program_id for e, _name in rows])
    overviews = []
    for enrollment, name in rows:
        length, days = schedules.get(enrollment.program_id, (0, {}))
        overviews.append(
            EnrollmentOverview(
                id=enrollment.id,
                program_id=enrollment.program_id,
                program_name=name,
                status=enrollment.enrollment_status,
                current_day=enrollment.current_day,
                days=tuple(ProgramDay(n, tuple(days.get(n, ()))) for n in range(1, length + 1)),
            )
        )
    return overviews


__all__ = [
    "AHEAD_DAYS",
    "PAST_DAYS",
    "Calendar",
    "CalendarDay",
    "Counts",
    "DaySession",
    "EnrollmentOverview",
    "ProgramDay",
    "calendar",
    "local_midnight",
    "profile_counts",
    "program_overview",
    "week_start",
    "week_streak",
]
