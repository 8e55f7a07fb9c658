"""Logging a workout: one persistent ConversationHandler.

Buttons carry the session id (and the exercise index and the number of sets when drawn), so they work
in any state and after a restart; typed text is read according to the state (a set, a rating, a search,
a note, a reason). The current session and exercise live in user_data for the typed input.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.db.enums import SessionStatus
from bot.db.models import User
from bot.handlers import coaching
from bot.handlers.base import user_for
from bot.jobs.rest_timer import start_rest_timer, stop_rest_timer
from bot.services import workouts
from bot.services.errors import DomainError, NotFound
from bot.services.set_input import SetInput, parse_rating, parse_sets
from bot.services.timezones import local_today
from bot.ui import workout as ui
from bot.ui.callback import parse_id, unpack, workout_start
from bot.ui.texts import esc

log = logging.getLogger(__name__)
KEY = "workout"
NAME = "workout"
"""The ConversationHandler's name: its state is written in each update's own transaction."""
TEXT = filters.TEXT & ~filters.COMMAND


class WorkoutState(IntEnum):
    LOGGING = 1
    RATING = 2
    ADDING = 3
    EFFORT = 4
    SORENESS = 5
    NOTE = 6
    SKIP_REASON = 7


END = ConversationHandler.END


@dataclass
class Screen:
    """What to show: a text with its keyboard, by editing the pressed message or as a new one."""

    text: str
    keyboard: InlineKeyboardMarkup | None = None
    notice: str | None = None  # a separate message before the screen (logged sets, records)


# -------------------------------------------------------------------------------------------------------
# rendering


async def _exercise_screen(
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
    today = local_today(user.timezone, context.now())
    text = ui.exercise_card(view, exercise, user.weight_unit, last, today)
    return Screen(text, ui.exercise_keyboard(session_id, exercise, user.weight_unit))


def _first_open_exercise(view: workouts.SessionView) -> int:
    for exercise in view.exercises:
        if not exercise.adhoc and len(exercise.working_sets) < exercise.target_sets:
            return exercise.index
    return 0


async def _show(update: Update, screen: Screen, *, edit: bool) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert chat is not None
    if screen.notice:
        await chat.send_message(screen.notice)
    if edit and query is not None and query.message is not None and not screen.notice:
        try:
            await query.edit_message_text(screen.text, reply_markup=screen.keyboard)
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
            if "not found" not in error.message.lower() and "can't be edited" not in error.message.lower():
                raise
    await chat.send_message(screen.text, reply_markup=screen.keyboard)


def _chat_id(update: Update) -> int:
    chat = update.effective_chat
    assert chat is not None
    return chat.id


def _remember(context: BotContext, session_id: uuid.UUID, index: int) -> None:
    data = context.user_data
    assert data is not None
    current = data.get(KEY) or {}
    data[KEY] = {**current, "session": str(session_id), "index": index}


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


async def _current(session: AsyncSession, user: User, context: BotContext) -> tuple[uuid.UUID, int] | None:
    """The workout typed text is about: the remembered one if still in progress, else the open one."""
    data = (context.user_data or {}).get(KEY) or {}
    open_id = await workouts.in_progress_session(session, user)
    if open_id is None:
        return None
    if data.get("session") == str(open_id):
        return open_id, int(data.get("index", 0))
    return open_id, 0


def _rest(context: BotContext, user: User, chat_id: int, exercise: workouts.ExerciseView) -> None:
    if user.rest_timer_enabled and exercise.rest_seconds and not exercise.adhoc:
        text = ui.rest_over(exercise.name, len(exercise.working_sets) + 1)
        start_rest_timer(context.job_queue, chat_id, exercise.rest_seconds, text)


# -------------------------------------------------------------------------------------------------------
# buttons

Action = Callable[[AsyncSession, User, Update, BotContext, uuid.UUID, list[str]], Awaitable["Outcome"]]


@dataclass
class Outcome:
    state: int | None
    screen: Screen | None = None
    edit: bool = True
    toast: str | None = None
    outbox: coaching.Outbox = field(default_factory=list)  # to other chats, sent after the commit


def _int(parts: list[str], position: int) -> int:
    try:
        return int(parts[position])
    except (IndexError, ValueError):
        raise NotFound(ui.STALE_BUTTON) from None


async def _start(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    try:
        view = await workouts.start_session(s, user, sid, context.now())
    except workouts.WorkoutInProgress as busy:
        view = await workouts.session_view(s, user, busy.session_id)
        sid = busy.session_id
        index = _first_open_exercise(view)
        _remember(context, sid, index)
        screen = await _exercise_screen(s, user, context, sid, index, view)
        screen.notice = f"You have <b>{esc(view.workout_name)}</b> in progress - here it is."
        return Outcome(WorkoutState.LOGGING, screen, edit=False)
    index = _first_open_exercise(view)
    _remember(context, sid, index)
    screen = await _exercise_screen(s, user, context, sid, index, view)
    return Outcome(WorkoutState.LOGGING, screen, edit=False)


async def _log_button(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    action, index, count = parts[0], _int(parts, 2), _int(parts, 3)
    view = await workouts.session_view(s, user, sid, lock=True)
    exercise = view.exercise(index)
    if len(exercise.sets) != count:
        return Outcome(None, toast=ui.ALREADY_LOGGED)
    if action == "done":
        planned = ui.next_set(exercise)
        if planned is None:
            raise DomainError("Type the set you did - there is no prescription to copy.")
        sets = [SetInput(reps=planned[0], weight_kg=planned[1], duration_seconds=planned[2])]
    else:
        if not exercise.sets:
            raise DomainError("There is no set to repeat yet.")
        last = exercise.sets[-1]
        sets = [SetInput(reps=last.reps, weight_kg=last.weight_kg, duration_seconds=last.duration_seconds)]
    result = await workouts.log_sets(s, user, sid, index, sets, expected_count=count, view=view)
    _remember(context, sid, index)
    chat = update.effective_chat
    assert chat is not None
    _rest(context, user, chat.id, result.exercise)
    screen = await _exercise_screen(s, user, context, sid, index, result.view)
    if result.records:
        screen.notice = ui.logged_text(result.added, result.exercise, user.weight_unit, result.records)
    return Outcome(WorkoutState.LOGGING, screen, toast="✅ Logged")


async def _undo(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index, count = _int(parts, 2), _int(parts, 3)
    view = await workouts.session_view(s, user, sid, lock=True)
    if len(view.exercise(index).sets) != count:
        return Outcome(None, toast=ui.STALE_BUTTON)
    view, removed = await workouts.undo_last_set(s, user, sid, index, view=view)
    stop_rest_timer(context.job_queue, _chat_id(update))
    _remember(context, sid, index)
    toast = f"Removed set {removed.number}"
    screen = await _exercise_screen(s, user, context, sid, index, view)
    return Outcome(WorkoutState.LOGGING, screen, toast=toast)


async def _next(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = _int(parts, 2)
    view = await workouts.session_view(s, user, sid)
    exercise = view.exercise(index)
    if parts[0] == "next" and exercise.working_sets and exercise.difficulty is None:
        _remember(context, sid, index)
        keyboard = ui.scale_keyboard("diff", sid, 1, 10, index, skip="Skip rating")
        return Outcome(WorkoutState.RATING, Screen(ui.difficulty_prompt(exercise), keyboard))
    return await _goto(s, user, context, sid, index + 1, view)


async def _goto(
    s: AsyncSession,
    user: User,
    context: BotContext,
    sid: uuid.UUID,
    index: int,
    view: workouts.SessionView | None = None,
) -> Outcome:
    _remember(context, sid, index)
    return Outcome(WorkoutState.LOGGING, await _exercise_screen(s, user, context, sid, index, view))


async def _go(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = _int(parts, 2)
    view = await workouts.session_view(s, user, sid)
    view.exercise(index)
    return await _goto(s, user, context, sid, index, view)


async def _difficulty(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = _int(parts, 2)
    view = None
    if len(parts) > 3 and parts[3] != "x":
        view = await workouts.rate_exercise(s, user, sid, index, _int(parts, 3))
    return await _goto(s, user, context, sid, index + 1, view)


async def _list(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    text, keyboard = ui.exercise_list(view, user.weight_unit)
    return Outcome(WorkoutState.LOGGING, Screen(text, keyboard))


async def _add(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    _remember(context, sid, len(view.exercises))
    return Outcome(WorkoutState.ADDING, Screen(ui.ADD_PROMPT))


async def _add_chosen(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    exercise_id = parse_id(parts[2]) if len(parts) > 2 else None
    if exercise_id is None:
        raise NotFound(ui.STALE_BUTTON)
    exercise = await workouts.add_extra_exercise(s, user, sid, exercise_id)
    return await _goto(s, user, context, sid, exercise.index)


async def _finish(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError("That workout is not in progress any more.")
    _remember(context, sid, 0)
    return Outcome(WorkoutState.EFFORT, Screen(ui.EFFORT_PROMPT, ui.scale_keyboard("eff", sid, 1, 10)))


async def _effort(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return _after_effort(context, sid, _int(parts, 2))


def _after_effort(context: BotContext, sid: uuid.UUID, effort: int) -> Outcome:
    screen = Screen(ui.SORENESS_PROMPT, ui.scale_keyboard("sore", sid, 0, 10))
    return _rated(context, sid, "effort", effort, (1, 10), WorkoutState.SORENESS, screen)


def _rated(
    context: BotContext,
    sid: uuid.UUID,
    what: str,
    value: int,
    scale: tuple[int, int],
    state: WorkoutState,
    screen: Screen,
) -> Outcome:
    """Keep a finishing rating (effort, soreness) for the final step, then ask the next question."""
    if not scale[0] <= value <= scale[1]:
        raise DomainError(f"{what.capitalize()} goes from {scale[0]} to {scale[1]}.")
    _remember(context, sid, 0)
    assert context.user_data is not None
    context.user_data[KEY][what] = value
    return Outcome(state, screen)


async def _soreness(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return _after_soreness(context, sid, _int(parts, 2))


def _after_soreness(context: BotContext, sid: uuid.UUID, soreness: int) -> Outcome:
    screen = Screen(ui.NOTE_PROMPT, ui.note_keyboard(sid))
    return _rated(context, sid, "soreness", soreness, (0, 10), WorkoutState.NOTE, screen)


async def _complete(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, note: str | None
) -> Outcome:
    data = (context.user_data or {}).get(KEY) or {}
    end = await workouts.finish_session(
        s, user, sid, context.now(), effort=data.get("effort"), soreness=data.get("soreness"), notes=note
    )
    _forget(context)
    stop_rest_timer(context.job_queue, _chat_id(update))
    notices = await coaching.workout_notices(s, user, end.summary)
    return Outcome(END, Screen(ui.summary_text(end.summary, user.weight_unit, end.advance)), outbox=notices)


async def _note_skipped(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return await _complete(s, user, update, context, sid, None)


async def _cancel(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    await workouts.own_session(s, user, sid)
    return Outcome(WorkoutState.LOGGING, Screen(ui.CANCEL_PROMPT, ui.cancel_keyboard(sid)))


async def _cancel_confirmed(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    summary = await workouts.cancel_session(s, user, sid, context.now())
    _forget(context)
    stop_rest_timer(context.job_queue, _chat_id(update))
    return Outcome(END, Screen(ui.summary_text(summary, user.weight_unit, None)))


async def _skip_workout(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    workout_session = await workouts.own_session(s, user, sid)
    if workout_session.session_status not in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS):
        raise DomainError("That workout is already over.")
    _remember(context, sid, 0)
    return Outcome(WorkoutState.SKIP_REASON, Screen(ui.SKIP_PROMPT, ui.skip_keyboard(sid)), edit=False)


async def _skip_reason(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    code = parts[2] if len(parts) > 2 else "none"
    if code != "none" and code not in ui.SKIP_REASON_TEXT:
        raise NotFound(ui.STALE_BUTTON)
    return await _skipped(s, user, update, context, sid, ui.SKIP_REASON_TEXT.get(code))


async def _skipped(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, reason: str | None
) -> Outcome:
    end = await workouts.skip_session(s, user, sid, context.now(), reason=reason)
    _forget(context)
    return Outcome(END, Screen(ui.summary_text(end.summary, user.weight_unit, end.advance)))


async def _keep(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    workout_session = await workouts.own_session(s, user, sid)
    if workout_session.session_status == SessionStatus.IN_PROGRESS:
        return await _goto(s, user, context, sid, 0)
    _forget(context)
    return Outcome(END, Screen("OK - the workout stays on your plan. See /today."))


ACTIONS: dict[str, Action] = {
    "start": _start,
    "done": _log_button,
    "same": _log_button,
    "undo": _undo,
    "next": _next,
    "skipx": _next,
    "go": _go,
    "diff": _difficulty,
    "list": _list,
    "add": _add,
    "addx": _add_chosen,
    "fin": _finish,
    "eff": _effort,
    "sore": _soreness,
    "note": _note_skipped,
    "cancel": _cancel,
    "cancelok": _cancel_confirmed,
    "skipw": _skip_workout,
    "why": _skip_reason,
    "keep": _keep,
}


async def on_button(update: Update, context: BotContext) -> object:
    """Every `wk:` button: check it, run its action in one transaction, then show the result."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "wk")
    action = ACTIONS.get(parts[0]) if parts else None
    sid = parse_id(parts[1]) if parts and len(parts) > 1 else None
    if parts is None or action is None or sid is None:
        await query.answer(ui.STALE_BUTTON)
        return None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            outcome = await action(session, user, update, context, sid, parts)
            context.next_state(update, NAME, outcome.state)  # committed with the data, before the screen
    except NotFound:
        await query.answer(ui.NOT_YOURS, show_alert=True)
        return None
    except workouts.AlreadyLogged:
        await query.answer(ui.ALREADY_LOGGED)
        return None
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
        return None
    with contextlib.suppress(BadRequest):  # answered too late (a busy bot): the action is done anyway
        await query.answer(outcome.toast)
    if outcome.screen is not None:
        await _show(update, outcome.screen, edit=outcome.edit)
    await coaching.deliver(context, outcome.outbox)
    return outcome.state


# -------------------------------------------------------------------------------------------------------
# typed text


StateCallback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]
TextStep = Callable[[AsyncSession, User, Update, BotContext, uuid.UUID, int, str], Awaitable[Outcome]]


async def _typed_sets(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    view = await workouts.session_view(s, user, sid, lock=True)
    if index >= len(view.exercises):
        raise DomainError("All exercises are done: tap Finish, or add an extra exercise.")
    exercise = view.exercise(index)
    sets = parse_sets(
        text, tracking=exercise.tracking, unit=user.weight_unit, last_weight_kg=exercise.last_weight_kg
    )
    result = await workouts.log_sets(s, user, sid, index, sets, view=view)
    chat = update.effective_chat
    assert chat is not None
    _rest(context, user, chat.id, result.exercise)
    screen = await _exercise_screen(s, user, context, sid, index, result.view)
    screen.notice = ui.logged_text(result.added, result.exercise, user.weight_unit, result.records)
    return Outcome(WorkoutState.LOGGING, screen, edit=False)


async def _typed_difficulty(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    view = await workouts.rate_exercise(s, user, sid, index, parse_rating(text, 1, 10))
    return await _goto(s, user, context, sid, index + 1, view)


async def _typed_search(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    query = text.strip()[:60]
    found = await workouts.search_exercises(s, query)
    result_text, keyboard = ui.search_results(sid, query, [(e.id, e.name) for e in found])
    return Outcome(WorkoutState.ADDING, Screen(result_text, keyboard), edit=False)


async def _typed_effort(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return _after_effort(context, sid, parse_rating(text, 1, 10))


async def _typed_soreness(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return _after_soreness(context, sid, parse_rating(text, 0, 10))


async def _typed_note(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return await _complete(s, user, update, context, sid, text)


async def _typed_reason(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return await _skipped(s, user, update, context, sid, text)


def _remembered(context: BotContext) -> uuid.UUID | None:
    data = (context.user_data or {}).get(KEY) or {}
    try:
        return uuid.UUID(data["session"]) if data.get("session") else None
    except ValueError:
        return None


def _on_text(step: TextStep, *, remembered: bool = False) -> StateCallback:
    """A text handler for a state: `step` gets the workout in progress (or, with `remembered`, the
    session the conversation is about, e.g. a planned one being skipped)."""

    async def handle(update: Update, context: BotContext) -> object:
        message = update.effective_message
        assert message is not None and message.text is not None
        try:
            async with context.db() as session:
                user = await user_for(session, update, context)
                if remembered:
                    sid = _remembered(context)
                    current = (sid, 0) if sid is not None else None
                else:
                    current = await _current(session, user, context)
                if current is None:
                    outcome = Outcome(END, Screen(ui.NOTHING_IN_PROGRESS))
                else:
                    outcome = await step(session, user, update, context, *current, message.text)
                context.next_state(update, NAME, outcome.state)  # committed with the data, before the screen
        except DomainError as error:
            await message.reply_text(esc(error.reason))
            return None
        if outcome.screen is not None:
            await _show(update, outcome.screen, edit=False)
        await coaching.deliver(context, outcome.outbox)
        return outcome.state

    return handle


async def resume_command(update: Update, context: BotContext) -> object:
    """/workout: show the workout in progress again."""
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        current = await _current(session, user, context)
        if current is None:
            screen = None
        else:
            screen = await _exercise_screen(session, user, context, *current)
        context.next_state(update, NAME, END if screen is None else WorkoutState.LOGGING)
    if screen is None:
        await message.reply_text(ui.NOTHING_IN_PROGRESS)
        return END
    await _show(update, screen, edit=False)
    return WorkoutState.LOGGING


def build_conversation(persistent: bool) -> ConversationHandler[BotContext]:
    buttons = CallbackQueryHandler(on_button, pattern=r"^wk:")
    resume = CommandHandler("workout", resume_command)
    with warnings.catch_warnings():
        # Deliberate: one conversation per user and chat, with buttons on several messages (per_message
        # would tie a state to one message), so PTB's per_message hint does not apply.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return _conversation(buttons, resume, persistent)


def _conversation(
    buttons: CallbackQueryHandler[BotContext, object],
    resume: CommandHandler[BotContext, object],
    persistent: bool,
) -> ConversationHandler[BotContext]:
    return ConversationHandler(
        entry_points=[buttons, resume],
        states={
            WorkoutState.LOGGING: [buttons, MessageHandler(TEXT, _on_text(_typed_sets))],
            WorkoutState.RATING: [buttons, MessageHandler(TEXT, _on_text(_typed_difficulty))],
            WorkoutState.ADDING: [buttons, MessageHandler(TEXT, _on_text(_typed_search))],
            WorkoutState.EFFORT: [buttons, MessageHandler(TEXT, _on_text(_typed_effort))],
            WorkoutState.SORENESS: [buttons, MessageHandler(TEXT, _on_text(_typed_soreness))],
            WorkoutState.NOTE: [buttons, MessageHandler(TEXT, _on_text(_typed_note))],
            WorkoutState.SKIP_REASON: [
                buttons,
                MessageHandler(TEXT, _on_text(_typed_reason, remembered=True)),
            ],
        },
        fallbacks=[resume],
        name=NAME,
        persistent=persistent,
        allow_reentry=True,
    )


def register(application: Any) -> None:
    application.add_handler(build_conversation(persistent=application.persistence is not None))


__all__ = ["WorkoutState", "build_conversation", "register", "workout_start"]
