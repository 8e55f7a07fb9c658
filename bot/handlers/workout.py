"""Logging a workout: one persistent ConversationHandler.

Buttons carry the session id (and the exercise index and the number of sets when drawn), so they work
in any state and after a restart; typed text is read according to the state (a set, a rating, a search,
a note, a reason). The current session and exercise live in user_data for the typed input, with the
question last asked, so /workout can ask it again. The steps live in workout_logging (sets) and
workout_finish (ending); workout_flow has what they share.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.error import BadRequest
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.db.models import User
from bot.handlers import coaching, routines
from bot.handlers import quick_workout as quick
from bot.handlers import workout_finish as finishing
from bot.handlers import workout_logging as logging_steps
from bot.handlers import workout_notes as notes
from bot.handlers import workout_plates as loading
from bot.handlers import workout_readiness as readiness
from bot.handlers import workout_swap as swap
from bot.handlers.base import user_for, user_with_workout
from bot.handlers.workout_flow import (
    END,
    KEY,
    TEXT,
    Action,
    Screen,
    TextStep,
    WorkoutState,
    current,
    exercise_screen,
    remember_step,
    remembered,
    show,
)
from bot.i18n import _
from bot.services import workouts
from bot.services.errors import DomainError, NotFound
from bot.ui import workout as ui
from bot.ui.callback import parse_id, unpack, workout_start
from bot.ui.texts import esc

log = logging.getLogger(__name__)
NAME = "workout"
"""The ConversationHandler's name: its state is written in each update's own transaction."""

ACTIONS: dict[str, Action] = {
    "start": logging_steps.start,
    "done": logging_steps.log_button,
    "same": logging_steps.log_button,
    "undo": logging_steps.undo,
    "next": logging_steps.next_exercise,
    "skipx": logging_steps.next_exercise,
    "go": logging_steps.go,
    "diff": logging_steps.difficulty,
    "list": logging_steps.exercise_list,
    "add": logging_steps.add,
    "addx": logging_steps.add_chosen,
    "sure": logging_steps.confirm,
    "late": logging_steps.late,
    "fin": finishing.finish,
    "finok": finishing.finish_anyway,
    "discard": finishing.discard,
    "eff": finishing.effort,
    "sore": finishing.soreness,
    "note": finishing.note_skipped,
    "cancel": finishing.cancel,
    "cancelok": finishing.cancel_confirmed,
    "skipw": finishing.skip_workout,
    "why": finishing.skip_reason,
    "keep": finishing.keep,
    "pick": quick.pick,
    "nte": notes.ask,
    "nclr": notes.clear,
    "swp": swap.ask,
    "swx": swap.chosen,
    "rdy": readiness.answer,
    "plt": loading.plates,
    "wu": loading.warmup,
    "wul": loading.warmup_log,
}


async def on_button(update: Update, context: BotContext) -> object:
    """Every `wk:` button: check it, run its action in one transaction, then show the result."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "wk")
    action = ACTIONS.get(parts[0]) if parts else None
    sid = parse_id(parts[1]) if parts and len(parts) > 1 else None
    if parts is None or action is None or sid is None:
        await query.answer(_(ui.STALE_BUTTON))
        return None
    try:
        async with context.db() as session:
            user = await user_with_workout(session, update, context, sid)
            outcome = await action(session, user, update, context, sid, parts)
            remember_step(context, outcome.state)
            context.next_state(update, NAME, outcome.state)  # committed with the data, before the screen
    except NotFound:
        await query.answer(_(ui.NOT_YOURS), show_alert=True)
        return None
    except workouts.AlreadyLogged:
        await query.answer(_(ui.ALREADY_LOGGED))
        return None
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
        return None
    with contextlib.suppress(BadRequest):  # answered too late (a busy bot): the action is done anyway
        await query.answer(outcome.toast)
    if outcome.screen is not None:
        await show(update, outcome.screen, edit=outcome.edit)
    await coaching.deliver(context, outcome.outbox)
    return outcome.state


StateCallback = Callable[[Update, BotContext], Coroutine[Any, Any, object]]


async def _with_open_workout(session: AsyncSession, update: Update, context: BotContext) -> User:
    return await user_with_workout(session, update, context, None)


def _on_text(step: TextStep, *, planned: bool = False) -> StateCallback:
    """A text handler for a state: `step` gets the workout in progress (or, with `planned`, the
    session the conversation is about, e.g. a planned one being skipped)."""

    async def handle(update: Update, context: BotContext) -> object:
        message = update.effective_message
        assert message is not None and message.text is not None
        outcome = None
        try:
            async with context.db() as session:
                user = await (user_for if planned else _with_open_workout)(session, update, context)
                if planned:
                    sid = remembered(context)
                    found = (sid, 0) if sid is not None else None
                else:
                    found = await current(session, user, context)
                if found is not None:
                    outcome = await step(session, user, update, context, found[0], found[1], message.text)
                    remember_step(context, outcome.state)
                context.next_state(update, NAME, END if outcome is None else outcome.state)
        except DomainError as error:
            await message.reply_text(esc(error.reason))
            return None
        if outcome is None:
            await message.reply_text(_(ui.NOTHING_IN_PROGRESS))
            return END
        if outcome.screen is not None:
            await show(update, outcome.screen, edit=False)
        await coaching.deliver(context, outcome.outbox)
        return outcome.state

    return handle


async def resume_command(update: Update, context: BotContext) -> object:
    """/workout: the workout in progress again - the question that was open, else the exercise."""
    message = update.effective_message
    assert message is not None
    screen: Screen | None = None
    state: WorkoutState = WorkoutState.LOGGING
    async with context.db() as session:
        user = await user_for(session, update, context)
        found = await current(session, user, context)
        if found is not None:
            question = await finishing.open_question(session, user, context, *found)
            if question is not None:
                state, screen = question
            else:
                screen = await exercise_screen(session, user, context, *found)
            remember_step(context, state)
        context.next_state(update, NAME, END if screen is None else state)  # with the data
    if screen is None:
        await message.reply_text(_(ui.NOTHING_IN_PROGRESS))
        return END
    await show(update, screen, edit=False)
    return state


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
    quick_entries = [
        CommandHandler("log", quick.log_command),
        CallbackQueryHandler(quick.offer_accepted, pattern=r"^qk:"),
        routines.start_entry(),
    ]
    return ConversationHandler(
        entry_points=[buttons, resume, *quick_entries],
        states={
            WorkoutState.LOGGING: [buttons, MessageHandler(TEXT, _on_text(quick.typed_sets))],
            WorkoutState.RATING: [buttons, MessageHandler(TEXT, _on_text(quick.typed_rating))],
            WorkoutState.ADDING: [buttons, MessageHandler(TEXT, _on_text(logging_steps.typed_search))],
            WorkoutState.EFFORT: [buttons, MessageHandler(TEXT, _on_text(finishing.typed_effort))],
            WorkoutState.SORENESS: [buttons, MessageHandler(TEXT, _on_text(finishing.typed_soreness))],
            WorkoutState.NOTE: [buttons, MessageHandler(TEXT, _on_text(finishing.typed_note))],
            WorkoutState.EXERCISE_NOTE: [buttons, MessageHandler(TEXT, _on_text(notes.typed_note))],
            WorkoutState.SWAPPING: [buttons, MessageHandler(TEXT, _on_text(swap.typed_search))],
            WorkoutState.SKIP_REASON: [
                buttons,
                MessageHandler(TEXT, _on_text(finishing.typed_reason, planned=True)),
            ],
        },
        fallbacks=[resume, *quick_entries],
        name=NAME,
        persistent=persistent,
        allow_reentry=True,
    )


def register(application: Any) -> None:
    application.add_handler(build_conversation(persistent=application.persistence is not None))


__all__ = ["KEY", "WorkoutState", "build_conversation", "register", "workout_start"]
