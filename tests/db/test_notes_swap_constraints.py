"""user_exercise_note and session_exercise_swap: the database itself refuses what breaks their rules."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import SessionExerciseSwap, UserExerciseNote
from tests.db.test_constraints import Ids, graph  # noqa: F401 - the fixture

Factory = async_sessionmaker[AsyncSession]


def note(ids: Ids, **changes: Any) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "user_id": ids["user"], "exercise_id": ids["exercise"], "note": "x"} | changes


@pytest.mark.parametrize(
    "changes",
    [
        {"note": "x" * 501},
        {"note": ""},
        {"exercise_id": uuid.uuid4()},
        {"user_id": uuid.uuid4()},
        {"note": None},
    ],
    ids=["501 characters", "empty", "unknown exercise", "unknown user", "null"],
)
async def test_a_bad_note_is_rejected(changes: dict[str, Any], graph: Ids, session_factory: Factory) -> None:  # noqa: F811
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(insert(UserExerciseNote).values(**note(graph, **changes)))
        assert await session.scalar(select(func.count()).select_from(UserExerciseNote)) == 0


async def test_one_note_per_user_and_exercise(graph: Ids, session_factory: Factory) -> None:  # noqa: F811
    async with session_factory() as session, session.begin():
        await session.execute(insert(UserExerciseNote).values(**note(graph, note="x" * 500)))  # the limit
        await session.execute(insert(UserExerciseNote).values(**note(graph, user_id=graph["coach"])))
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(insert(UserExerciseNote).values(**note(graph, note="again")))
        assert await session.scalar(select(func.count()).select_from(UserExerciseNote)) == 2


async def test_one_swap_per_original_in_a_session(graph: Ids, session_factory: Factory) -> None:  # noqa: F811
    row = {
        "session_id": graph["session"],
        "original_instruction_id": graph["instr"],
        "replacement_instruction_id": graph["instr"],
    }
    async with session_factory() as session, session.begin():
        await session.execute(insert(SessionExerciseSwap).values(id=uuid.uuid4(), **row))
    async with session_factory() as session:
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(insert(SessionExerciseSwap).values(id=uuid.uuid4(), **row))
        with pytest.raises(IntegrityError):
            async with session.begin():
                await session.execute(
                    insert(SessionExerciseSwap).values(
                        id=uuid.uuid4(), **(row | {"session_id": uuid.uuid4()})
                    )
                )
        assert await session.scalar(select(func.count()).select_from(SessionExerciseSwap)) == 1
