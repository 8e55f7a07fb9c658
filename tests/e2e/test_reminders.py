"""Reminders, the daily rollover and the weekly summary, end to end: the real bot, the emulator, the DB.

The tick jobs are taken out of the running application and `tick(app, now)` is called by hand at chosen
instants of a controllable clock (one test keeps the real jobs, to see the start-up run). The mini
program of tests/factories.py: day 1 Workout A (about 45 min), day 2 rest, day 3 Workout B plus an
optional Mobility C, day 4 Workout A.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication, build_application
from bot.config import Settings
from bot.db.enums import EnrollmentStatus, ReminderStatus, SessionStatus
from bot.db.models import ReminderLog, User, UserProgramEnrollment, UserWorkoutSession
from bot.db.session import create_engine
from bot.jobs.reminders import TickReport, tick, unschedule_jobs
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.emulator import RateLimits, SentMessage
from bot.sandbox.harness import Clock, emulator_settings, running_bot
from bot.services import enrollment as enrollments
from bot.services import reminders, workouts
from bot.services import settings as settings_service
from bot.services.program_format import parse_program
from bot.services.seed import ensure_system_user, import_program
from bot.services.set_input import SetInput
from bot.services.users import TelegramProfile, register_user
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
MONDAY = date(2026, 3, 2)
BERLIN = ZoneInfo("Europe/Berlin")
MINUTE = timedelta(minutes=1)


def at(day: date, hh: int, mm: int = 0, tz: str = "Europe/Berlin") -> datetime:
    """The UTC instant of a local wall-clock time (a time that exists)."""
    return datetime.combine(day, time(hh, mm), ZoneInfo(tz)).astimezone(UTC)


@dataclass
class World:
    """The running bot, its clock, the catalog's mini program and a way to run ticks."""

    app: BotApplication
    emulator: BotApiEmulator
    factory: Factory
    clock: Clock
    program_id: uuid.UUID

    async def tick(self, now: datetime) -> TickReport:
        self.clock.now = now
        return await tick(self.app, now)

    async def trainee(self, name: str = "Alice", **kwargs: Any) -> Trainee:
        kwargs.setdefault("now", self.clock.now)
        program_id = kwargs.pop("program_id", self.program_id)
        return await add_trainee(self.factory, self.emulator, program_id, name, **kwargs)

    def messages(self, who: Trainee | SandboxUser) -> list[SentMessage]:
        sandbox = who.sandbox if isinstance(who, Trainee) else who
        return self.emulator.messages(sandbox.chat_id)

    async def logs(self, user_id: uuid.UUID) -> list[ReminderLog]:
        async with self.factory() as session:
            rows = await session.scalars(
                select(ReminderLog).where(ReminderLog.user_id == user_id).order_by(ReminderLog.local_date)
            )
            return list(rows)

    async def user(self, user_id: uuid.UUID) -> User:
        async with self.factory() as session:
            found = await session.get(User, user_id)
            assert found is not None
            return found


@dataclass
class Trainee:
    sandbox: SandboxUser
    user_id: uuid.UUID
    enrollment_id: uuid.UUID | None


async def add_trainee(
    factory: Factory,
    emulator: BotApiEmulator,
    program_id: uuid.UUID,
    name: str = "Alice",
    *,
    now: datetime,
    tz: str = "Europe/Berlin",
    remind: time = time(7, 0),
    start: date | None = MONDAY,
) -> Trainee:
    """A registered user (with their own chat), enrolled in the program from `start` unless it is None,
    their reminders scheduled at `now`."""
    sandbox = emulator.add_user(first_name=name)
    async with factory() as session, session.begin():
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=sandbox.user_id, chat_id=sandbox.chat_id, first_name=name),
                default_timezone=tz,
                default_reminder_time=remind,
            )
        ).user
        enrollment_id = None
        if start is not None:
            enrollment_id = (await enrollments.enroll(session, user, program_id, start, now)).id
        await reminders.reschedule_reminders(session, user, now)
    return Trainee(sandbox, user.id, enrollment_id)


async def user_of(session: AsyncSession, trainee: Trainee) -> User:
    user = await session.get(User, trainee.user_id)
    assert user is not None
    return user


async def new_process(emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine) -> BotApplication:
    """Another bot process: its own Application on the same database and Bot API (not polling)."""
    app = build_application(emulator_settings(settings, emulator), token=emulator.make_token(), engine=engine)
    unschedule_jobs(app)
    await app.initialize()
    return app


@pytest.fixture
async def catalog(session_factory: Factory) -> uuid.UUID:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
    return program.id


@pytest.fixture
async def world(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    catalog: uuid.UUID,
) -> AsyncIterator[World]:
    clock = Clock(at(MONDAY, 6, 0))
    async with running_bot(emulator, settings, engine=engine, clock=clock) as app:  # ticks by hand
        yield World(app, emulator, session_factory, clock, catalog)


def reminder_texts(messages: list[SentMessage]) -> list[str]:
    return [m.content for m in messages if "Time to train" in m.content]


# --- when: local time in many zones, DST ---------------------------------------------------------------

ZONES = (
    "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata",
    "Asia/Kathmandu", "Australia/Sydney", "America/St_Johns", "Pacific/Auckland", "UTC",
)  # fmt: skip


async def test_each_user_is_reminded_at_their_local_time(world: World) -> None:
    tuesday = MONDAY + timedelta(days=1)
    world.clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    people = {tz: await world.trainee(tz.split("/")[-1], tz=tz, start=tuesday) for tz in ZONES}
    await world.tick(world.clock.now)  # some are due today already: they start tomorrow, nothing to say
    assert all(not world.messages(person) for person in people.values())
    for tz, person in sorted(people.items(), key=lambda item: at(tuesday, 7, 0, item[0])):
        due = at(tuesday, 7, 0, tz)
        await world.tick(due - MINUTE)
        assert not world.messages(person), tz
        await world.tick(due)
        texts = reminder_texts(world.messages(person))
        assert len(texts) == 1, tz
        assert "Day 1 of 4 - Workout A (about 45 min)" in texts[0]
        logs = await world.logs(person.user_id)
        assert [(log.local_date, log.status, log.sent_at) for log in logs] == [
            (tuesday, ReminderStatus.SENT, due)
        ]
    for person in people.values():  # nobody got a second one
        assert len(world.messages(person)) == 1


@pytest.mark.parametrize(
    ("tz", "day", "remind", "fires", "next_day_fires"),
    [
        ("Europe/Berlin", date(2026, 3, 29), time(2, 30), "2026-03-29T01:00", "2026-03-30T00:30"),
        ("Europe/Berlin", date(2026, 10, 25), time(2, 30), "2026-10-25T00:30", "2026-10-26T01:30"),
        ("America/New_York", date(2026, 3, 8), time(2, 30), "2026-03-08T07:00", "2026-03-09T06:30"),
        ("America/New_York", date(2026, 11, 1), time(1, 30), "2026-11-01T05:30", "2026-11-02T06:30"),
    ],
    ids=["berlin-spring", "berlin-fall", "new-york-spring", "new-york-fall"],
)
async def test_dst_days_remind_exactly_once(
    world: World, tz: str, day: date, remind: time, fires: str, next_day_fires: str
) -> None:
    start = datetime.combine(day, time(0, 0), ZoneInfo(tz)).astimezone(UTC) - timedelta(hours=1)
    world.clock.now = start
    alice = await world.trainee(tz=tz, remind=remind, start=day)
    now = start
    while now <= start + timedelta(hours=6):  # every 10 minutes through the night of the change
        await world.tick(now)
        now += 10 * MINUTE
    assert len(reminder_texts(world.messages(alice))) == 1
    expected = datetime.fromisoformat(fires).replace(tzinfo=UTC)
    assert [(log.local_date, log.sent_at) for log in await world.logs(alice.user_id)] == [(day, expected)]
    user = await world.user(alice.user_id)
    assert user.next_reminder_at == datetime.fromisoformat(next_day_fires).replace(tzinfo=UTC)


async def test_users_without_a_schedule_are_scheduled_by_the_next_tick(world: World) -> None:
    """Rows from before the schedule existed (or written by code that knows nothing of it)."""
    alice = await world.trainee()
    async with world.factory() as session, session.begin():
        await session.execute(
            update(User)
            .where(User.id == alice.user_id)
            .values(next_reminder_at=None, next_rollover_at=None, next_summary_at=None)
        )
    report = await world.tick(at(MONDAY, 6, 30))
    assert report.scheduled >= 1 and report.reminders == 0
    user = await world.user(alice.user_id)
    assert (user.next_reminder_at, user.next_rollover_at) == (
        at(MONDAY, 7, 0),
        at(MONDAY + timedelta(days=1), 0),
    )
    assert (await world.tick(at(MONDAY, 7, 0))).sent == 1


# --- changing zone or time mid-day ---------------------------------------------------------------------


async def test_changing_time_or_zone_mid_day_neither_duplicates_nor_misses(world: World) -> None:
    alice = await world.trainee("Alice", remind=time(7, 0))
    bob = await world.trainee("Bob", remind=time(12, 0))
    carol = await world.trainee("Carol", remind=time(12, 0))
    await world.tick(at(MONDAY, 7, 0))
    assert len(reminder_texts(world.messages(alice))) == 1

    world.clock.now = at(MONDAY, 9, 0)
    # Alice (reminded at 07:00) moves her reminder to 10:00: no second one today.
    replies = await alice.sandbox.send("/reminders 10:00")
    assert "on, at 10:00" in replies[-1].content and "Next: tomorrow at 10:00" in replies[-1].content
    # Bob moves to New York (through the settings service, as /settings does): 12:00 there, not here.
    # Carol moves her 12:00 reminder to 08:00, already past: she still gets today's, at the next tick.
    async with world.factory() as session, session.begin():
        bob_user = await session.get(User, bob.user_id)
        carol_user = await session.get(User, carol.user_id)
        assert bob_user is not None and carol_user is not None
        await settings_service.set_timezone(session, bob_user, "America/New_York")
        await settings_service.set_reminder_time(session, carol_user, time(8, 0))

    await world.tick(at(MONDAY, 9, 1))
    assert len(reminder_texts(world.messages(carol))) == 1
    for minute in range(0, 15 * 60, 15):  # until midnight
        await world.tick(at(MONDAY, 9, 15) + minute * MINUTE)
    assert len(reminder_texts(world.messages(alice))) == 1  # 10:00 came, the 07:00 one stood
    assert len(reminder_texts(world.messages(carol))) == 1
    assert len(reminder_texts(world.messages(bob))) == 1
    (bob_log,) = await world.logs(bob.user_id)
    assert bob_log.sent_at == at(MONDAY, 12, 0, "America/New_York")
    tuesday = MONDAY + timedelta(days=1)
    await world.tick(at(tuesday, 10, 0))
    texts = reminder_texts(world.messages(alice))
    assert len(texts) == 2 and "You missed Day 1 yesterday." in texts[1]


# --- exactly once: restart, two processes --------------------------------------------------------------


async def test_a_restart_at_the_same_minute_sends_nothing_new(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, world: World
) -> None:
    alice = await world.trainee()
    due = at(MONDAY, 7, 0)
    assert (await world.tick(due)).sent == 1
    restarted = await new_process(emulator, settings, engine)
    try:
        restarted.bot_data.clock = world.clock
        # The new process at the same minute: the schedule has moved on, nothing is due ...
        assert (await tick(restarted, due + timedelta(seconds=30))).reminders == 0
        # ... and even when the schedule points back at it (as after a settings change), the log refuses.
        async with world.factory() as session, session.begin():
            await session.execute(update(User).where(User.id == alice.user_id).values(next_reminder_at=due))
        report = await tick(restarted, due + timedelta(seconds=40))
    finally:
        await restarted.shutdown()
    assert report.reminders == 1 and report.sent == 0
    assert len(world.messages(alice)) == 1
    assert [log.status for log in await world.logs(alice.user_id)] == [ReminderStatus.SENT]


async def test_two_processes_on_one_database_never_both_send(
    emulator: BotApiEmulator, settings: Settings, database_url: str, world: World
) -> None:
    people = [await world.trainee(f"User {i}") for i in range(12)]
    due = at(MONDAY, 7, 0)
    engines = [create_engine(database_url) for _ in range(2)]  # separate pools, as separate processes
    apps = [await new_process(emulator, settings, engine) for engine in engines]
    try:
        first, second = await asyncio.gather(tick(apps[0], due), tick(apps[1], due))
    finally:
        for app in apps:
            await app.shutdown()
        for engine in engines:
            await engine.dispose()
    assert first.sent + second.sent == len(people)
    for person in people:
        assert len(reminder_texts(world.messages(person))) == 1
        assert [log.status for log in await world.logs(person.user_id)] == [ReminderStatus.SENT]


# --- delivery: blocked users, a 429 storm --------------------------------------------------------------


async def test_a_user_who_blocked_the_bot_gets_reminders_switched_off(world: World) -> None:
    alice = await world.trainee()
    world.emulator.block_bot(alice.sandbox.user_id)
    report = await world.tick(at(MONDAY, 7, 0))
    assert report.blocked == 1
    (log,) = await world.logs(alice.user_id)
    assert (log.status, log.attempts, log.sent_at) == (ReminderStatus.BLOCKED, 1, None)
    assert log.error is not None and "blocked" in log.error
    user = await world.user(alice.user_id)
    assert (user.reminders_enabled, user.next_reminder_at) == (False, None)
    sends = world.emulator.stats.requests["sendMessage"]
    for day in range(1, 4):  # not retried, not reminded again
        await world.tick(at(MONDAY + timedelta(days=day), 7, 0))
    assert world.emulator.stats.requests["sendMessage"] == sends


async def test_many_users_due_at_once_are_paced_under_the_limits(world: World) -> None:
    world.emulator.rate_limit = True
    people = [await world.trainee(f"User {i}") for i in range(36)]
    report = await world.tick(at(MONDAY, 7, 0))
    assert report.sent == len(people)
    assert world.emulator.stats.too_many_requests == 0
    for person in people:
        assert len(world.messages(person)) == 1


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # RetryAfter's int
async def test_a_429_storm_loses_nothing_and_sends_nothing_twice(world: World) -> None:
    world.emulator.rate_limit = True
    world.emulator.rate_limits = RateLimits(global_per_second=8)  # far below what the bot paces for
    people = [await world.trainee(f"User {i}") for i in range(16)]
    report = await world.tick(at(MONDAY, 7, 0))
    assert world.emulator.stats.too_many_requests > 0
    assert report.sent == len(people)
    for person in people:
        assert len(world.messages(person)) == 1
        assert [log.status for log in await world.logs(person.user_id)] == [ReminderStatus.SENT]


# --- downtime: the grace period ------------------------------------------------------------------------


async def test_after_downtime_recent_reminders_are_sent_and_old_ones_dropped(world: World) -> None:
    late = await world.trainee("Late", remind=time(7, 0))
    stale = await world.trainee("Stale", remind=time(4, 0))
    await world.tick(at(MONDAY, 3, 59))  # then the bot is down until 09:00
    report = await world.tick(at(MONDAY, 9, 0))
    assert (report.sent, report.dropped) == (1, 1)
    assert len(reminder_texts(world.messages(late))) == 1  # 2 h late: sent
    assert world.messages(stale) == []  # 5 h late: dropped
    assert [log.status for log in await world.logs(late.user_id)] == [ReminderStatus.SENT]
    assert [log.status for log in await world.logs(stale.user_id)] == [ReminderStatus.DROPPED]
    user = await world.user(stale.user_id)
    assert user.next_reminder_at == at(MONDAY + timedelta(days=1), 4, 0)


async def test_the_start_up_tick_sends_what_was_missed_within_the_grace_period(
    emulator: BotApiEmulator,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: Factory,
    catalog: uuid.UUID,
) -> None:
    # Scheduled at 06:00 for 07:00, then the bot was down until 09:00: the real start-up job sends it.
    alice = await add_trainee(session_factory, emulator, catalog, now=at(MONDAY, 6, 0))
    clock = Clock(at(MONDAY, 9, 0))
    async with running_bot(emulator, settings, engine=engine, clock=clock, scheduler=True) as app:
        await emulator.wait_for(lambda emu: bool(emu.messages(alice.sandbox.chat_id)), timeout=10)
        assert app.job_queue is not None
        assert [job.name for job in app.job_queue.jobs()] == ["reminders:tick"]  # the start one ran
    assert len(reminder_texts(emulator.messages(alice.sandbox.chat_id))) == 1


# --- what is (not) sent --------------------------------------------------------------------------------


async def test_nothing_for_paused_cancelled_rest_days_or_reminders_off(world: World) -> None:
    sunday = MONDAY - timedelta(days=1)
    world.clock.now = at(sunday, 8, 0)
    paused = await world.trainee("Paused")
    cancelled = await world.trainee("Cancelled")
    resting = await world.trainee("Resting", start=sunday)
    off = await world.trainee("Off")
    async with world.factory() as session, session.begin():
        assert paused.enrollment_id is not None and cancelled.enrollment_id is not None
        await enrollments.pause(session, await user_of(session, paused), paused.enrollment_id)
        await enrollments.quit_program(session, await user_of(session, cancelled), cancelled.enrollment_id)
    await _skip_today(world, resting, at(sunday, 8, 0))  # Sunday's day 1 skipped: Monday is day 2, a rest day
    await off.sandbox.send("/reminders off")
    for hour in (6, 7, 8, 12):
        await world.tick(at(MONDAY, hour, 0))
    for person in (paused, cancelled, resting, off):
        assert reminder_texts(world.messages(person)) == []
        assert await world.logs(person.user_id) == []


async def test_several_enrollments_make_one_message(world: World, session_factory: Factory) -> None:
    async with session_factory() as session, session.begin():
        second = await make_program(session, name="Second Program")
    alice = await world.trainee()
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        assert user is not None
        await enrollments.enroll(session, user, second.id, MONDAY, world.clock.now)
    await world.tick(at(MONDAY, 7, 0))
    (message,) = world.messages(alice)
    assert "Mini Program" in message.content and "Second Program" in message.content
    assert message.content.count("Day 1 of 4 - Workout A (about 45 min)") == 2
    assert [len(row) for row in message.buttons] == [1, 1]
    logs = await world.logs(alice.user_id)
    assert len(logs) == 2 and {log.telegram_message_id for log in logs} == {message.message_id}


async def test_a_missed_day_is_mentioned_once(world: World) -> None:
    alice = await world.trainee()
    texts: list[str] = []
    for day in range(3):
        await world.tick(at(MONDAY + timedelta(days=day), 7, 0))
        texts = reminder_texts(world.messages(alice))
        assert len(texts) == day + 1
    assert "missed" not in texts[0]
    assert "You missed Day 1 yesterday." in texts[1] and "Day 1 of 4 - Workout A" in texts[1]
    assert "missed" not in texts[2] and "Day 1 of 4 - Workout A" in texts[2]


async def test_the_start_button_opens_the_workout(world: World) -> None:
    alice = await world.trainee()
    await world.tick(at(MONDAY, 7, 0))
    world.clock.now = at(MONDAY, 7, 5)
    card = (await alice.sandbox.press("▶️ Start Workout A"))[-1]
    assert "Workout A" in card.content and "exercise 1 of 2" in card.content
    assert "Barbell Back Squat" in card.content
    async with world.factory() as session:
        status = await session.scalar(
            select(UserWorkoutSession.session_status).where(
                UserWorkoutSession.program_enrollment_id == alice.enrollment_id
            )
        )
    assert status == SessionStatus.IN_PROGRESS


# --- /reminders ----------------------------------------------------------------------------------------


async def test_reminders_command_end_to_end(world: World) -> None:
    alice = await world.trainee(remind=time(7, 0), start=None)
    world.clock.now = at(MONDAY, 9, 0)

    reply = (await alice.sandbox.send("/reminders 07:30"))[-1].content
    assert "Reminder time saved" in reply and "on, at 07:30 (Europe/Berlin)" in reply
    user = await world.user(alice.user_id)
    assert (user.reminder_time, user.reminders_enabled) == (time(7, 30), True)
    assert user.next_reminder_at == at(MONDAY, 7, 30)  # 1.5 h ago, within the grace period: due now

    reply = (await alice.sandbox.send("/reminders off"))[-1].content
    assert "Daily reminder: off" in reply and "stays 07:30" in reply
    user = await world.user(alice.user_id)
    assert (user.reminders_enabled, user.next_reminder_at) == (False, None)

    reply = (await alice.sandbox.send("/reminders on"))[-1].content
    assert "on, at 07:30" in reply
    user = await world.user(alice.user_id)
    assert user.reminders_enabled and user.next_reminder_at == at(MONDAY, 7, 30)

    reply = (await alice.sandbox.send("/reminders weekly on"))[-1].content
    assert "Weekly summary on Sunday at 19:00: on" in reply
    user = await world.user(alice.user_id)
    assert user.weekly_summary_enabled and user.next_summary_at == at(MONDAY + timedelta(days=6), 19, 0)

    for bad in ("/reminders 25:00", "/reminders sometimes"):
        reply = (await alice.sandbox.send(bad))[-1].content
        assert "/reminders 07:30" in reply and "Daily reminder" not in reply
    user = await world.user(alice.user_id)
    assert (user.reminder_time, user.reminders_enabled) == (time(7, 30), True)

    reply = (await alice.sandbox.send("/reminders"))[-1].content
    assert "on, at 07:30" in reply and "Weekly summary on Sunday at 19:00: on" in reply


# --- the rollover at local midnight --------------------------------------------------------------------


async def _skip_today(world: World, trainee: Trainee, now: datetime) -> None:
    async with world.factory() as session, session.begin():
        user = await session.get(User, trainee.user_id)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(
                UserWorkoutSession.program_enrollment_id == trainee.enrollment_id,
                UserWorkoutSession.session_status == SessionStatus.PLANNED,
            )
        )
        assert user is not None and planned is not None
        await workouts.skip_session(session, user, planned, now, reason=None)


async def _enrollment(world: World, trainee: Trainee) -> UserProgramEnrollment:
    async with world.factory() as session:
        found = await session.get(UserProgramEnrollment, trainee.enrollment_id)
        assert found is not None
        return found


async def test_the_rollover_at_local_midnight_advances_a_rest_day(world: World) -> None:
    tokyo = await world.trainee(tz="Asia/Tokyo", start=MONDAY, now=at(MONDAY, 8, 0, "Asia/Tokyo"))
    await _skip_today(world, tokyo, at(MONDAY, 8, 0, "Asia/Tokyo"))  # day 2 (rest) is Tuesday
    tuesday, wednesday = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
    await world.tick(at(tuesday, 7, 0, "Asia/Tokyo"))
    assert reminder_texts(world.messages(tokyo)) == []  # a rest day
    assert (await _enrollment(world, tokyo)).current_day == 2
    await world.tick(at(wednesday, 0, 0, "Asia/Tokyo") - MINUTE)
    assert (await _enrollment(world, tokyo)).current_day == 2
    report = await world.tick(at(wednesday, 0, 0, "Asia/Tokyo"))
    assert report.rollovers >= 1
    assert (await _enrollment(world, tokyo)).current_day == 3
    async with world.factory() as session:
        planned = await session.scalar(
            select(func.count()).where(
                UserWorkoutSession.program_enrollment_id == tokyo.enrollment_id,
                UserWorkoutSession.session_status == SessionStatus.PLANNED,
            )
        )
    assert planned == 2  # Workout B and the optional Mobility C
    await world.tick(at(wednesday, 7, 0, "Asia/Tokyo"))
    (text,) = reminder_texts(world.messages(tokyo))
    assert "Day 3 of 4 - Workout B" in text and "Mobility C (optional)" in text


TWO_DAYS = """
name: Two Days
description: Day 1 a workout, day 2 (the last) a rest day.
difficulty: beginner
visibility: PUBLIC
categories: [strength]
tags: [barbell]
schedule: {length_days: 2, rest_days_per_week: 1}
workouts:
  a:
    name: Workout A
    estimated_minutes: 45
    exercises:
      - {exercise: back-squat, sets: 3, reps: 5, weight_kg: 60, rest: 120}
days:
  - {day: 1, workouts: [a]}
"""


async def test_a_program_completed_by_the_rollover_is_announced(world: World) -> None:
    async with world.factory() as session, session.begin():
        owner = await ensure_system_user(session)
        doc = parse_program(TWO_DAYS)
        program = await import_program(session, doc, owner=owner)
    alice = await world.trainee(program_id=program.id)
    await _skip_today(world, alice, at(MONDAY, 8, 0))  # day 2, the last, is a rest day
    await world.tick(at(MONDAY + timedelta(days=2), 0, 0))
    enrollment = await _enrollment(world, alice)
    assert enrollment.enrollment_status == EnrollmentStatus.COMPLETED
    (message,) = world.messages(alice)
    assert "You finished Two Days!" in message.content


# --- the weekly summary --------------------------------------------------------------------------------


async def test_the_weekly_summary_on_sunday_evening(world: World) -> None:
    alice = await world.trainee()
    await alice.sandbox.send("/reminders weekly on")
    await world.tick(at(MONDAY, 7, 0))
    now = at(MONDAY, 18, 0)
    async with world.factory() as session, session.begin():
        user = await session.get(User, alice.user_id)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(
                UserWorkoutSession.program_enrollment_id == alice.enrollment_id
            )
        )
        assert user is not None and planned is not None
        await workouts.start_session(session, user, planned, now)
        five = SetInput(reps=5, weight_kg=Decimal(60), duration_seconds=None, is_warmup=False)
        await workouts.log_sets(session, user, planned, 0, [five, five, five])
        await workouts.finish_session(session, user, planned, now + timedelta(minutes=40),
                                      effort=7, soreness=3, notes=None)  # fmt: skip
    sunday = MONDAY + timedelta(days=6)
    await world.tick(at(sunday, 18, 59))
    assert not [m for m in world.messages(alice) if "Your week" in m.content]
    await world.tick(at(sunday, 19, 0))
    (summary,) = [m.content for m in world.messages(alice) if "Your week" in m.content]
    assert "Mon 2 Mar - Sun 8 Mar" in summary
    assert "Workouts: 1 of 3 scheduled done" in summary  # day 1 done; day 3 (B, optional C) not
    assert "Work: 3 sets · 15 reps · volume 900 kg" in summary
    user = await world.user(alice.user_id)
    assert user.next_summary_at == at(sunday + timedelta(days=7), 19, 0)
