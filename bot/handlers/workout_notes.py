"""Sticky exercise notes from the workout's exercise card: `wk:nte:<session>:<index>` asks for the note
(the conversation waits in EXERCISE_NOTE, committed with the update), `wk:nclr:<session>:<index>`
removes it. The exercise comes from the user's own session (another user's session id is NotFound),
never from the button."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.enums import SessionStatus
from bot.db.models import User
from bot.handlers.workout_flow import Outcome, Screen, WorkoutState, exercise_screen, int_part, remember
from bot.i18n import _
from bot.services import exercise_notes, workouts
from bot.services.errors import DomainError
from bot.ui import exercise_notes as ui


async def _exercise(
    s: AsyncSession, user: User, sid: uuid.UUID, index: int
) -> tuple[workouts.SessionView, workouts.ExerciseView]:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    return view, view.exercise(index)


async def prompt_screen(s: AsyncSession, user: User, sid: uuid.UUID, index: int) -> Screen:
    """The note's question, with the note kept so far (also what /workout asks again)."""
    _view, exercise = await _exercise(s, user, sid, index)
    note = await exercise_notes.note_for(s, user, exercise.exercise_id)
    return Screen(ui.note_prompt(exercise.name, note), ui.note_keyboard(sid, index, note is not None))


async def ask(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    screen = await prompt_screen(s, user, sid, index)
    remember(context, sid, index)
    return Outcome(WorkoutState.EXERCISE_NOTE, screen)


async def clear(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    view, exercise = await _exercise(s, user, sid, index)
    cleared = await exercise_notes.clear_note(s, user, exercise.exercise_id)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    screen.notice = _(ui.NOTE_CLEARED) if cleared else _(ui.NO_NOTE_TO_CLEAR)
    return Outcome(WorkoutState.LOGGING, screen)


async def typed_note(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    view, exercise = await _exercise(s, user, sid, index)
    if exercise_notes.means_clear(text):
        cleared = await exercise_notes.clear_note(s, user, exercise.exercise_id)
        notice = _(ui.NOTE_CLEARED) if cleared else _(ui.NO_NOTE_TO_CLEAR)
    else:
        await exercise_notes.set_note(s, user, exercise.exercise_id, text, context.now())
        notice = _(ui.NOTE_SAVED)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    screen.notice = notice
    return Outcome(WorkoutState.LOGGING, screen, edit=False)
