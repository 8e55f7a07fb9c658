"""Correcting a past set from the Mini App: the database changes as /history's correction would, the
records are recomputed and reported; someone else's set is 404 and unchanged; bad bodies 422/413."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import WeightUnit
from bot.db.models import User, UserExercisePerformance, UserExerciseSet
from bot.services.progress import personal_records
from tests.webapp.conftest import ALICE, BOB, COACH, Api, World, exercise_id


async def latest_sets(api: Api, who: int = ALICE) -> list[dict[str, Any]]:
    _status, body = await api.get("/app/api/history?limit=1", who)
    sets: list[dict[str, Any]] = body["sessions"][0]["sets"]
    return sets


async def stored(factory: async_sessionmaker[AsyncSession], set_id: str) -> UserExerciseSet | None:
    async with factory() as session:
        return await session.get(UserExerciseSet, uuid.UUID(set_id))


async def test_patch_a_set_changes_the_database_and_the_records(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    first = (await latest_sets(api))[0]  # squat 110 x 3
    status, body = await api.call(
        "PATCH", f"/app/api/sets/{first['id']}", ALICE, body={"weight": 120, "reps": 4}
    )
    assert status == 200, body
    assert (body["id"], body["weight"], body["reps"], body["set_number"]) == (first["id"], 120.0, 4, 1)
    assert body["exercise"] == "Barbell Back Squat"
    assert set(body["records_changed"]) >= {"heaviest", "e1rm"}
    row = await stored(session_factory, first["id"])
    assert row is not None and (row.weight_kg, row.reps) == (Decimal("120.00"), 4)
    async with session_factory() as session:
        alice = await session.get(User, world.alice.id)
        assert alice is not None
        (records,) = await personal_records(session, alice, await exercise_id(session, "back-squat"))
        assert records.heaviest_kg == Decimal("120.00")
        performance = await session.scalar(
            select(UserExercisePerformance).where(UserExercisePerformance.id == row.performance_id)
        )
        assert performance is not None and performance.weight_used_kg == Decimal(
            "120.00"
        )  # summary recomputed
    # Reps only; nothing beats anything: no record changes.
    second = (await latest_sets(api))[1]  # 105 x 5
    status, body = await api.call("PATCH", f"/app/api/sets/{second['id']}", ALICE, body={"reps": 4})
    assert status == 200
    assert "heaviest" not in body["records_changed"]


async def test_patch_in_pounds(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        alice = await session.get(User, world.alice.id)
        assert alice is not None
        alice.weight_unit = WeightUnit.LB
    first = (await latest_sets(api))[0]
    status, body = await api.call("PATCH", f"/app/api/sets/{first['id']}", ALICE, body={"weight": 135})
    assert status == 200 and body["weight"] == 135.0
    row = await stored(session_factory, first["id"])
    assert row is not None and row.weight_kg == Decimal("61.23")


async def test_a_timed_set_takes_a_duration_not_reps(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    plank = (await latest_sets(api))[2]
    status, body = await api.call("PATCH", f"/app/api/sets/{plank['id']}", ALICE, body={"reps": 5})
    assert status == 422 and body["fields"][0]["path"] == "reps"
    status, body = await api.call("PATCH", f"/app/api/sets/{plank['id']}", ALICE, body={"duration_s": 90})
    assert status == 200 and body["duration_s"] == 90
    row = await stored(session_factory, plank["id"])
    assert row is not None and (row.duration_seconds, row.reps) == (90, None)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reps": "six"},
        {"reps": 6.5},
        {"reps": True},
        {"reps": 0},
        {"reps": 1001},
        {"weight": -5},
        {"weight": 0},
        {"weight": 1200},
        {"weight": "NaN"},
        {"duration_s": 5},
        {"reps": 5, "hack": 1},
        [],
        "💪",
    ],
)
async def test_invalid_bodies_get_422_and_change_nothing(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession], body: object
) -> None:
    first = (await latest_sets(api))[0]
    status, answer = await api.call("PATCH", f"/app/api/sets/{first['id']}", ALICE, body=body)
    assert status == 422, answer
    assert answer["error"] and answer["fields"]
    row = await stored(session_factory, first["id"])
    assert row is not None and (row.weight_kg, row.reps) == (Decimal("110.00"), 3)


async def test_not_json_and_too_large(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    first = (await latest_sets(api))[0]
    status, answer = await api.call("PATCH", f"/app/api/sets/{first['id']}", ALICE, raw=b"{reps: 5")
    assert status == 422
    huge = b'{"reps": 5, "pad": "' + b"x" * (70 * 1024) + b'"}'
    status, answer = await api.call("PATCH", f"/app/api/sets/{first['id']}", ALICE, raw=huge)
    assert status == 413 and "error" in answer
    row = await stored(session_factory, first["id"])
    assert row is not None and row.reps == 3


async def test_someone_elses_set_is_404_and_unchanged(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    bobs = (await latest_sets(api, BOB))[0]
    for who in (ALICE, COACH):  # his coach may read it, not change it
        status, body = await api.call("PATCH", f"/app/api/sets/{bobs['id']}", who, body={"reps": 9})
        assert status == 404 and set(body) == {"error"}
        status, body = await api.call("DELETE", f"/app/api/sets/{bobs['id']}", who)
        assert status == 404
    row = await stored(session_factory, bobs["id"])
    assert row is not None and row.reps == 5
    for bad in ("nope", "00000000-0000-0000-0000-000000000003"):
        status, _body = await api.call("PATCH", f"/app/api/sets/{bad}", ALICE, body={"reps": 9})
        assert status == 404


async def test_delete_a_set_renumbers_and_recomputes(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    first, second, _plank = await latest_sets(api)
    status, body = await api.call("DELETE", f"/app/api/sets/{first['id']}", ALICE)
    assert status == 200
    assert body["deleted"] is True and "heaviest" in body["records_changed"]
    assert await stored(session_factory, first["id"]) is None
    row = await stored(session_factory, second["id"])
    assert row is not None and row.set_number == 1
    sets = await latest_sets(api)
    assert [(s["exercise"], s["set_number"], s["weight"]) for s in sets[:1]] == [
        ("Barbell Back Squat", 1, 105.0)
    ]
    status, _body = await api.call("DELETE", f"/app/api/sets/{first['id']}", ALICE)
    assert status == 404


async def test_a_russian_reader_gets_russian_reasons(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        alice = await session.get(User, world.alice.id)
        assert alice is not None
        alice.language = "ru"
    plank = (await latest_sets(api))[2]
    status, body = await api.call("PATCH", f"/app/api/sets/{plank['id']}", ALICE, body={"reps": 5})
    assert status == 422
    assert body["error"] == "Это упражнение на время: измените время, а не повторения."
    status, body = await api.call(
        "PATCH", "/app/api/sets/00000000-0000-0000-0000-000000000003", ALICE, body={"reps": 5}
    )
    assert (status, body["error"]) == (404, "Такого подхода нет.")
