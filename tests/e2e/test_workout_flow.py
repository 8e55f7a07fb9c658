"""The workout conversation's rough edges (issue #11): one message per set, the rest ping, /workout and
the open question, finishing with nothing logged, the exercise rating, "did you mean ...?", last time's
values, lb users, and a reply to every message. Each test checks what the trainee saw and the rows."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import SessionStatus, WeightUnit
from bot.db.models import (
    ExerciseInstruction,
    ProgramDaySession,
    User,
    UserExercisePerformance,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import workouts
from bot.services.set_input import SetInput
from tests.e2e import test_workout as base
from tests.e2e.test_workout import MONDAY, offer, sets_of

Factory = async_sessionmaker[AsyncSession]
clock = base.clock  # Monday 2 March 2026, 09:00 UTC
trainee = base.trainee  # Alice (kg), enrolled in the mini program: day 1 is Workout A


async def history(factory: Factory, user_id: uuid.UUID, session_id: uuid.UUID, *sets: SetInput) -> None:
    """A squat workout done two days ago (another session of Workout A, outside the program)."""
    async with factory() as session, session.begin():
        user = await session.get(User, user_id)
        planned = await session.get(UserWorkoutSession, session_id)
        assert user is not None and planned is not None
        past = UserWorkoutSession(
            user_id=user.id,
            workout_id=planned.workout_id,
            session_status=SessionStatus.PLANNED,
            created_by=user.id,
        )
        session.add(past)
        await session.flush()
        when = MONDAY - timedelta(days=2)
        await workouts.start_session(session, user, past.id, when)
        await workouts.log_sets(session, user, past.id, 0, list(sets))
        await workouts.finish_session(
            session, user, past.id, when + timedelta(hours=1), effort=None, soreness=None, notes=None
        )


async def row(factory: Factory, session_id: uuid.UUID) -> UserWorkoutSession:
    async with factory() as session:
        found = await session.get(UserWorkoutSession, session_id)
        assert found is not None
        return found


async def current_day(factory: Factory, enrollment_id: uuid.UUID) -> int:
    async with factory() as session:
        enrollment = await session.get(UserProgramEnrollment, enrollment_id)
        assert enrollment is not None
        return enrollment.current_day


async def test_one_message_per_set_and_the_rest_ping(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    replies = await alice.send("60x5")
    assert len(replies) == 1  # one message: the notice on top of the new card, the chat's last
    assert replies[0].text.startswith("✅ Logged 60×5\n\n🏋️ Workout A · exercise 1 of 2")
    assert alice.last_reply is not None and alice.last_reply.message_id == replies[0].message_id
    # the previous card keeps its keyboard, and its buttons still work (they carry their ids)
    assert alice.buttons(card)[1] == ["Next ▶"]
    stale = await alice.press("✓ 60×5", message=card)
    assert stale == [] and alice.callback_answers[-1].text == "Already logged ✔"
    moved = (await alice.press("📋 All exercises", message=card))[-1]  # an old card's button works
    assert moved.message_id == card.message_id and "exercises" in moved.text
    await alice.press("1. Barbell Back Squat", message=moved)
    pressed = await alice.press("✓ 60×5", message=replies[0])  # edited in place, no new message
    assert [m.message_id for m in pressed] == [replies[0].message_id]
    assert len(await sets_of(session_factory, sid)) == 2

    assert bot_app.job_queue is not None
    (job,) = bot_app.job_queue.get_jobs_by_name(f"rest:{alice.chat_id}")
    await job.run(bot_app)
    assert "time for set 3 of Barbell Back Squat" in alice.last_text
    await alice.send("60x5")  # the last prescribed set: the ping names the next exercise
    (job,) = bot_app.job_queue.get_jobs_by_name(f"rest:{alice.chat_id}")
    await job.run(bot_app)
    assert alice.last_text == "⏱ Rest is over - next up: Plank."
    assert "set 4" not in alice.last_text
    await alice.press("Next ▶")
    await alice.press("Skip rating")
    await alice.send("45s, 45s")  # the plank's two sets: nothing is left
    (job,) = bot_app.job_queue.get_jobs_by_name(f"rest:{alice.chat_id}")
    await job.run(bot_app)
    assert "that was the last set of the workout" in alice.last_text
    assert [(r, d) for _, r, _, d, _ in await sets_of(session_factory, sid)] == [
        (5, None),
        (5, None),
        (5, None),
        (None, 45),
        (None, 45),
    ]


async def test_finish_with_nothing_logged_asks_first(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: Factory,
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    question = (await alice.press("🏁 Finish"))[-1]
    assert "Nothing logged yet" in question.text
    assert question.buttons == [["🏁 Finish anyway", "🗑 Discard"], ["↩ Keep going"]]
    back = (await alice.press("↩ Keep going"))[-1]
    assert "Barbell Back Squat" in back.text
    await alice.press("🏁 Finish")
    discarded = (await alice.press("🗑 Discard"))[-1]
    assert "Discarded" in discarded.text and "stays on today's plan" in discarded.text
    assert (await row(session_factory, sid)).session_status == SessionStatus.CANCELLED
    assert await current_day(session_factory, trainee["enrollment_id"]) == 1  # the day did not advance

    today = (await alice.send("/today"))[-1]
    assert "day 1 of 4" in today.text
    await alice.press("▶️ Start Workout A", message=today)
    await alice.press("🏁 Finish")
    assert "How hard was the whole workout" in (await alice.press("🏁 Finish anyway"))[-1].text
    await alice.press("5")
    await alice.press("2")
    clock.now = MONDAY + timedelta(minutes=5)
    summary = (await alice.press("Skip"))[-1]
    assert "Workout complete" in summary.text and "Day 2 is next" in summary.text
    assert await current_day(session_factory, trainee["enrollment_id"]) == 2
    async with session_factory() as session:
        statuses = await session.scalars(
            select(UserWorkoutSession.session_status)
            .where(UserWorkoutSession.program_enrollment_id == trainee["enrollment_id"])
            .order_by(UserWorkoutSession.created_at)
        )
        assert list(statuses) == [SessionStatus.CANCELLED, SessionStatus.COMPLETED]


async def test_workout_command_returns_to_the_open_question(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    assert "How hard was" in (await alice.press("Next ▶"))[-1].text
    asked = (await alice.send("/workout"))[-1]  # the rating question is asked again
    assert "How hard was Barbell Back Squat" in asked.text and asked.buttons[-1] == ["Skip rating"]
    assert "Plank" in (await alice.send("7"))[-1].text  # read as the rating
    await alice.press("🏁 Finish")
    again = (await alice.send("/workout"))[-1]
    assert "How hard was the whole workout" in again.text and again.buttons[0][0] == "1"
    soreness = (await alice.send("6"))[-1]  # the effort, not a 6 s set
    assert "How sore are you" in soreness.text
    assert "How sore are you" in (await alice.send("/workout"))[-1].text
    await alice.send("2")
    await alice.press("Skip")
    finished = await row(session_factory, sid)
    assert (finished.session_status, finished.effort_rating, finished.soreness_rating) == (
        SessionStatus.COMPLETED,
        6,
        2,
    )
    assert [(r, d) for _, r, _, d, _ in await sets_of(session_factory, sid)] == [(5, None)]
    async with session_factory() as session:
        rating = await session.scalar(
            select(UserExercisePerformance.difficulty_rating).where(
                UserExercisePerformance.user_workout_session_id == sid
            )
        )
        assert rating == 7


async def test_a_set_typed_at_the_rating_prompt_and_the_rating_setting(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("60x5")
    assert "How hard was" in (await alice.press("Next ▶"))[-1].text
    card = (await alice.send("45s"))[-1]  # a set, not a rating: logged to the next exercise
    assert card.text.startswith("✅ Logged 45 s\n\n🏋️ Workout A · exercise 2 of 2\nPlank")
    bad = (await alice.send("soon"))[-1]  # at the plank now: an ordinary "couldn't read"
    assert "couldn't read" in bad.text
    async with session_factory() as session:
        rows = (
            await session.scalars(
                select(UserExercisePerformance)
                .where(UserExercisePerformance.user_workout_session_id == sid)
                .order_by(UserExercisePerformance.created_at)
            )
        ).all()
        assert [(p.sets_completed, p.difficulty_rating) for p in rows] == [(1, None), (1, None)]

    # /settings turns the prompt off
    menu = (await alice.send("/settings"))[-1]
    assert "Rating after each exercise: on" in menu.text
    changed = (await alice.press("📊 Stop asking for exercise ratings", message=menu))[-1]
    assert "Rating after each exercise: off" in changed.text
    async with session_factory() as session:
        user = await session.get(User, trainee["user_id"])
        assert user is not None and user.exercise_rating_enabled is False
    await alice.send("/workout")
    done = (await alice.press("Next ▶"))[-1]
    assert "last exercise" in done.text  # no rating asked


async def test_no_rating_for_cardio_or_warm_ups(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("w 40x10")  # a warm-up only: nothing to rate
    assert "Plank" in (await alice.press("Next ▶"))[-1].text
    await alice.press("➕ Add exercise")
    await alice.send("jumping")
    card = (await alice.press("Jumping Jacks"))[-1]
    assert "Jumping Jacks" in card.text and "(extra)" in card.text
    await alice.send("2 min")
    assert "last exercise" in (await alice.press("Next ▶"))[-1].text  # cardio: no rating
    async with session_factory() as session:
        ratings = await session.scalars(
            select(UserExercisePerformance.difficulty_rating).where(
                UserExercisePerformance.user_workout_session_id == sid
            )
        )
        assert list(ratings) == [None, None]


async def test_did_you_mean(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await history(session_factory, trainee["user_id"], sid, SetInput(reps=5, weight_kg=Decimal("62.5")))
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")

    asked = (await alice.send("60x50"))[-1]
    assert "60×50? 50 reps in one set is far more than usual" in asked.text
    assert "Did you mean 60×5?" in asked.text
    assert asked.buttons == [["✓ 60×5"], ["Log 60×50 as typed"], ["✖ Neither - I'll type it again"]]
    assert await sets_of(session_factory, sid) == []  # nothing logged before the answer
    logged = (await alice.press("✓ 60×5"))[-1]
    assert logged.message_id == asked.message_id and logged.text.startswith("✅ Logged 60×5")
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [(5, Decimal("60.00"))]

    asked = (await alice.send("600x5"))[-1]
    assert "more than 50% over your best (62.5 kg)" in asked.text and "Did you mean 60×5?" in asked.text
    answer = asked.inline_keyboard[0][0]["callback_data"]
    await alice.press("✖ Neither - I'll type it again")
    assert alice.last_text.startswith("✖ Not logged.\n\n🏋️ Workout A")
    await alice.press_data(answer, asked)  # the answered question's button is stale now
    assert alice.callback_answers[-1].text == "This button is no longer valid."
    assert len(await sets_of(session_factory, sid)) == 1

    asked = (await alice.send("100x5"))[-1]  # no likely typo: log it anyway?
    assert "Log it anyway?" in asked.text and asked.buttons[0] == ["Log 100×5 as typed"]
    await alice.press("Log 100×5 as typed")
    await alice.send("60x5")  # an ordinary set is logged at once
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [
        (5, Decimal("60.00")),
        (5, Decimal("100.00")),
        (5, Decimal("60.00")),
    ]


async def test_last_time_values_and_lb_users(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert card.buttons[0] == ["✓ 60×5"]  # no history: the prescription
    await alice.press("📋 All exercises")
    await alice.press("✖ Cancel workout")
    await alice.press("Yes, cancel it")
    await history(session_factory, trainee["user_id"], sid, SetInput(reps=5, weight_kg=Decimal("62.5")))

    today = (await alice.send("/today"))[-1]
    card = (await alice.press("▶️ Start Workout A", message=today))[-1]
    assert "Last time" in card.text and card.buttons[0] == ["✓ 62.5×5"]
    await alice.press("✓ 62.5×5")
    async with session_factory() as session:
        planned = await session.scalar(
            select(UserWorkoutSession.id)
            .join(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
            .where(ProgramDaySession.is_current.is_(True))
        )
        assert planned is not None
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, planned)] == [(5, Decimal("62.50"))]


async def test_lb_users_see_plate_friendly_prescriptions(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    async with session_factory() as session, session.begin():
        user = await session.get(User, trainee["user_id"])
        assert user is not None
        user.weight_unit = WeightUnit.LB
        planned = await session.get(UserWorkoutSession, sid)
        assert planned is not None
        instruction = await session.scalar(
            select(ExerciseInstruction).where(
                ExerciseInstruction.workout_id == planned.workout_id, ExerciseInstruction.order_index == 0
            )
        )
        assert instruction is not None
        instruction.notes = "Add 2.5 kg next session if you complete all sets of 5."
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert "Target: 3 × 5 @ 130 lb · rest 2 min" in card.text  # 60 kg is 132.3 lb: 130 on the bar
    assert "Add 5 lb next session" in card.text and "kg" not in card.text
    assert card.buttons[0] == ["✓ 130×5"]
    await alice.press("✓ 130×5")
    await alice.send("135lb x 5")
    assert "Today: 130×5 · 135×5" in alice.last_text
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [
        (5, Decimal("58.97")),
        (5, Decimal("61.23")),
    ]


async def send_content(user: SandboxUser, content: dict[str, Any], what: str) -> list[Any]:
    """A message with any content (a sticker, a voice message): the emulator has helpers only for text,
    photos and documents, so this goes through its message factory directly."""
    emulator = user.emulator

    def inject() -> dict[str, Any]:
        sender, chat = emulator._user_chat(user.user_id, user.chat_id)
        message = emulator._new_user_message(sender, chat, content)
        return emulator._enqueue_update("message", message, chat.id)

    return await user._act(inject, what, None)


STICKER = {
    "sticker": {
        "file_id": "sticker-1",
        "file_unique_id": "s1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
}
VOICE = {"voice": {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


async def test_every_message_gets_a_reply(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: Factory,
) -> None:
    sid = trainee["session_id"]
    idle = "No workout is in progress. See /today to start one"
    assert (await alice.send("hello there"))[-1].text.startswith(idle)
    assert "I can't do anything with stickers" in (await send_content(alice, STICKER, "a sticker"))[-1].text
    assert "voice messages" in (await send_content(alice, VOICE, "a voice message"))[-1].text
    assert "I can't do anything with photos" in (await alice.send_photo(PNG))[-1].text

    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    during = (await alice.send_photo(PNG))[-1]
    assert "I can't log photos - type the set instead" in during.text
    await alice.send("60x5")
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("3")
    await alice.press("Skip")
    assert (await row(session_factory, sid)).session_status == SessionStatus.COMPLETED

    # a set typed after finishing: offered to the workout just finished
    clock.now = MONDAY + timedelta(minutes=30)
    offer_message = (await alice.send("60x4"))[-1]
    assert "Add “60x4” to Workout A, the workout you just finished?" in offer_message.text
    assert offer_message.buttons == [["1. Barbell Back Squat"], ["No, don't add it"]]  # the plank is timed
    squat_button = offer_message.inline_keyboard[0][0]["callback_data"]
    added = (await alice.press("1. Barbell Back Squat"))[-1]
    assert added.message_id == offer_message.message_id and added.buttons == []  # the offer, answered
    assert (
        "✅ Logged 60×4" in added.text and "Added to Barbell Back Squat in Workout A (finished)" in added.text
    )
    assert [(r, w) for _, r, w, _, _ in await sets_of(session_factory, sid)] == [
        (5, Decimal("60.00")),
        (4, Decimal("60.00")),
    ]
    async with session_factory() as session:
        squat = await session.scalar(
            select(UserExercisePerformance).where(UserExercisePerformance.user_workout_session_id == sid)
        )
        assert squat is not None and (squat.sets_completed, squat.reps_completed) == (2, 9)
    await alice.press_data(squat_button, offer_message)  # pressed again: nothing more
    assert alice.callback_answers[-1].text == "This button is no longer valid."
    declined = await alice.send("45s")
    assert declined[-1].buttons == [["2. Plank"], ["No, don't add it"]]
    assert "not added" in (await alice.press("No, don't add it"))[-1].text
    assert len(await sets_of(session_factory, sid)) == 2

    clock.now = MONDAY + timedelta(hours=4)  # too long after: not offered any more
    assert (await alice.send("60x4"))[-1].text.startswith(idle)
    assert (await row(session_factory, sid)).session_status == SessionStatus.COMPLETED


async def test_today_says_what_was_done_and_what_comes_next(
    alice: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    await offer(bot_app, alice, trainee["session_id"])
    await alice.press("▶ Start")
    await alice.send("60x5")
    await alice.press("🏁 Finish")
    await alice.press("7")
    await alice.press("3")
    await alice.press("Skip")
    text = (await alice.send("/today"))[-1].text
    assert "🏋️ Mini Program\nStart · day 1 of 4\n✅ Done today: Workout A\n" in text
    assert "Next: day 2 tomorrow (Tue 3 Mar) - a rest day 😴" in text
    assert "Done for today. Next" not in text and "day 2 of 4" not in text
    assert await current_day(session_factory, trainee["enrollment_id"]) == 2
