"""/exercises (the catalog by muscle group and the user's own) and /exercise new NAME: an exercise of
the user's own, its muscle group, equipment and tracking asked with buttons (`cx:` callback data).

"Create exercise" under an unknown name typed with a set in a workout (`cx:new`) starts the same
questions; once created, the typed set is logged in that workout.
"""

from __future__ import annotations

import uuid
from typing import Any, Final

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.db.enums import SessionStatus, TrackingType
from bot.handlers.base import user_for
from bot.handlers.quick_workout import log_for
from bot.handlers.workout_flow import Screen, WorkoutState, remember_step, show
from bot.i18n import _
from bot.services import custom_exercises as custom
from bot.services import workouts
from bot.services.errors import DomainError
from bot.ui import exercises as ui
from bot.ui.callback import unpack
from bot.ui.texts import esc

NEW_WORDS: Final = frozenset({"new", "новое", "новый", "создать"})
"""/exercise new NAME, in English or Russian (/exercise новое НАЗВАНИЕ)."""
PENDING: Final = "custom_exercise"
"""user_data: the exercise being created: {"name", "group", "equipment", and from a workout "sets",
"session"}."""


async def exercises_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        found = await custom.listing(session, user)
        own = [(e.name, e.muscle_group, ui.tracking_name(e.tracking_type)) for e in found.own]
        shared = [(e.name, e.muscle_group, ui.tracking_name(e.tracking_type)) for e in found.from_programs]
        text = ui.listing(found.catalog, custom.ordered_groups(list(found.catalog)), own, shared)
    await message.reply_text(text)


async def exercise_command(update: Update, context: BotContext) -> None:
    """/exercise new NAME (or /exercise новое НАЗВАНИЕ)."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    args = context.args or []
    if not args or args[0].lower() not in NEW_WORDS:
        await message.reply_text(_(ui.NEW_USAGE))
        return
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            name = await custom.check_name(session, user, " ".join(args[1:]))
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return
    context.user_data[PENDING] = {"name": name}
    text, keyboard = ui.ask_muscle_group(name, custom.MUSCLE_GROUPS)
    await message.reply_text(text, reply_markup=keyboard)


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    assert query is not None and context.user_data is not None
    parts = unpack(query.data, "cx") or []
    pending = context.user_data.get(PENDING)
    if not parts or not isinstance(pending, dict) or not isinstance(pending.get("name"), str):
        await query.answer(_(ui.EXPIRED), show_alert=True)
        return
    name = pending["name"]
    value = parts[1] if len(parts) > 1 else ""
    if parts[0] == "new":
        text, keyboard = ui.ask_muscle_group(name, custom.MUSCLE_GROUPS)
    elif parts[0] == "m" and value in custom.MUSCLE_GROUPS:
        pending["group"] = value
        text, keyboard = ui.ask_equipment(name, custom.EQUIPMENT)
    elif parts[0] == "e" and value in custom.EQUIPMENT and "group" in pending:
        pending["equipment"] = value
        text, keyboard = ui.ask_tracking(name)
    elif parts[0] == "t" and value in TrackingType.__members__ and "equipment" in pending:
        await _create(update, context, pending, TrackingType(value))
        return
    else:
        await query.answer(_(ui.EXPIRED), show_alert=True)
        return
    await query.answer()
    await show(update, Screen(text, keyboard), edit=True)


async def _create(
    update: Update, context: BotContext, pending: dict[str, Any], tracking: TrackingType
) -> None:
    query = update.callback_query
    assert query is not None and context.user_data is not None
    logged: Screen | None = None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            exercise = await custom.create_exercise(
                session,
                user,
                pending["name"],
                muscle_group=pending["group"],
                equipment=pending["equipment"],
                tracking=tracking,
            )
            sets, sid = pending.get("sets"), _uuid(pending.get("session"))
            notice = ui.created(exercise.name, exercise.muscle_group, exercise.equipment, tracking, not sets)
            if (
                isinstance(sets, str)
                and sid is not None
                and await workouts.in_progress_session(session, user) == sid
            ):
                view = await workouts.session_view(session, user, sid, lock=True)
                if view.status == SessionStatus.IN_PROGRESS:
                    try:
                        async with session.begin_nested():
                            outcome = await log_for(session, user, update, context, view, exercise.id, sets)
                    except DomainError as error:  # the set does not fit the tracking chosen
                        notice += f"\n{esc(error.reason)}"
                    else:
                        logged = outcome.screen
                        remember_step(context, WorkoutState.LOGGING)
                        context.next_state(update, "workout", WorkoutState.LOGGING)
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
        return
    context.user_data.pop(PENDING, None)
    await query.answer()
    await show(update, Screen(notice), edit=True)
    if logged is not None:
        await show(update, logged, edit=False)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


def register(application: Any) -> None:
    application.add_handler(CommandHandler("exercises", exercises_command))
    application.add_handler(CommandHandler("exercise", exercise_command))
    application.add_handler(CallbackQueryHandler(on_button, pattern=r"^cx:"))
