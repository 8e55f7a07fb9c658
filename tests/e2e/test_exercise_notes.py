"""Sticky exercise notes through the emulator: set, show, edit, clear from the workout's exercise card;
shown in /progress and /history; in /export; gone with /deleteme; forged buttons change nothing."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.models import Exercise, UserExerciseNote, UserWorkoutSession
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.ui.callback import pack
from tests.e2e.test_progress import NOW, SQUAT_SESSIONS, add_history, register
from tests.e2e.test_workout import offer, sets_of
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
SQUAT = "Barbell Back Squat"


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def lifter(alice: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Alice with three finished squat workouts, enrolled today: Workout A (squat, plank) is planned."""
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        user = await register(session, alice, "Alice")
        ids = await add_history(session, user, SQUAT_SESSIONS)
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), NOW)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
        squat = await session.scalar(select(Exercise.id).where(Exercise.code == "back-squat"))
    yield {"user_id": user.id, "sessions": ids, "planned": planned, "squat": squat}


async def notes_of(factory: Factory, user_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseNote.exercise_id, UserExerciseNote.note)
            .where(UserExerciseNote.user_id == user_id)
            .order_by(UserExerciseNote.note)
        )
        return [(row.exercise_id, row.note) for row in rows]


async def test_set_show_edit_and_clear_a_note(
    alice: SandboxUser, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid, squat, uid = lifter["planned"], lifter["squat"], lifter["user_id"]
    await offer(bot_app, alice, sid)
    card = (await alice.press("▶ Start"))[-1]
    assert SQUAT in card.text and "📝" not in card.text  # type: ignore[operator]
    assert ["📝 Note", "🔁 Swap"] in alice.buttons()

    # set: the prompt, then the typed note (HTML in it is only text)
    await alice.press("📝 Note")
    assert f"📝 Note for {SQUAT}" in alice.last_text and "up to 500 characters" in alice.last_text
    assert alice.buttons() == [["↩ Back"]]
    replies = await alice.send("Seat at 4, grip <2> fingers out")
    assert len(replies) == 1
    text = replies[0].text or ""
    assert text.startswith("📝 Note saved.\n\n🏋️ Workout A · exercise 1 of 2")
    assert "📝 Seat at 4, grip <2> fingers out" in text
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 4, grip <2> fingers out")]

    # the conversation is back to logging sets, and the note stays on the card
    replies = await alice.send("60x5")
    assert (replies[0].text or "").startswith("✅ Logged 60×5")
    assert "📝 Seat at 4, grip <2> fingers out" in (replies[0].text or "")
    assert [(n, r) for n, r, _, _, _ in await sets_of(session_factory, sid)] == [(1, 5)]

    # edit: the prompt shows the note and offers Clear; a too long note is refused and changes nothing
    await alice.press("📝 Note")
    assert "Now: Seat at 4, grip <2> fingers out" in alice.last_text
    assert alice.buttons() == [["🗑 Clear note", "↩ Back"]]
    await alice.send("x" * 501)
    assert "a note holds at most 500" in alice.last_text
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 4, grip <2> fingers out")]
    await alice.send("  Seat at 5  ")
    assert "📝 Seat at 5" in alice.last_text and "Seat at 4" not in alice.last_text
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 5")]

    # another exercise's card has no note; ↩ Back from the prompt changes nothing
    await alice.press("Next ▶")
    assert "How hard was" in alice.last_text
    await alice.press("Skip rating")
    assert "Plank" in alice.last_text and "📝 Seat" not in alice.last_text
    await alice.press("📝 Note")
    await alice.press("↩ Back")
    assert "Plank" in alice.last_text
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 5")]

    # shown in /progress (a chart's caption) and in the history's detail of a workout with the squat
    replies = await alice.send("/progress squat")
    assert replies[-1].kind == "photo" and "📝 Seat at 5" in (replies[-1].caption or "")
    await alice.send("/history")
    await alice.press("2. Workout A")
    assert f"{SQUAT}\n📝 Seat at 5\n" in alice.last_text

    # clear by typing "clear", then by the button
    await alice.send("/workout")
    await alice.press("📋 All exercises")
    await alice.press(f"1. {SQUAT}")
    await alice.press("📝 Note")
    await alice.send("clear")
    assert alice.last_text.startswith("📝 Note cleared.") and "📝 Seat" not in alice.last_text
    assert await notes_of(session_factory, uid) == []
    await alice.press("📝 Note")
    await alice.send("Belt on for the top set")
    await alice.press("📝 Note")
    await alice.press("🗑 Clear note")
    assert alice.last_text.startswith("📝 Note cleared.")
    assert await notes_of(session_factory, uid) == []
    replies = await alice.send("/progress squat")
    assert "📝" not in (replies[-1].caption or "")


async def test_forged_note_buttons_change_nothing(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid, squat, uid = lifter["planned"], lifter["squat"], lifter["user_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("📝 Note")
    await alice.send("Seat at 4")

    mallory: SandboxUser = make_user("Mallory")
    decoy = await bot_app.bot.send_message(mallory.chat_id, "decoy")
    for data in (pack("wk", "nte", sid, 0), pack("wk", "nclr", sid, 0)):
        await mallory.press_data(data, decoy.message_id)
        assert mallory.callback_answers[-1].text == "That workout isn't available."
    await mallory.send("Mallory was here")  # no prompt is waiting for Mallory
    for data in ("wk:nte:" + "A" * 22 + ":0", "wk:nclr:zz:0", "wk:nte"):
        await mallory.press_data(data, decoy.message_id)
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 4")]
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(UserExerciseNote)) == 1

    # Alice's own button for an exercise that is not in the workout
    card = alice.messages[-1]
    await alice.press_data(pack("wk", "nte", sid, 9), card.message_id)
    assert alice.callback_answers[-1].text == "That workout isn't available."
    await alice.press_data(pack("wk", "nclr", sid, 9), card.message_id)
    assert await notes_of(session_factory, uid) == [(squat, "Seat at 4")]


async def test_notes_are_exported_and_deleted_with_the_account(
    alice: SandboxUser, make_user: Any, bot_app: BotApplication, lifter: Any, session_factory: Factory
) -> None:
    sid, squat, uid = lifter["planned"], lifter["squat"], lifter["user_id"]
    bob_sandbox: SandboxUser = make_user("Bob")
    async with session_factory() as session, session.begin():
        bob = await register(session, bob_sandbox, "Bob")
        session.add(UserExerciseNote(user_id=bob.id, exercise_id=squat, note="Bob's note"))
        bob_id = bob.id
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.press("📝 Note")
    await alice.send('Seat at 4, "narrow"')
    assert "Bob's note" not in alice.last_text  # each user sees their own

    document = (await alice.send("/export"))[-1]
    assert document.kind == "document" and document.file is not None
    with zipfile.ZipFile(io.BytesIO(document.file)) as bundle:
        rows = list(csv.DictReader(io.StringIO(bundle.read("exercise_notes.csv").decode("utf-8-sig"))))
    assert [(r["exercise"], r["note"]) for r in rows] == [(SQUAT, 'Seat at 4, "narrow"')]
    assert rows[0]["created_at_utc"] == "2026-03-02T09:00:00Z"

    await alice.send("/deleteme")
    await alice.press("Yes, delete my account")
    await alice.press("🗑 Delete everything")
    assert "account and all its data are deleted" in alice.last_text
    assert await notes_of(session_factory, uid) == []
    assert await notes_of(session_factory, bob_id) == [(squat, "Bob's note")]
