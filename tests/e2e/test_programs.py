"""/programs, program cards, enrolling with a start date, /pause, /resume, /quit - through the emulator.

Each test checks what the user saw and what the database holds. The seeded catalog (4 public programs)
is used throughout; extra programs are imported from a small YAML template. The clock is fixed at
Tuesday 24 Nov 2026 09:00 UTC; Alice lives in Berlin (10:00 there) and wants reminders at 07:30.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import EnrollmentStatus, SessionStatus
from bot.db.models import BotState, Program, User, UserProgramEnrollment, UserWorkoutSession
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services.program_format import parse_program
from bot.services.programs import ProgramCard
from bot.services.seed import ensure_system_user, import_program, seed_reference_data
from bot.services.users import TelegramProfile, register_user
from bot.ui import programs as ui
from bot.ui import today as today_ui
from bot.ui.callback import pack, short_id, workout_skip, workout_start
from bot.ui.today import MESSAGE_LIMIT

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # a Tuesday; 10:00 in Berlin
TODAY = date(2026, 11, 24)
BEGINNER = "Beginner Full-Body Linear Progression"
BODYWEIGHT = "Bodyweight at Home - 6 Weeks"
C25K = "Couch to 5K - 9 Weeks"
UPPER_LOWER = "Intermediate Upper/Lower Split"
WAVES = "5/3/1 Strength Waves"
HYPERTROPHY = "Hypertrophy Double Progression"
SEEDED = [BEGINNER, BODYWEIGHT, C25K, WAVES, HYPERTROPHY, UPPER_LOWER]  # easiest first, then by name

Factory = async_sessionmaker[AsyncSession]

PROGRAM_YAML = """
name: {name}
description: {description}
difficulty: {difficulty}
visibility: {visibility}
categories: [{categories}]
tags: [{tags}]
schedule: {{length_days: {length}, rest_days_per_week: 1}}
phases:
  - {{name: Start, start_day: 1, end_day: 2}}
  - {{name: Finish, start_day: 3, end_day: {length}}}
workouts:
  a:
    name: Workout A
    estimated_minutes: 45
    exercises:
      - {{exercise: back-squat, sets: 3, reps: 5, weight_kg: 60, rest: 120}}
  b:
    name: Mobility B
    estimated_minutes: 15
    exercises:
      - {{exercise: plank, sets: 2, duration: 45}}
days:
{days}
"""
# Day 1: Workout A plus optional Mobility B; day 2: rest; day 3 and later: Workout A.
WORKOUT_FIRST = "  - {day: 1, workouts: [a, {workout: b, optional: true}]}\n  - {day: 3, workouts: [a]}"
# Day 1: rest; day 2: Workout A; day 3: Mobility B.
REST_FIRST = "  - {day: 2, workouts: [a]}\n  - {day: 3, workouts: [b]}"


# --- helpers shared with test_today ----------------------------------------------------------------


async def seed(factory: Factory) -> dict[str, uuid.UUID]:
    """The real catalog; program name -> id."""
    async with factory() as session, session.begin():
        await seed_reference_data(session)
    return await program_ids(factory)


async def program_ids(factory: Factory) -> dict[str, uuid.UUID]:
    async with factory() as session:
        rows = await session.execute(select(Program.name, Program.id))
        return {row.name: row.id for row in rows}


async def add_program(
    factory: Factory,
    name: str,
    *,
    difficulty: str = "advanced",
    visibility: str = "PUBLIC",
    owner_telegram_id: int | None = None,
    categories: str = "strength",
    tags: str = "barbell",
    length: int = 10,
    days: str = WORKOUT_FIRST,
    description: str = "A small program for tests.",
) -> uuid.UUID:
    """Import a program from the template (owned by the system user, or by a registered user)."""
    doc = parse_program(
        PROGRAM_YAML.format(
            name=name,
            description=description,
            difficulty=difficulty,
            visibility=visibility,
            categories=categories,
            tags=tags,
            length=length,
            days=days,
        )
    )
    async with factory() as session, session.begin():
        if owner_telegram_id is None:
            owner = await ensure_system_user(session)
        else:
            found = await session.scalar(select(User).where(User.telegram_id == owner_telegram_id))
            assert found is not None
            owner = found
        program = await import_program(session, doc, owner=owner)
        return program.id


async def register(
    factory: Factory,
    person: SandboxUser,
    first_name: str = "Alice",
    *,
    timezone: str = "Europe/Berlin",
    reminder: time = time(7, 30),
) -> uuid.UUID:
    """Register an onboarded user directly through the service; their id."""
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(telegram_id=person.user_id, chat_id=person.chat_id, first_name=first_name),
            default_timezone=timezone,
            default_reminder_time=reminder,
        )
        registration.user.onboarded_at = NOW - timedelta(days=30)
        return registration.user.id


async def enroll_directly(
    factory: Factory, person: SandboxUser, program_id: uuid.UUID, start: date, now: datetime = NOW
) -> uuid.UUID:
    async with factory() as session, session.begin():
        user = await session.scalar(select(User).where(User.telegram_id == person.user_id))
        assert user is not None
        return (await enrollments.enroll(session, user, program_id, start, now)).id


async def enrollment_rows(factory: Factory, user_id: uuid.UUID) -> list[UserProgramEnrollment]:
    async with factory() as session:
        return list(
            await session.scalars(
                select(UserProgramEnrollment).where(UserProgramEnrollment.user_id == user_id)
            )
        )


async def sessions_of(factory: Factory, enrollment_id: uuid.UUID) -> list[UserWorkoutSession]:
    async with factory() as session:
        return list(
            await session.scalars(
                select(UserWorkoutSession)
                .where(UserWorkoutSession.program_enrollment_id == enrollment_id)
                .order_by(UserWorkoutSession.created_at)
            )
        )


async def count(factory: Factory, model: Any) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def conversation_rows(factory: Factory, expected: int) -> int:
    """Persisted states of the "enroll" conversation, once they reach `expected` (they are written just
    after the update is marked processed) or after a second."""
    query = select(func.count()).select_from(BotState).where(BotState.kind == "conversation:enroll")
    for _ in range(100):
        async with factory() as session:
            found = int(await session.scalar(query) or 0)
        if found == expected:
            break
        await asyncio.sleep(0.01)
    return found


def data_of(person: SandboxUser, text: str) -> str:
    """The callback data of the button labelled `text` on the latest keyboard."""
    message = person.emulator.last_message(person.chat_id)
    for candidate in reversed(person.messages):
        if candidate.inline_keyboard:
            message = candidate
            break
    assert message is not None
    for row in message.inline_keyboard:
        for button in row:
            if button.get("text") == text:
                return str(button["callback_data"])
    raise AssertionError(f"no button {text!r} in {message.buttons}")


def all_answered(emulator: BotApiEmulator) -> None:
    assert emulator.unanswered_callback_queries() == []


# --- fixtures ------------------------------------------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    """The bot's clock (overriding tests/e2e/conftest.py's), at Tuesday 24 Nov 2026 09:00 UTC."""
    return Clock(NOW)


@pytest.fixture
async def catalog(session_factory: Factory) -> dict[str, uuid.UUID]:
    return await seed(session_factory)


@pytest.fixture
async def alice_id(alice: SandboxUser, session_factory: Factory, clock: Clock) -> uuid.UUID:
    return await register(session_factory, alice)


# --- browsing --------------------------------------------------------------------------------------------


async def test_browse_pages(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    emulator: BotApiEmulator,
) -> None:
    extras = [f"Extra {n:02d}" for n in range(1, 6)]
    for name in extras:
        await add_program(session_factory, name)

    replies = await alice.send("/programs")
    assert len(replies) == 1
    first = replies[0]
    assert "11 programs, page 1/3" in first.text
    for name in SEEDED[:5]:
        assert name in first.text
    assert UPPER_LOWER not in first.text and "Extra 01" not in first.text
    assert first.buttons[0] == [f"1. {ui.clip(BEGINNER, 40)}"]
    assert first.buttons[5] == ["page 1/3", "▶️"]
    assert first.buttons[6] == ["🔍 Filter"]

    edited = await alice.press("▶️")
    assert [m.message_id for m in edited] == [first.message_id]  # edited in place
    page2 = alice.last_reply
    assert page2 is not None and "page 2/3" in page2.text
    assert f"6. {UPPER_LOWER}" in page2.text and "7. Extra 01" in page2.text and "10. Extra 04" in page2.text
    assert BEGINNER not in page2.text
    assert page2.buttons[5] == ["◀️", "page 2/3", "▶️"]

    assert await alice.press("page 2/3") == []  # the counter does nothing (but is answered)
    await alice.press("▶️")
    assert "page 3/3" in alice.last_text and "11. Extra 05" in alice.last_text
    assert alice.buttons()[1] == ["◀️", "page 3/3"]
    await alice.press("◀️")
    assert "page 2/3" in alice.last_text

    # a forged page number is clamped; the same page again is not an error ("message is not modified")
    await alice.press_data(pack("pg", "l", 99), first.message_id)
    assert "page 3/3" in alice.last_text
    assert await alice.press_data(pack("pg", "l", 99), first.message_id) == []
    await alice.press_data("pg:l:-1", first.message_id)
    assert alice.callback_answers[-1].text == ui.STALE_BUTTON
    assert "page 3/3" in alice.last_text
    assert len(alice.messages) == 1  # no apology, no extra message
    all_answered(emulator)


async def test_filters(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    bot_app: BotApplication,
    emulator: BotApiEmulator,
) -> None:
    await alice.send("/programs")
    await alice.press("🔍 Filter")
    assert "Filter programs" in alice.last_text
    assert alice.buttons() == [["Category: any"], ["Difficulty: any"], ["Tag: any"], ["◀️ Back to the list"]]

    await alice.press("Difficulty: any")
    assert alice.buttons()[0] == ["✓ Any", "Beginner"]
    assert alice.buttons()[1] == ["Intermediate"]  # only the levels that occur
    await alice.press("Intermediate")
    text = alice.last_text
    assert "Filters: Intermediate" in text and "3 programs." in text
    assert UPPER_LOWER in text and BEGINNER not in text
    assert alice.buttons()[-1] == ["🔍 Filter", "✖️ Clear filters"]
    assert bot_app.user_data[alice.user_id]["program_filters"] == {"difficulty": "intermediate"}

    # a second filter combines with the first
    await alice.press("🔍 Filter")
    assert alice.buttons()[1] == ["Difficulty: Intermediate"]
    await alice.press("Tag: any")
    await alice.press("Home")
    assert "Filters: Intermediate · Home" in alice.last_text
    assert "No programs match these filters." in alice.last_text

    # filters stay for the next /programs; "Any" removes one
    replies = await alice.send("/programs")
    assert "Filters: Intermediate · Home" in replies[0].text
    await alice.press("🔍 Filter")
    await alice.press("Difficulty: Intermediate")
    assert alice.buttons()[0] == ["Any", "Beginner"]
    await alice.press("Any")
    assert (
        "Filters: Home" in alice.last_text and BODYWEIGHT in alice.last_text and C25K not in alice.last_text
    )
    assert bot_app.user_data[alice.user_id]["program_filters"] == {"tag": "home"}

    # a forged or stale option changes nothing
    message = alice.last_reply
    assert message is not None
    await alice.press_data(pack("pg", "fs", "t", "no-such-tag"), message)
    assert alice.callback_answers[-1].text == ui.FILTER_GONE
    await alice.press_data(pack("pg", "fs", "x", "home"), message)
    assert alice.callback_answers[-1].text == ui.STALE_BUTTON
    assert bot_app.user_data[alice.user_id]["program_filters"] == {"tag": "home"}

    await alice.press("✖️ Clear filters")
    assert "6 programs, page 1/2." in alice.last_text and "Filters" not in alice.last_text
    assert "program_filters" not in bot_app.user_data[alice.user_id]
    await alice.press("🔍 Filter")
    await alice.press("Category: any")
    await alice.press("Running & Endurance")
    assert "Filters: Running & Endurance" in alice.last_text
    assert C25K in alice.last_text and BEGINNER not in alice.last_text
    await alice.press("🔍 Filter")
    await alice.press("◀️ Back to the list")
    assert C25K in alice.last_text
    all_answered(emulator)


async def test_program_card(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], emulator: BotApiEmulator
) -> None:
    await alice.send("/programs")
    await alice.press(f"1. {ui.clip(BEGINNER, 40)}")
    card = alice.last_text
    assert card.startswith(f"🏋️ {BEGINNER}\nBeginner · 12 weeks (84 days) · 3 workouts/week")
    assert "📂 Strength, Full Body" in card
    assert "🏷 3 Days a Week · Barbell · Beginner Friendly · Gym · Linear Progression" in card
    assert "Twelve weeks of simple, effective barbell training" in card
    assert "Phases\n• Foundation · days 1-28\n• Build · days 29-56\n• Consolidate · days 57-84" in card
    assert "Start on a Monday" in card  # the notes
    assert "following" not in card
    assert alice.buttons() == [["🚀 Enroll"], ["◀️ Back to the list"]]
    await alice.press("◀️ Back to the list")
    assert "6 programs, page 1/2." in alice.last_text and len(alice.messages) == 1
    all_answered(emulator)


async def test_card_shows_the_enrollment(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY)
    await alice.send("/programs")
    await alice.press(f"1. {ui.clip(BEGINNER, 40)}")
    assert "✅ You are following this program." in alice.last_text
    assert alice.buttons()[0] == ["✅ Already following"]
    await alice.press("✅ Already following")
    assert alice.callback_answers[-1].show_alert
    assert "already following" in (alice.callback_answers[-1].text or "")
    assert await count(session_factory, UserProgramEnrollment) == 1


async def test_long_texts_fit_in_a_message(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    description = " ".join(["Squat & press <hard>."] * 95)[:2000]
    program_id = await add_program(session_factory, "Wordy " + "W" * 90, description=description)
    await alice.send("/programs")
    await alice.press_data(pack("pg", "p", program_id, 0), alice.last_reply)  # type: ignore[arg-type]
    card = alice.last_reply
    assert card is not None and card.text is not None
    assert "Squat & press <hard>." in card.text  # escaped, shown literally
    assert len(card.text) < MESSAGE_LIMIT
    assert "…" in card.text

    # the pure renderer with every field at its maximum
    huge = ProgramCard(
        id=uuid.uuid4(),
        name="N" * 100,
        description="word " * 400,
        notes="note " * 400,
        difficulty="Advanced",
        visibility="PUBLIC",  # type: ignore[arg-type]
        length_days=700,
        workouts_per_week=3.5,
        rest_days_per_week=2,
        phases=[ui_phase(i) for i in range(100)],
        categories=["C" * 100] * 10,
        tags=["T" * 50] * 20,
        enrollment_status=EnrollmentStatus.PAUSED,
        enrollment_id=uuid.uuid4(),
    )
    text = ui.card_text(huge)
    assert len(text) <= MESSAGE_LIMIT and "… and 88 more" in text and "(paused - /resume)" in text
    assert "100 weeks (700 days) · 3.5 workouts/week" in text


def ui_phase(index: int) -> Any:
    from bot.services.programs import PhaseInfo

    return PhaseInfo("P" * 100, index * 7 + 1, index * 7 + 7, "d" * 1000)


async def test_private_program_of_another_user_is_invisible(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    make_user: Any,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    emulator: BotApiEmulator,
) -> None:
    bob: SandboxUser = make_user("Bob")
    await register(session_factory, bob, "Bob")
    secret = await add_program(
        session_factory, "Bob's Secret Plan", visibility="PRIVATE", owner_telegram_id=bob.user_id
    )

    replies = await alice.send("/programs")
    assert "6 programs, page 1/2." in replies[0].text and "Secret" not in replies[0].text
    listing = replies[0]
    for data in (
        pack("pg", "p", secret, 0),
        pack("en", "s", secret, 0),
        pack("en", "d", secret, "t"),
        pack("en", "x", secret),
    ):
        changes = await alice.press_data(data, listing)
        assert changes == [], data
        assert alice.callback_answers[-1].text == ui.PROGRAM_UNAVAILABLE
    assert alice.last_text == listing.text
    assert await count(session_factory, UserProgramEnrollment) == 0

    # Bob finds his own program
    mine = await bob.send("/programs")
    assert "7 programs, page 1/2" in mine[0].text  # his own is the 7th: advanced, after the shipped ones
    await bob.press("▶️")
    assert "7. Bob's Secret Plan" in bob.last_text
    all_answered(emulator)


async def test_garbage_callback_data(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID]
) -> None:
    replies = await alice.send("/programs")
    for data in (
        "pg:zz",
        "pg:p:short:0",
        "pg:p",
        "en:d:AAAAAAAAAAAAAAAAAAAAAA:q",
        "en:p:nope",
        "en:qy:",
        "pg:l:1:2",
        "pg:l:²",
        "pg:p:AAAAAAAAAAAAAAAAAAAAAA:٣",
        "pg:fm:z",
    ):
        assert await alice.press_data(data, replies[0]) == []
        assert alice.callback_answers[-1].text == ui.STALE_BUTTON, data
    assert await alice.press_data("td:x", replies[0]) == []
    assert alice.callback_answers[-1].text == today_ui.STALE_BUTTON
    assert len(alice.messages) == 1


# --- enrolling -----------------------------------------------------------------------------------------


async def open_enroll(person: SandboxUser, name: str = BEGINNER, number: int = 1) -> None:
    await person.send("/programs")
    await person.press(f"{number}. {ui.clip(name, 40)}")
    await person.press(person.buttons()[0][0])


@pytest.mark.parametrize("mode", ["polling", "webhook"], indirect=True)
async def test_enroll_today(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    emulator: BotApiEmulator,
) -> None:
    await open_enroll(alice)
    prompt = alice.last_reply
    assert prompt is not None
    assert f"When do you want to start {BEGINNER}?" in prompt.text  # type: ignore[operator]
    assert prompt.buttons == [
        ["Today · Tue 24 Nov"],
        ["Tomorrow · Wed 25 Nov"],
        ["Next Monday · Mon 30 Nov"],
        ["⌨️ Type a date"],
        ["◀️ Back"],
    ]
    await alice.press("Today · Tue 24 Nov")
    confirmation = alice.last_text
    assert f"🎉 You're enrolled in {BEGINNER}!" in confirmation
    assert "Day 1 is today." in confirmation
    assert "Target completion: Mon 15 Feb 2027" in confirmation
    assert "Foundation · day 1 of 84" in confirmation and "Full Body A · ~1 h" in confirmation
    assert len(alice.messages) == 1  # the same message, edited throughout

    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.enrollment_status == EnrollmentStatus.ACTIVE
    assert (row.current_day, row.start_date, row.target_completion_date) == (1, TODAY, date(2027, 2, 15))
    assert (row.created_by, row.assigned_by, row.program_id) == (alice_id, None, catalog[BEGINNER])
    [planned] = await sessions_of(session_factory, row.id)
    assert planned.session_status == SessionStatus.PLANNED
    assert planned.scheduled_at == datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # 07:30 in Berlin
    assert alice.buttons() == [["▶️ Start Full Body A", "⏭ Skip"]]
    assert data_of(alice, "▶️ Start Full Body A") == workout_start(planned.id)
    assert data_of(alice, "⏭ Skip") == workout_skip(planned.id)
    all_answered(emulator)


async def test_enroll_tomorrow_and_next_monday(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    await open_enroll(alice)
    await alice.press("Tomorrow · Wed 25 Nov")
    text = alice.last_text
    assert "Day 1 is Wed 25 Nov." in text and "It starts on Wed 25 Nov." in text
    assert "Target completion: Tue 16 Feb 2027" in text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2026, 11, 25)
    assert await sessions_of(session_factory, row.id) == []  # nothing planned before it begins

    await open_enroll(alice, BODYWEIGHT, 2)
    await alice.press("Next Monday · Mon 30 Nov")
    rows = {r.program_id: r for r in await enrollment_rows(session_factory, alice_id)}
    assert rows[catalog[BODYWEIGHT]].start_date == date(2026, 11, 30)


async def test_start_dates_follow_the_users_zone(
    make_user: Any, catalog: dict[str, uuid.UUID], session_factory: Factory, clock: Clock
) -> None:
    """At 09:00 UTC it is already Wednesday in Tokyo: "Today" is the 25th there."""
    kenji: SandboxUser = make_user("Kenji")
    await register(session_factory, kenji, "Kenji", timezone="Asia/Tokyo", reminder=time(6, 0))
    clock.now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    await open_enroll(kenji)
    assert kenji.buttons()[0] == ["Today · Wed 25 Nov"]
    await kenji.press("Today · Wed 25 Nov")
    async with session_factory() as session:
        row = await session.scalar(select(UserProgramEnrollment))
        assert row is not None and row.start_date == date(2026, 11, 25)
        planned = await session.scalar(select(UserWorkoutSession))
        assert planned is not None and planned.scheduled_at == datetime(2026, 11, 24, 21, 0, tzinfo=UTC)


async def test_enroll_with_a_typed_date(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    bot_app: BotApplication,
    emulator: BotApiEmulator,
) -> None:
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    assert "Type the day to start" in alice.last_text and "1 Dec" in alice.last_text
    assert alice.buttons() == [["✖️ Cancel"]]
    assert await conversation_rows(session_factory, 1) == 1  # the conversation survives a restart

    bad = await alice.send("someday <b>")
    assert "I couldn't read “someday &lt;b&gt;” as a date." in (bad[0].html or "")
    assert "For example" in bad[0].text and bad[0].buttons == [["✖️ Cancel"]]
    far = await alice.send("2028-01-01")
    assert "at most a year from now" in far[0].text and "Please type another day" in far[0].text
    impossible = await alice.send("31.02")
    assert "not a real date" in impossible[0].text
    assert await enrollment_rows(session_factory, alice_id) == []

    done = await alice.send("mon")
    assert "🎉 You're enrolled in" in done[0].text and "It starts on Mon 30 Nov." in done[0].text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2026, 11, 30)
    assert "enroll_program" not in bot_app.user_data[alice.user_id]
    assert await conversation_rows(session_factory, 0) == 0

    # the conversation is over: text is not read as a date any more
    await alice.send("1.12")
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2026, 11, 30)
    all_answered(emulator)


async def test_typed_date_in_the_past_window(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    old = await alice.send("1 Oct")
    assert "at most 28 days ago" in old[0].text
    ok = await alice.send("20.11")  # 4 days ago is fine: the program is behind schedule
    assert "Day 1 is Fri 20 Nov." in ok[0].text
    assert "This was planned for Fri 20 Nov" in ok[0].text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2026, 11, 20)


async def test_leaving_the_typed_date(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    cancelled = await alice.send("/cancel")
    assert "nothing changed" in cancelled[0].text
    await alice.send("tomorrow")
    assert await enrollment_rows(session_factory, alice_id) == []

    # the Cancel button goes back to the card
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    await alice.press("✖️ Cancel")
    assert alice.last_text.startswith(f"🏋️ {BEGINNER}")

    # another command leaves it too, and does its job
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    listing = await alice.send("/programs")
    assert "6 programs, page 1/2." in listing[0].text
    await alice.send("tomorrow")
    assert await enrollment_rows(session_factory, alice_id) == []

    # and so does a date button
    await open_enroll(alice)
    prompt = alice.last_reply
    await alice.press("⌨️ Type a date")
    await alice.press_data(pack("en", "d", catalog[BEGINNER], "m"), prompt)  # type: ignore[arg-type]
    assert "It starts on Wed 25 Nov." in alice.last_text
    await alice.send("today")
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.start_date == date(2026, 11, 25)


async def test_a_forgotten_typed_date_expires(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    clock: Clock,
) -> None:
    await open_enroll(alice)
    await alice.press("⌨️ Type a date")
    clock.now = NOW + timedelta(minutes=5)
    assert "couldn't read" in (await alice.send("soon"))[0].text  # each try restarts the wait
    clock.now = NOW + timedelta(minutes=16)
    expired = await alice.send("tomorrow")
    assert "stopped waiting" in expired[0].text
    assert await enrollment_rows(session_factory, alice_id) == []
    assert await conversation_rows(session_factory, 0) == 0
    ignored = await alice.send("tomorrow")  # no longer read as a date: the general reply
    assert "No workout is in progress" in ignored[0].text and len(alice.messages) == 4
    assert await enrollment_rows(session_factory, alice_id) == []
    assert await enrollment_rows(session_factory, alice_id) == []


async def test_enrolling_again_while_active(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    enrollment_id = await enroll_directly(session_factory, alice, catalog[BEGINNER], TODAY)
    before = await sessions_of(session_factory, enrollment_id)
    replies = await alice.send("/programs")
    await alice.press_data(pack("en", "d", catalog[BEGINNER], "m"), replies[0])
    assert f"You are already following {BEGINNER} (day 1, active)." in alice.last_text
    assert alice.buttons() == [["◀️ Back to the program"]]
    [row] = await enrollment_rows(session_factory, alice_id)
    assert (row.start_date, row.current_day) == (TODAY, 1)
    assert [s.id for s in await sessions_of(session_factory, enrollment_id)] == [s.id for s in before]

    # typing a date for it is refused before asking
    await alice.press_data(pack("en", "x", catalog[BEGINNER]), replies[0])
    assert "already following" in (alice.callback_answers[-1].text or "")
    assert "No workout is in progress" in (await alice.send("tomorrow"))[0].text  # the general reply


async def test_quit_then_reenroll_reactivates_the_same_row(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    enrollment_id = await enroll_directly(
        session_factory, alice, catalog[BEGINNER], TODAY - timedelta(days=3)
    )
    await alice.send("/quit")
    assert f"Quit {BEGINNER}?" in alice.last_text and "logged workouts are kept" in alice.last_text
    await alice.press("🚪 Yes, quit")
    assert f"You quit {BEGINNER}. Your logged workouts are kept." in alice.last_text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.enrollment_status == EnrollmentStatus.CANCELLED
    assert {s.session_status for s in await sessions_of(session_factory, enrollment_id)} == {
        SessionStatus.CANCELLED
    }

    await alice.send("/programs")
    await alice.press(f"1. {ui.clip(BEGINNER, 40)}")
    assert "You quit this program earlier." in alice.last_text
    await alice.press("🔁 Re-start")
    assert "When do you want to start again" in alice.last_text
    await alice.press("Today · Tue 24 Nov")
    assert f"🔁 You're starting {BEGINNER} again!" in alice.last_text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.id == enrollment_id
    assert (row.enrollment_status, row.current_day, row.start_date) == (EnrollmentStatus.ACTIVE, 1, TODAY)
    statuses = sorted(s.session_status for s in await sessions_of(session_factory, enrollment_id))
    assert statuses == [SessionStatus.CANCELLED, SessionStatus.PLANNED]


# --- pause, resume, quit ----------------------------------------------------------------------------------


async def test_pause_resume_quit_one_enrollment(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    clock: Clock,
    emulator: BotApiEmulator,
) -> None:
    assert "no active program to pause" in (await alice.send("/pause"))[0].text
    assert "Nothing is paused" in (await alice.send("/resume"))[0].text
    assert "not following any program" in (await alice.send("/quit"))[0].text

    enrollment_id = await enroll_directly(session_factory, alice, catalog[C25K], TODAY)
    paused = await alice.send("/pause")
    assert f"Paused {C25K} at day 1." in paused[0].text
    assert (await enrollment_rows(session_factory, alice_id))[0].enrollment_status == EnrollmentStatus.PAUSED
    again = await alice.send("/pause")
    assert "is already paused. Send /resume" in again[0].text

    clock.now = NOW + timedelta(days=3)
    resumed = await alice.send("/resume")
    assert f"Resumed {C25K}: day 1 is today's." in resumed[0].text
    [row] = await enrollment_rows(session_factory, alice_id)
    assert row.enrollment_status == EnrollmentStatus.ACTIVE

    await alice.send("/quit")
    await alice.press("↩️ No, keep going")
    assert "Nothing changed" in alice.last_text
    assert (await enrollment_rows(session_factory, alice_id))[0].enrollment_status == EnrollmentStatus.ACTIVE
    await alice.send("/quit")
    await alice.press("🚪 Yes, quit")
    [row] = await enrollment_rows(session_factory, alice_id)
    assert (row.id, row.enrollment_status) == (enrollment_id, EnrollmentStatus.CANCELLED)
    # the confirmation pressed again (a stale button) changes nothing and says why
    message = alice.last_reply
    assert message is not None
    await alice.press_data(pack("en", "qy", enrollment_id), message)
    assert f"You are not following {C25K}." in alice.last_text
    all_answered(emulator)


async def test_several_enrollments_ask_which(
    alice: SandboxUser, alice_id: uuid.UUID, catalog: dict[str, uuid.UUID], session_factory: Factory
) -> None:
    first = await enroll_directly(session_factory, alice, catalog[C25K], TODAY)
    second = await enroll_directly(session_factory, alice, catalog[BODYWEIGHT], TODAY - timedelta(days=1))
    choose = await alice.send("/pause")
    assert "Which program do you want to pause?" in choose[0].text
    assert choose[0].buttons == [[f"{C25K} · day 1"], [f"{BODYWEIGHT} · day 1"]]  # newest start first
    await alice.press(f"{BODYWEIGHT} · day 1")
    assert f"Paused {BODYWEIGHT}" in alice.last_text
    statuses = {r.id: r.enrollment_status for r in await enrollment_rows(session_factory, alice_id)}
    assert statuses == {first: EnrollmentStatus.ACTIVE, second: EnrollmentStatus.PAUSED}

    # one left to pause, one to resume: no question asked
    assert f"Paused {C25K}" in (await alice.send("/pause"))[0].text
    choose = await alice.send("/resume")
    assert "Which program do you want to resume?" in choose[0].text
    await alice.press(f"{C25K} · day 1")
    assert f"Resumed {C25K}" in alice.last_text

    choose = await alice.send("/quit")
    assert len(choose[0].buttons) == 2
    await alice.press(f"{BODYWEIGHT} · day 1")
    assert f"Quit {BODYWEIGHT}?" in alice.last_text
    await alice.press("🚪 Yes, quit")
    statuses = {r.id: r.enrollment_status for r in await enrollment_rows(session_factory, alice_id)}
    assert statuses == {first: EnrollmentStatus.ACTIVE, second: EnrollmentStatus.CANCELLED}


async def test_forged_enrollment_ids_of_another_user(
    alice: SandboxUser,
    alice_id: uuid.UUID,
    make_user: Any,
    catalog: dict[str, uuid.UUID],
    session_factory: Factory,
    emulator: BotApiEmulator,
) -> None:
    bob: SandboxUser = make_user("Bob")
    bob_id = await register(session_factory, bob, "Bob")
    bobs = await enroll_directly(session_factory, bob, catalog[C25K], TODAY)
    replies = await alice.send("/today")
    for action in ("p", "r", "q", "qy"):
        assert await alice.press_data(pack("en", action, bobs), replies[0]) == []
        assert alice.callback_answers[-1].text == ui.ENROLLMENT_UNAVAILABLE
        assert alice.callback_answers[-1].show_alert
    [row] = await enrollment_rows(session_factory, bob_id)
    assert row.enrollment_status == EnrollmentStatus.ACTIVE and row.updated_by is None
    assert await alice.press_data("en:p:" + short_id(uuid.uuid4()), replies[0]) == []
    assert alice.callback_answers[-1].text == ui.ENROLLMENT_UNAVAILABLE
    all_answered(emulator)
