"""Swapping an exercise of the workout in progress (bot.services.exercise_swap): `wk:swp:<session>:<index>`
lists suggestions (the conversation waits in SWAPPING for a typed search, committed with the update),
`wk:swx:<session>:<index>:<exercise>` swaps. The exercise swapped comes from the user's own session
(another user's session id is NotFound); the chosen exercise is checked against the catalog."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update

from bot.context import BotContext
from bot.db.enums import SessionStatus
from bot.db.models import Exercise, User
from bot.handlers.workout_flow import Outcome, Screen, WorkoutState, exercise_screen, int_part, remember
from bot.i18n import _
from bot.services import exercise_swap, workouts
from bot.services.errors import DomainError, NotFound
from bot.ui import exercise_swap as ui
from bot.ui.callback import parse_id


async def _in_progress(s: AsyncSession, user: User, sid: uuid.UUID) -> workouts.SessionView:
    view = await workouts.session_view(s, user, sid)
    if view.status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    return view


def _pairs(found: list[Exercise]) -> list[tuple[uuid.UUID, str]]:
    return [(e.id, e.name) for e in found]


async def prompt_screen(s: AsyncSession, user: User, sid: uuid.UUID, index: int) -> Screen:
    """The swap's question with its suggestions (also what /workout asks again); DomainError once the
    exercise cannot be swapped any more (a set of it is logged, the workout is over)."""
    view = await _in_progress(s, user, sid)
    exercise = exercise_swap.swappable(view, index)
    found = await exercise_swap.suggestions(s, user, view, index)
    text = ui.swap_prompt(exercise.name, len(found))
    return Screen(text, ui.swap_keyboard(sid, index, _pairs(found)))


async def ask(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    screen = await prompt_screen(s, user, sid, index)
    remember(context, sid, index)
    return Outcome(WorkoutState.SWAPPING, screen)


async def typed_search(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, index: int, text: str
) -> Outcome:
    view = await _in_progress(s, user, sid)
    exercise_swap.swappable(view, index)
    query = text.strip()[:60]
    found = await exercise_swap.search(s, user, view, query)
    screen = Screen(ui.swap_results(query, len(found)), ui.swap_keyboard(sid, index, _pairs(found)))
    return Outcome(WorkoutState.SWAPPING, screen, edit=False)


async def chosen(
    s: AsyncSession, user: User, update: Update, context: BotContext, sid: uuid.UUID, parts: list[str]
) -> Outcome:
    index = int_part(parts, 2)
    exercise_id = parse_id(parts[3]) if len(parts) > 3 else None
    if exercise_id is None:
        raise NotFound(_("This button is no longer valid."))
    before = (await _in_progress(s, user, sid)).exercise(index)
    after = await exercise_swap.swap_exercise(s, user, sid, index, exercise_id)
    remember(context, sid, index)
    screen = await exercise_screen(s, user, context, sid, index)
    if after.exercise_id != before.exercise_id:
        screen.notice = ui.swapped_notice(before.name, after.name)
    return Outcome(WorkoutState.LOGGING, screen)
