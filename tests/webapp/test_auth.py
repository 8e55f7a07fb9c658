"""Every endpoint: valid init data answers; missing, forged or expired gets 401 and no data; a Telegram
user unknown to the bot gets 403; coach-only endpoints refuse a trainee (403)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.webapp.conftest import ALICE, COACH, NOW, UNKNOWN, Api, World, auth, init_data

GET_ENDPOINTS = [
    "/app/api/me",
    "/app/api/calendar",
    "/app/api/exercises",
    "/app/api/measurements",
    "/app/api/volume",
    "/app/api/history",
    "/app/api/program",
    "/app/api/trainees",
    "/app/api/catalog",
]
COACH_ONLY = {"/app/api/trainees", "/app/api/catalog"}
WRITES = [
    ("PATCH", "/app/api/sets/{set}", {"reps": 6}),
    ("DELETE", "/app/api/sets/{set}", None),
    ("POST", "/app/api/programs/validate", {"name": "x"}),
    ("POST", "/app/api/programs", {"name": "x"}),
    ("POST", "/app/api/programs/00000000-0000-0000-0000-000000000001/assign", {"trainee_id": "x"}),
]

BAD_HEADERS = {
    "missing": {},
    "wrong-scheme": {"Authorization": f"Bearer {init_data(ALICE)}"},
    "forged": {"Authorization": f"tma {init_data(ALICE).replace('Alice', 'Mallory')}x"},
    "other-token": {"Authorization": f"tma {init_data(ALICE, token='111:' + 'C' * 35)}"},
    "expired": {"Authorization": f"tma {init_data(ALICE, at=NOW - timedelta(hours=25))}"},
}


@pytest.mark.parametrize("path", GET_ENDPOINTS)
async def test_valid_init_data_is_answered(api: Api, world: World, path: str) -> None:
    who = COACH if path in COACH_ONLY else ALICE
    status, body = await api.get(path, who)
    assert status == 200, body


@pytest.mark.parametrize("bad", list(BAD_HEADERS))
@pytest.mark.parametrize("path", [*GET_ENDPOINTS, "/app/api/progress/00000000-0000-0000-0000-000000000001"])
async def test_bad_init_data_gets_401_and_no_data(api: Api, world: World, path: str, bad: str) -> None:
    status, body = await api.get(path, None, headers=BAD_HEADERS[bad])
    assert status == 401
    assert set(body) == {"error"}


@pytest.mark.parametrize("bad", ["missing", "forged", "expired"])
@pytest.mark.parametrize(("method", "path", "body"), WRITES)
async def test_bad_init_data_cannot_write(
    api: Api, world: World, method: str, path: str, body: object, bad: str
) -> None:
    status, answer = await api.call(
        method,
        path.format(set="00000000-0000-0000-0000-000000000002"),
        None,
        body=body,
        headers=BAD_HEADERS[bad],
    )
    assert status == 401, answer


@pytest.mark.parametrize("path", GET_ENDPOINTS)
async def test_a_telegram_user_unknown_to_the_bot_gets_403(api: Api, world: World, path: str) -> None:
    status, body = await api.get(path, UNKNOWN)
    assert status == 403
    assert "/start" in body["error"]


@pytest.mark.parametrize("path", sorted(COACH_ONLY))
async def test_coach_endpoints_refuse_a_trainee(api: Api, world: World, path: str) -> None:
    status, body = await api.get(path, ALICE)
    assert status == 403
    assert set(body) == {"error"}


@pytest.mark.parametrize(("method", "path", "body"), WRITES[2:])
async def test_coach_writes_refuse_a_trainee(
    api: Api, world: World, method: str, path: str, body: object
) -> None:
    status, _answer = await api.call(method, path, ALICE, body=body)
    assert status == 403


async def test_the_page_and_static_files_need_no_init_data(api: Api) -> None:
    status, body = await api.get("/app/", None)
    assert status == 200 and "<html" in body
    status, _body = await api.get("/app/static/../../config.py", None)
    assert status in (403, 404)


async def test_header_helper_is_what_telegram_sends(api: Api, world: World) -> None:
    status, body = await api.get("/app/api/me", None, headers=auth(ALICE))
    assert status == 200 and body["telegram_id"] == ALICE


async def test_api_answers_are_never_cached(api: Api, world: World) -> None:
    for headers in (auth(ALICE), {}):
        async with api.client.get("/app/api/me", headers=headers) as response:
            assert response.headers["Cache-Control"] == "no-store"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.content_type == "application/json"
