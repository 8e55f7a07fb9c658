"""Exercises of one's own through the emulator: /exercises, /exercise new, "Create exercise" under an
unknown name in a quick workout, unique names, and other users never seeing them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import TrackingType
from bot.db.models import Exercise, UserWorkoutSession
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from tests.e2e.test_quick_workout import logged
from tests.factories import seed_catalog

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def catalog(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[None]:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
    yield None


async def own_exercises(
    factory: async_sessionmaker[AsyncSession],
) -> list[tuple[str, str, str, TrackingType, Any]]:
    async with factory() as session:
        rows = await session.execute(
            select(Exercise.name, Exercise.muscle_group, Exercise.equipment, Exercise.tracking_type,
                   Exercise.owner_id)
            .where(Exercise.owner_id.is_not(None))
            .order_by(Exercise.created_at)
        )  # fmt: skip
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def create(user: SandboxUser, name: str, group: str, equipment: str, tracking: str) -> str:
    await user.send(f"/exercise new {name}")
    await user.press(group)
    await user.press(equipment)
    return (await user.press(tracking))[-1].text


async def test_create_list_and_unique_names(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    catalog: None,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    question = (await alice.send("/exercise new  Cable   fly 2"))[-1]
    assert "New exercise Cable fly 2: which muscle group" in question.text
    assert question.buttons[0] == ["Chest", "Back", "Shoulders"]
    await alice.press("Chest")
    assert "what equipment" in alice.last_text
    await alice.press("Cable")
    assert "how do you log it?" in alice.last_text
    done = (await alice.press("Weight × reps"))[-1]
    assert done.text.startswith("✅ Created Cable fly 2 (Chest, Cable, weight × reps). Only you see it.")
    rows = await own_exercises(session_factory)
    assert [r[:4] for r in rows] == [("Cable fly 2", "chest", "cable", TrackingType.WEIGHT_REPS)]
    alice_id = rows[0][4]

    listing = (await alice.send("/exercises"))[-1]
    assert "Chest: Barbell Bench Press" in listing.text
    assert "Your own\n• Cable fly 2 (Chest, weight × reps)" in listing.text

    for taken, reason in (
        ("CABLE FLY 2", "There is already an exercise called “Cable fly 2”"),
        ("barbell bench press", "There is already an exercise called “Barbell Bench Press”"),
        ("x" * 101, "101 characters long: 100 at most"),
        ("", "/exercise new"),
    ):
        reply = (await alice.send(f"/exercise new {taken}"))[-1]
        assert reason in reply.text, reply.text
    assert len(await own_exercises(session_factory)) == 1

    bob = make_user("Bob")
    assert "Cable fly 2" not in (await bob.send("/exercises"))[-1].text
    await create(bob, "cable FLY 2", "Chest", "Cable", "Reps")  # another user: the same name is fine
    rows = await own_exercises(session_factory)
    assert len(rows) == 2 and rows[1][4] != alice_id

    # Bob's exercise is not Alice's to log: her "cable fly 2" is her own
    await alice.send("/log")
    await alice.send("cable fly 2 20x12")
    async with session_factory() as session:
        sid = await session.scalar(select(UserWorkoutSession.id))
    assert sid is not None
    assert await logged(session_factory, sid) == [("Cable fly 2", 12, Decimal("20.00"), None, True)]
    # a forged button for Bob's exercise changes nothing
    async with session_factory() as session:
        bobs = await session.scalar(
            select(Exercise.id).where(Exercise.owner_id.is_not(None), Exercise.owner_id != alice_id)
        )
    assert bobs is not None
    from bot.ui.callback import pack

    await alice.send("leg 50x10")
    await alice.press_data(pack("wk", "pick", sid, bobs), alice.messages[-1].message_id)
    assert (
        alice.callback_answers[-1].text == "That workout isn't available."
        or "not" in alice.callback_answers[-1].text
    )
    assert len(await logged(session_factory, sid)) == 1


async def test_unknown_name_creates_the_exercise_and_logs_the_set(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    catalog: None,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await alice.send("/log")
    unknown = (await alice.send("tire flip 100x20"))[-1]
    assert "I don't know an exercise called “tire flip”" in unknown.text
    assert unknown.buttons == [["➕ Create exercise"]]
    close = (await alice.send("sled push 100x20"))[-1]  # close to catalog names: those, or create it
    assert "Which exercise did you mean by “sled push”?" in close.text
    assert close.buttons[-1] == ["➕ Create exercise"] and len(close.buttons) >= 2
    await alice.press("➕ Create exercise")
    await alice.press("Quads")
    await alice.press("Other")
    replies = await alice.press("Weight × reps")
    assert any(r.text.startswith("✅ Created sled push (Quads, Other") for r in replies)
    assert "Logged 100×20" in alice.last_text
    async with session_factory() as session:
        sid = await session.scalar(select(UserWorkoutSession.id))
    assert sid is not None
    assert await logged(session_factory, sid) == [("sled push", 20, Decimal("100.00"), None, True)]
    await alice.send("sled pushh 110x20")  # a typo of her own exercise
    assert len(await logged(session_factory, sid)) == 2

    bob = make_user("Bob")
    await bob.send("/log")
    reply = (await bob.send("sled push 100x20"))[-1]
    assert "sled push" not in [label for (label,) in reply.buttons]  # Alice's exercise is hers alone
    assert "Which exercise did you mean" in reply.text
    await bob.send("/exercise new")
    assert "Give the exercise a name" in bob.last_text
    await bob.send("/exercise")
    assert "Send /exercise new NAME" in bob.last_text
    assert [row[0] for row in await own_exercises(session_factory)] == ["sled push"]
