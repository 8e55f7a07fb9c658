"""Ending a workout: Finish (asking first when nothing was logged), the effort, soreness and note
questions, Discard and Cancel, Skip with a reason; and the open question shown again by /workout."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.enums import SessionStatus
from bot.db.models import User
from bot.handlers import coaching
from bot.handlers import workout_notes as notes
from bot.handlers import workout_swap as swap
from bot.handlers.workout_flow import (
    END,
    Outcome,
    Screen,
    WorkoutState,
    chat_id_of,
    first_open_exercise,
    forget,
    goto,
    int_part,
    memory,
    remember,
)
from bot.handlers.workout_logging import rating_screen
from bot.i18n import _
from bot.jobs.rest_timer import stop_rest_timer
from bot.services import routines, stalls, workouts
from bot.services.errors import DomainError, NotFound
from bot.services.rating_input import parse_rating
from bot.ui import attention as attention_ui
from bot.ui import progression as progression_ui
from bot.ui import routines as routines_ui
from bot.ui import workout as ui


async def _in_progress_view(s: AsyncSession, user: User, sid: uuid.UUID) -> workouts.SessionView:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    return view


async def finish(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """🏁 Finish: the effort question; with nothing logged, first "finish anyway, or discard?"."""
    view = await _in_progress_view(s, user, sid)
    remember(context, sid, 0)
    if not any(exercise.sets for exercise in view.exercises):
        return Outcome(WorkoutState.LOGGING, Screen(_(ui.NOTHING_LOGGED), ui.nothing_logged_keyboard(sid)))
    return Outcome(WorkoutState.EFFORT, question_screen(WorkoutState.EFFORT, sid))


async def finish_anyway(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    await _in_progress_view(s, user, sid)
    remember(context, sid, 0)
    return Outcome(WorkoutState.EFFORT, question_screen(WorkoutState.EFFORT, sid))


async def discard(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    """Discard a workout with nothing logged: it is cancelled and stays on the plan; the day does not
    advance. (With sets logged meanwhile it is an ordinary cancel, which keeps them.)"""
    summary = await workouts.cancel_session(s, user, sid, context.now())
    forget(context)
    stop_rest_timer(context.job_queue, chat_id_of(update))
    if summary.sets:
        return Outcome(END, Screen(ui.summary_text(summary, user.weight_unit, None)))
    return Outcome(END, Screen(ui.discarded_text(summary.workout_name)))


def question_screen(state: WorkoutState, sid: uuid.UUID) -> Screen:
    """The finishing questions and the skip reason, as asked."""
    if state == WorkoutState.EFFORT:
        return Screen(_(ui.EFFORT_PROMPT), ui.scale_keyboard("eff", sid, 1, 10))
    if state == WorkoutState.SORENESS:
        return Screen(_(ui.SORENESS_PROMPT), ui.scale_keyboard("sore", sid, 0, 10))
    if state == WorkoutState.NOTE:
        return Screen(_(ui.NOTE_PROMPT), ui.note_keyboard(sid))
    if state == WorkoutState.SKIP_REASON:
        return Screen(_(ui.SKIP_PROMPT), ui.skip_keyboard(sid))
    return Screen(_(ui.ADD_PROMPT))


async def open_question(
    s: AsyncSession, user: User, context: BotContext, sid: uuid.UUID, index: int
) -> tuple[WorkoutState, Screen] | None:
    """The question the conversation last asked about this workout, if one is open (for /workout)."""
    data = memory(context)
    if data.get("session") != str(sid):
        return None
    try:
        state = WorkoutState(int(data.get("step", 0)))
    except ValueError:
        return None
    if state == WorkoutState.RATING:
        view = await workouts.session_view(s, user, sid)
        if 0 <= index < len(view.exercises):
            return state, rating_screen(sid, view.exercise(index))
        return None
    if state in (WorkoutState.EFFORT, WorkoutState.SORENESS, WorkoutState.NOTE, WorkoutState.ADDING):
        return state, question_screen(state, sid)
    if state in (WorkoutState.EXERCISE_NOTE, WorkoutState.SWAPPING):
        prompt = notes.prompt_screen if state == WorkoutState.EXERCISE_NOTE else swap.prompt_screen
        try:
            return state, await prompt(s, user, sid, index)
        except DomainError:  # the exercise can no longer be swapped (a set of it is logged): its card
            return None
    return None


async def effort(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return after_effort(context, sid, int_part(parts, 2))


def after_effort(context: BotContext, sid: uuid.UUID, value: int) -> Outcome:
    screen = question_screen(WorkoutState.SORENESS, sid)
    return _rated(context, sid, "effort", value, (1, 10), WorkoutState.SORENESS, screen)


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
        message = (
            _("Effort goes from {low} to {high}.")
            if what == "effort"
            else _("Soreness goes from {low} to {high}.")
        )
        raise DomainError(message.format(low=scale[0], high=scale[1]))
    remember(context, sid, 0)
    memory(context)[what] = value
    return Outcome(state, screen)


async def soreness(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return after_soreness(context, sid, int_part(parts, 2))


def after_soreness(context: BotContext, sid: uuid.UUID, value: int) -> Outcome:
    screen = question_screen(WorkoutState.NOTE, sid)
    return _rated(context, sid, "soreness", value, (0, 10), WorkoutState.NOTE, screen)


async def complete(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, note: str | None
) -> Outcome:
    data = memory(context)
    end = await workouts.finish_session(
        s, user, sid, context.now(), effort=data.get("effort"), soreness=data.get("soreness"), notes=note
    )
    forget(context)
    stop_rest_timer(context.job_queue, chat_id_of(update))
    notices = await coaching.workout_notices(s, user, end.summary)
    text = ui.summary_text(
        end.summary, user.weight_unit, end.advance, progression_ui.changes_text(end.targets, user.weight_unit)
    )
    stalled = await stalls.stalled_in_session(s, user, sid)
    if stalled:
        remedy = await stalls.remedy_for_session(s, user, sid)
        text += "\n\n" + "\n".join(attention_ui.stalled_lines(stalled, remedy))
    save = routines_ui.save_keyboard(sid) if await routines.savable_session(s, user, sid) else None
    return Outcome(END, Screen(text, save), outbox=notices)


async def note_skipped(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    return await complete(s, user, update, context, sid, None)


async def cancel(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    await workouts.own_session(s, user, sid)
    return Outcome(WorkoutState.LOGGING, Screen(_(ui.CANCEL_PROMPT), ui.cancel_keyboard(sid)))


async def cancel_confirmed(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    summary = await workouts.cancel_session(s, user, sid, context.now())
    forget(context)
    stop_rest_timer(context.job_queue, chat_id_of(update))
    return Outcome(END, Screen(ui.summary_text(summary, user.weight_unit, None)))


async def skip_workout(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    workout_session = await workouts.own_session(s, user, sid)
    if workout_session.session_status not in (SessionStatus.PLANNED, SessionStatus.IN_PROGRESS):
        raise DomainError(_("That workout is already over."))
    remember(context, sid, 0)
    screen = question_screen(WorkoutState.SKIP_REASON, sid)
    return Outcome(WorkoutState.SKIP_REASON, screen, edit=False)


async def skip_reason(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    code = parts[2] if len(parts) > 2 else "none"
    if code != "none" and code not in ui.SKIP_REASON_TEXT:
        raise NotFound(_(ui.STALE_BUTTON))
    return await skipped(s, user, update, context, sid, ui.SKIP_REASON_TEXT.get(code))


async def skipped(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, reason: str | None
) -> Outcome:
    end = await workouts.skip_session(s, user, sid, context.now(), reason=reason)
    forget(context)
    return Outcome(END, Screen(ui.summary_text(end.summary, user.weight_unit, end.advance)))


async def keep(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    workout_session = await workouts.own_session(s, user, sid)
    if workout_session.session_status == SessionStatus.IN_PROGRESS:
        view = await workouts.session_view(s, user, sid)
        return await goto(s, user, context, sid, first_open_exercise(view), view)
    forget(context)
    return Outcome(END, Screen(_(ui.KEPT_ON_PLAN)))


# typed answers


async def typed_effort(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return after_effort(context, sid, parse_rating(text, 1, 10))


async def typed_soreness(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return after_soreness(context, sid, parse_rating(text, 0, 10))


async def typed_note(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return await complete(s, user, update, context, sid, text)


async def typed_reason(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    return await skipped(s, user, update, context, sid, text)
