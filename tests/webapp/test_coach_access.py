"""?trainee=: a coach reads his active trainees' data; anyone else's id is 404 with no data."""

from __future__ import annotations

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import CoachLinkStatus
from bot.db.models import CoachTrainee
from tests.webapp.conftest import ALICE, BOB, COACH, EVE, NOW, Api, World

TRAINEE_ENDPOINTS = [
    "/app/api/calendar",
    "/app/api/exercises",
    "/app/api/measurements",
    "/app/api/volume",
    "/app/api/history",
    "/app/api/program",
]


@pytest.mark.parametrize("path", TRAINEE_ENDPOINTS)
async def test_a_coach_reads_his_trainee(api: Api, world: World, path: str) -> None:
    own_status, own = await api.get(path, BOB)
    status, body = await api.get(f"{path}?trainee={world.bob.id}", COACH)
    assert (own_status, status) == (200, 200)
    assert body == own


async def test_a_coach_sees_his_trainees_history_and_progress(api: Api, world: World) -> None:
    status, body = await api.get(f"/app/api/history?trainee={world.bob.id}", COACH)
    assert status == 200
    assert [s["id"] for s in body["sessions"]] == [str(world.bob_session)]
    _status, exercises = await api.get(f"/app/api/exercises?trainee={world.bob.id}", COACH)
    bench = exercises[0]["id"]
    status, body = await api.get(f"/app/api/progress/{bench}?trainee={world.bob.id}", COACH)
    assert status == 200 and body["points"][0]["top_weight"] == 70.0


@pytest.mark.parametrize("path", [*TRAINEE_ENDPOINTS, "/app/api/progress/{exercise}"])
async def test_a_coach_reading_someone_not_his_trainee_gets_404(api: Api, world: World, path: str) -> None:
    _status, exercises = await api.get("/app/api/exercises", ALICE)
    url = path.format(exercise=exercises[0]["id"])
    for stranger in (world.alice.id, world.eve.id, "00000000-0000-0000-0000-000000000009", "junk"):
        status, body = await api.get(f"{url}?trainee={stranger}", COACH)
        assert status == 404, (url, stranger)
        assert set(body) == {"error"}


@pytest.mark.parametrize("path", TRAINEE_ENDPOINTS)
async def test_a_trainee_using_trainee_on_someone_gets_404(api: Api, world: World, path: str) -> None:
    for who, other in ((ALICE, world.bob.id), (BOB, world.alice.id), (EVE, world.coach.id)):
        status, body = await api.get(f"{path}?trainee={other}", who)
        assert status == 404
        assert set(body) == {"error"}


async def test_trainee_is_oneself_is_allowed(api: Api, world: World) -> None:
    status, body = await api.get(f"/app/api/history?trainee={world.alice.id}", ALICE)
    assert status == 200 and body["sessions"]


async def test_an_ended_link_gives_no_access(
    api: Api, world: World, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    async with session_factory() as session, session.begin():
        await session.execute(update(CoachTrainee).values(status=CoachLinkStatus.ENDED, ended_at=NOW))
    status, _body = await api.get(f"/app/api/history?trainee={world.bob.id}", COACH)
    assert status == 404
    _status, roster = await api.get("/app/api/trainees", COACH)
    assert roster == []


async def test_the_roster(api: Api, world: World) -> None:
    status, body = await api.get("/app/api/trainees", COACH)
    assert status == 200
    (bob,) = body
    assert bob["id"] == str(world.bob.id) and bob["name"] == "Bob"
    assert bob["last_workout"] == (NOW.date().replace(day=2)).isoformat()
    assert bob["adherence_14d"] is None  # no program: nothing scheduled
    assert isinstance(bob["attention"], list)


async def test_the_catalog(api: Api, world: World) -> None:
    status, body = await api.get("/app/api/catalog", COACH)
    assert status == 200
    squat = next(e for e in body["exercises"] if e["code"] == "back-squat")
    assert squat["name"] == "Barbell Back Squat"
    assert (squat["tracking"], squat["equipment"], squat["muscle"], squat["own"]) == (
        "weight_reps",
        "barbell",
        "quads",
        False,
    )
    assert len(body["exercises"]) > 50
