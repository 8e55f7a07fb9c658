"""The last handler of group 0: every private message no conversation or command claimed gets a reply
that fits its context, instead of silence.

- a workout in progress (its conversation lost track, e.g. it was ended elsewhere): a pointer to /workout;
- text that is a set, typed soon after finishing a workout: an offer to add it to that workout (the
  buttons are `wk:late:` ones, handled by the workout conversation);
- a set with an exercise's name ("bench 60x8"): an offer to start a quick workout with it (`qk:go`);
- anything else: "no workout in progress, /today" - or, for a photo, sticker, voice message...,
  that it cannot be used here.

Registered after every feature (see bot.app.register_handlers), so the typed flows of other
conversations (time zone, measurements, searches, program uploads) keep their messages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import MessageHandler, filters

from bot.context import BotContext
from bot.db.enums import WeightUnit
from bot.handlers import quick_workout as quick
from bot.handlers.base import user_for
from bot.handlers.workout_logging import LATE_KEY
from bot.i18n import N_, _
from bot.services import workouts
from bot.services.set_input import SetInputError, parse_sets
from bot.ui import quick as quick_ui
from bot.ui import workout as ui

LATE_WINDOW: Final = timedelta(hours=3)
"""How long after finishing a typed set is offered to the workout just finished."""

MESSAGES = filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.COMMAND


def kind_of(message: Message) -> str | None:
    """What a message without text is, in words ('photos', 'stickers'...); None for text."""
    if message.text:
        return None
    kinds = (
        ("photo", N_("photos")),
        ("sticker", N_("stickers")),
        ("voice", N_("voice messages")),
        ("video_note", N_("video messages")),
        ("video", N_("videos")),
        ("animation", N_("GIFs")),
        ("audio", N_("audio files")),
        ("document", N_("files")),
        ("location", N_("locations")),
        ("contact", N_("contacts")),
        ("poll", N_("polls")),
    )
    words = next((words for attribute, words in kinds if getattr(message, attribute, None)), None)
    return _(words) if words is not None else _("messages like this")


async def on_message(update: Update, context: BotContext) -> None:
    message = update.effective_message
    if message is None:
        return
    kind = kind_of(message)
    reply: str | None = None
    markup: InlineKeyboardMarkup | None = None
    async with context.db() as session:
        user = await user_for(session, update, context)
        open_id = await workouts.in_progress_session(session, user)
        if open_id is not None:
            view = await workouts.session_view(session, user, open_id)
            if kind is None:
                reply = ui.in_progress_hint(view.workout_name)
            else:
                reply = _(ui.MEDIA_IN_WORKOUT).format(what=kind)
        elif kind is None and message.text:
            finished = await workouts.recently_finished(session, user, context.now(), LATE_WINDOW)
            if finished is not None:
                view = await workouts.session_view(session, user, finished)
                fits = [e for e in view.exercises if _reads_as_set(message.text, e, user.weight_unit)]
                if fits:
                    assert context.user_data is not None
                    context.user_data[LATE_KEY] = {"session": str(finished), "text": message.text[:100]}
                    reply = ui.late_offer(message.text, view.workout_name)
                    markup = ui.late_keyboard(finished, fits)
            if reply is None and (reply := await quick.offer(session, user, context, message.text)):
                markup = quick_ui.offer_keyboard()
    if reply is None:
        reply = _(ui.NO_WORKOUT_HINT) if kind is None else _(ui.MEDIA_IDLE).format(what=kind)
    await message.reply_text(reply, reply_markup=markup)


def _reads_as_set(text: str, exercise: workouts.ExerciseView, unit: WeightUnit) -> bool:
    try:
        parse_sets(text, tracking=exercise.tracking, unit=unit, last_weight_kg=exercise.last_weight_kg)
    except SetInputError:
        return False
    return True


def register(application: Any) -> None:
    """Register last in group 0 (bot.app does it after every feature and the unknown-command reply)."""
    application.add_handler(MessageHandler(MESSAGES, on_message))
