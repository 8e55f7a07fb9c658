"""The readiness question before a workout whose program asks it (`readiness:` in the program format):
sleep, stress and soreness, 1-5 each, by buttons (`wk:rdy:<session>:<answers so far>`, `-` skips). The
answers travel in the buttons until the third, then are stored with the day's weight reduction, and the
first exercise is shown (its target lowered on a low day). Forged answers are refused."""

from __future__ import annotations

import uuid
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.models import User
from bot.handlers.workout_flow import (
    Outcome,
    Screen,
    WorkoutState,
    exercise_screen,
    first_open_exercise,
    remember,
)
from bot.i18n import _
from bot.services import readiness, workouts
from bot.services.errors import NotFound
from bot.ui import attention as ui
from bot.ui import workout as workout_ui

SKIP = "-"


async def ask_first(
    s: AsyncSession, user: User, sid: uuid.UUID, view: workouts.SessionView
) -> Outcome | None:
    """The first readiness question when the session's program asks it and nothing is logged yet."""
    if any(e.sets for e in view.exercises) or await readiness.needs_question(s, user, sid) is None:
        return None
    return Outcome(
        WorkoutState.LOGGING,
        Screen(ui.readiness_question(view.workout_name, ""), ui.readiness_keyboard(sid, "")),
        edit=False,
    )


async def answer(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """`wk:rdy:<session>:<digits>`: the next question, or (three answers, or a skip) store and start."""
    given = parts[2] if len(parts) == 3 else ""
    answers = None if given == SKIP else readiness.parse_answers(given)
    if given != SKIP and answers is None:
        raise NotFound(_(workout_ui.STALE_BUTTON))
    if answers is not None and len(answers) < len(readiness.QUESTIONS):
        view = await workouts.session_view(s, user, sid)
        text = ui.readiness_question(view.workout_name, given)
        return Outcome(WorkoutState.LOGGING, Screen(text, ui.readiness_keyboard(sid, given)))
    full = cast(tuple[int, int, int], answers) if answers is not None else None
    stored = await readiness.record(s, user, sid, full)
    view = await workouts.session_view(s, user, sid)
    index = first_open_exercise(view)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    screen.notice = ui.readiness_notice(stored)
    return Outcome(WorkoutState.LOGGING, screen)
