"""What every part of the workout conversation shares: its states, the screen and outcome of a step,
and the few facts kept in user_data (the session, the exercise, the question that is open).

One screen per step: a notice ("✅ Logged 60×5", a record) goes on top of the screen it leads to, in one
message. A typed set gets a new message (the chat's last); a button edits the message it is on. The
previous screen's buttons are left as they are: each carries the session id, the exercise index and
the number of sets it was drawn for, so it keeps working (a stale "✓" is refused as already logged)
without one more Bot API call per set to take its keyboard away.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler, filters

from bot.context import BotContext
from bot.db.models import User
from bot.handlers import coaching
from bot.handlers.base import edit_screen, send_screen
from bot.i18n import _
from bot.jobs.rest_timer import start_rest_timer
from bot.services import exercise_notes, workouts
from bot.services.errors import NotFound
from bot.services.timezones import local_today
from bot.ui import quick as quick_ui
from bot.ui import workout as ui

KEY = "workout"
TEXT = filters.TEXT & ~filters.COMMAND
END = ConversationHandler.END


class WorkoutState(IntEnum):
    LOGGING = 1
    RATING = 2
    ADDING = 3
    EFFORT = 4
    SORENESS = 5
    NOTE = 6
    SKIP_REASON = 7
    EXERCISE_NOTE = 8
    SWAPPING = 9


QUESTIONS = frozenset(
    {
        WorkoutState.RATING,
        WorkoutState.ADDING,
        WorkoutState.EFFORT,
        WorkoutState.SORENESS,
        WorkoutState.NOTE,
        WorkoutState.SKIP_REASON,
        WorkoutState.EXERCISE_NOTE,
        WorkoutState.SWAPPING,
    }
)
"""States that ask something: /workout shows their question again rather than the exercise."""


@dataclass
class Screen:
    """What to show: a text with its keyboard, by editing the pressed message or as a new one."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    notice: str | None = None  # shown on top of the screen, in the same message (logged sets, records)

    @property
    def full_text(self) -> str:
        return f"{self.notice}\n\n{self.text}" if self.notice else self.text


@dataclass
class Outcome:
    state: int | None
    screen: Screen | None = None
    edit: bool = True
    toast: str | None = None
    outbox: coaching.Outbox = field(default_factory=list)  # to other chats, sent after the commit


Action = Callable[[AsyncSession, User, Update, BotContext, uuid.UUID, list[str]], Awaitable[Outcome]]
TextStep = Callable[[AsyncSession, User, Update, BotContext, uuid.UUID, int, str], Awaitable[Outcome]]


# -------------------------------------------------------------------------------------------------------
# rendering


async def exercise_screen(
    session: AsyncSession,
    user: User,
    context: BotContext,
    session_id: uuid.UUID,
    index: int,
    view: workouts.SessionView | None = None,
) -> Screen:
    if view is None:
        view = await workouts.session_view(session, user, session_id)
    if index >= len(view.exercises):
        return Screen(ui.all_done_text(view), ui.all_done_keyboard(view))
    exercise = view.exercise(index)
    last = await workouts.last_time(session, user, exercise.exercise_id, exclude_session=session_id)
    if last is not None:  # "Last time, 6 Dec" is the trainee's local date, not UTC's
        last = replace(last, when=last.when.astimezone(ZoneInfo(user.timezone)))
    today = local_today(user.timezone, context.now())
    note = await exercise_notes.note_for(session, user, exercise.exercise_id)
    text = quick_ui.with_overview(
        view,
        exercise,
        user.weight_unit,
        ui.exercise_card(view, exercise, user.weight_unit, last, today, note),
    )
    return Screen(text, ui.exercise_keyboard(session_id, exercise, user.weight_unit, last))


def first_open_exercise(view: workouts.SessionView) -> int:
    for exercise in view.exercises:
        if exercise.remaining_sets:
            return exercise.index
    return 0


async def show(update: Update, screen: Screen, *, edit: bool) -> None:
    """One Bot API call: edit the pressed message, or send a new one (also when it cannot be edited)."""
    query = update.callback_query
    chat = update.effective_chat
    assert chat is not None
    if edit and query is not None and query.message is not None:
        try:
            await edit_screen(
                query.get_bot(), chat.id, query.message.message_id, screen.full_text, screen.keyboard
            )
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
            if "not found" not in error.message.lower() and "can't be edited" not in error.message.lower():
                raise
    await send_screen(chat.get_bot(), chat.id, screen.full_text, screen.keyboard)


def chat_id_of(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


# -------------------------------------------------------------------------------------------------------
# what user_data keeps: {"session": id, "index": n, "step": state, "effort": n, "soreness": n,
# "pending": typed sets awaiting "did you mean", "late": a set typed after finishing}


def memory(context: BotContext) -> dict[str, Any]:
    data = context.user_data
    assert data is not None
    current = data.get(KEY)
    if not isinstance(current, dict):
        current = data[KEY] = {}
    return current


def remember(context: BotContext, session_id: uuid.UUID, index: int) -> None:
    data = memory(context)
    if data.get("session") != str(session_id):
        data.clear()
    data.update(session=str(session_id), index=index)


def remember_step(context: BotContext, state: int | None) -> None:
    """The conversation's state as the last answer left it (for /workout to ask the same again)."""
    if state is None or context.user_data is None:
        return
    if state == END:
        return
    memory(context)["step"] = int(state)


def forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


def remembered(context: BotContext) -> uuid.UUID | None:
    data = (context.user_data or {}).get(KEY) or {}
    try:
        return uuid.UUID(data["session"]) if data.get("session") else None
    except ValueError:
        return None


async def current(session: AsyncSession, user: User, context: BotContext) -> tuple[uuid.UUID, int] | None:
    """The workout typed text is about: the remembered one if still in progress, else the open one."""
    data = (context.user_data or {}).get(KEY) or {}
    open_id = await workouts.in_progress_session(session, user)
    if open_id is None:
        return None
    if data.get("session") == str(open_id):
        return open_id, int(data.get("index", 0))
    return open_id, 0


def rest(
    context: BotContext,
    user: User,
    chat_id: int,
    view: workouts.SessionView,
    exercise: workouts.ExerciseView,
) -> None:
    """Start the rest timer after a set: its ping names the next set, the next exercise or the end."""
    if user.rest_timer_enabled and exercise.rest_seconds and not exercise.adhoc:
        start_rest_timer(context.job_queue, chat_id, exercise.rest_seconds, ui.rest_over(view, exercise))


def int_part(parts: list[str], position: int) -> int:
    try:
        return int(parts[position])
    except (IndexError, ValueError):
        raise NotFound(_(ui.STALE_BUTTON)) from None


async def goto(
    s: AsyncSession,
    user: User,
    context: BotContext,
    sid: uuid.UUID,
    index: int,
    view: workouts.SessionView | None = None,
) -> Outcome:
    remember(context, sid, index)
    return Outcome(WorkoutState.LOGGING, await exercise_screen(s, user, context, sid, index, view))
