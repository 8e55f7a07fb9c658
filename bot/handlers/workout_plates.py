"""Plates and warm-ups: the 🏋️ Plates and 🔥 Warm-up buttons of a workout's exercise card, and /plates.

The buttons are actions of the workout conversation (bot.handlers.workout routes ``wk:plt``, ``wk:wu``
and ``wk:wul`` here). The exercise comes from the user's own session (another user's session id is
NotFound), never from the button; its weight is the one the card's ✓ button would log (today's working
weight, last time's, or the prescription). The Warm-up button and the ramp's Log button carry the
number of sets drawn with them, so a second tap logs nothing (AlreadyLogged).

/plates WEIGHT shows the plates for any weight (`/plates 102.5`, `/plates 225lb`).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, CommandHandler

from bot.context import BotContext
from bot.db.enums import SessionStatus, TrackingType, WarmupMode
from bot.db.models import User
from bot.handlers.base import user_for
from bot.handlers.workout_flow import Outcome, Screen, WorkoutState, exercise_screen, int_part, remember
from bot.i18n import _
from bot.services import loading as loading_service
from bot.services import workouts
from bot.services.errors import DomainError
from bot.services.plates import BARBELL, LOADED_EQUIPMENT, plates_per_side, warmup_ramp
from bot.services.set_input import SetInputError, parse_weight
from bot.ui import plates as ui
from bot.ui import workout as workout_ui


def working_weight(
    exercise: workouts.ExerciseView, user: User, last: workouts.LastTime | None
) -> Decimal | None:
    """The weight the exercise is done with today: what the card's ✓ button would log."""
    if exercise.tracking != TrackingType.WEIGHT_REPS:
        return None
    planned = workout_ui.next_set(exercise, user.weight_unit, last)
    return planned[1] if planned is not None else None


async def _exercise(
    s: AsyncSession, user: User, sid: uuid.UUID, index: int, *, lock: bool = False
) -> tuple[workouts.SessionView, workouts.ExerciseView, Decimal | None]:
    view = await workouts.session_view(s, user, sid, lock=lock)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    exercise = view.exercise(index)
    last = await workouts.last_time(s, user, exercise.exercise_id, exclude_session=sid)
    return view, exercise, working_weight(exercise, user, last)


async def plates(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """🏋️ Plates: the card again, with what goes on each side of the bar for its weight on top."""
    index = int_part(parts, 2)
    view, exercise, weight = await _exercise(s, user, sid, index)
    if exercise.equipment != BARBELL:
        raise DomainError(_(ui.NOT_A_BARBELL))
    if weight is None:
        raise DomainError(_(ui.NO_WEIGHT))
    loading = await loading_service.loading_of(s, user)
    load = plates_per_side(weight, loading.bar_kg, loading.plates_kg, user.weight_unit)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    screen.notice = ui.plates_text(weight, loading.bar_kg, load, user.weight_unit)
    return Outcome(WorkoutState.LOGGING, screen)


async def warmup(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """🔥 Warm-up: log the ramp in one tap, or show it first with a button that logs it (the setting)."""
    return await _warmup(s, user, context, sid, parts, log=None)


async def warmup_log(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """🔥 Log warm-up, under the ramp shown first."""
    return await _warmup(s, user, context, sid, parts, log=True)


async def _warmup(
    s: AsyncSession, user: User, context: BotContext, sid: uuid.UUID, parts: list[str], *, log: bool | None
) -> Outcome:
    """Log the ramp (`log`), or show it; None: as the user's setting says."""
    index, count = int_part(parts, 2), int_part(parts, 3)
    loading = await loading_service.loading_of(s, user)
    if log is None:
        log = loading.warmup_mode is WarmupMode.LOG
    view, exercise, weight = await _exercise(s, user, sid, index, lock=log)
    if len(exercise.sets) != count:
        raise workouts.AlreadyLogged(_("Already logged."))
    if exercise.equipment not in LOADED_EQUIPMENT or exercise.tracking != TrackingType.WEIGHT_REPS:
        raise DomainError(_(ui.NOT_LOADED))
    if weight is None:
        raise DomainError(_(ui.NO_WARMUP_WEIGHT))
    if exercise.sets:
        raise DomainError(_(ui.WARMUP_ALREADY))
    unit = user.weight_unit
    barbell = exercise.equipment == BARBELL
    steps = warmup_ramp(weight, loading.bar_kg if barbell else None, loading.plates_kg, unit)
    if not steps:
        raise DomainError(_(ui.NO_RAMP))
    remember(context, sid, index)
    if not log:
        loads = [
            plates_per_side(step.weight_kg, loading.bar_kg, loading.plates_kg, unit) if barbell else None
            for step in steps
        ]
        text = ui.warmup_text(exercise.name, weight, steps, loads, unit)
        return Outcome(WorkoutState.LOGGING, Screen(text, ui.warmup_keyboard(sid, index, count)))
    result = await workouts.log_sets(
        s, user, sid, index, ui.warmup_sets(steps), expected_count=count, view=view
    )
    screen = await exercise_screen(s, user, context, sid, index, result.view)
    screen.notice = ui.warmup_logged(steps, unit)
    return Outcome(WorkoutState.LOGGING, screen, toast=_("🔥 Warm-up logged"))


async def plates_command(update: Update, context: BotContext) -> None:
    """/plates WEIGHT: the plates on each side for any weight, with the user's bar and plates."""
    message = update.effective_message
    assert message is not None
    text = " ".join(context.args or [])
    reply: str
    async with context.db() as session:
        user = await user_for(session, update, context)
        unit = user.weight_unit
        loading = await loading_service.loading_of(session, user)
    if not text:
        reply = ui.plates_usage(unit, loading.bar_kg, loading.plates_kg)
    else:
        try:
            total = parse_weight(text, unit=unit)
        except SetInputError as error:
            reply = ui.plates_problem(error.reason, unit)
        else:
            load = plates_per_side(total, loading.bar_kg, loading.plates_kg, unit)
            reply = ui.plates_text(total, loading.bar_kg, load, unit)
    await message.reply_text(reply)


def register(application: Application) -> None:  # type: ignore[type-arg]
    application.add_handler(CommandHandler("plates", plates_command))


__all__ = ["plates", "plates_command", "register", "warmup", "warmup_log", "working_weight"]
