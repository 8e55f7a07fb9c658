"""/routines: the user's routines and their coaches' shared ones; a card per routine with Start, Rename,
Delete (asks first), Share with trainees (coaches), Save a copy (a shared one); "💾 Save as routine"
under a finished workout's summary.

Buttons are `rt:` (bot.ui.routines); Start is `rs:<routine>`, an entry of the workout conversation
(bot.handlers.workout), so the workout it opens is logged and finished like any other. Every id in a
button is checked against the user who pressed it (bot.services.routines): someone else's routine is
"not found", a coach's shared one is read-only.

A name (save, rename, a copy whose name is taken) is typed after a question. The open question lives in
user_data (`NAMING_KEY`, committed with the update that asked); `NameAnswerHandler`, first of group 0,
takes plain text only while it is open and younger than `TYPING_TIMEOUT`, so a workout in progress gets
its sets back as soon as the user does anything else: `CloseOnOtherUpdate` (group 1, after the update's
own handler) closes the question at any command or button other than the one that asked it.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.db.models import User
from bot.handlers import coaching
from bot.handlers.base import answer, user_for
from bot.handlers.menus import ROLE_GROUP
from bot.handlers.today import show as show_screen
from bot.handlers.workout_flow import (
    END,
    Outcome,
    Screen,
    WorkoutState,
    exercise_screen,
    remember,
    remember_step,
    show,
)
from bot.i18n import _, use_locale, user_locale
from bot.services import routines, workouts
from bot.services.coaching import is_coach
from bot.services.errors import DomainError, NotFound
from bot.ui import routines as ui
from bot.ui.callback import parse_id, unpack
from bot.ui.texts import esc

NAMING_KEY: Final = "routine_name"
"""user_data: the open name question {"do": save|rename|copy, "id": ..., "since": iso, "update": id}."""
TYPING_TIMEOUT: Final = timedelta(minutes=10)
WORKOUT: Final = "workout"
"""The workout conversation's name (bot.handlers.workout.NAME)."""
TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND

Reply = tuple[str, InlineKeyboardMarkup | None]


# ---------------------------------------------------------------------------------------------------------
# /routines and the card


async def _listing(s: AsyncSession, user: User, page: int = 0) -> Reply:
    return ui.listing(await routines.routines_of(s, user), page)


async def _card(s: AsyncSession, user: User, routine_id: uuid.UUID) -> Reply:
    found = await routines.routine(s, user, routine_id)
    return ui.card(found, user.weight_unit, coach=is_coach(user))


async def routines_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    _close_question(context)
    async with context.db() as session:
        user = await user_for(session, update, context)
        text, keyboard = await _listing(session, user)
    await message.reply_text(text, reply_markup=keyboard)


# ---------------------------------------------------------------------------------------------------------
# rt: buttons


@dataclass
class Press:
    """An `rt:` button being handled: its update, the id it carries (or None for a page) and the rest
    of its data, and the messages for other users to send after the commit."""

    update: Update
    context: BotContext
    target: uuid.UUID | None
    parts: list[str]
    outbox: coaching.Outbox = field(default_factory=list)

    @property
    def routine_id(self) -> uuid.UUID:
        if self.target is None:
            raise NotFound(_(ui.STALE_BUTTON))
        return self.target

    def page(self, position: int) -> int:
        return (_page(self.parts[position]) or 0) if len(self.parts) > position else 0


Result = tuple[str | None, Reply | None, bool]
"""(the button's toast, the reply, whether it edits the pressed message)."""
Action = Callable[[AsyncSession, User, Press], Awaitable[Result]]


async def on_button(update: Update, context: BotContext) -> None:
    """Every `rt:` button: check it, act in one transaction, then edit the message (and tell trainees)."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, ui.RT) or []
    action = ACTIONS.get(parts[0]) if parts else None
    target = parse_id(parts[1]) if len(parts) > 1 else None
    page = _page(parts[1]) if len(parts) > 1 and parts[0] == ui.LIST else None
    if action is None or (target is None and page is None):
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return
    press = Press(update, context, target, parts)
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            toast, reply, edit = await action(session, user, press)
    except DomainError as error:
        await answer(update, error.reason or _(ui.NOT_FOUND), alert=True)
        return
    await answer(update, toast)
    if reply is not None:
        if edit:
            await show_screen(update, context, *reply)
        else:
            await show(update, Screen(*reply), edit=False)
    await coaching.deliver(context, press.outbox)


def _page(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else None


async def _list(s: AsyncSession, user: User, press: Press) -> Result:
    return None, await _listing(s, user, press.page(1)), True


async def _open(s: AsyncSession, user: User, press: Press) -> Result:
    return None, await _card(s, user, press.routine_id), True


async def _own(s: AsyncSession, user: User, press: Press) -> routines.Routine:
    found = await routines.routine(s, user, press.routine_id)
    if not found.own:
        raise DomainError(routines.READ_ONLY)
    return found


async def _rename(s: AsyncSession, user: User, press: Press) -> Result:
    found = await _own(s, user, press)
    _ask(press, "rename")
    return None, (ui.ask_rename(found.name), None), False


async def _delete(s: AsyncSession, user: User, press: Press) -> Result:
    return None, ui.confirm_delete(await _own(s, user, press)), True


async def _delete_yes(s: AsyncSession, user: User, press: Press) -> Result:
    name = await routines.delete_routine(s, user, press.routine_id)
    text, keyboard = await _listing(s, user)
    return _("Deleted."), (f"{ui.deleted(name)}\n\n{text}", keyboard), True


async def _copy(s: AsyncSession, user: User, press: Press) -> Result:
    found = await routines.routine(s, user, press.routine_id)
    try:
        async with s.begin_nested():
            copy = await routines.copy_routine(s, user, found.id)
    except routines.RoutineNameError:  # the name is taken: ask for another
        _ask(press, "copy")
        return None, (ui.ask_copy_name(found.name), None), False
    return _("Copied."), (ui.copied(copy.name), ui.open_keyboard(copy.id)), False


async def _save(s: AsyncSession, user: User, press: Press) -> Result:
    """💾 Save as routine under a summary: the workout must be the user's, finished, outside a program."""
    if not await routines.savable_session(s, user, press.routine_id):
        raise DomainError(_(ui.NOT_SAVABLE))
    _ask(press, "save")
    return None, (ui.ask_name(), None), False


async def _share_screen(s: AsyncSession, user: User, routine_id: uuid.UUID, page: int = 0) -> Reply:
    trainees = await routines.share_targets(s, user, routine_id)
    if not trainees:
        raise DomainError(_(ui.NO_TRAINEES))
    return ui.share_menu(await routines.routine(s, user, routine_id), trainees, page)


async def _share_menu(s: AsyncSession, user: User, press: Press) -> Result:
    return None, await _share_screen(s, user, press.routine_id, press.page(2)), True


async def _share_all(s: AsyncSession, user: User, press: Press) -> Result:
    change = await routines.share(s, user, press.routine_id, None)
    _tell(change, press)
    return ui.shared_toast(len(change.added), 0), await _share_screen(s, user, press.routine_id), True


async def _unshare_all(s: AsyncSession, user: User, press: Press) -> Result:
    change = await routines.unshare(s, user, press.routine_id, None)
    return ui.shared_toast(0, change.removed), await _share_screen(s, user, press.routine_id), True


async def _toggle(s: AsyncSession, user: User, press: Press) -> Result:
    """One trainee's button on the share screen: share with them, or stop when they have it."""
    trainee = parse_id(press.parts[2]) if len(press.parts) > 2 else None
    if trainee is None:
        raise NotFound(_(ui.STALE_BUTTON))
    change = await routines.share(s, user, press.routine_id, trainee)
    if not change.added:  # had it already: the tap takes it back
        change = await routines.unshare(s, user, press.routine_id, trainee)
    _tell(change, press)
    screen = await _share_screen(s, user, press.routine_id, press.page(3))
    return ui.shared_toast(len(change.added), change.removed), screen, True


def _tell(change: routines.ShareChange, press: Press) -> None:
    """A notice for each trainee who sees the routine now (sent after the commit)."""
    for trainee in change.added:
        if trainee.chat_id is None:
            continue
        with use_locale(user_locale(trainee)):  # in the trainee's language, not the coach's
            text = ui.shared_notice(change.coach, change.routine)
            keyboard = ui.open_keyboard(press.routine_id)
        press.outbox.append((trainee.chat_id, text, keyboard))


ACTIONS: Final[dict[str, Action]] = {
    ui.LIST: _list,
    ui.OPEN: _open,
    ui.RENAME: _rename,
    ui.DELETE: _delete,
    ui.DELETE_YES: _delete_yes,
    ui.COPY: _copy,
    ui.SAVE: _save,
    ui.SHARE: _share_menu,
    ui.SHARE_ALL: _share_all,
    ui.UNSHARE_ALL: _unshare_all,
    ui.TOGGLE: _toggle,
}


# ---------------------------------------------------------------------------------------------------------
# the typed name


def _ask(press: Press, what: str) -> None:
    """Open the name question (inside the asking update's transaction: committed with it)."""
    assert press.context.user_data is not None
    press.context.user_data[NAMING_KEY] = {
        "do": what,
        "id": str(press.routine_id),
        "since": press.context.now().isoformat(),
        "update": press.update.update_id,
    }


def _close_question(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(NAMING_KEY, None)


def _open_question(data: dict[Any, Any] | None, now: datetime) -> dict[str, Any] | None:
    """The name question in `data` if it is open and young enough."""
    question = (data or {}).get(NAMING_KEY)
    if not isinstance(question, dict):
        return None
    try:
        since = datetime.fromisoformat(str(question.get("since")))
    except ValueError:
        return None
    return question if timedelta(0) <= now - since <= TYPING_TIMEOUT else None


async def typed_name(update: Update, context: BotContext) -> None:
    """The name typed after a question: saved, renamed or copied; a refused name asks again."""
    message = update.effective_message
    assert message is not None and message.text is not None
    question = _open_question(context.user_data, context.now())
    target = _uuid((question or {}).get("id"))
    if question is None or target is None:
        _close_question(context)
        await message.reply_text(_(ui.EXPIRED))
        return
    reply: Reply
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            reply = await _named(session, user, str(question.get("do")), target, message.text)
            _close_question(context)
    except routines.RoutineNameError as error:
        await message.reply_text(ui.name_refused(error.reason))
        return
    except DomainError as error:
        async with context.db():
            _close_question(context)
        await message.reply_text(f"⚠️ {esc(error.reason)}")
        return
    await message.reply_text(reply[0], reply_markup=reply[1])


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


async def _named(s: AsyncSession, user: User, what: str, target: uuid.UUID, text: str) -> Reply:
    if what == "save":
        saved = await routines.save_from_session(s, user, target, text)
        found = await routines.routine(s, user, saved.id)
        return ui.saved(saved.name, len(found.exercises)), ui.open_keyboard(saved.id)
    if what == "rename":
        renamed = await routines.rename_routine(s, user, target, text)
        card, keyboard = await _card(s, user, renamed.id)
        return f"{ui.renamed(renamed.name)}\n\n{card}", keyboard
    if what == "copy":
        copy = await routines.copy_routine(s, user, target, text)
        return ui.copied(copy.name), ui.open_keyboard(copy.id)
    raise NotFound(_(ui.EXPIRED))


class NameAnswerHandler(MessageHandler[BotContext, None]):
    """Plain text, taken only while the name question is open (first handler of group 0)."""

    def __init__(self, application: Any) -> None:
        super().__init__(TEXT, typed_name)
        self.application = application

    def check_update(self, update: object) -> bool | dict[str, list[Any]] | None:
        if not isinstance(update, Update) or update.effective_user is None:
            return None
        data = self.application.user_data.get(update.effective_user.id)
        if _open_question(data, self.application.bot_data.clock()) is None:
            return None
        return super().check_update(update)


async def _never_called(update: Update, context: BotContext) -> None:  # pragma: no cover
    raise AssertionError("CloseOnOtherUpdate handles no update")


class CloseOnOtherUpdate(BaseHandler[Update, BotContext, None]):
    """Handles nothing. After any command or button but the one that asked, the name question is closed,
    so the text that follows goes where the user went (a workout's sets, another question)."""

    def __init__(self, application: Any) -> None:
        super().__init__(_never_called)
        self.application = application

    def check_update(self, update: object) -> None:
        if not isinstance(update, Update) or update.effective_user is None:
            return
        data = self.application.user_data.get(update.effective_user.id)
        question = (data or {}).get(NAMING_KEY)
        if not isinstance(question, dict) or question.get("update") == update.update_id:
            return
        message = update.message
        command = message is not None and (message.text or "").startswith("/")
        if update.callback_query is not None or command:
            data.pop(NAMING_KEY, None)


# ---------------------------------------------------------------------------------------------------------
# ▶ Start (an entry of the workout conversation)


async def start_button(update: Update, context: BotContext) -> object:
    """rs:<routine> - a workout with the routine's exercises and targets, its first exercise shown (the
    workout in progress instead, when there is one)."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, ui.START) or []
    routine_id = parse_id(parts[0]) if len(parts) == 1 else None
    if routine_id is None:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            outcome = await _start(session, user, context, routine_id)
            remember_step(context, outcome.state)
            context.next_state(update, WORKOUT, outcome.state)
            _close_question(context)
    except DomainError as error:
        await answer(update, error.reason or _(ui.NOT_FOUND), alert=True)
        return None
    await answer(update, outcome.toast)
    assert outcome.screen is not None
    await show(update, outcome.screen, edit=False)
    return outcome.state if outcome.state is not None else END


async def _start(s: AsyncSession, user: User, context: BotContext, routine_id: uuid.UUID) -> Outcome:
    try:
        sid = await routines.start_routine(s, user, routine_id, context.now())
    except workouts.WorkoutInProgress as busy:
        view = await workouts.session_view(s, user, busy.session_id)
        remember(context, busy.session_id, 0)
        screen = await exercise_screen(s, user, context, busy.session_id, 0, view)
        screen.notice = _("You have <b>{workout}</b> in progress - here it is.").format(
            workout=esc(view.workout_name)
        )
        return Outcome(WorkoutState.LOGGING, screen, edit=False, toast=_("A workout is in progress."))
    view = await workouts.session_view(s, user, sid)
    remember(context, sid, 0)
    screen = await exercise_screen(s, user, context, sid, 0, view)
    screen.notice = ui.started(view.workout_name)
    return Outcome(WorkoutState.LOGGING, screen, edit=False)


def start_entry() -> CallbackQueryHandler[BotContext, object]:
    """The workout conversation's entry (and fallback) for ▶ Start."""
    return CallbackQueryHandler(start_button, pattern=rf"^{ui.START}:")


# ---------------------------------------------------------------------------------------------------------
# registration


def register_answers(application: Any) -> None:
    """First in group 0 (bot.app): a name typed while the question is open is the routine's."""
    application.add_handler(NameAnswerHandler(application))


def register(application: Any) -> None:
    application.add_handler(CommandHandler("routines", routines_command))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{ui.RT}:"))
    application.add_handler(CloseOnOtherUpdate(application), group=ROLE_GROUP)


__all__ = ["NAMING_KEY", "register", "register_answers", "start_entry"]
