"""Quick workouts: /log (today or a past day), sets typed with an exercise's name in any workout, the
choice between close names, and the "start a quick workout with this set?" offer (`qk:go`).

Part of the workout conversation (bot.handlers.workout registers these as its entry points and actions),
so Finish, Cancel and the rest work as in a program workout.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.db.enums import SessionStatus, TrackingType
from bot.db.models import User
from bot.handlers.base import user_for
from bot.handlers.workout_flow import (
    END,
    Outcome,
    Screen,
    WorkoutState,
    exercise_screen,
    memory,
    remember,
    remember_step,
    show,
)
from bot.handlers.workout_logging import _checked_log, typed_difficulty
from bot.handlers.workout_logging import typed_sets as typed_bare_sets
from bot.i18n import _
from bot.services import quick_workouts as quick
from bot.services import workouts
from bot.services.errors import DomainError, NotFound
from bot.services.exercise_match import NAME_MAX, Match
from bot.services.set_input import SetInputError, parse_sets
from bot.ui import exercises as exercises_ui
from bot.ui import quick as ui
from bot.ui import workout as workout_ui
from bot.ui.callback import parse_id
from bot.ui.texts import esc

CONVERSATION = "workout"
OFFER_KEY = "quick_offer"
CREATE_KEY = "custom_exercise"
"""user_data: the exercise "Create exercise" makes (bot.handlers.exercises reads it)."""


async def log_command(update: Update, context: BotContext) -> object:
    """/log [date]: a new quick workout, or the one in progress."""
    message = update.effective_message
    assert message is not None
    argument = " ".join(context.args or [])
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            outcome, _offer = await _start(session, user, context, argument)
            remember_step(context, outcome.state)
            context.next_state(update, CONVERSATION, outcome.state)
    except DomainError as error:
        await message.reply_text(f"{esc(error.reason)}\n{_(ui.LOG_USAGE)}")
        return None
    assert outcome.screen is not None
    await show(update, outcome.screen, edit=False)
    return outcome.state


async def _start(
    session: AsyncSession, user: User, context: BotContext, argument: str
) -> tuple[Outcome, uuid.UUID | None]:
    """A quick workout started (with its id), or the screen of the one already in progress."""
    day = quick.workout_day(argument, user, context.now())
    try:
        sid = await quick.start_quick(session, user, context.now(), day)
    except workouts.WorkoutInProgress as busy:
        view = await workouts.session_view(session, user, busy.session_id)
        remember(context, busy.session_id, 0)
        screen = await exercise_screen(session, user, context, busy.session_id, 0, view)
        screen.notice = _("You have <b>{workout}</b> in progress - here it is.").format(
            workout=esc(view.workout_name)
        )
        return Outcome(WorkoutState.LOGGING, screen, edit=False), None
    view = await workouts.session_view(session, user, sid)
    remember(context, sid, 0)
    screen = Screen(ui.started(view.workout_name), ui.started_keyboard(sid))
    return Outcome(WorkoutState.LOGGING, screen), sid


async def typed_sets(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    """A set typed in a workout: with an exercise's name, for that exercise (added as an extra when the
    workout lacks it); without, for the current exercise (the one last logged)."""
    read = await quick.read_named(s, user, text)
    if read is not None:
        return await _named(s, user, update, context, sid, *read)
    try:
        return await typed_bare_sets(s, user, update, context, sid, index, text)
    except DomainError:
        if (await workouts.session_view(s, user, sid)).exercises:
            raise
        return Outcome(WorkoutState.LOGGING, Screen(_(ui.NAME_FIRST)), edit=False)  # nothing logged yet


async def typed_rating(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    """While "how hard was it?" is asked: a set typed with an exercise's name is logged there (the rating
    is left unanswered); anything else is a rating, or a set for the next exercise, as before."""
    read = await quick.read_named(s, user, text)
    if read is not None:
        return await _named(s, user, update, context, sid, *read)
    return await typed_difficulty(s, user, update, context, sid, index, text)


async def _named(
    s: AsyncSession,
    user: User,
    update: Update,
    context: BotContext,
    sid: uuid.UUID,
    name: str,
    sets: str,
    match: Match,
) -> Outcome:
    """Log `sets` for the exercise `name` means; the choices when it is ambiguous; what to do when
    the name matches nothing (nothing is written)."""
    if match.exercise is not None:
        view = await workouts.session_view(s, user, sid, lock=True)
        return await log_for(s, user, update, context, view, match.exercise.id, sets)
    assert context.user_data is not None
    context.user_data[CREATE_KEY] = {"name": name[:NAME_MAX], "sets": sets[:100], "session": str(sid)}
    if match.choices:
        memory(context)["named"] = sets[:100]
        text, keyboard = ui.which_exercise(name, [(c.id, c.name) for c in match.choices], sid)
        keyboard = InlineKeyboardMarkup(
            [*keyboard.inline_keyboard, *exercises_ui.create_button().inline_keyboard]
        )
        return Outcome(WorkoutState.LOGGING, Screen(text, keyboard), edit=False)
    screen = Screen(ui.unknown_exercise(name), exercises_ui.create_button())
    return Outcome(WorkoutState.LOGGING, screen, edit=False)


async def log_for(
    s: AsyncSession,
    user: User,
    update: Update,
    context: BotContext,
    view: workouts.SessionView,
    exercise_id: uuid.UUID,
    sets_text: str,
) -> Outcome:
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    exercise = await quick.exercise_in(s, user, view, exercise_id)
    sets = parse_sets(
        sets_text, tracking=exercise.tracking, unit=user.weight_unit, last_weight_kg=exercise.last_weight_kg
    )
    view = await workouts.session_view(s, user, view.id, lock=True)
    return await _checked_log(s, user, update, context, view, view.exercise(exercise.index), sets)


async def pick(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """wk:pick:<session>:<exercise> - the exercise meant by an ambiguous name: log the typed set there."""
    exercise_id = parse_id(parts[2]) if len(parts) > 2 else None
    pending = memory(context).get("named")
    if exercise_id is None:
        raise NotFound(_(workout_ui.STALE_BUTTON))
    if not isinstance(pending, str):
        return Outcome(None, toast=_(workout_ui.STALE_BUTTON))
    view = await workouts.session_view(s, user, sid, lock=True)
    outcome = await log_for(s, user, update, context, view, exercise_id, pending)
    memory(context).pop("named", None)
    return outcome


# -------------------------------------------------------------------------------------------------------
# the offer made while no workout is open (bot.handlers.fallback)


async def offer(s: AsyncSession, user: User, context: BotContext, text: str) -> str | None:
    """The offer's text when `text` is a set with a known exercise's name (remembered for the button),
    else None."""
    read = await quick.read_named(s, user, text)
    if read is None:
        return None
    name, body, match = read
    tracking = match.exercise.tracking if match.exercise is not None else None
    try:
        parse_sets(body, tracking=TrackingType(tracking or "WEIGHT_REPS"), unit=user.weight_unit)
    except SetInputError:
        return None
    if match.unknown:
        return None
    assert context.user_data is not None
    context.user_data[OFFER_KEY] = text[:160]
    return ui.offer(match.exercise.name if match.exercise else name, body)


async def offer_accepted(update: Update, context: BotContext) -> object:
    """qk:go - start a quick workout now and log the set that was typed."""
    query = update.callback_query
    assert query is not None
    data = context.user_data or {}
    text = data.get(OFFER_KEY)
    if not isinstance(text, str):
        await query.answer(_(ui.OFFER_GONE), show_alert=True)
        return None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            read = await quick.read_named(session, user, text)
            if read is None:
                raise DomainError(_(ui.OFFER_GONE))
            outcome, sid = await _start(session, user, context, "")
            if sid is not None:
                outcome = await _named(session, user, update, context, sid, *read)
            remember_step(context, outcome.state)
            context.next_state(update, CONVERSATION, outcome.state)
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
        return None
    data.pop(OFFER_KEY, None)
    await query.answer()
    if outcome.screen is not None:
        await show(update, outcome.screen, edit=True)
    return outcome.state if outcome.state is not None else END
