"""Coaches through the emulator: roles, invitations, links, /assign, program uploads, the roster.

Each test checks what the users saw and the rows written. The clock is fixed at Tuesday 24 Nov 2026
09:00 UTC; everyone lives in UTC. Ada (Telegram id 999000) is the admin; Cole a coach; Tess and Tom
trainees; Olga another coach.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import CoachLinkStatus, EnrollmentStatus, Role, SessionStatus, VisibilityCode
from bot.db.models import (
    CoachInvitation,
    CoachTrainee,
    Program,
    ProgramPhase,
    ProgramSchedule,
    ScheduleWorkout,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
    Visibility,
    Workout,
)
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import Clock
from bot.services import coaching
from bot.services.seed import export_program, load_known_codes
from bot.services.users import TelegramProfile, register_user
from bot.ui import coaching as ui
from bot.ui.callback import pack
from tests.e2e.test_programs import BEGINNER, data_of, seed

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
Factory = async_sessionmaker[AsyncSession]

PROGRAM = """
name: {name}
description: Three days of squats.
difficulty: beginner
visibility: PUBLIC
categories: [strength]
tags: [barbell]
schedule: {{length_days: {length}, rest_days_per_week: 1}}
phases:
  - {{name: Base, start_day: 1, end_day: 3}}
workouts:
  a:
    name: Squat Day
    estimated_minutes: 30
    exercises:
      - {{exercise: {exercise}, sets: 3, reps: 5, weight_kg: 40, rest: 90}}
days:
  - {{day: 1, workouts: [a]}}
  - {{day: 3, workouts: [a]}}
"""


def program_yaml(name: str = "Cole Squats", *, length: int = 7, exercise: str = "back-squat") -> bytes:
    return PROGRAM.format(name=name, length=length, exercise=exercise).encode()


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


async def register(
    factory: Factory, person: SandboxUser, name: str, *, role: Role = Role.TRAINEE
) -> uuid.UUID:
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(
                telegram_id=person.user_id, chat_id=person.chat_id, first_name=name, username=name.lower()
            ),
            default_timezone="UTC",
            default_reminder_time=time(7, 0),
            admin_ids=frozenset({999000}),
        )
        registration.user.onboarded_at = NOW - timedelta(days=30)
        if role != Role.TRAINEE:
            registration.user.role = role
        return registration.user.id


async def rows(factory: Factory, model: Any, *where: Any) -> list[Any]:
    async with factory() as session:
        return list(await session.scalars(select(model).where(*where)))


async def count(factory: Factory, model: Any) -> int:
    async with factory() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def link(factory: Factory, coach_id: uuid.UUID, trainee_id: uuid.UUID) -> None:
    async with factory() as session, session.begin():
        session.add(CoachTrainee(coach_id=coach_id, trainee_id=trainee_id))


@pytest.fixture
async def world(make_user: Any, session_factory: Factory, clock: Clock) -> dict[str, Any]:
    await seed(session_factory)
    people = {
        "ada": make_user("Ada", user_id=999000, username="ada"),
        "cole": make_user("Cole", username="cole"),
        "tess": make_user("Tess", username="tess"),
        "tom": make_user("Tom", username="tom"),
        "olga": make_user("Olga", username="olga"),
    }
    ids = {
        "ada": await register(session_factory, people["ada"], "Ada", role=Role.ADMIN),
        "cole": await register(session_factory, people["cole"], "Cole", role=Role.COACH),
        "tess": await register(session_factory, people["tess"], "Tess"),
        "tom": await register(session_factory, people["tom"], "Tom"),
        "olga": await register(session_factory, people["olga"], "Olga", role=Role.COACH),
    }
    return {"people": people, "ids": ids}


# --- roles -----------------------------------------------------------------------------------------------


async def test_makecoach(world: dict[str, Any], session_factory: Factory, emulator: BotApiEmulator) -> None:
    ada, tess, tom = (world["people"][k] for k in ("ada", "tess", "tom"))
    # a trainee may not
    await tom.send("/makecoach @tess")
    assert tom.last_text == ui.NOT_AN_ADMIN
    # nor a coach
    await world["people"]["cole"].send("/makecoach @tess")
    assert world["people"]["cole"].last_text == ui.NOT_AN_ADMIN
    assert (await rows(session_factory, User, User.id == world["ids"]["tess"]))[0].role == Role.TRAINEE

    await ada.send("/makecoach")
    assert "Usage" in ada.last_text
    await ada.send("/makecoach @nobody")
    assert "don't know @nobody" in ada.last_text
    await ada.send("/makecoach @Tess")
    assert "Tess (@tess) is now a coach" in ada.last_text
    assert "You are now a coach" in tess.last_text
    assert (await rows(session_factory, User, User.id == world["ids"]["tess"]))[0].role == Role.COACH
    menu = [c["command"] for c in emulator.visible_commands(tess.chat_id)]
    assert {"invite", "trainees", "assign", "myprograms"} <= set(menu) and "makecoach" not in menu
    assert "invite" not in [c["command"] for c in emulator.visible_commands(tom.chat_id)]
    await ada.send(f"/makecoach {tess.user_id}")
    assert "can already coach" in ada.last_text

    # a coach's /start sets their menu too (the admin gets /makecoach as well)
    await ada.send("/start")
    assert "makecoach" in [c["command"] for c in emulator.visible_commands(ada.chat_id)]


async def test_trainee_cannot_use_coach_commands(world: dict[str, Any], session_factory: Factory) -> None:
    tom = world["people"]["tom"]
    for text in (
        "/invite",
        "/trainees",
        "/trainee tess",
        "/assign tess Beginner",
        "/myprograms",
        "/exportprogram x",
    ):
        await tom.send(text)
        assert tom.last_text == ui.NOT_A_COACH, text
    await tom.upload(program_yaml(), filename="p.yaml")
    assert tom.last_text == ui.UPLOAD_NOT_COACH
    assert await count(session_factory, CoachInvitation) == 0
    assert await rows(session_factory, Program, Program.name == "Cole Squats") == []


# --- invitations -----------------------------------------------------------------------------------------


async def test_invite_accept_leave(
    world: dict[str, Any], session_factory: Factory, emulator: BotApiEmulator, clock: Clock
) -> None:
    cole, tess, olga = (world["people"][k] for k in ("cole", "tess", "olga"))
    await cole.send("/invite")
    invitations = await rows(session_factory, CoachInvitation)
    assert len(invitations) == 1
    token = invitations[0].token
    assert f"https://t.me/{emulator.bot_username}?start={token}" in cole.last_text
    assert invitations[0].expires_at == NOW + timedelta(days=7)
    await cole.send("/invite")  # the same link while it is valid
    assert await count(session_factory, CoachInvitation) == 1 and token in cole.last_text

    # the coach's own link
    await cole.send(f"/start {token}")
    assert "your own invitation" in cole.last_text

    await tess.send(f"/start {token}")
    assert "<b>Cole</b> invites you" in (tess.last_reply.html or "")  # type: ignore[union-attr]
    # declining writes nothing
    await tess.press("✖️ Decline")
    assert tess.last_text == ui.DECLINED
    assert await count(session_factory, CoachTrainee) == 0

    await tess.send(f"/start {token}")
    await tess.press("✅ Accept")
    assert "Cole is now your coach" in tess.last_text
    assert "Tess (@tess) accepted your invitation" in cole.last_text
    links = await rows(session_factory, CoachTrainee)
    assert [(x.coach_id, x.trainee_id, x.status) for x in links] == [
        (world["ids"]["cole"], world["ids"]["tess"], CoachLinkStatus.ACTIVE)
    ]
    assert (await rows(session_factory, CoachInvitation))[0].accepted_count == 1
    # a second accept (old button) changes nothing
    message = tess.messages[-1]
    await tess.press_data(pack("co", "ia", token), message)
    assert len(await rows(session_factory, CoachTrainee)) == 1
    assert (await rows(session_factory, CoachInvitation))[0].accepted_count == 1

    # forged tokens: unknown, another prefix, and Olga's token pressed by Tess is fine only if valid
    await tess.send("/start coach-forgedforgedforgedforged")
    assert "not valid any more" in tess.last_text
    await tess.press_data(pack("co", "ia", "coach-forgedforgedforged"), message)
    assert await count(session_factory, CoachTrainee) == 1

    # /coaches and leaving
    await tess.send("/coaches")
    assert "Cole (@cole)" in tess.last_text
    await tess.press("👋 Leave Cole")
    assert "Leave Cole (@cole)?" in tess.last_text
    await tess.press("👋 Yes, leave")
    assert "You left Cole" in tess.last_text
    link_row = (await rows(session_factory, CoachTrainee))[0]
    assert link_row.status == CoachLinkStatus.ENDED and link_row.ended_at == NOW
    await tess.send("/coaches")
    assert tess.last_text == ui.NO_COACHES
    # a forged leave of someone who is not her coach
    await tess.press_data(pack("co", "lv", world["ids"]["olga"]), message)
    assert "does not exist" in tess.callback_answers[-1].text  # type: ignore[operator]

    # re-joining through the link re-activates the same row
    await tess.send(f"/start {token}")
    await tess.press("✅ Accept")
    links = await rows(session_factory, CoachTrainee)
    assert len(links) == 1 and links[0].status == CoachLinkStatus.ACTIVE and links[0].ended_at is None

    # revoked and expired links no longer work
    await cole.send("/invite revoke")
    assert "Revoked 1" in cole.last_text
    tom = world["people"]["tom"]
    await tom.send(f"/start {token}")
    assert "not valid any more" in tom.last_text
    await tom.press_data(pack("co", "ia", token), tom.messages[-1])
    assert await count(session_factory, CoachTrainee) == 1
    await olga.send("/invite new")
    olga_token = (
        await rows(session_factory, CoachInvitation, CoachInvitation.coach_id == world["ids"]["olga"])
    )[0].token
    clock.advance(timedelta(days=8))
    await tom.send(f"/start {olga_token}")
    assert "not valid any more" in tom.last_text
    assert await count(session_factory, CoachTrainee) == 1


# --- assigning -----------------------------------------------------------------------------------------


async def test_assign_reads_a_date_after_a_one_word_program(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, ids = world["people"]["cole"], world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await link(session_factory, ids["cole"], ids["tom"])
    await cole.upload(program_yaml("Bodyweight"), filename="bw.yaml")
    await cole.upload(program_yaml("Push Monday"), filename="push.yaml")
    await cole.send("/assign @tess Bodyweight tomorrow")
    assert "Assigned <b>Bodyweight</b> to Tess" in (cole.last_reply.html or "")  # type: ignore[union-attr]
    # a program whose whole name ends like a date keeps its name and starts today
    await cole.send("/assign @tom push monday")
    assert "Assigned <b>Push Monday</b> to Tom" in (cole.last_reply.html or "")  # type: ignore[union-attr]
    # a date that does not exist is refused, not read as part of the program's name
    await cole.send("/assign @tess Bodyweight 31.02")
    assert "“31.02” is not a real date" in cole.last_text
    await cole.send("/assign @tess Bodyweight 30 feb")
    assert "“30 feb” is not a real date" in cole.last_text
    starts = {(e.user_id, e.start_date) for e in await rows(session_factory, UserProgramEnrollment)}
    assert starts == {(ids["tess"], TODAY + timedelta(days=1)), (ids["tom"], TODAY)}


async def test_assign_by_command_and_picker(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess, tom = (world["people"][k] for k in ("cole", "tess", "tom"))
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])

    # not his trainee: refused, nothing written
    await cole.send(f"/assign @tom {BEGINNER}")
    assert "None of your trainees matches" in cole.last_text
    assert await rows(session_factory, UserProgramEnrollment) == []

    # suggestions for an unknown program name
    await cole.send("/assign @tess Beginer Full Body")
    assert "Did you mean" in cole.last_text
    assert any(BEGINNER[:30] in b[0] for b in cole.buttons())
    assert await rows(session_factory, UserProgramEnrollment) == []

    await cole.send("/assign @tess beginner full-body 2026-11-24")
    assert f"Assigned <b>{BEGINNER}</b> to Tess" in (cole.last_reply.html or "")  # type: ignore[union-attr]
    enrollment = (await rows(session_factory, UserProgramEnrollment))[0]
    assert enrollment.user_id == ids["tess"]
    assert enrollment.assigned_by == ids["cole"] and enrollment.created_by == ids["cole"]
    assert enrollment.start_date == TODAY and enrollment.enrollment_status == EnrollmentStatus.ACTIVE
    # the trainee got the card and the first day with a Start button
    texts = [m.content for m in tess.messages]
    assert any("Your coach Cole assigned you a program" in t and BEGINNER in t for t in texts)
    assert any(any("Start" in b for b in row) for row in tess.buttons())

    # assigning again is refused
    await cole.send(f"/assign tess {BEGINNER}")
    assert "already follows" in cole.last_text

    # the picker: trainee, then program
    await cole.send("/assign")
    assert cole.buttons() == [["👤 Tess"]]
    await cole.press("👤 Tess")
    assert "Which program for Tess" in cole.last_text
    await cole.press("Couch to 5K - 9 Weeks")
    assert "Assigned <b>Couch to 5K" in (cole.last_reply.html or "")  # type: ignore[union-attr]
    assert (
        len(await rows(session_factory, UserProgramEnrollment, UserProgramEnrollment.user_id == ids["tess"]))
        == 2
    )

    # forged: a program pick for Tom (not his trainee), and Olga pressing Cole's buttons
    message = cole.messages[-1]
    program_id = enrollment.program_id
    await cole.press_data(pack("co", "ap", ids["tom"], program_id), message)
    assert cole.callback_answers[-1].text == coaching.NOT_YOUR_TRAINEE
    olga = world["people"]["olga"]
    await olga.send("/trainees")
    await olga.press_data(pack("co", "ap", ids["tess"], program_id), olga.messages[-1])
    await olga.press_data(pack("co", "ee", enrollment.id), olga.messages[-1])
    await olga.press_data(pack("co", "tv", ids["tess"]), olga.messages[-1])
    await olga.press_data("co:zz:1", olga.messages[-1])
    await olga.press_data(pack("co", "nt", ids["tess"], 7), olga.messages[-1])
    assert all(a.text in (coaching.NOT_YOUR_TRAINEE, ui.STALE_BUTTON) for a in olga.callback_answers[-5:]), (
        olga.callback_answers
    )
    assert (
        await rows(session_factory, UserProgramEnrollment, UserProgramEnrollment.user_id == ids["tom"]) == []
    )
    assert (await rows(session_factory, UserProgramEnrollment, UserProgramEnrollment.id == enrollment.id))[
        0
    ].enrollment_status == EnrollmentStatus.ACTIVE
    assert tom.messages == []

    # the coach pauses, resumes and ends through /trainee
    await cole.send("/trainee tess")
    assert "Tess (@tess)" in cole.last_text and BEGINNER in cole.last_text
    await cole.press(f"⏸ Pause {ui.clip(BEGINNER, 24)}")
    assert "Paused" in cole.last_text
    row = (await rows(session_factory, UserProgramEnrollment, UserProgramEnrollment.id == enrollment.id))[0]
    assert row.enrollment_status == EnrollmentStatus.PAUSED and row.updated_by == ids["cole"]
    assert "Your coach Cole paused" in tess.last_text
    await cole.press(f"▶️ Resume {ui.clip(BEGINNER, 24)}")
    assert "Resumed" in cole.last_text
    end_data = data_of(cole, "⏹ End")
    await cole.press_data(end_data, cole.messages[-1])
    await cole.press("⏹ Yes, end it")
    states = {
        r.program_id: r.enrollment_status
        for r in await rows(
            session_factory, UserProgramEnrollment, UserProgramEnrollment.user_id == ids["tess"]
        )
    }
    assert EnrollmentStatus.CANCELLED in states.values()


async def test_coach_private_program_visibility(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess, tom = (world["people"][k] for k in ("cole", "tess", "tom"))
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.upload(program_yaml(), filename="squats.yaml")
    assert "Program added" in cole.last_text
    program = (await rows(session_factory, Program, Program.name == "Cole Squats"))[0]
    # the trainee finds it, nobody else does; another coach cannot assign it
    await tess.send("/programs")
    assert "Cole Squats" in tess.last_text
    await tom.send("/programs")
    assert "Cole Squats" not in tom.last_text
    olga = world["people"]["olga"]
    await link(session_factory, ids["olga"], ids["tom"])
    await olga.send("/assign tom Cole Squats")
    assert "No program is called" in olga.last_text
    await olga.press_data(pack("co", "ap", ids["tom"], program.id), olga.messages[-1])
    assert await rows(session_factory, UserProgramEnrollment) == []
    await olga.press_data(pack("co", "v", program.id, "P"), olga.messages[-1])
    await olga.send("/exportprogram Cole Squats")
    assert "No program of yours" in olga.last_text

    # visibility buttons on the coach's card
    await cole.send("/myprograms")
    assert "Cole Squats · 🔒 private · 0 following" in cole.last_text
    await cole.press("Cole Squats")
    await cole.press("Public")
    assert "✓ Public" in cole.buttons()[0]
    async with session_factory() as session:
        code = await session.scalar(
            select(Visibility.code)
            .join(Program, Program.visibility_id == Visibility.id)
            .where(Program.id == program.id)
        )
    assert code == VisibilityCode.PUBLIC
    await tom.send("/programs")
    assert "Cole Squats" in tom.last_text


# --- uploads -------------------------------------------------------------------------------------------


async def test_upload_creates_private_program_in_full(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole = world["people"]["cole"]
    await cole.upload(program_yaml(length=7), filename="squats.yaml")
    assert "Program added (private" in cole.last_text and "Cole Squats" in cole.last_text
    async with session_factory() as session:
        program = await session.scalar(select(Program).where(Program.name == "Cole Squats"))
        assert program is not None and program.created_by == world["ids"]["cole"]
        code = await session.scalar(select(Visibility.code).where(Visibility.id == program.visibility_id))
        assert code == VisibilityCode.PRIVATE  # whatever the document said
        schedule = await session.scalar(
            select(ProgramSchedule).where(ProgramSchedule.program_id == program.id)
        )
        assert schedule is not None and schedule.length_days == 7
        days = list(
            await session.scalars(
                select(ScheduleWorkout.day_number)
                .where(ScheduleWorkout.schedule_id == schedule.id)
                .order_by(ScheduleWorkout.day_number)
            )
        )
        assert days == [1, 3]
        phases = list(
            await session.scalars(select(ProgramPhase.name).where(ProgramPhase.program_id == program.id))
        )
        assert phases == ["Base"]
    # the same name again is refused
    await cole.upload(program_yaml(length=7), filename="squats.yaml")
    assert "Nothing was saved" in cole.last_text and "name 'Cole Squats' is taken" in cole.last_text
    assert len(await rows(session_factory, Program, Program.name == "Cole Squats")) == 1


async def test_a_name_taken_by_a_hidden_program_is_only_called_taken(
    world: dict[str, Any], session_factory: Factory
) -> None:
    ada, cole = world["people"]["ada"], world["people"]["cole"]
    await ada.upload(program_yaml("Secret Squats"), filename="secret.yaml")
    assert "Program added (private" in ada.last_text
    await cole.upload(program_yaml("SECRET squats"), filename="mine.yaml")
    text = cole.last_text
    assert "Nothing was saved" in text and "The program name 'SECRET squats' is taken" in text
    assert "Secret Squats" not in text
    assert [
        p.created_by for p in await rows(session_factory, Program, Program.name.ilike("secret squats"))
    ] == [world["ids"]["ada"]]


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"x" * (2 * 1024 * 1024), "big.yaml", "at most 256 KB"),
        (b"MZ\x90\x00\x03\x00\x00\x00binary", "tool.exe", "YAML text file"),
        (b"a: &x [1, 2]\nb: *x\n", "bomb.yaml", "anchors and aliases"),
        (b"a: " + b"[" * 60 + b"]" * 60 + b"\n", "deep.yaml", "nested more than"),
        (program_yaml(length=10000), "long.yaml", "schedule.length_days"),
        (program_yaml(exercise="back-squatt"), "typo.yaml", "did you mean 'back-squat'"),
        (b"\xff\xfe not utf8", "bad.yaml", "not UTF-8"),
        (b"name: Bell\x07 Program\n", "bell.yaml", "line 1 contains a control character (U+0007)"),
        (b"- just\n- a list\n", "list.yaml", "Nothing was saved"),
    ],
)
async def test_hostile_uploads_write_nothing(
    world: dict[str, Any], session_factory: Factory, content: bytes, filename: str, expected: str
) -> None:
    cole = world["people"]["cole"]
    programs_before = await count(session_factory, Program)
    workouts_before = await count(session_factory, Workout)
    await cole.upload(content, filename=filename)
    assert expected in cole.last_text
    assert len(cole.last_text) <= 4096
    assert await count(session_factory, Program) == programs_before
    assert await count(session_factory, Workout) == workouts_before


async def test_many_problems_listed_with_locations(world: dict[str, Any], session_factory: Factory) -> None:
    cole = world["people"]["cole"]
    bad = program_yaml().decode().replace("difficulty: beginner", "difficulty: godlike")
    bad = bad.replace("{day: 3, workouts: [a]}", "{day: 30, workouts: [zz]}")
    await cole.upload(bad.encode(), filename="bad.yml")
    text = cole.last_text
    assert "Nothing was saved" in text and "problems" in text
    assert "difficulty" in text and "days[1]" in text
    assert await rows(session_factory, Program, Program.name == "Cole Squats") == []


async def test_export_round_trip(
    world: dict[str, Any], session_factory: Factory, emulator: BotApiEmulator
) -> None:
    cole = world["people"]["cole"]
    await cole.send("/exportprogram")
    assert "Usage" in cole.last_text
    await cole.send(f"/exportprogram {BEGINNER}")
    sent = cole.last_reply
    assert sent is not None and sent.kind == "document" and sent.file is not None
    assert sent.file_name == "beginner-full-body-linear-progression.yaml"
    beginner_id = (await rows(session_factory, Program, Program.name == BEGINNER))[0].id
    async with session_factory() as session:
        known = await load_known_codes(session)
        original = await export_program(session, beginner_id)
    doc = known.parse(sent.file)
    assert doc == original
    # upload it under a new name: the copy exports to the same document (but the name)
    renamed = sent.file.replace(f"name: {BEGINNER}".encode(), b"name: My Copy")
    await cole.upload(renamed, filename="copy.yaml")
    assert "Program added" in cole.last_text
    await cole.send("/exportprogram my copy")
    copy = known.parse(cole.last_reply.file)  # type: ignore[union-attr,arg-type]
    assert copy.name == "My Copy"
    assert (
        copy.days == original.days and copy.workouts == original.workouts and copy.phases == original.phases
    )
    assert copy.visibility == VisibilityCode.PRIVATE


# --- following trainees -------------------------------------------------------------------------------


async def add_session(
    factory: Factory,
    user_id: uuid.UUID,
    enrollment_id: uuid.UUID,
    workout_id: uuid.UUID,
    scheduled: datetime,
    status: SessionStatus,
    *,
    effort: int | None = None,
    soreness: int | None = None,
    notes: str | None = None,
) -> None:
    async with factory() as session, session.begin():
        session.add(
            UserWorkoutSession(
                user_id=user_id,
                workout_id=workout_id,
                program_enrollment_id=enrollment_id,
                session_status=status,
                scheduled_at=scheduled,
                completed_at=scheduled + timedelta(hours=1) if status == SessionStatus.COMPLETED else None,
                effort_rating=effort,
                soreness_rating=soreness,
                session_notes=notes,
                created_by=user_id,
            )
        )


async def test_roster_adherence_and_detail(world: dict[str, Any], session_factory: Factory) -> None:
    """Hand-computed: in the last 14 days Tess had 5 scheduled sessions, 3 completed (60%); in the last
    7 days two completed with effort 6 and 8 (avg 7.0) and soreness 2 and 5 (avg 3.5). Older sessions,
    cancelled ones and future ones do not count."""
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await link(session_factory, ids["cole"], ids["tom"])
    await cole.send(f"/assign @tess {BEGINNER} 2026-10-30")
    enrollment = (await rows(session_factory, UserProgramEnrollment))[0]
    workout_id = (await rows(session_factory, Workout))[0].id
    # remove the sessions /assign planned, then write the fixture
    async with session_factory() as session, session.begin():
        for row in await session.scalars(select(UserWorkoutSession)):
            await session.delete(row)
    done, skipped, planned, cancelled = (
        SessionStatus.COMPLETED,
        SessionStatus.SKIPPED,
        SessionStatus.PLANNED,
        SessionStatus.CANCELLED,
    )
    fixture = [
        (NOW - timedelta(days=20), done, 9, 9, None),  # outside the 14 days
        (NOW - timedelta(days=12), done, 4, 1, None),  # in 14 days, not in 7
        (NOW - timedelta(days=10), skipped, None, None, None),
        (NOW - timedelta(days=5), done, 6, 2, "Knees felt good"),
        (NOW - timedelta(days=3), cancelled, None, None, None),  # not counted
        (NOW - timedelta(days=2), done, 8, 5, None),
        (NOW - timedelta(hours=1), planned, None, None, None),  # due, not done
        (NOW + timedelta(days=1), planned, None, None, None),  # future: not counted
    ]
    for scheduled, status, effort, soreness, notes in fixture:
        await add_session(
            session_factory,
            ids["tess"],
            enrollment.id,
            workout_id,
            scheduled,
            status,
            effort=effort,
            soreness=soreness,
            notes=notes,
        )
    async with session_factory() as session:
        coach = await session.get(User, ids["cole"])
        assert coach is not None
        roster = {row.trainee.name: row for row in await coaching.roster(session, coach, NOW)}
    tess_row = roster["Tess"]
    assert (tess_row.completed, tess_row.scheduled, tess_row.adherence) == (3, 5, 60)
    assert str(tess_row.avg_effort) == "7.0" and str(tess_row.avg_soreness) == "3.5"
    assert tess_row.last_workout == NOW - timedelta(days=2) + timedelta(hours=1)
    assert roster["Tom"].adherence is None and roster["Tom"].program is None

    await cole.send("/trainees")
    text = cole.last_text
    assert "Your trainees (2)" in text
    assert "adherence 3/5 (60%)" in text and "effort 7.0 · soreness 3.5" in text
    assert "last workout 2 days ago" in text and "no program" in text
    assert cole.buttons() == [["⚠️ Tom"], ["👤 Tess"]]  # Tom never trained: he needs attention, first
    await cole.press("👤 Tess")
    assert "Knees felt good" in cole.last_text and "effort 8/10, soreness 5/10" in cole.last_text
    # reading someone who is not his trainee
    await cole.send("/trainee olga")
    assert "None of your trainees matches" in cole.last_text
    assert tess.messages  # (she got the assignment)


async def test_remove_trainee(world: dict[str, Any], session_factory: Factory) -> None:
    cole = world["people"]["cole"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.send("/trainee @tess")
    await cole.press("🗑 Remove trainee")
    assert "Remove Tess" in cole.last_text
    await cole.press("🗑 Yes, remove")
    assert "no longer your trainee" in cole.last_text
    assert (await rows(session_factory, CoachTrainee))[0].status == CoachLinkStatus.ENDED
    await cole.send("/trainees")
    assert cole.last_text == ui.NO_TRAINEES


async def test_workout_notification(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    ids = world["ids"]
    await link(session_factory, ids["cole"], ids["tess"])
    await cole.send(f"/assign @tess {BEGINNER}")
    await cole.send("/trainee tess")
    await cole.press("🔔 Message me after each workout")
    assert "Workout messages: on" in cole.last_text
    assert (await rows(session_factory, CoachTrainee))[0].notify_on_workout is True

    start = next(b for row in tess.buttons() for b in row if "Start" in b)
    await tess.press(start)
    await tess.send("60x5")
    buttons = [b for row in tess.buttons() for b in row]
    finish = next(b for b in buttons if "Finish" in b)
    await tess.press(finish)
    await tess.press("7")
    await tess.press("3")
    await tess.send("Felt strong")
    assert any("finished" in m.content and "effort 7/10, soreness 3/10" in m.content for m in cole.messages)
