"""Reminders, the daily rollover and the weekly summary: when each is due, what it says, exactly once.

No Telegram; never commits. The minute tick (bot.jobs.reminders) calls these functions, each in its own
transaction, and sends what they return only after that transaction has committed. The instants themselves
(when each is next due, rescheduling after a settings change) are computed in
bot.services.reminder_schedule and re-exported here.

The schedule lives on the user row as three UTC instants, each with an index on (instant, id):

- ``next_reminder_at``: the next daily reminder, at the user's local reminder time (NULL while
  reminders are off);
- ``next_rollover_at``: the next local midnight, when rest days advance and stale enrollments expire
  (NULL: the user has not been scheduled yet - the tick schedules them, see `schedule_unscheduled`);
- ``next_summary_at``: the next local Sunday evening, for the weekly summary (NULL while it is off).

"Who is due" is then one range scan of an index (`due_reminders`), not a loop over users. Instants are
computed with zoneinfo (`bot.services.timezones.local_datetime`), so daylight saving time is exact: a
02:30 reminder on the day the clocks spring forward fires once, at the first instant after the gap
(03:00), and once on the day they fall back (at the first 02:30).

Scheduling rule (new users, a changed zone, time or switch): the earliest local occurrence that is not
older than the grace period. A reminder time set shortly after it passed therefore still reminds today,
and a reminder already sent today is not sent again (the claim below).

Exactly once. Taking a due occurrence moves the instant on with a compare-and-set
(``UPDATE ... WHERE id = :id AND next_reminder_at = :due``), so of several bot processes sharing the
database one takes it. Each enrollment's reminder then claims its row in reminder_log, unique per
(enrollment, local date), with INSERT ... ON CONFLICT DO NOTHING: a reminder already claimed for that
local date - by another process, before a restart, or before the user moved the reminder time - is never
sent again. The claim is committed before the message is sent (at most once: a crash between the two
loses that one reminder rather than sending it twice); the outcome is recorded afterwards (SENT, FAILED,
BLOCKED). After downtime, an occurrence missed by more than the grace period is not sent: its rows are
written as DROPPED.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import and_, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.orm.attributes import set_committed_value

from bot.db.enums import EnrollmentStatus, ReminderStatus, SessionStatus, WeightUnit
from bot.db.models import (
    ReminderLog,
    User,
)
from bot.i18n import DEFAULT_LOCALE, use_locale, user_locale
from bot.services import program_day
from bot.services.program_day import DONE, DayPlan, ProgramStats
from bot.services.reminder_schedule import (
    DEFAULT_GRACE,
    ERROR_LIMIT,
    MIDNIGHT,
    SUMMARY_TIME,
    SUMMARY_WEEKDAY,
    TICK,
    ReminderState,
    Schedule,
    first_occurrence,
    following_reminder,
    reminder_state,
    reschedule_reminders,
    schedule_of,
    schedule_unscheduled,
    set_weekly_summary,
)
from bot.services.timezones import local_today
from bot.services.weekly import WeekReport, week_report

log = logging.getLogger(__name__)

Kind = Literal["reminder", "rollover", "summary"]


@dataclass(frozen=True, slots=True)
class Due:
    """A user whose reminder, rollover or summary instant has come."""

    user_id: uuid.UUID
    due_at: datetime


def _column(kind: Kind) -> InstrumentedAttribute[datetime | None]:
    return {
        "reminder": User.next_reminder_at,
        "rollover": User.next_rollover_at,
        "summary": User.next_summary_at,
    }[kind]


def due_query(kind: Kind, now: datetime, *, limit: int, after: Due | None = None) -> Any:
    """`SELECT id, next_* FROM app_user WHERE next_* <= now ORDER BY next_*, id LIMIT n`: one range scan
    of the (next_*, id) index. `after` continues past the last row of the previous batch (keyset)."""
    column = _column(kind)
    query = select(User.id, column).where(column <= now)
    if after is not None:
        query = query.where(or_(column > after.due_at, and_(column == after.due_at, User.id > after.user_id)))
    return query.order_by(column, User.id).limit(limit)


async def due_users(
    session: AsyncSession, kind: Kind, now: datetime, *, limit: int = 200, after: Due | None = None
) -> list[Due]:
    """Up to `limit` users whose `kind` is due at `now`, earliest first."""
    rows = await session.execute(due_query(kind, now, limit=limit, after=after))
    return [Due(user_id, due_at) for user_id, due_at in rows]


async def _take(
    session: AsyncSession, kind: Kind, due: Due, following: Callable[[User], datetime | None]
) -> User | None:
    """Take the user's due `kind` occurrence: lock the row (PostgreSQL; SQLite's transactions are
    serial anyway), check it is still due at `due.due_at`, move it to `following(user)`. The user when
    this transaction took it; None when another one did (or the user changed the schedule)."""
    column = _column(kind)
    user = await session.get(User, due.user_id, with_for_update=True, populate_existing=True)
    if user is None or getattr(user, column.key) != due.due_at:
        return None
    after = following(user)
    result = await session.execute(
        update(User)  # compare-and-set as well, and without touching updated_at
        .where(User.id == due.user_id, column == due.due_at)
        .values({column.key: after})
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:  # pragma: no cover - the lock makes this impossible
        return None
    set_committed_value(user, column.key, after)
    return user


# --- the daily rollover --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where and how to tell a user something."""

    user_id: uuid.UUID
    chat_id: int
    weight_unit: WeightUnit
    today: date
    locale: str = DEFAULT_LOCALE
    """The language the user reads (bot.i18n): a reminder or summary is rendered in it, not the sender's."""


@dataclass(frozen=True, slots=True)
class RolloverResult:
    """A user's local midnight: the programs it completed (through a passed rest day)."""

    recipient: Recipient | None
    completed: tuple[ProgramStats, ...] = ()


def _recipient(user: User, now: datetime) -> Recipient | None:
    if user.chat_id is None or not user.is_active:
        return None
    return Recipient(
        user.id, user.chat_id, user.weight_unit, local_today(user.timezone, now), user_locale(user)
    )


async def _rollover(session: AsyncSession, user: User, now: datetime) -> tuple[ProgramStats, ...]:
    advances = await program_day.rollover(session, user, now)
    return tuple(advance.completed for advance in advances if advance.completed is not None)


async def take_rollover(session: AsyncSession, due: Due, now: datetime) -> RolloverResult | None:
    """Run the user's midnight rollover once (None if another process took it); the next one is the
    next local midnight after `now` (the rollover catches up on every day that passed)."""
    taken = await _take(
        session, "rollover", due, lambda user: first_occurrence(user.timezone, MIDNIGHT, now + TICK)
    )
    if taken is None:
        return None
    completed = await _rollover(session, taken, now)
    return RolloverResult(_recipient(taken, now), completed)


# --- the daily reminder --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReminderWorkout:
    session_id: uuid.UUID
    name: str
    estimated_minutes: int | None
    is_optional: bool
    in_progress: bool


@dataclass(frozen=True, slots=True)
class ReminderItem:
    """One enrollment's part of a reminder: its current day and the workouts still open."""

    enrollment_id: uuid.UUID
    log_id: uuid.UUID
    program_name: str
    day_number: int
    length_days: int
    workouts: tuple[ReminderWorkout, ...]
    missed_on: date | None = None
    """The date the current day was planned for, when it has passed undone (said once)."""


@dataclass(frozen=True, slots=True)
class PreparedReminder:
    """What the tick sends a user after committing: the claimed items (one message) and the programs the
    rollover just completed. `dropped` when the occurrence was older than the grace period."""

    recipient: Recipient | None
    local_date: date
    items: tuple[ReminderItem, ...] = ()
    completed: tuple[ProgramStats, ...] = ()
    dropped: bool = False

    @property
    def log_ids(self) -> list[uuid.UUID]:
        return [item.log_id for item in self.items]

    @property
    def has_message(self) -> bool:
        return self.recipient is not None and bool(self.items or self.completed)


def remindable(plan: DayPlan, today: date) -> tuple[ReminderWorkout, ...]:
    """The workouts a reminder offers for an enrollment's day: its open ones, if the day is an ACTIVE
    workout day that has begun and still has required work open (rest days and done days: none)."""
    if plan.status != EnrollmentStatus.ACTIVE or plan.start_date > today or plan.current_since > today:
        return ()
    open_workouts = [
        workout
        for workout in plan.workouts
        if workout.session_id is not None and workout.status not in (*DONE, SessionStatus.CANCELLED)
    ]
    if not any(not workout.is_optional for workout in open_workouts):
        return ()
    return tuple(
        ReminderWorkout(
            session_id=workout.session_id,
            name=workout.name,
            estimated_minutes=workout.estimated_minutes,
            is_optional=workout.is_optional,
            in_progress=workout.status == SessionStatus.IN_PROGRESS,
        )
        for workout in open_workouts
        if workout.session_id is not None
    )


def _insert(session: AsyncSession) -> Any:
    dialect = session.get_bind().dialect.name
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


async def claim(
    session: AsyncSession,
    user_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    local_date: date,
    program_day_number: int,
    now: datetime,
    status: ReminderStatus = ReminderStatus.CLAIMED,
) -> uuid.UUID | None:
    """Claim the enrollment's reminder for `local_date`: the new reminder_log row's id, or None when the
    row exists already (claimed by anyone, committed or not - the database decides)."""
    log_id = uuid.uuid4()
    statement = (
        _insert(session)(ReminderLog)
        .values(
            id=log_id,
            enrollment_id=enrollment_id,
            user_id=user_id,
            local_date=local_date,
            program_day=program_day_number,
            status=status,
            attempts=0,
            claimed_at=now,
        )
        .on_conflict_do_nothing(index_elements=["enrollment_id", "local_date"])
        .returning(ReminderLog.id)
    )
    claimed: uuid.UUID | None = await session.scalar(statement)
    return claimed


async def _missed_note_given(session: AsyncSession, enrollment_id: uuid.UUID, plan: DayPlan) -> bool:
    """Whether a reminder after the day's planned date was sent already (the note is said once)."""
    found = await session.scalar(
        select(ReminderLog.id)
        .where(
            ReminderLog.enrollment_id == enrollment_id,
            ReminderLog.program_day == plan.day_number,
            ReminderLog.local_date > plan.current_since,
            ReminderLog.status == ReminderStatus.SENT,
        )
        .limit(1)
    )
    return found is not None


async def take_reminder(
    session: AsyncSession, due: Due, now: datetime, *, grace: timedelta = DEFAULT_GRACE
) -> PreparedReminder | None:
    """Take the user's due reminder (None if another process did) and claim what it says.

    Runs the rollover first unless today's ran already, then claims, for each ACTIVE enrollment with
    open workouts today, the enrollment's reminder_log row for the reminder's local date. Enrollments
    already claimed for that date are left out. An occurrence older than `grace` is claimed as DROPPED
    and nothing is to be sent.
    """

    def following(user: User) -> datetime | None:
        if not user.reminders_enabled:
            return None
        return following_reminder(user.timezone, user.reminder_time, due.due_at, now)

    taken = await _take(session, "reminder", due, following)
    if taken is None:
        return None
    local_date = local_today(taken.timezone, due.due_at)
    recipient = _recipient(taken, now)
    if not taken.reminders_enabled or recipient is None:
        return PreparedReminder(recipient=None, local_date=local_date)
    completed: tuple[ProgramStats, ...] = ()
    if taken.next_rollover_at is None or taken.next_rollover_at <= now:
        completed = await _rollover(session, taken, now)  # else today's rollover ran at midnight
    dropped = now - due.due_at > grace
    today = local_today(taken.timezone, now)
    items: list[ReminderItem] = []
    for enrollment in await program_day.open_enrollments(session, taken.id):
        if enrollment.enrollment_status != EnrollmentStatus.ACTIVE or enrollment.start_date > today:
            continue
        with use_locale(user_locale(taken)):  # the program's and workouts' names in the reader's language
            plan = await program_day.plan_for(session, taken, enrollment, today)  # PLANNED sessions too
        if plan is None:
            continue
        workouts = remindable(plan, today)
        if not workouts:
            continue
        missed = plan.current_since < local_date and not await _missed_note_given(
            session, plan.enrollment_id, plan
        )
        status = ReminderStatus.DROPPED if dropped else ReminderStatus.CLAIMED
        log_id = await claim(session, taken.id, plan.enrollment_id, local_date, plan.day_number, now, status)
        if log_id is None:
            continue  # reminded already for this local date
        items.append(
            ReminderItem(
                enrollment_id=plan.enrollment_id,
                log_id=log_id,
                program_name=plan.program_name,
                day_number=plan.day_number,
                length_days=plan.length_days,
                workouts=workouts,
                missed_on=plan.current_since if missed else None,
            )
        )
    if dropped:
        if items:
            log.warning(
                "reminder of user %s for %s dropped: due %s, %s late (grace %s)",
                taken.id,
                local_date,
                due.due_at.isoformat(),
                now - due.due_at,
                grace,
            )
        return PreparedReminder(recipient, local_date, completed=completed, dropped=True)
    return PreparedReminder(recipient, local_date, tuple(items), completed)


@dataclass(frozen=True, slots=True)
class Delivery:
    """The outcome of sending a reminder."""

    status: ReminderStatus
    attempts: int
    error: str | None = None
    message_id: int | None = None


async def record_delivery(
    session: AsyncSession, log_ids: Sequence[uuid.UUID], delivery: Delivery, now: datetime
) -> None:
    """Keep a reminder's outcome in its reminder_log rows."""
    if not log_ids:
        return
    await session.execute(
        update(ReminderLog)
        .where(ReminderLog.id.in_(list(log_ids)))
        .values(
            status=delivery.status,
            attempts=min(delivery.attempts, 32767),
            error=delivery.error[:ERROR_LIMIT] if delivery.error else None,
            telegram_message_id=delivery.message_id,
            sent_at=now if delivery.status == ReminderStatus.SENT else None,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


async def switch_off_blocked(session: AsyncSession, user_id: uuid.UUID) -> None:
    """The user blocked the bot: no more reminders or summaries until they turn them back on."""
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(reminders_enabled=False, next_reminder_at=None, next_summary_at=None)
        .execution_options(synchronize_session=False)
    )


# --- the weekly summary --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """A user's week (Monday to Sunday, local) and where to send it."""

    recipient: Recipient
    week: WeekReport


async def weekly_summary(session: AsyncSession, user: User, now: datetime) -> WeeklySummary | None:
    """The summary of the local week that contains `now` (None for a week without any workout)."""
    recipient = _recipient(user, now)
    if recipient is None:
        return None
    report = await week_report(session, user, recipient.today)
    return WeeklySummary(recipient, report) if report is not None else None


async def take_summary(
    session: AsyncSession, due: Due, now: datetime, *, grace: timedelta = DEFAULT_GRACE
) -> WeeklySummary | None:
    """Take the user's due weekly summary once; None when another process took it, it is off, it is
    older than `grace` (after downtime: skipped) or the week had no workouts."""

    def following(user: User) -> datetime | None:
        if not user.weekly_summary_enabled:
            return None
        return first_occurrence(user.timezone, SUMMARY_TIME, now + TICK, weekday=SUMMARY_WEEKDAY)

    taken = await _take(session, "summary", due, following)
    if taken is None or not taken.weekly_summary_enabled:
        return None
    if now - due.due_at > grace:
        log.warning(
            "weekly summary of user %s due %s skipped: %s late", taken.id, due.due_at, now - due.due_at
        )
        return None
    return await weekly_summary(session, taken, due.due_at)


__all__ = [
    "DEFAULT_GRACE",
    "SUMMARY_TIME",
    "SUMMARY_WEEKDAY",
    "Delivery",
    "Due",
    "PreparedReminder",
    "Recipient",
    "ReminderItem",
    "ReminderState",
    "ReminderWorkout",
    "RolloverResult",
    "Schedule",
    "WeeklySummary",
    "claim",
    "due_query",
    "due_users",
    "first_occurrence",
    "following_reminder",
    "record_delivery",
    "remindable",
    "reminder_state",
    "reschedule_reminders",
    "schedule_of",
    "schedule_unscheduled",
    "set_weekly_summary",
    "switch_off_blocked",
    "take_reminder",
    "take_rollover",
    "take_summary",
    "weekly_summary",
]
