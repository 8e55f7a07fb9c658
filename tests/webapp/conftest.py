"""Mini App API fixtures: the aiohttp app against the real test database, signed init data, a world of
users (a trainee with history, a coach with a trainee, a stranger) built through the services."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import CoachLinkStatus, Role, SessionStatus
from bot.db.models import (
    CoachTrainee,
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
)
from bot.webapp.app import create_app
from bot.webapp.initdata import sign_init_data
from tests.factories import make_user, seed_catalog

TOKEN = "123456789:" + "A" * 35
NOW = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # a Wednesday


def init_data(telegram_id: int, *, token: str = TOKEN, at: datetime = NOW, **user: Any) -> str:
    return sign_init_data({"id": telegram_id, "first_name": "T", **user}, token, auth_date=at)


def auth(telegram_id: int, **kwargs: Any) -> dict[str, str]:
    return {"Authorization": f"tma {init_data(telegram_id, **kwargs)}"}


class Api:
    """The test client with the signed-in user's header."""

    def __init__(self, client: TestClient[Any, Any]) -> None:
        self.client = client

    async def call(
        self,
        method: str,
        path: str,
        who: int | None,
        *,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        sent = dict(headers or (auth(who) if who is not None else {}))
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        if data is not None:
            sent.setdefault("Content-Type", "application/json")
        async with self.client.request(method, path, data=data, headers=sent) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text

    async def get(self, path: str, who: int | None, **kwargs: Any) -> tuple[int, Any]:
        return await self.call("GET", path, who, **kwargs)


@pytest.fixture
async def api(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[Api]:
    app = create_app(session_factory=session_factory, bot_token=TOKEN, clock=lambda: NOW)
    async with TestClient(TestServer(app)) as client:
        yield Api(client)


async def exercise_id(session: AsyncSession, code: str) -> uuid.UUID:
    found = await session.scalar(select(Exercise.id).where(Exercise.code == code))
    assert found is not None, code
    return found


async def log_workout(
    session: AsyncSession,
    user: User,
    when: datetime,
    lifts: Sequence[tuple[str, Sequence[tuple[Decimal | None, int | None, int | None]]]],
    *,
    name: str = "Session",
    status: SessionStatus = SessionStatus.COMPLETED,
) -> UserWorkoutSession:
    """A past workout of `user` with sets [(kg, reps, seconds)] per exercise code, as rows."""
    workout = Workout(name=name, created_by=user.id)
    session.add(workout)
    await session.flush()
    row = UserWorkoutSession(
        user_id=user.id,
        workout_id=workout.id,
        session_status=status,
        scheduled_at=when,
        started_at=None if status == SessionStatus.PLANNED else when,
        completed_at=when + timedelta(hours=1) if status == SessionStatus.COMPLETED else None,
        created_by=user.id,
    )
    session.add(row)
    await session.flush()
    for index, (code, sets) in enumerate(lifts):
        instruction = ExerciseInstruction(
            workout_id=workout.id,
            exercise_id=await exercise_id(session, code),
            order_index=index,
            target_sets=max(len(sets), 1),
            created_by=user.id,
        )
        session.add(instruction)
        await session.flush()
        performance = UserExercisePerformance(
            user_workout_session_id=row.id,
            exercise_instruction_id=instruction.id,
            sets_completed=len(sets),
            created_by=user.id,
        )
        session.add(performance)
        await session.flush()
        for number, (kg, reps, seconds) in enumerate(sets, start=1):
            session.add(
                UserExerciseSet(
                    performance_id=performance.id,
                    set_number=number,
                    weight_kg=kg,
                    reps=reps,
                    duration_seconds=seconds,
                )
            )
    await session.flush()
    return row


@dataclass
class World:
    alice: User  # a trainee with history (1001)
    coach: User  # Carl, a coach (2001), with Bob as his trainee
    bob: User  # Carl's trainee (1002), with history
    eve: User  # a stranger (3001), a trainee of nobody
    alice_session: uuid.UUID
    bob_session: uuid.UUID


ALICE, BOB, COACH, EVE, UNKNOWN = 1001, 1002, 2001, 3001, 9999


@pytest.fixture
async def world(session_factory: async_sessionmaker[AsyncSession]) -> World:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        alice = await make_user(session, ALICE, first_name="Alice", timezone="UTC")
        bob = await make_user(session, BOB, first_name="Bob", timezone="UTC")
        coach = await make_user(session, COACH, first_name="Carl", timezone="UTC")
        eve = await make_user(session, EVE, first_name="Eve", timezone="UTC")
        coach.role = Role.COACH
        session.add(CoachTrainee(coach_id=coach.id, trainee_id=bob.id, status=CoachLinkStatus.ACTIVE))
        squat = [(Decimal(100), 5, None), (Decimal(100), 5, None), (Decimal(90), 8, None)]
        first = await log_workout(
            session, alice, NOW - timedelta(days=8), [("back-squat", squat)], name="Legs"
        )
        second = await log_workout(
            session,
            alice,
            NOW - timedelta(days=1),
            [
                ("back-squat", [(Decimal(110), 3, None), (Decimal(105), 5, None)]),
                ("plank", [(None, None, 60)]),
            ],
            name="Legs again",
        )
        del first
        bob_row = await log_workout(
            session, bob, NOW - timedelta(days=2), [("bench-press", [(Decimal(70), 5, None)])], name="Push"
        )
        return World(alice, coach, bob, eve, second.id, bob_row.id)
