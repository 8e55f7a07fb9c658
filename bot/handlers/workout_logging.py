"""Logging sets: starting, the exercise card's buttons, typed sets, "did you mean ...?" for a set far
outside the trainee's history, the per-exercise rating, extra exercises, and a set added after the
workout was finished."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.enums import SessionStatus, SetType
from bot.db.models import User
from bot.handlers import workout_readiness
from bot.handlers.workout_flow import (
    Outcome,
    Screen,
    WorkoutState,
    chat_id_of,
    exercise_screen,
    first_open_exercise,
    goto,
    int_part,
    memory,
    remember,
    rest,
)
from bot.i18n import _
from bot.jobs.rest_timer import stop_rest_timer
from bot.services import workouts
from bot.services.errors import DomainError, NotFound
from bot.services.rating_input import RatingError, parse_rating
from bot.services.records import Bests
from bot.services.set_input import SetInput, SetInputError, parse_sets
from bot.ui import workout as ui
from bot.ui.callback import parse_id
from bot.ui.texts import esc

LATE_KEY = "workout_late"


async def start(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    try:
        view = await workouts.start_session(s, user, sid, context.now())
    except workouts.WorkoutInProgress as busy:
        view = await workouts.session_view(s, user, busy.session_id)
        sid = busy.session_id
        index = first_open_exercise(view)
        remember(context, sid, index)
        screen = await exercise_screen(s, user, context, sid, index, view)
        screen.notice = _("You have <b>{workout}</b> in progress - here it is.").format(
            workout=esc(view.workout_name)
        )
        return Outcome(WorkoutState.LOGGING, screen, edit=False)
    question = await workout_readiness.ask_first(s, user, sid, view)
    if question is not None:
        return question
    index = first_open_exercise(view)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    return Outcome(WorkoutState.LOGGING, screen, edit=False)


async def log_button(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    action, index, count = parts[0], int_part(parts, 2), int_part(parts, 3)
    view = await workouts.session_view(s, user, sid, lock=True)
    exercise = view.exercise(index)
    if len(exercise.sets) != count:
        return Outcome(None, toast=_(ui.ALREADY_LOGGED))
    if action == "done":
        last = await workouts.last_time(s, user, exercise.exercise_id, exclude_session=sid)
        planned = ui.next_set(exercise, user.weight_unit, last)
        if planned is None:
            raise DomainError(_("Type the set you did - there is no prescription to copy."))
        sets = [SetInput(reps=planned[0], weight_kg=planned[1], duration_seconds=planned[2])]
    else:
        if not exercise.sets:
            raise DomainError(_("There is no set to repeat yet."))
        previous = exercise.sets[-1]
        sets = [
            SetInput(
                reps=previous.reps,
                weight_kg=previous.weight_kg,
                duration_seconds=previous.duration_seconds,
                distance_m=previous.distance_m,
                assistance_kg=previous.assistance_kg,
                calories=previous.calories,
            )
        ]
    outcome = await _log(s, user, update, context, view, exercise, sets, count=count, notice=False, edit=True)
    outcome.toast = _("✅ Logged")
    return outcome


async def _log(
    s: AsyncSession,
    user: User,
    update: Update,
    context: BotContext,
    view: workouts.SessionView,
    exercise: workouts.ExerciseView,
    sets: list[SetInput],
    *,
    count: int | None = None,
    notice: bool = True,
    edit: bool = False,
    history: Bests | None = None,
) -> Outcome:
    """Log the sets, start the rest timer, and show the card with what was logged on top."""
    result = await workouts.log_sets(
        s, user, view.id, exercise.index, sets, expected_count=count, view=view, history=history
    )
    memory(context).pop("pending", None)
    remember(context, view.id, exercise.index)
    rest(context, user, chat_id_of(update), result.view, result.exercise)
    screen = await exercise_screen(s, user, context, view.id, exercise.index, result.view)
    if notice or result.records:
        screen.notice = ui.logged_text(result.added, result.exercise, user.weight_unit, result.records)
    return Outcome(WorkoutState.LOGGING, screen, edit=edit)


async def undo(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index, count = int_part(parts, 2), int_part(parts, 3)
    view = await workouts.session_view(s, user, sid, lock=True)
    if len(view.exercise(index).sets) != count:
        return Outcome(None, toast=_(ui.STALE_BUTTON))
    view, removed = await workouts.undo_last_set(s, user, sid, index, view=view)
    stop_rest_timer(context.job_queue, chat_id_of(update))
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index, view)
    return Outcome(
        WorkoutState.LOGGING, screen, toast=_("Removed set {number}").format(number=removed.number)
    )


def asks_rating(user: User, exercise: workouts.ExerciseView) -> bool:
    """The per-exercise rating: asked after working sets, unless turned off, never for warm-up,
    mobility or cardio items, and only once."""
    return (
        user.exercise_rating_enabled
        and bool(exercise.working_sets)
        and exercise.difficulty is None
        and not exercise.is_conditioning
    )


async def next_exercise(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    view = await workouts.session_view(s, user, sid)
    exercise = view.exercise(index)
    if parts[0] == "next" and asks_rating(user, exercise):
        remember(context, sid, index)
        return Outcome(WorkoutState.RATING, rating_screen(sid, exercise))
    return await goto(s, user, context, sid, index + 1, view)


def rating_screen(sid: uuid.UUID, exercise: workouts.ExerciseView) -> Screen:
    keyboard = ui.scale_keyboard("diff", sid, 1, 10, exercise.index, skip=_("Skip rating"))
    return Screen(ui.difficulty_prompt(exercise), keyboard)


async def go(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    view = await workouts.session_view(s, user, sid)
    view.exercise(index)
    return await goto(s, user, context, sid, index, view)


async def difficulty(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    view = None
    if len(parts) > 3 and parts[3] != "x":
        view = await workouts.rate_exercise(s, user, sid, index, int_part(parts, 3))
    return await goto(s, user, context, sid, index + 1, view)


async def exercise_list(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    text, keyboard = ui.exercise_list(view, user.weight_unit)
    return Outcome(WorkoutState.LOGGING, Screen(text, keyboard))


async def add(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    remember(context, sid, len(view.exercises))
    return Outcome(WorkoutState.ADDING, Screen(_(ui.ADD_PROMPT)))


async def add_chosen(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    exercise_id = parse_id(parts[2]) if len(parts) > 2 else None
    if exercise_id is None:
        raise NotFound(_(ui.STALE_BUTTON))
    exercise = await workouts.add_extra_exercise(s, user, sid, exercise_id)
    return await goto(s, user, context, sid, exercise.index)


# -------------------------------------------------------------------------------------------------------
# typed sets, and "did you mean ...?"


async def typed_sets(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    view = await workouts.session_view(s, user, sid, lock=True)
    if index >= len(view.exercises):
        raise DomainError(_("All exercises are done: tap Finish, or add an extra exercise."))
    exercise = view.exercise(index)
    sets = parse_sets(
        text, tracking=exercise.tracking, unit=user.weight_unit, last_weight_kg=exercise.last_weight_kg
    )
    return await _checked_log(s, user, update, context, view, exercise, sets)


async def _checked_log(
    s: AsyncSession,
    user: User,
    update: Update,
    context: BotContext,
    view: workouts.SessionView,
    exercise: workouts.ExerciseView,
    sets: list[SetInput],
) -> Outcome:
    """Log typed sets, unless one is far outside the trainee's history: then ask first."""
    history = await workouts.exercise_history(s, user, view.id, exercise)
    odd = workouts.outlier(exercise, sets, history)
    if odd is None:
        return await _log(s, user, update, context, view, exercise, sets, history=history)
    alternative = _alternative(sets, odd)
    if alternative is not None and workouts.outlier(exercise, alternative, history):
        alternative = None
    remember(context, view.id, exercise.index)
    memory(context)["pending"] = {
        "index": exercise.index,
        "count": len(exercise.sets),
        "sets": [_stored(x) for x in sets],
        "alternative": [_stored(x) for x in alternative] if alternative else None,
    }
    unit = user.weight_unit
    text = ui.outlier_question(exercise, sets, alternative, odd, unit)
    keyboard = ui.outlier_keyboard(view.id, exercise, sets, alternative, unit)
    return Outcome(WorkoutState.LOGGING, Screen(text, keyboard), edit=False)


def _alternative(sets: list[SetInput], odd: workouts.Outlier) -> list[SetInput] | None:
    """What was probably meant: one digit fewer on the odd reps (50 -> 5) or weight (600 -> 60)."""
    changed = []
    for item in sets:
        if odd.reps is not None and item.reps is not None and item.reps > workouts.OUTLIER_REPS:
            item = replace(item, reps=item.reps // 10)
        elif odd.weight_kg is not None and item.weight_kg is not None and item.weight_kg == odd.weight_kg:
            tenth = (item.weight_kg / 10).quantize(Decimal("0.01"))
            if odd.best_kg is None or tenth < odd.best_kg / 2:  # 100 -> 10 is no likelier than 100
                return None
            item = replace(item, weight_kg=tenth)
        changed.append(item)
    if changed == sets or any((x.reps is not None and x.reps < 1) for x in changed):
        return None
    return changed


def _stored(item: SetInput) -> list[Any]:
    """A set as JSON for the pending confirmation (the first four items as before the set language)."""

    def text(value: Decimal | None) -> str | None:
        return str(value) if value is not None else None

    return [
        item.reps,
        text(item.weight_kg),
        item.duration_seconds,
        item.is_warmup,
        item.set_type.value,
        text(item.rpe),
        item.rir,
        text(item.distance_m),
        text(item.assistance_kg),
        item.calories,
    ]


def _loaded(row: list[Any]) -> SetInput:
    reps, weight, seconds, warmup, *extra = row

    def number(value: Any) -> Decimal | None:
        return Decimal(value) if value is not None else None

    if not extra:  # stored before the set language
        return SetInput(reps, number(weight), seconds, bool(warmup))
    kind, rpe, rir, distance, assistance, *later = extra
    return SetInput(
        reps,
        number(weight),
        seconds,
        bool(warmup),
        SetType(kind),
        number(rpe),
        rir,
        number(distance),
        number(assistance),
        later[0] if later else None,  # calories, stored since migration 0015
    )


async def confirm(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """wk:sure:<session>:<index>:<count>:<o|a|x> - log the sets as typed (o), as probably meant (a), or
    neither (x)."""
    index, count, choice = int_part(parts, 2), int_part(parts, 3), parts[4] if len(parts) > 4 else ""
    pending = memory(context).get("pending")
    view = await workouts.session_view(s, user, sid, lock=True)
    exercise = view.exercise(index)
    if (
        not isinstance(pending, dict)
        or pending.get("index") != index
        or pending.get("count") != count
        or len(exercise.sets) != count
        or choice not in ("o", "a", "x")
    ):
        return Outcome(None, toast=_(ui.STALE_BUTTON))
    if choice == "x":
        memory(context).pop("pending", None)
        screen = await exercise_screen(s, user, context, sid, index, view)
        screen.notice = _(ui.NOT_LOGGED)
        return Outcome(WorkoutState.LOGGING, screen)
    rows = pending["sets"] if choice == "o" else pending.get("alternative")
    if not rows:
        return Outcome(None, toast=_(ui.STALE_BUTTON))
    sets = [_loaded(row) for row in rows]
    # the question's message becomes the card, with what was logged on top
    return await _log(s, user, update, context, view, exercise, sets, count=count, edit=True)


# -------------------------------------------------------------------------------------------------------
# the per-exercise rating, typed: a set typed instead goes to the next exercise


async def typed_difficulty(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    try:
        rating = parse_rating(text, 1, 10)
    except RatingError:
        view = await workouts.session_view(s, user, sid, lock=True)
        if index + 1 >= len(view.exercises):
            raise
        following = view.exercise(index + 1)
        try:
            sets = parse_sets(
                text,
                tracking=following.tracking,
                unit=user.weight_unit,
                last_weight_kg=following.last_weight_kg,
            )
        except SetInputError:
            raise RatingError(ui.rating_or_set(text)) from None
        return await _checked_log(s, user, update, context, view, following, sets)
    view = await workouts.rate_exercise(s, user, sid, index, rating)
    return await goto(s, user, context, sid, index + 1, view)


async def typed_search(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    query = text.strip()[:60]
    found = await workouts.search_exercises(s, query, user_id=user.id)
    result_text, keyboard = ui.search_results(sid, query, [(e.id, e.name) for e in found])
    return Outcome(WorkoutState.ADDING, Screen(result_text, keyboard), edit=False)


# -------------------------------------------------------------------------------------------------------
# a set typed after finishing: offered to the workout just finished


async def late(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """wk:late:<session>:<index|x> - add the set typed after finishing to an exercise of that workout."""
    data = context.user_data
    assert data is not None
    pending = data.get(LATE_KEY)
    if not isinstance(pending, dict) or pending.get("session") != str(sid):
        return Outcome(None, toast=_(ui.STALE_BUTTON))
    if len(parts) > 2 and parts[2] == "x":
        data.pop(LATE_KEY, None)
        return Outcome(None, Screen(_(ui.LATE_DECLINED)))  # another workout may be open: its state stays
    index = int_part(parts, 2)
    view = await workouts.session_view(s, user, sid, lock=True)
    exercise = view.exercise(index)
    sets = parse_sets(
        str(pending.get("text", "")),
        tracking=exercise.tracking,
        unit=user.weight_unit,
        last_weight_kg=exercise.last_weight_kg,
    )
    result = await workouts.log_sets(s, user, sid, index, sets, view=view, late=True)
    data.pop(LATE_KEY, None)
    text = ui.late_added(result.added, result.exercise, view.workout_name, user.weight_unit, result.records)
    return Outcome(None, Screen(text))
