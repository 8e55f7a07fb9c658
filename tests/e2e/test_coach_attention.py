"""Coach comments, the readiness question, stalled lifts and who needs attention, through the emulator.

Each test checks what the users saw and the rows written. Cole coaches Tess and Tom (workout messages
on for Tess); Olga is another coach. Cole's program asks readiness (`low_below: 3, reduce_percent: 10`)
and names its stall remedy. The clock is fixed at Tuesday 24 Nov 2026 09:00 UTC.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.db.enums import Role, SessionStatus
from bot.db.models import (
    CoachTrainee,
    Exercise,
    ExerciseInstruction,
    ProgramRule,
    SessionReadiness,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
    Workout,
    WorkoutComment,
)
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services.seed import export_program
from bot.ui.callback import pack
from tests.e2e.test_coaching import NOW, Factory, link, register, rows
from tests.e2e.test_programs import seed

PROGRAM = b"""
name: Cole Squats
description: Squats, twice a week.
difficulty: beginner
categories: [strength]
schedule: {length_days: 7, rest_days_per_week: 5}
readiness: {low_below: 3, reduce_percent: 10}
stall_remedy: Drop to 3 x 3 at 90% for a week.
workouts:
  a:
    name: Squat Day
    exercises:
      - {exercise: back-squat, sets: 2, reps: 5, weight_kg: 100, rest: 90}
days:
  - {day: 1, workouts: [a]}
  - {day: 3, workouts: [a]}
"""


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def world(make_user: Any, session_factory: Factory, clock: Clock) -> dict[str, Any]:
    await seed(session_factory)
    people = {
        "cole": make_user("Cole", username="cole"),
        "tess": make_user("Tess", username="tess"),
        "tom": make_user("Tom", username="tom"),
        "olga": make_user("Olga", username="olga"),
    }
    ids = {
        "cole": await register(session_factory, people["cole"], "Cole", role=Role.COACH),
        "tess": await register(session_factory, people["tess"], "Tess"),
        "tom": await register(session_factory, people["tom"], "Tom"),
        "olga": await register(session_factory, people["olga"], "Olga", role=Role.COACH),
    }
    await link(session_factory, ids["cole"], ids["tess"])
    await link(session_factory, ids["cole"], ids["tom"])
    async with session_factory() as session, session.begin():
        await session.execute(update(CoachTrainee).values(notify_on_workout=True))
    await people["cole"].upload(PROGRAM, "cole.yaml")
    assert "Program added" in people["cole"].last_text
    return {"people": people, "ids": ids}


def button(person: SandboxUser, starts: str) -> str:
    return next(b for row in person.buttons() for b in row if b.startswith(starts))


async def finish(tess: SandboxUser, note: str) -> None:
    await tess.press(button(tess, "🏁 Finish"))
    await tess.press("7")
    await tess.press("3")
    await tess.send(note)


def notice_of(cole: SandboxUser) -> Any:
    return next(m for m in reversed(cole.messages) if "finished" in m.content)


async def test_readiness_is_asked_stored_lowers_weights_and_reaches_the_coach(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    program = (await rows(session_factory, ProgramRule))[0]
    assert (program.readiness_enabled, program.low_below, program.reduce_percent) == (True, 3, 10)
    async with session_factory() as session:  # the upload round-trips through export
        doc = await export_program(session, program.program_id)
    assert doc.readiness is not None and (doc.readiness.low_below, doc.readiness.reduce_percent) == (3, 10)
    assert doc.stall_remedy == "Drop to 3 x 3 at 90% for a week."

    await cole.send("/assign @tess Cole Squats")
    await tess.press(button(tess, "▶"))
    assert "how ready are you? (1 of 3)" in tess.last_text and "Sleep last night" in tess.last_text
    assert tess.buttons()[0] == ["1", "2", "3", "4", "5"]
    sid = (
        await rows(session_factory, UserWorkoutSession, UserWorkoutSession.session_status == "IN_PROGRESS")
    )[0].id
    # a forged answer changes nothing
    question = tess.messages[-1]
    await tess.press_data(pack("wk", "rdy", sid, "49"), question)
    assert await rows(session_factory, SessionReadiness) == []
    await tess.press("4")
    assert "Stress" in tess.last_text and "Sleep last night: 4/5" in tess.last_text
    await tess.press("2")
    await tess.press("4")
    stored = (await rows(session_factory, SessionReadiness))[0]
    assert (stored.session_id, stored.sleep, stored.stress, stored.soreness, stored.reduce_percent) == (
        sid,
        4,
        2,
        4,
        10,
    )
    screen = tess.last_text
    assert "today's weights are 10% lighter" in screen
    assert "@ 90 kg" in screen and "@ 100 kg" not in screen and "-10%: low readiness today" in screen
    await tess.press(button(tess, "✓"))  # the set as prescribed: the lowered weight
    logged = (await rows(session_factory, UserExerciseSet))[0]
    assert (logged.weight_kg, logged.reps) == (Decimal("90.00"), 5)
    # answering again (an old button) keeps the first answers
    await tess.press_data(pack("wk", "rdy", sid, "555"), question)
    assert (await rows(session_factory, SessionReadiness))[0].stress == 2

    await finish(tess, "Heavy legs")
    notice = notice_of(cole)
    assert "Readiness: sleep 4/5 · stress 2/5 · soreness 4/5 - low: weights -10% today" in notice.content
    assert "Heavy legs" in notice.content
    assert cole.buttons(notice) == [["💬 Comment"]]


async def test_skipping_readiness_keeps_the_weights(world: dict[str, Any], session_factory: Factory) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    await cole.send("/assign @tess Cole Squats")
    await tess.press(button(tess, "▶"))
    await tess.press("⏭ Skip the question")
    assert "@ 100 kg" in tess.last_text and "low readiness" not in tess.last_text
    stored = (await rows(session_factory, SessionReadiness))[0]
    assert (stored.sleep, stored.reduce_percent) == (None, 0)
    await tess.send("100x5")
    await finish(tess, "Fine")
    assert "Readiness" not in notice_of(cole).content


async def test_coach_comments_by_reply_and_button_and_the_trainee_answers_once(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, tess, olga = (world["people"][k] for k in ("cole", "tess", "olga"))
    await cole.send("/assign @tess Cole Squats")
    await tess.press(button(tess, "▶"))
    await tess.press("⏭ Skip the question")
    await tess.send("100x5")
    await finish(tess, "Knee <felt> odd")
    notice = notice_of(cole)
    assert "Knee <felt> odd" in notice.content
    sid = (await rows(session_factory, UserWorkoutSession))[0].id

    # 1. a reply to the notice is a comment
    await cole.reply(notice, "Great depth <b>today</b>")
    assert "Sent to Tess" in cole.last_text
    comment_message = tess.messages[-1]
    assert "Your coach Cole commented on" in comment_message.content
    assert "Great depth <b>today</b>" in comment_message.content  # escaped, shown as typed
    assert tess.buttons(comment_message) == [["↩️ Answer"]]
    stored = await rows(session_factory, WorkoutComment)
    assert [(c.session_id, c.coach_id, c.body) for c in stored] == [
        (sid, world["ids"]["cole"], "Great depth <b>today</b>")
    ]

    # 2. the Comment button asks, then the typed text is the comment; empty or huge text is refused
    await cole.press("💬 Comment", notice)
    assert "Your comment on Tess's" in cole.last_text
    await cole.send("x" * 1001)
    assert "1001 characters; at most 1000" in cole.last_text and "Nothing was sent" in cole.last_text
    await cole.send("   ")
    assert len(await rows(session_factory, WorkoutComment)) == 1
    await cole.send("Next time: 102.5 kg")
    assert "Sent to Tess" in cole.last_text
    second_message = tess.messages[-1]
    assert "Next time: 102.5 kg" in second_message.content
    assert len(await rows(session_factory, WorkoutComment)) == 2

    # 3. the trainee answers by button, once
    await tess.press("↩️ Answer", comment_message)
    assert "Your answer to your coach's comment" in tess.last_text
    await tess.send("Thanks coach!")
    assert "Sent to your coach" in tess.last_text
    assert "Tess answered your comment" in cole.last_text and "Thanks coach!" in cole.last_text
    await tess.press("↩️ Answer", comment_message)
    assert any("already answered" in a.text for a in tess.callback_answers if a.text)
    await tess.reply(comment_message, "A second answer")
    assert "already answered" in tess.last_text
    # ...and by reply to the other comment
    await tess.reply(second_message, "Will do")
    answers = {c.body: c.answer for c in await rows(session_factory, WorkoutComment)}
    assert answers == {"Great depth <b>today</b>": "Thanks coach!", "Next time: 102.5 kg": "Will do"}

    # 4. the comments are in the workout's /history detail
    await tess.send("/history")
    await tess.press(button(tess, "1."))
    detail = tess.last_text
    assert "Cole: Great depth <b>today</b>" in detail and "You: Thanks coach!" in detail
    assert "Next time: 102.5 kg" in detail and "You: Will do" in detail

    # 5. forged or foreign ids: clear answers, nothing stored
    await olga.press_data(pack("cm", "c", sid), await _any_message(olga))
    assert any("not one of your trainees" in (a.text or "") for a in olga.callback_answers)
    await cole.press_data(pack("cm", "c", "garbage"), notice)
    assert any("no longer valid" in (a.text or "") for a in cole.callback_answers)
    await tess.press_data(pack("cm", "c", sid), comment_message)  # a trainee is no coach
    await tess.press_data(pack("cm", "a", uuid.uuid4()), comment_message)
    assert any("does not exist" in (a.text or "") for a in tess.callback_answers)
    assert len(await rows(session_factory, WorkoutComment)) == 2


async def _any_message(person: SandboxUser) -> Any:
    await person.send("/help")
    return person.messages[-1]


async def test_a_comment_prompt_left_open_never_takes_a_later_set(
    world: dict[str, Any], session_factory: Factory, clock: Clock
) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    await cole.send("/assign @tess Cole Squats")
    await tess.press(button(tess, "▶"))
    await tess.press("⏭ Skip the question")
    await tess.send("100x5")
    await finish(tess, "ok")
    await cole.reply(notice_of(cole), "Nice")
    await tess.press("↩️ Answer")
    clock.advance(timedelta(hours=1))
    await tess.send("Later text")  # the prompt went stale: not an answer
    assert (await rows(session_factory, WorkoutComment))[0].answer is None
    assert "Sent to your coach" not in tess.last_text


# --- /trainees -----------------------------------------------------------------------------------------


async def add_squats(
    factory: Factory,
    user_id: uuid.UUID,
    days_ago: list[int],
    *,
    top: str = "100",
    soreness: int | None = None,
) -> None:
    async with factory() as session, session.begin():
        squat = await session.scalar(select(Exercise).where(Exercise.code == "back-squat"))
        assert squat is not None
        workout = Workout(name="Squats", created_by=user_id)
        session.add(workout)
        await session.flush()
        instruction = ExerciseInstruction(workout_id=workout.id, exercise_id=squat.id, created_by=user_id)
        session.add(instruction)
        for days in days_ago:
            when = NOW - timedelta(days=days)
            row = UserWorkoutSession(
                user_id=user_id,
                workout_id=workout.id,
                session_status=SessionStatus.COMPLETED,
                started_at=when,
                completed_at=when + timedelta(hours=1),
                soreness_rating=soreness,
                created_by=user_id,
            )
            session.add(row)
            await session.flush()
            performance = UserExercisePerformance(
                user_workout_session_id=row.id,
                exercise_instruction_id=instruction.id,
                sets_completed=1,
                weight_used_kg=Decimal(top),
                created_by=user_id,
            )
            session.add(performance)
            await session.flush()
            session.add(
                UserExerciseSet(performance_id=performance.id, set_number=1, reps=5, weight_kg=Decimal(top))
            )


async def test_trainees_sorted_by_attention_with_reasons(
    world: dict[str, Any], session_factory: Factory, make_user: Any
) -> None:
    cole = world["people"]["cole"]
    ids = world["ids"]
    uma = make_user("Uma", username="uma")
    ids["uma"] = await register(session_factory, uma, "Uma")
    await link(session_factory, ids["cole"], ids["uma"])
    await add_squats(session_factory, ids["tom"], [1], top="60")  # all well
    await add_squats(session_factory, ids["tess"], [8, 6], soreness=9)  # idle 6 days, sore twice
    await add_squats(session_factory, ids["uma"], [10, 7, 4, 1])  # 100 x 5 four times: stalled

    await cole.send("/trainees")
    text = cole.last_text
    assert "2 need attention" in text
    assert text.index("Tess") < text.index("Uma") < text.index("Tom")
    assert "no workout in 6 days" in text and "soreness 9/10, 9/10 in a row" in text
    assert "stalled: Barbell Back Squat (no progress in 3 sessions)" in text
    tom_block = text[text.index("Tom") :]
    assert "⚠️" not in tom_block
    assert [row[0] for row in cole.buttons()] == ["⚠️ Tess", "⚠️ Uma", "👤 Tom"]


async def test_a_stalled_lift_is_flagged_on_the_finish_summary_with_the_remedy(
    world: dict[str, Any], session_factory: Factory
) -> None:
    cole, tess = world["people"]["cole"], world["people"]["tess"]
    await add_squats(session_factory, world["ids"]["tess"], [9, 6, 3])  # 100 x 5 three times
    await cole.send("/assign @tess Cole Squats")
    await tess.press(button(tess, "▶"))
    await tess.press("⏭ Skip the question")
    await tess.send("100x5")
    await finish(tess, "same again")
    summary = next(m for m in reversed(tess.messages) if "Workout complete" in m.content)
    assert "Stalled: Barbell Back Squat - no progress in your last 3 sessions" in summary.content
    assert "Remedy: Drop to 3 x 3 at 90% for a week." in summary.content
    await cole.send("/trainees")
    assert "stalled: Barbell Back Squat" in cole.last_text
