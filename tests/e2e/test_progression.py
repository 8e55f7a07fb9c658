"""Progression through the emulator: a program with rules, workouts finished, the targets that follow."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import Role, TargetReason, WeightUnit
from bot.db.models import (
    CoachTrainee,
    Exercise,
    TraineeTarget,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services.program_format import parse_program
from bot.services.seed import ensure_system_user, import_program
from bot.services.users import TelegramProfile, register_user
from bot.ui.callback import pack
from tests.factories import program_named, seed_catalog

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

LINEAR_PROGRAM = """
name: Squat Every Day
description: One lift, every day, a little more each time.
difficulty: beginner
visibility: PUBLIC
categories: [strength]
schedule: {length_days: 6, rest_days_per_week: 0}
workouts:
  a:
    name: Squat Day
    exercises:
      - exercise: back-squat
        sets: 3
        reps: 5
        weight_kg: 60
        rest: 120
        progression: {rule: linear, increment_kg: 2.5, deload_after: 2, deload_percent: 10}
      - exercise: dumbbell-row
        sets: 2
        reps: 8-12
        weight_kg: 20
        progression: {rule: double, increment_kg: 2}
cycle: [[a]]
"""


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


async def _trainee(
    factory: async_sessionmaker[AsyncSession],
    user: SandboxUser,
    name: str,
    unit: WeightUnit = WeightUnit.KG,
    *,
    seed: bool = True,
) -> uuid.UUID:
    async with factory() as session, session.begin():
        if seed:
            await seed_catalog(session)
            owner = await ensure_system_user(session)
            program = await import_program(session, parse_program(LINEAR_PROGRAM), owner=owner)
        else:
            program = await program_named(session, "Squat Every Day")
        registered = (
            await register_user(
                session,
                TelegramProfile(telegram_id=user.user_id, chat_id=user.chat_id, first_name=name),
                default_timezone="Europe/Berlin",
            )
        ).user
        registered.onboarded_at = MONDAY
        registered.weight_unit = unit
        await enrollments.enroll(session, registered, program.id, date(2026, 3, 2), MONDAY)
        return registered.id


@pytest.fixture
async def trainee(
    alice: SandboxUser, session_factory: async_sessionmaker[AsyncSession]
) -> AsyncIterator[uuid.UUID]:
    yield await _trainee(session_factory, alice, "Alice")


async def squat_target(factory: async_sessionmaker[AsyncSession], user_id: uuid.UUID) -> TraineeTarget:
    async with factory() as session:
        row = await session.scalar(
            select(TraineeTarget)
            .join(Exercise, Exercise.id == TraineeTarget.exercise_id)
            .where(TraineeTarget.user_id == user_id, Exercise.code == "back-squat")
        )
        assert row is not None
        return row


async def workout(alice: SandboxUser, clock: Clock, day: int, squats: list[str], rows: list[str]) -> str:
    """Do day `day`'s workout: the squat sets, then the rows, then finish; the summary's text."""
    clock.now = MONDAY + timedelta(days=day - 1)
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    for typed in squats:
        await alice.send(typed)
    await alice.press("Next ▶")
    await alice.press("Skip rating")
    for typed in rows:
        await alice.send(typed)
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    clock.now += timedelta(minutes=40)
    summary = (await alice.press("Skip"))[-1].text
    assert "Workout complete" in summary, card.text
    return summary


async def test_a_linear_rule_raises_the_target_and_deloads_after_two_misses(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 60 kg (the program's starting weight) · rest 2 min" in card.text
    assert card.buttons[0][0] == "✓ 60×5"
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind) == (Decimal("60.00"), TargetReason.PROGRAM)

    for _ in range(3):
        await alice.press("✓ 60×5")
    await alice.press("Next ▶")
    await alice.press("Skip rating")
    await alice.send("20x10, 20x9")
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    summary = (await alice.press("Skip"))[-1].text
    assert "📈 Next time:" in summary
    assert "<b>Barbell Back Squat</b>: 62.5 kg (+2.5 kg)" in alice.messages[-1].html
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.reason_amount_kg) == (
        Decimal("62.50"),
        TargetReason.INCREASE,
        Decimal("2.50"),
    )
    assert target.reason_on == date(2026, 3, 2) and target.fail_streak == 0

    # Tuesday: the card shows the new target and why; the ✓ button logs it.
    clock.now = MONDAY + timedelta(days=1)
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 62.5 kg (+2.5 kg: all sets done yesterday) · rest 2 min" in card.text
    assert card.buttons[0][0] == "✓ 62.5×5"
    # The rows climbed: 10 and 9 reps reached the bottom (8) -> 10 reps next (9 + 1).
    await alice.send("62.5x5, 62.5x5, 62.5x4")  # missed the last rep
    await alice.press("Next ▶")
    await alice.press("Skip rating")
    rows = (await alice.send("20x10"))[-1].text
    assert "Target: 2 × 10 @ 20 kg (+2 reps: all sets done yesterday; range 8-12)" in rows
    await alice.send("20x10")
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    await alice.press("Skip")
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.fail_streak) == (
        Decimal("62.50"),
        TargetReason.HOLD,
        1,
    )

    summary = await workout(alice, clock, 3, ["62.5x5x2", "62.5x3"], ["20x10", "20x10"])
    assert "62.5 kg (same again)" not in summary  # missed twice: the deload
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.reason_percent, target.fail_streak) == (
        Decimal("55.00"),  # 62.5 - 10% = 56.25, to the nearest loadable (a half goes lighter)
        TargetReason.DELOAD,
        Decimal("10.00"),
        0,
    )
    clock.now = MONDAY + timedelta(days=3)
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 55 kg (deload -10%: missed twice) · rest 2 min" in card.text


async def test_a_lb_trainee_sees_targets_in_plate_friendly_lb(
    make_user: Any,
    bot_app: BotApplication,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    bob: SandboxUser = make_user("Bob", username="bob")
    user_id = await _trainee(session_factory, bob, "Bob", WeightUnit.LB)
    today = (await bob.send("/today"))[-1]
    card = (await bob.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 130 lb (the program's starting weight)" in card.text  # 60 kg = 132.3 lb
    for _ in range(3):
        await bob.press("✓ 130×5")
    await bob.press("🏁 Finish")
    await bob.press("7")
    await bob.press("2")
    await bob.press("Skip")
    target = await squat_target(session_factory, user_id)
    assert target.weight_kg == Decimal("61.23")  # 135 lb
    assert "<b>Barbell Back Squat</b>: 135 lb (+5 lb)" in bob.messages[-1].html
    async with session_factory() as session:
        user = await session.get(User, user_id)
        assert user is not None and user.weight_unit == WeightUnit.LB


PERCENT_PROGRAM = """
name: Bench Waves
description: Bench at a percentage of the training max.
difficulty: intermediate
visibility: PUBLIC
categories: [strength]
schedule: {length_days: 2, rest_days_per_week: 0}
workouts:
  a:
    name: Bench Day
    exercises:
      - exercise: bench-press
        sets: 3
        reps: 5
        progression: {rule: percent, percent: 85, training_max_percent: 90}
cycle: [[a]]
"""


async def test_tm_sets_the_training_max_a_percent_rule_works_from(
    alice: SandboxUser,
    bot_app: BotApplication,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        owner = await ensure_system_user(session)
        program = await import_program(session, parse_program(PERCENT_PROGRAM), owner=owner)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = MONDAY
        await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        user_id = user.id

    listed = (await alice.send("/tm"))[-1].text
    assert "You have set no training max yet" in listed and "/tm squat 140" in listed
    card = (await alice.press("▶️ Start Bench Day", message=(await alice.send("/today"))[-1]))[-1]
    assert "No training max yet: send /tm barbell bench press 100" in card.text
    await alice.send("/workout")

    # Bad input changes nothing and says how.
    assert "like “squat 140”" in (await alice.send("/tm bench"))[-1].text
    assert "I don't know the exercise “zzzz”" in (await alice.send("/tm zzzz 100"))[-1].text
    assert "at most 1000 kg" in (await alice.send("/tm bench 5000"))[-1].text
    async with session_factory() as session:
        assert (await session.scalar(select(TraineeTarget).where(TraineeTarget.user_id == user_id))) is None

    done = (await alice.send("/tm bench press 100"))[-1].text
    assert "Training max for Barbell Bench Press: 100 kg" in done
    async with session_factory() as session:
        row = await session.scalar(select(TraineeTarget).where(TraineeTarget.user_id == user_id))
        assert row is not None and row.training_max_kg == Decimal("100.00") and row.set_by is None
    listed = (await alice.send("/tm"))[-1].text
    assert "Barbell Bench Press: 100 kg" in listed

    card = (await alice.send("/workout"))[-1]
    # 85% of 100 = 85 kg, a multiple of 2.5 already
    assert "Target: 3 × 5 @ 85 kg (85% of your training max 100 kg)" in card.text
    assert card.buttons[0][0] == "✓ 85×5"


async def test_without_a_training_max_the_estimated_1rm_sets_it(
    alice: SandboxUser,
    bot_app: BotApplication,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        owner = await ensure_system_user(session)
        program = await import_program(session, parse_program(PERCENT_PROGRAM), owner=owner)
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=alice.user_id, chat_id=alice.chat_id, first_name="Alice"),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.onboarded_at = MONDAY
        await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        user_id = user.id
    await alice.press("▶️ Start Bench Day", message=(await alice.send("/today"))[-1])
    await alice.send("80x5x3")  # e1RM 80 x (1 + 5/30) = 93.33
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("2")
    summary = (await alice.press("Skip"))[-1].text
    assert "Barbell Bench Press: training max 84 kg" in summary  # 90% of 93.33
    async with session_factory() as session:
        row = await session.scalar(select(TraineeTarget).where(TraineeTarget.user_id == user_id))
        assert row is not None and row.e1rm_kg == Decimal("93.33") and row.training_max_kg is None
    clock.now = MONDAY + timedelta(days=1)
    card = (await alice.press("▶️ Start Bench Day", message=(await alice.send("/today"))[-1]))[-1]
    # 85% of 84 = 71.4 -> 72.5 kg (nearest 2.5)
    assert "Target: 3 × 5 @ 72.5 kg (85% of training max 84 kg)" in card.text


async def coach_of_alice(
    session_factory: async_sessionmaker[AsyncSession],
    trainee: uuid.UUID,
    coach: SandboxUser,
    other: SandboxUser,
) -> uuid.UUID:
    """Register Cole (`coach`, Alice's coach) and Olga (`other`, a coach of nobody); Alice gets a username.
    Cole's user id."""
    async with session_factory() as session, session.begin():
        ids = []
        for person, name in ((coach, "Cole"), (other, "Olga")):
            registered = (
                await register_user(
                    session,
                    TelegramProfile(
                        telegram_id=person.user_id,
                        chat_id=person.chat_id,
                        first_name=name,
                        username=name.lower(),
                    ),
                    default_timezone="UTC",
                )
            ).user
            registered.onboarded_at = MONDAY
            registered.role = Role.COACH
            ids.append(registered.id)
        alice_row = await session.get(User, trainee)
        assert alice_row is not None
        alice_row.username = "alice"
        session.add(CoachTrainee(coach_id=ids[0], trainee_id=trainee))
    return ids[0]


async def test_a_coach_sets_a_target_and_the_trainee_is_told(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    coach: SandboxUser = make_user("Cole", username="cole")
    stranger: SandboxUser = make_user("Olga", username="olga")
    coach_id = await coach_of_alice(session_factory, trainee, coach, stranger)

    # Not her coach: nothing changes.
    refused = (await stranger.send("/target alice squat 100"))[-1].text
    assert "Target for" not in refused
    assert (await squat_target_or_none(session_factory, trainee)) is None
    # A trainee may not.
    assert "Only coaches" in (await alice.send("/target alice squat 100"))[-1].text

    assert "/target NAME" not in (await coach.send("/target alice"))[-1].text  # usage, with an example
    card = (await coach.send("/trainee alice"))[-1].text
    assert "🎯 Targets: none yet" in card and "/target @alice squat 100" in card

    done = (await coach.send("/target alice squat 102.5"))[-1].text
    assert "Target for Alice on Barbell Back Squat: 102.5 kg. They were told." in done
    told = alice.messages[-1].text
    assert "Your coach Cole set your target on Barbell Back Squat: 102.5 kg." in told
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.set_by) == (
        Decimal("102.50"),
        TargetReason.COACH,
        coach_id,
    )
    card = (await coach.send("/trainee alice"))[-1].text
    assert "Barbell Back Squat: 102.5 kg (set by a coach today)" in card

    # The trainee's workout prescribes it, and the rules go on from it.
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 102.5 kg (set by your coach today) · rest 2 min" in card.text
    assert card.buttons[0][0] == "✓ 102.5×5"


async def squat_target_or_none(factory: async_sessionmaker[AsyncSession], user_id: uuid.UUID) -> object:
    async with factory() as session:
        return await session.scalar(select(TraineeTarget).where(TraineeTarget.user_id == user_id))


async def test_targets_round_to_the_trainees_bar_and_plates(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    """A 15 kg bar and no 1.25 kg plates: the squat climbs 5 kg at a time (62.5 cannot be loaded, and an
    increase moves at least one loadable step); the card, the ✓ button, Plates and Warm-up all use it."""
    await alice.send("/settings")
    await alice.press("🏋️ Bar & plates")
    await alice.press("15 kg")
    await alice.press("✏️ Type plates")
    assert (await alice.send("25 20 15 10 5 2.5"))[-1].text.startswith("✅ Plates: 25, 20, 15, 10, 5, 2.5 kg")

    summary = await workout(alice, clock, 1, ["60x5x3"], ["20x12, 20x12"])
    assert "<b>Barbell Back Squat</b>: 65 kg (+5 kg)" in alice.messages[-1].html, summary
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.reason_amount_kg) == (
        Decimal("65.00"),
        TargetReason.INCREASE,
        Decimal("5.00"),
    )

    clock.now = MONDAY + timedelta(days=1)
    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Squat Day", message=today))[-1]
    assert "Target: 3 × 5 @ 65 kg (+5 kg: all sets done yesterday) · rest 2 min" in card.text
    assert card.buttons[0][0] == "✓ 65×5"
    shown = (await alice.press("🏋️ Plates"))[-1]
    assert shown.text.startswith("🏋️ 65 kg on a 15 kg bar: 25 kg a side")
    ramp = (await alice.press("🔥 Warm-up"))[-1]
    assert ramp.text.startswith("🔥 Warm-up for Barbell Back Squat · working weight 65 kg"), ramp.text
    assert "1. 15 kg × 10 (bar)" in ramp.text and "1.25" not in ramp.text
    await alice.press("↩ Back")
    await alice.press("✓ 65×5")
    async with session_factory() as session:
        logged = await session.scalars(
            select(UserExerciseSet.weight_kg)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(
                UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id
            )
            .where(UserWorkoutSession.user_id == trainee, UserWorkoutSession.completed_at.is_(None))
        )
        assert list(logged) == [Decimal("65.00")]

    # the row (dumbbells): 2.5 kg steps - 20 + 2 kg is 22.5, not 22
    async with session_factory() as session:
        row_target = await session.scalar(
            select(TraineeTarget.weight_kg)
            .join(Exercise, Exercise.id == TraineeTarget.exercise_id)
            .where(TraineeTarget.user_id == trainee, Exercise.code == "dumbbell-row")
        )
    assert row_target == Decimal("22.50")


async def test_a_coach_sets_a_target_with_the_trainee_card_buttons(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    trainee: uuid.UUID,
    clock: Clock,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    coach: SandboxUser = make_user("Cole", username="cole")
    other: SandboxUser = make_user("Olga", username="olga")
    coach_id = await coach_of_alice(session_factory, trainee, coach, other)
    async with session_factory() as session:
        squat_id = await session.scalar(select(Exercise.id).where(Exercise.code == "back-squat"))
        assert squat_id is not None
    await workout(alice, clock, 1, ["60x5x3"], ["20x12, 20x12"])  # squat 62.5 kg next

    card = (await coach.send("/trainee alice"))[-1]
    assert ["🎯 Barbell Back Squat", "🎯 One-Arm Dumbbell Row"] in card.buttons
    prompt = (await coach.press("🎯 Barbell Back Squat", message=card))[-1]
    assert "New target for Alice on Barbell Back Squat? Now: 62.5 kg." in prompt.text
    assert "like 100 or 102.5" in prompt.text

    # bad weights: a reason and an example, nothing changed
    for typed, reason in (("lots", "like 100 or 102.5"), ("2000", "1000"), ("💪", "like 100 or 102.5")):
        refused = (await coach.send(typed))[-1].text
        assert reason in refused and "Nothing was changed" in refused, refused
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.set_by) == (
        Decimal("62.50"),
        TargetReason.INCREASE,
        None,
    )

    done = (await coach.send("70"))[-1]
    assert "Target for Alice on Barbell Back Squat: 70 kg. They were told." in done.text
    assert "Barbell Back Squat</b>: 70 kg (set by a coach today)" in done.html
    assert "Your coach Cole set your target on Barbell Back Squat: 70 kg." in alice.messages[-1].text
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.set_by) == (
        Decimal("70.00"),
        TargetReason.COACH,
        coach_id,
    )
    await coach.send("72.5")  # the prompt is closed: not a target any more
    assert (await squat_target(session_factory, trainee)).weight_kg == Decimal("70.00")

    # forged buttons: another coach, a trainee, garbage - refused, nothing changed
    decoy = await bot_app.bot.send_message(other.chat_id, "decoy")
    await other.press_data(pack("tg", "s", trainee, squat_id), decoy.message_id)
    assert other.callback_answers[-1].text, "refused with a reason"
    assert "New target" not in other.last_text
    decoy = await bot_app.bot.send_message(alice.chat_id, "decoy")
    await alice.press_data(pack("tg", "s", trainee, squat_id), decoy.message_id)
    assert "coach" in (alice.callback_answers[-1].text or "").lower()
    assert "New target" not in alice.last_text
    await coach.press_data("tg:s:nonsense:x", card.message_id)
    assert coach.callback_answers[-1].text == "This button is no longer valid."
    assert (await squat_target(session_factory, trainee)).weight_kg == Decimal("70.00")

    # the rules go on from the coach's weight, and keep who set it
    await workout(alice, clock, 2, ["70x5x3"], ["20x12, 20x12"])
    target = await squat_target(session_factory, trainee)
    assert (target.weight_kg, target.reason_kind, target.set_by) == (
        Decimal("72.50"),
        TargetReason.INCREASE,
        coach_id,
    )
