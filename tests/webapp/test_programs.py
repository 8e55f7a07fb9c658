"""The program builder's server side: validation equals the YAML upload's on the same documents; saving
and assigning go through the chat's services."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import EnrollmentStatus, VisibilityCode
from bot.db.models import Program, User, UserProgramEnrollment, Visibility
from bot.services import coaching
from bot.services.program_format import ProgramFormatError
from bot.services.seed import load_known_codes
from tests.factories import MINI_PROGRAM
from tests.webapp.conftest import ALICE, COACH, NOW, Api, World

PROGRAMS = [
    (path.stem, path.read_text())
    for path in sorted((Path(__file__).parents[2] / "bot" / "data" / "programs").glob("*.yaml"))
]
MINI = MINI_PROGRAM.format(name="Builder Test", visibility="PRIVATE")


def as_json(source: str) -> Any:
    """A YAML document as the builder would post it (JSON has no dates: they become text)."""
    return json.loads(json.dumps(yaml.safe_load(source), default=str))


def broken(change: str, replacement: str) -> str:
    assert change in MINI, change
    return MINI.replace(change, replacement)


BROKEN = [
    broken("exercise: back-squat", "exercise: back-squatt"),
    broken("sets: 3, reps: 5", "sets: 0, reps: 5"),
    broken("reps: 8-12", "reps: lots"),
    broken("name: Builder Test", "title: Builder Test"),
    broken("{day: 3, workouts: [b,", "{day: 3, workouts: [zz,"),
    broken("length_days: 4", "length_days: 2"),
    broken("difficulty: beginner", "difficulty: godlike"),
    broken("rest: 120", "rest: -5"),
    broken("weight_kg: 60", "weight_kg: 99999"),
    "name: Only a name\n",
    "workouts: {}\n",
]


async def yaml_problems(
    factory: async_sessionmaker[AsyncSession], coach: User, source: str
) -> list[dict[str, str]]:
    """What the YAML upload path (coaching.parse_upload) reports for the same document."""
    async with factory() as session:
        known = await load_known_codes(session, owner_id=coach.id)
    try:
        await coaching.parse_upload(known, source.encode())
    except ProgramFormatError as error:
        return [{"location": p.location, "message": p.message} for p in error.problems]
    return []


@pytest.mark.parametrize("source", [text for _stem, text in PROGRAMS], ids=[stem for stem, _text in PROGRAMS])
async def test_every_bundled_program_validates_as_json(api: Api, world: World, source: str) -> None:
    status, body = await api.call("POST", "/app/api/programs/validate", COACH, body=as_json(source))
    assert status == 200
    assert body == {"ok": True, "problems": []}


@pytest.mark.parametrize("source", BROKEN, ids=range(len(BROKEN)))
async def test_broken_documents_give_the_yaml_uploads_problems(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession], source: str
) -> None:
    expected = await yaml_problems(session_factory, world.coach, source)
    assert expected, "the document should be broken"
    status, body = await api.call("POST", "/app/api/programs/validate", COACH, body=as_json(source))
    assert status == 200
    assert body == {"ok": False, "problems": expected}
    status, body = await api.call("POST", "/app/api/programs", COACH, body=as_json(source))
    assert status == 422 and body["problems"] == expected
    async with session_factory() as session:
        assert await session.scalar(select(Program).where(Program.created_by == world.coach.id)) is None


async def test_the_body_must_be_an_object(api: Api, world: World) -> None:
    for raw in (b"[1, 2]", b"not json", b'"name"'):
        status, body = await api.call("POST", "/app/api/programs/validate", COACH, raw=raw)
        assert status == 422 and body["fields"][0]["path"] == "body"
    status, _body = await api.call(
        "POST", "/app/api/programs/validate", COACH, raw=b"{" + b" " * 70_000 + b"}"
    )
    assert status == 413


async def test_save_then_assign(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    status, body = await api.call("POST", "/app/api/programs", COACH, body=as_json(MINI))
    assert status == 201, body
    assert body["name"] == "Builder Test"
    async with session_factory() as session:
        program = await session.get(Program, uuid.UUID(body["id"]))
        assert program is not None and program.created_by == world.coach.id
        visibility = await session.scalar(
            select(Visibility.code).where(Visibility.id == program.visibility_id)
        )
        assert visibility == VisibilityCode.PRIVATE
    status, again = await api.call("POST", "/app/api/programs", COACH, body=as_json(MINI))
    assert status == 422 and again["problems"][0]["location"] == "name"

    status, assigned = await api.call(
        "POST", f"/app/api/programs/{body['id']}/assign", COACH, body={"trainee_id": str(world.bob.id)}
    )
    assert status == 200, assigned
    async with session_factory() as session:
        enrollment = await session.get(UserProgramEnrollment, uuid.UUID(assigned["enrollment_id"]))
        assert enrollment is not None
        assert (enrollment.user_id, enrollment.assigned_by, enrollment.enrollment_status) == (
            world.bob.id,
            world.coach.id,
            EnrollmentStatus.ACTIVE,
        )
        assert enrollment.start_date == NOW.date()
    _status, program_view = await api.get(f"/app/api/program?trainee={world.bob.id}", COACH)
    assert program_view["enrollments"][0]["program"]["name"] == "Builder Test"
    status, twice = await api.call(
        "POST", f"/app/api/programs/{body['id']}/assign", COACH, body={"trainee_id": str(world.bob.id)}
    )
    assert status == 422 and "already" in twice["error"]


async def test_assign_refuses_strangers_bad_bodies_and_others_programs(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    _status, body = await api.call("POST", "/app/api/programs", COACH, body=as_json(MINI))
    url = f"/app/api/programs/{body['id']}/assign"
    status, _answer = await api.call("POST", url, COACH, body={"trainee_id": str(world.alice.id)})
    assert status == 404
    for bad in ({}, {"trainee_id": "x"}, {"trainee_id": str(world.bob.id), "start_date": "soon"}, []):
        status, answer = await api.call("POST", url, COACH, body=bad)
        assert status == 422 and answer["fields"], bad
    status, answer = await api.call(
        "POST", url, COACH, body={"trainee_id": str(world.bob.id), "start_date": "2020-01-01"}
    )
    assert status == 422 and answer["error"]
    status, _answer = await api.call(
        "POST", "/app/api/programs/00000000-0000-0000-0000-000000000005/assign", COACH,
        body={"trainee_id": str(world.bob.id)},
    )  # fmt: skip
    assert status == 404
    status, _answer = await api.call("POST", url, ALICE, body={"trainee_id": str(world.bob.id)})
    assert status == 403
    async with session_factory() as session:
        assert await session.scalar(select(UserProgramEnrollment)) is None
