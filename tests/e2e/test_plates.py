"""Plates and warm-ups through the emulator: the bar, plates and warm-up mode in /settings, the 🏋️ Plates
and 🔥 Warm-up buttons of a workout (both modes, double taps, forged buttons), and /plates."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import WarmupMode, WeightUnit
from bot.db.models import (
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserLoading,
    UserPlate,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.ui.callback import pack
from tests.e2e.test_progress import NOW, register
from tests.e2e.test_workout import offer
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
D = Decimal


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def squatter(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Alice, onboarded, enrolled today: Workout A (back squat 3 x 5 @ 60 kg, plank) is planned."""
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await register(session, alice, "Alice")
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), NOW)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    yield {"user_id": user.id, "planned": planned}


async def loading_rows(factory: Factory, user_id: uuid.UUID) -> tuple[Any, list[Decimal]]:
    """(bar_weight_kg, warmup_mode) of the user's user_loading row (None: no row), and their plates."""
    async with factory() as session:
        row = await session.get(UserLoading, user_id)
        plates = (
            await session.scalars(
                select(UserPlate.weight_kg)
                .where(UserPlate.user_id == user_id)
                .order_by(UserPlate.weight_kg.desc())
            )
        ).all()
    return ((row.bar_weight_kg, row.warmup_mode) if row is not None else None), list(plates)


async def set_rows(
    factory: Factory, session_id: uuid.UUID
) -> list[tuple[int, int | None, Decimal | None, bool, str]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.set_number, UserExerciseSet.reps, UserExerciseSet.weight_kg,
                   UserExerciseSet.is_warmup, UserExerciseSet.set_type)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )  # fmt: skip
        return [(n, r, w, wu, str(t)) for n, r, w, wu, t in rows]


async def summary_of(factory: Factory, session_id: uuid.UUID) -> list[tuple[int, Decimal | None]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExercisePerformance.sets_completed, UserExercisePerformance.weight_used_kg).where(
                UserExercisePerformance.user_workout_session_id == session_id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


RAMP_60 = [(1, 10, D(20), True, "WARMUP"), (2, 5, D("22.5"), True, "WARMUP"), (3, 3, D(35), True, "WARMUP"),
           (4, 2, D("47.5"), True, "WARMUP")]  # fmt: skip
"""60 kg: the bar x 10, 24 -> 22.5 x 5, 36 -> 35 x 3, 48 -> 47.5 x 2."""


# --- /settings -------------------------------------------------------------------------------------------


async def test_bar_plates_and_warm_up_mode_in_settings(
    alice: SandboxUser, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    uid = squatter["user_id"]
    menu = (await alice.send("/settings"))[-1]
    assert "🏋️ Bar: 20 kg · plates: 25, 20, 15, 10, 5, 2.5, 1.25 kg" in menu.text
    assert "🔥 Warm-up button: shows the ramp first" in menu.text
    assert ["🏋️ Bar & plates", "🔥 Log warm-ups in one tap"] in alice.buttons()

    screen = (await alice.press("🏋️ Bar & plates"))[-1]
    assert "Bar: 20 kg (standard)" in screen.text and "(a gym's usual set)" in screen.text
    assert alice.buttons()[0] == ["✅ 20 kg", "15 kg", "10 kg"]
    screen = (await alice.press("15 kg"))[-1]
    assert screen.text.startswith("✅ Bar: 15 kg") and "Bar: 15 kg\n" in screen.text
    assert alice.buttons()[0] == ["20 kg", "✅ 15 kg", "10 kg"]
    assert await loading_rows(session_factory, uid) == ((D(15), WarmupMode.SHOW), [])

    # typed plates: bad input changes nothing; decimal commas and repeats are fine
    await alice.press("✏️ Type plates")
    assert "Type the plate sizes you have in kg" in alice.last_text
    await alice.send("twenty <b>")
    assert "I couldn't read “twenty” as a plate" in alice.last_text and "/cancel" in alice.last_text
    await alice.send("20 10 500")
    assert "A plate weighs from 0.25 kg to 50 kg - 500 kg can't be right." in alice.last_text
    assert await loading_rows(session_factory, uid) == ((D(15), WarmupMode.SHOW), [])
    screen = (await alice.send("20, 10 5 2,5 5 kg"))[-1]
    assert screen.text.startswith("✅ Plates: 20, 10, 5, 2.5 kg")
    assert await loading_rows(session_factory, uid) == (
        (D(15), WarmupMode.SHOW),
        [D(20), D(10), D(5), D("2.5")],
    )

    # a typed bar: out of range refused, then a custom one shown first among the bars
    await alice.press("✏️ Type bar weight")
    await alice.send("70")
    assert "A bar weighs from 1 kg to 60 kg - 70 kg can't be right." in alice.last_text
    screen = (await alice.send("12.5"))[-1]
    assert screen.text.startswith("✅ Bar: 12.5 kg")
    assert alice.buttons()[0] == ["✅ 12.5 kg"]
    assert (await loading_rows(session_factory, uid))[0] == (D("12.5"), WarmupMode.SHOW)
    await alice.send("60x5")  # the question is closed: no workout is in progress, so a pointer
    assert (await loading_rows(session_factory, uid))[0] == (D("12.5"), WarmupMode.SHOW)

    # the usual plates again; the warm-up mode from the settings screen
    screen = (await alice.press("↩ Usual plates"))[-1]
    assert screen.text.startswith("✅ Plates: the usual set, 25, 20, 15, 10, 5, 2.5, 1.25 kg")
    assert await loading_rows(session_factory, uid) == ((D("12.5"), WarmupMode.SHOW), [])
    await alice.press("« Back to settings")
    menu = (await alice.press("🔥 Log warm-ups in one tap"))[-1]
    assert menu.text.startswith("✅ The 🔥 Warm-up button now logs the ramp in one tap")
    assert "🔥 Warm-up button: logs the ramp in one tap" in menu.text
    assert await loading_rows(session_factory, uid) == ((D("12.5"), WarmupMode.LOG), [])

    # switching to lb: a kg bar is no lb bar - back to the usual lb ones; the mode stays
    menu = (await alice.press("⚖️ Use lb"))[-1]
    assert "Your bar and plates are the usual lb ones again" in menu.text
    assert "🏋️ Bar: 45 lb · plates: 45, 35, 25, 10, 5, 2.5 lb" in menu.text
    assert await loading_rows(session_factory, uid) == ((None, WarmupMode.LOG), [])
    screen = (await alice.press("🏋️ Bar & plates"))[-1]
    assert alice.buttons()[0] == ["✅ 45 lb", "35 lb", "15 lb"]
    await alice.press("35 lb")
    async with session_factory() as session:
        user = await session.get(User, uid)
        assert user is not None and user.weight_unit is WeightUnit.LB
    assert (await loading_rows(session_factory, uid))[0] == (D("15.88"), WarmupMode.LOG)


async def test_forged_loading_buttons_change_nothing(
    alice: SandboxUser, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    uid = squatter["user_id"]
    menu = (await alice.send("/settings"))[-1]
    for data in (
        "on:ld:bar:999999",
        "on:ld:bar:0",
        "on:ld:bar:-5",
        "on:ld:bar:2x",
        "on:ld:wu:ALL",
        "on:ld:zz",
    ):
        await alice.press_data(data, menu.message_id)
        answer = alice.callback_answers[-1].text or ""
        assert (
            answer in ("That bar isn't one I can use. Type its weight instead.",) or "doesn't work" in answer
        )
    assert await loading_rows(session_factory, uid) == (None, [])
    assert alice.messages[-1].text == menu.text  # the menu was not edited


# --- the workout's buttons -------------------------------------------------------------------------------


async def test_plates_and_a_warm_up_shown_first(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    sid = squatter["planned"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert "Barbell Back Squat" in card.text
    assert ["🏋️ Plates", "🔥 Warm-up"] in alice.buttons()

    shown = (await alice.press("🏋️ Plates"))[-1]
    assert shown.text.startswith("🏋️ 60 kg on a 20 kg bar: 20 kg a side\n\n🏋️ Workout A · exercise 1 of 2")
    assert await set_rows(session_factory, sid) == []

    ramp = (await alice.press("🔥 Warm-up"))[-1]
    assert ramp.text.splitlines()[:5] == [
        "🔥 Warm-up for Barbell Back Squat · working weight 60 kg",
        "1. 20 kg × 10 (bar)",
        "2. 22.5 kg × 5 (40%) - 1.25 kg a side",
        "3. 35 kg × 3 (60%) - 5 + 2.5 kg a side",
        "4. 47.5 kg × 2 (80%) - 10 + 2.5 + 1.25 kg a side",
    ]
    assert alice.buttons() == [["🔥 Log warm-up", "↩ Back"]]
    assert await set_rows(session_factory, sid) == []  # shown, not logged

    logged = (await alice.press("🔥 Log warm-up"))[-1]
    assert logged.text.startswith("🔥 Warm-up logged (kg): w 20×10, w 22.5×5, w 35×3, w 47.5×2")
    assert "Today: w 20×10 · w 22.5×5 · w 35×3 · w 47.5×2  (0 of 3 sets)" in logged.text
    assert "New record" not in logged.text
    assert await set_rows(session_factory, sid) == RAMP_60
    assert await summary_of(session_factory, sid) == [(0, None)]  # warm-ups are no working sets
    assert ["🏋️ Plates"] in alice.buttons()  # no second Warm-up once sets are logged
    assert "✓ 60×5" in alice.buttons()[0][0]

    # a double tap of the ramp's button, and of the first Warm-up button (the card was edited since,
    # so they are pressed as they were): logged once
    for data in (pack("wk", "wul", sid, 0, 0), pack("wk", "wu", sid, 0, 0)):
        await alice.press_data(data, card.message_id)
        assert alice.callback_answers[-1].text == "Already logged ✔"
    assert await set_rows(session_factory, sid) == RAMP_60

    # the working sets follow; the summary counts only them
    await alice.send("60x5")
    assert await summary_of(session_factory, sid) == [(1, D(60))]

    # someone else's session, a forged index, garbage: nothing happens
    mallory: SandboxUser = make_user("Mallory")
    decoy = await bot_app.bot.send_message(mallory.chat_id, "decoy")
    for data in (pack("wk", "plt", sid, 0), pack("wk", "wu", sid, 0, 0), pack("wk", "wul", sid, 0, 0)):
        await mallory.press_data(data, decoy.message_id)
        assert mallory.callback_answers[-1].text == "That workout isn't available."
    before = len(alice.messages)
    for data in (
        pack("wk", "wul", sid, 9, 0),
        pack("wk", "plt", sid, 9),
        "wk:wu:" + "A" * 22 + ":0:0",
        "wk:wul:zz",
    ):
        await alice.press_data(data, card.message_id)
    assert len(alice.messages) == before
    assert await set_rows(session_factory, sid) == [*RAMP_60, (5, 5, D(60), False, "WORKING")]
    # the plank (no weight) has neither button; a forged one is refused
    await alice.press_data(pack("wk", "wu", sid, 1, 0), card.message_id)
    assert alice.callback_answers[-1].text == "A warm-up ramp is for exercises done with a weight."
    await alice.press_data(pack("wk", "plt", sid, 1), card.message_id)
    assert "Plates are for barbell exercises" in (alice.callback_answers[-1].text or "")


async def test_warm_up_in_one_tap_and_in_lb(
    alice: SandboxUser, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    sid, uid = squatter["planned"], squatter["user_id"]
    async with session_factory() as session, session.begin():
        user = await session.get(User, uid)
        assert user is not None
        user.weight_unit = WeightUnit.LB
        session.add(UserLoading(user_id=uid, warmup_mode=WarmupMode.LOG))
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert "Target: 3 × 5 @ 130 lb" in card.text  # 60 kg, as a lb trainee loads it

    shown = (await alice.press("🏋️ Plates"))[-1]
    assert shown.text.startswith("🏋️ 130 lb on a 45 lb bar: 35 + 5 + 2.5 lb a side")

    logged = (await alice.press("🔥 Warm-up"))[-1]
    # 130 lb: the bar x 10, 52 -> 50 x 5, 78 -> 75 x 3, 104 -> 100 x 2
    assert logged.text.startswith("🔥 Warm-up logged (lb): w 45×10, w 50×5, w 75×3, w 100×2")
    assert alice.callback_answers[-1].text == "🔥 Warm-up logged"
    await alice.press_data(pack("wk", "wu", sid, 0, 0), card.message_id)  # the double tap
    assert alice.callback_answers[-1].text == "Already logged ✔"
    rows = await set_rows(session_factory, sid)
    assert [(n, r, w, t) for n, r, w, _, t in rows] == [
        (1, 10, D("20.41"), "WARMUP"),
        (2, 5, D("22.68"), "WARMUP"),
        (3, 3, D("34.02"), "WARMUP"),
        (4, 2, D("45.36"), "WARMUP"),
    ]


async def test_warm_up_needs_a_weight_heavier_than_the_bar(
    alice: SandboxUser, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    sid, uid = squatter["planned"], squatter["user_id"]
    async with session_factory() as session, session.begin():
        session.add(UserLoading(user_id=uid, bar_weight_kg=D(60), warmup_mode=WarmupMode.LOG))
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    shown = (await alice.press("🏋️ Plates"))[-1]
    assert shown.text.startswith("🏋️ 60 kg on a 60 kg bar: the empty bar")
    await alice.press("🔥 Warm-up")
    assert alice.callback_answers[-1].text == (
        "Your working weight is no heavier than the bar: there is nothing lighter to warm up with."
    )
    assert await set_rows(session_factory, sid) == []


# --- /plates ---------------------------------------------------------------------------------------------


async def test_plates_command(
    alice: SandboxUser, bot_app: BotApplication, squatter: Any, session_factory: Factory
) -> None:
    uid = squatter["user_id"]
    assert (await alice.send("/plates 102.5"))[
        -1
    ].text == "🏋️ 102.5 kg on a 20 kg bar: 25 + 15 + 1.25 kg a side"
    assert (await alice.send("/plates 140kg"))[-1].text == "🏋️ 140 kg on a 20 kg bar: 25 + 25 + 10 kg a side"
    reply = (await alice.send("/plates 225lb"))[-1].text  # 102.06 kg: not with kg plates
    assert reply == (
        "🏋️ 102.06 kg on a 20 kg bar: your plates can't make it exactly.\n"
        "Nearest below: 100 kg = 25 + 15 kg a side (2.06 kg short). Your plates: /settings"
    )
    assert (await alice.send("/plates 20"))[-1].text == "🏋️ 20 kg on a 20 kg bar: the empty bar"
    assert "less than the bar itself" in (await alice.send("/plates 15"))[-1].text
    reply = (await alice.send("/plates <lots>"))[-1].text
    assert reply.startswith("⚠️ I couldn't read “<lots>” as a weight.") and reply.endswith("/plates 102.5")
    assert "too heavy" in (await alice.send("/plates 5000"))[-1].text
    usage = (await alice.send("/plates"))[-1].text
    assert (
        usage.startswith("🏋️ Send a weight")
        and "Your bar: 20 kg · plates: 25, 20, 15, 10, 5, 2.5, 1.25 kg" in usage
    )

    # with the trainee's own bar and plates, in lb
    async with session_factory() as session, session.begin():
        user = await session.get(User, uid)
        assert user is not None
        user.weight_unit = WeightUnit.LB
        session.add(UserLoading(user_id=uid, bar_weight_kg=D("15.88")))  # 35 lb
        session.add_all(UserPlate(user_id=uid, weight_kg=w) for w in (D("20.41"), D("4.54"), D("2.27")))
    assert (await alice.send("/plates 135"))[-1].text == "🏋️ 135 lb on a 35 lb bar: 45 + 5 lb a side"
    assert (await alice.send("/plates 225"))[-1].text == "🏋️ 225 lb on a 35 lb bar: 45 + 45 + 5 lb a side"
    assert await loading_rows(session_factory, uid) == (
        (D("15.88"), WarmupMode.SHOW),
        [D("20.41"), D("4.54"), D("2.27")],
    )
    help_text = (await alice.send("/help"))[-1].text
    assert "/plates - Plates for each side of the bar: /plates 100" in help_text
