"""/history: past workouts (cancelled ones too, marked), one workout's sets, ratings and note, and
corrections - edit or delete a set, add a forgotten set, delete a workout.

Buttons `hi:`: `p:PAGE` (a page), `s:SID:PAGE` (a workout), `x|ed|del:SID:EXERCISE:SET` (a set: its
menu, edit it, delete it), `add:SID` (pick the exercise of a forgotten set), `ad:SID:EXERCISE` (type
it), `dw:SID` and `dw:SID:y` (delete the workout: ask, do). Every id is checked against the user who
pressed it. Typing a corrected or forgotten set happens in the "progress" conversation
(bot.handlers.progress registers these callbacks).
"""

from __future__ import annotations

import uuid

from telegram import Update

from bot.context import BotContext
from bot.handlers.base import user_for
from bot.handlers.progress_base import END, ProgressState, data, expect, forget, reply, small_int
from bot.i18n import _
from bot.services import history
from bot.services.errors import DomainError, NotFound
from bot.services.set_input import parse_sets
from bot.services.timezones import local_today
from bot.ui import history as ui
from bot.ui import progress as progress_ui
from bot.ui.callback import parse_id, unpack
from bot.ui.texts import esc
from bot.ui.webapp import with_dashboard

STALE_BUTTON, NOT_YOURS = progress_ui.STALE_BUTTON, progress_ui.NOT_YOURS


async def history_command(update: Update, context: BotContext) -> int:
    forget(context)
    await _history(update, context, 0, edit=False)
    return END


async def _history(update: Update, context: BotContext, page: int, *, edit: bool) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        found = await history.history_page(session, user, page)
        text = ui.history_text(
            found, user.weight_unit, user.timezone, local_today(user.timezone, context.now())
        )
    await reply(update, text, with_dashboard(ui.history_keyboard(found), context, "history"), edit=edit)


async def _session(
    update: Update, context: BotContext, sid: uuid.UUID, page: int, *, edit: bool = True
) -> None:
    async with context.db() as session:
        user = await user_for(session, update, context)
        detail = await history.session_detail(session, user, sid)
        today = local_today(user.timezone, context.now())
        text = ui.session_text(detail, user.weight_unit, user.timezone, today)
        keyboard = ui.session_keyboard(detail, user.weight_unit, page)
    await reply(update, text, keyboard, edit=edit)


def _set_ref(parts: list[str]) -> tuple[uuid.UUID, int, int]:
    sid = parse_id(parts[1]) if len(parts) == 4 else None
    if sid is None:
        raise NotFound(_(STALE_BUTTON))
    return sid, small_int(parts[2]), small_int(parts[3])


def _sid(parts: list[str], length: int) -> uuid.UUID:
    sid = parse_id(parts[1]) if len(parts) == length else None
    if sid is None:
        raise NotFound(_(STALE_BUTTON))
    return sid


async def on_history_button(update: Update, context: BotContext) -> object:
    """Every `hi:` button (see the module docstring)."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, "hi") or [""]
    state: object = END
    try:
        action = parts[0]
        if action == "p" and len(parts) == 2:
            page = small_int(parts[1])  # before answering: a forged page is answered once, below
            await query.answer()
            await _history(update, context, page, edit=True)
        elif action == "s" and len(parts) == 3 and (sid := parse_id(parts[1])) is not None:
            await _session(update, context, sid, small_int(parts[2]))
            await query.answer()
        elif action in ("x", "ed", "del"):
            sid, index, number = _set_ref(parts)
            state = await _set_action(update, context, action, sid, index, number)
        elif action == "add":
            await _pick_exercise(update, context, _sid(parts, 2))
        elif action == "ad" and len(parts) == 3:
            state = await _ask_added_set(update, context, _sid(parts, 3), small_int(parts[2]))
        elif action == "dw" and len(parts) in (2, 3):
            await _delete_workout(update, context, _sid(parts, len(parts)), confirmed=parts[2:] == ["y"])
        else:
            await query.answer(_(STALE_BUTTON))
    except NotFound:
        await query.answer(_(NOT_YOURS), show_alert=True)
    except DomainError as error:
        await query.answer(error.reason[:200], show_alert=True)
    return state


async def _set_action(
    update: Update, context: BotContext, action: str, sid: uuid.UUID, index: int, number: int
) -> object:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        if action == "del":
            exercise = await history.delete_past_set(session, user, sid, index, number)
            text = ui.edited_text(exercise, user.weight_unit, _("Set {number} deleted").format(number=number))
        else:
            exercise, logged = await history.past_set(session, user, sid, index, number)
            if action == "x":
                text, keyboard = ui.set_menu(sid, exercise, logged, user.weight_unit)
            else:
                text = ui.edit_prompt(exercise, logged, user.weight_unit)
                edit = {"session": str(sid), "index": index, "number": number}
                expect(update, context, ProgressState.EDIT_SET, edit=edit)
    await query.answer()
    if action == "x":
        await reply(update, text, keyboard, edit=True)
        return END
    if action == "del":
        await reply(update, text)
        await _session(update, context, sid, 0, edit=False)
        return END
    await reply(update, text)
    return ProgressState.EDIT_SET


async def typed_set(update: Update, context: BotContext) -> object:
    """The corrected set of an `hi:ed:` button."""
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = data(context).get("edit")
    if not pending:
        return END
    sid, index, number = uuid.UUID(pending["session"]), int(pending["index"]), int(pending["number"])
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            exercise, _unused = await history.past_set(session, user, sid, index, number)
            new = parse_sets(message.text, tracking=exercise.tracking, unit=user.weight_unit, max_sets=1)
            exercise = await history.edit_past_set(session, user, sid, index, number, new[0])
            text = ui.edited_text(
                exercise, user.weight_unit, _("Set {number} corrected").format(number=number)
            )
    except NotFound:
        forget(context)
        await message.reply_text(_(NOT_YOURS))
        return END
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return None
    forget(context)
    await message.reply_text(text)
    await _session(update, context, sid, 0, edit=False)
    return END


# --- a forgotten set -------------------------------------------------------------------------------------


async def _pick_exercise(update: Update, context: BotContext, sid: uuid.UUID) -> None:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        detail = await history.session_detail(session, user, sid)
    await query.answer()
    await reply(update, _(ui.ADD_PICK), ui.add_keyboard(sid, detail.view.exercises), edit=True)


async def _ask_added_set(update: Update, context: BotContext, sid: uuid.UUID, index: int) -> object:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        exercise = await history.past_exercise(session, user, sid, index)
        text = ui.add_prompt(exercise, user.weight_unit)
        expect(update, context, ProgressState.ADD_SET, add={"session": str(sid), "index": index})
    await query.answer()
    await reply(update, text)
    return ProgressState.ADD_SET


async def typed_added_set(update: Update, context: BotContext) -> object:
    """The forgotten set(s) of an `hi:ad:` button: appended to the exercise of the past workout."""
    message = update.effective_message
    assert message is not None and message.text is not None
    pending = data(context).get("add")
    if not pending:
        return END
    sid, index = uuid.UUID(pending["session"]), int(pending["index"])
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            exercise = await history.past_exercise(session, user, sid, index)
            sets = parse_sets(
                message.text,
                tracking=exercise.tracking,
                unit=user.weight_unit,
                last_weight_kg=exercise.last_weight_kg,
                max_sets=history.MAX_ADDED_SETS,
            )
            added = await history.add_past_sets(session, user, sid, index, sets)
            text = ui.added_text(added, user.weight_unit)
    except NotFound:
        forget(context)
        await message.reply_text(_(NOT_YOURS))
        return END
    except DomainError as error:
        await message.reply_text(esc(error.reason))
        return None
    forget(context)
    await message.reply_text(text)
    await _session(update, context, sid, 0, edit=False)
    return END


# --- deleting a workout ----------------------------------------------------------------------------------


async def _delete_workout(update: Update, context: BotContext, sid: uuid.UUID, *, confirmed: bool) -> None:
    query = update.callback_query
    assert query is not None
    async with context.db() as session:
        user = await user_for(session, update, context)
        if not confirmed:
            detail = await history.session_detail(session, user, sid)
            history.require_deletable(detail)
            today = local_today(user.timezone, context.now())
            text, keyboard = ui.delete_workout_prompt(detail, user.timezone, today)
        else:
            deleted = await history.delete_past_session(session, user, sid)
            text, keyboard = ui.deleted_text(deleted, user.weight_unit), None
    await query.answer()
    await reply(update, text, keyboard, edit=True)
    if confirmed:
        await _history(update, context, 0, edit=False)


__all__ = ["history_command", "on_history_button", "typed_added_set", "typed_set"]
