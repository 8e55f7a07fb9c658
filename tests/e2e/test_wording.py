# ruff: noqa: F811 - the fixtures `clock` and `trainee` come from tests/e2e/test_workout.py
"""Counts, durations, units and labels as the trainee reads them (issue #11, item 25), end to end.

"1 of 3 sets" and "1 set" (never "(1 sets)"), durations written one way ("5 min 22 s"), no "(kg)"
after a timed set, whole history button labels, "+25lb" examples for lb users, the Epley formula at
most once per message, and a whole-number heart rate example. Each test also checks the rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import User, UserMeasurement, UserWorkoutSession
from bot.sandbox import SandboxUser
from tests.e2e.test_workout import (  # noqa: F401 - `clock` and `trainee` are fixtures
    clock,
    offer,
    sets_of,
    trainee,
)

Factory = async_sessionmaker[AsyncSession]


async def test_counts_durations_and_labels_of_a_workout(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    card = alice.last_text
    assert "Today: 60×5  (1 of 3 sets)" in card and "sets)" not in card.replace("3 sets)", "")
    await alice.press("📋 All exercises")
    assert "1. Barbell Back Squat - 1 set\n" in alice.last_text
    assert "2. Plank - 0 sets" in alice.last_text
    await alice.press("2. Plank")
    await alice.send("5 min 22 s")
    assert alice.messages[-2].text == "✅ Logged 5 min 22 s" or "✅ Logged 5 min 22 s" in alice.last_text
    assert "Today: 5 min 22 s  (1 of 2 sets)" in alice.last_text
    assert await sets_of(session_factory, sid) == [
        (1, 5, Decimal("60.00"), None, False),
        (1, None, None, 322, False),
    ]

    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("3")
    await alice.press("Skip")
    summary = alice.last_text
    assert "2 of 2 exercises · 2 sets" in summary
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.COMPLETED

    # /history: whole exercise names on the set buttons; a timed set has no weight unit
    await alice.send("/history")
    await alice.press("1. Workout A")
    labels = [label for row in alice.buttons() for label in row]
    assert "Barbell Back Squat 1: 60×5" in labels and "Plank 1: 5 min 22 s" in labels
    await alice.press("Plank 1: 5 min 22 s")
    assert alice.last_text == "Plank, set 1: 5 min 22 s"
    await alice.press("‹ Back")
    await alice.press("Barbell Back Squat 1: 60×5")
    assert alice.last_text == "Barbell Back Squat, set 1: 60×5 (kg)"
    assert len(await sets_of(session_factory, sid)) == 2  # looking changed nothing


async def test_lb_users_see_lb_examples(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    async with session_factory() as session, session.begin():
        user = await session.get(User, trainee["user_id"])
        assert user is not None
        user.weight_unit = WeightUnit.LB
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("➕ Add exercise")
    await alice.send("push-up")
    await alice.press("Push-Up")
    card = alice.last_text
    assert "+25lb x 8" in card and "kg" not in card
    await alice.send("+25lb x 8")
    rows = await sets_of(session_factory, sid)
    assert rows[-1][:3] == (1, 8, Decimal("11.34"))


async def test_heart_rate_example_is_whole(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    await alice.send("/measure")
    await alice.press("Resting heart rate")
    await alice.send("fast")
    assert "Send a number like 86 bpm," in alice.last_text
    async with session_factory() as session:
        assert list(await session.scalars(select(UserMeasurement))) == []
    await alice.send("86 bpm")
    async with session_factory() as session:
        [row] = list(await session.scalars(select(UserMeasurement)))
    assert row.measured_value == Decimal("86.000") and row.unit == "bpm"
