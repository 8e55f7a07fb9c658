"""bot.services.coaching without Telegram: roles, links, assigning, uploads, the roster's query count,
and the `import-program` command line."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.__main__ import main
from bot.config import Settings
from bot.db.enums import CoachLinkStatus, Role
from bot.db.models import CoachInvitation, CoachTrainee, Program, User, UserProgramEnrollment
from bot.services import coaching
from bot.services.errors import DomainError, Forbidden, NotFound
from bot.services.program_format import ProgramFormatError
from tests.factories import MINI_PROGRAM, make_user, seed_catalog

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def _people(session: AsyncSession) -> tuple[User, User, User]:
    await seed_catalog(session)
    coach = await make_user(session, 2001, first_name="Cole")
    coach.role = Role.COACH
    tess = await make_user(session, 2002, first_name="Tess")
    tom = await make_user(session, 2003, first_name="Tom")
    await session.flush()
    return coach, tess, tom


async def test_invitation_lifecycle(session: AsyncSession) -> None:
    coach, tess, tom = await _people(session)
    with pytest.raises(Forbidden):
        await coaching.create_invitation(session, tess, NOW)
    info = await coaching.create_invitation(session, coach, NOW)
    assert info.created and info.token.startswith(coaching.INVITE_PREFIX) and len(info.token) <= 64
    assert (await coaching.create_invitation(session, coach, NOW)).token == info.token
    assert await coaching.accept_invitation(session, tess, info.token, NOW) is coach
    await coaching.accept_invitation(session, tess, info.token, NOW)  # idempotent
    assert (await session.scalar(select(func.count()).select_from(CoachTrainee))) == 1
    with pytest.raises(DomainError):
        await coaching.accept_invitation(session, coach, info.token, NOW)
    with pytest.raises(NotFound):
        await coaching.accept_invitation(session, tom, info.token, NOW + timedelta(days=8))
    assert await coaching.revoke_invitations(session, coach, NOW) == 1
    with pytest.raises(NotFound):
        await coaching.view_invitation(session, tom, info.token, NOW)
    invitation = await session.scalar(select(CoachInvitation))
    assert invitation is not None and invitation.accepted_count == 1 and invitation.revoked_at == NOW
    # a coach who lost the role: their links stop working
    fresh = await coaching.create_invitation(session, coach, NOW, fresh=True)
    coach.role = Role.TRAINEE
    with pytest.raises(NotFound):
        await coaching.accept_invitation(session, tom, fresh.token, NOW)


async def test_assign_only_own_trainees_and_usable_programs(session: AsyncSession) -> None:
    coach, tess, tom = await _people(session)
    session.add(CoachTrainee(coach_id=coach.id, trainee_id=tess.id))
    await session.flush()
    public = await session.scalar(select(Program).order_by(Program.name).limit(1))
    assert public is not None
    with pytest.raises(NotFound):
        await coaching.assign(session, coach, tom.id, public.id, None, NOW)
    with pytest.raises(Forbidden):
        await coaching.assign(session, tess, tom.id, public.id, None, NOW)
    trainee, info = await coaching.assign(session, coach, tess.id, public.id, date(2026, 11, 25), NOW)
    assert trainee is tess and info.start_date == date(2026, 11, 25)
    enrollment = await session.scalar(select(UserProgramEnrollment))
    assert enrollment is not None and enrollment.assigned_by == coach.id and enrollment.created_by == coach.id
    # another coach's private program is not usable
    other = await make_user(session, 2009, first_name="Olga")
    other.role = Role.COACH
    private = await coaching.upload_program(
        session, other, MINI_PROGRAM.format(name="Olga's", visibility="PUBLIC")
    )
    with pytest.raises(NotFound):
        await coaching.assign(session, coach, tess.id, private.id, None, NOW)
    assert (await coaching.match_program(session, coach, "Olga's")).found is None
    await coaching.remove_trainee(session, coach, tess.id, NOW)
    link = await session.scalar(select(CoachTrainee))
    assert link is not None and link.status == CoachLinkStatus.ENDED
    with pytest.raises(NotFound):
        await coaching.trainee_detail(session, coach, tess.id)


async def test_upload_validates_before_writing(session: AsyncSession) -> None:
    coach, tess, _tom = await _people(session)
    with pytest.raises(Forbidden):
        await coaching.upload_program(session, tess, MINI_PROGRAM.format(name="Mine", visibility="PUBLIC"))
    before = await session.scalar(select(func.count()).select_from(Program))
    with pytest.raises(ProgramFormatError) as caught:
        await coaching.upload_program(
            session,
            coach,
            MINI_PROGRAM.format(name="Mine", visibility="PUBLIC").replace(
                "length_days: 4", "length_days: 10000"
            ),
        )
    assert any("length_days" in p.location for p in caught.value.problems)
    assert await session.scalar(select(func.count()).select_from(Program)) == before
    with pytest.raises(DomainError):
        await coaching.upload_program(session, coach, b"x" * (coaching.MAX_UPLOAD_BYTES + 1))
    program = await coaching.upload_program(
        session, coach, MINI_PROGRAM.format(name="Mine", visibility="PUBLIC")
    )
    refs = await coaching.my_programs(session, coach)
    assert [(r.name, r.visibility.value) for r in refs] == [("Mine", "PRIVATE")]
    assert (await coaching.match_program(session, coach, "mine")).found is not None
    filename, text = await coaching.export_for(session, coach, "Mine")
    assert filename == "mine.yaml" and "name: Mine" in text
    assert program.created_by == coach.id


async def test_roster_is_five_queries(session: AsyncSession, engine: AsyncEngine) -> None:
    coach, _tess, _tom = await _people(session)
    for n in range(12):
        trainee = await make_user(session, 3000 + n, first_name=f"T{n:02d}")
        session.add(CoachTrainee(coach_id=coach.id, trainee_id=trainee.id))
    await session.flush()
    statements: list[str] = []

    def count_statement(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine.sync_engine, "before_cursor_execute", count_statement)
    try:
        rows = await coaching.roster(session, coach, NOW)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", count_statement)
    assert len(rows) == 12
    assert len(statements) == 5, statements  # + the last soreness ratings and the stalled lifts (#13)


async def test_import_program_cli(
    tmp_path: Path, session: AsyncSession, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    coach, _tess, _tom = await _people(session)
    coach_id, telegram_id = coach.id, coach.telegram_id
    await session.commit()
    await session.close()
    path = tmp_path / "p.yaml"
    path.write_text(MINI_PROGRAM.format(name="From CLI", visibility="PUBLIC"))
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr(
        "bot.__main__.load_settings_or_exit", lambda: Settings(_env_file=None, database_url=database_url)
    )  # type: ignore[call-arg]
    code = await _in_thread(
        ["import-program", str(path), "--owner", str(telegram_id), "--visibility", "PRIVATE"]
    )
    assert code == 0 and "imported 'From CLI'" in capsys.readouterr().out
    program = await session.scalar(select(Program).where(Program.name == "From CLI"))
    assert program is not None and program.created_by == coach_id
    await session.close()
    path.write_text("name: [")
    assert await _in_thread(["import-program", str(path)]) == 1
    assert "invalid YAML" in capsys.readouterr().err


async def _in_thread(argv: list[str]) -> int:
    return await asyncio.to_thread(main, argv)


async def test_a_trainees_workout_is_dated_on_the_trainees_clock(session: AsyncSession) -> None:
    """20:00 UTC on 23 Nov is 24 Nov in Auckland: the coach reads the day the trainee trained."""
    from bot.db.enums import SessionStatus
    from bot.db.models import UserWorkoutSession, Workout
    from bot.services.coaching import comments
    from bot.ui.coaching import detail_text

    coach, tess, _tom = await _people(session)
    tess.timezone = "Pacific/Auckland"
    session.add(CoachTrainee(coach_id=coach.id, trainee_id=tess.id))
    workout = await session.scalar(select(Workout).limit(1))
    assert workout is not None
    finished = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
    session.add(
        UserWorkoutSession(
            user_id=tess.id,
            workout_id=workout.id,
            session_status=SessionStatus.COMPLETED,
            started_at=finished - timedelta(hours=1),
            completed_at=finished,
            created_by=tess.id,
        )
    )
    await session.flush()
    detail = await coaching.trainee_detail(session, coach, tess.id)
    assert [line.when.date() for line in detail.sessions if line.when] == [date(2026, 11, 24)]
    assert f"✅ 2026-11-24 · {workout.name}" in detail_text(detail)
    commented = await comments.trainee_workout(session, coach, detail.sessions[0].id)  # a comment's prompt
    assert commented.when is not None and commented.when.date() == date(2026, 11, 24)
