"""Onboarding (/start) and /settings: one ConversationHandler named "settings".

A new user (onboarded_at is NULL) answers three steps - time zone, daily reminder time, weight unit -
each by button or by typing; then onboarded_at is set and a done message says what to do next. The
steps answered so far are kept in ``user_data`` (persisted with the conversation when the application
has a persistence), so /start resumes where the user stopped. /settings shows the settings with buttons
that change them and edit the message in place.

States are the questions that take typed answers (bot.handlers.settings_question): the three steps,
and the bar and plates of /settings (bot.handlers.settings_loading, which also has the warm-up mode).
Every ``on:`` button is an entry point, so a button works in any state (and after the conversation
ended); showing the settings menu or finishing onboarding ends the conversation, so free text and
/cancel go to other features again.

This conversation is registered first, so while a question is open it would see all of the user's text
before any later feature. It yields instead: a command or a button of another feature closes the open
question (`LeaveOnOtherFeature`), and the typed-answer handlers (`AnswerHandler`, and /cancel) only act
while the question is open (`QUESTION_KEY` in ``user_data``). So the latest thing the user started gets
their text: a settings question asked during a workout takes the answer, and a workout started while a
settings question was open gets the sets. An abandoned question is asked again by /start or /settings.

Callback data is untrusted: it is parsed into an `Action` and validated before anything is read or
written; anything else gets a polite answer and changes nothing. Every callback query is answered.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Any, Final, Literal

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
)
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.db.enums import WeightUnit
from bot.db.models import User
from bot.handlers import coaching
from bot.handlers import settings_loading as loading
from bot.handlers.base import speak_to, user_for
from bot.handlers.common import profile_of, valid_payload
from bot.handlers.settings_question import (
    END,
    NAME,
    AnswerHandler,
    CancelHandler,
    LeaveOnOtherFeature,
    Next,
    State,
    tracks_question,
)
from bot.i18n import _
from bot.services import settings as settings_service
from bot.services.loading import LoadingError, loading_of
from bot.services.settings import UserSettings, WeightUnitError, parse_weight_unit, settings_of
from bot.services.timezones import (
    ReminderTimeError,
    TimezoneError,
    offset_choices,
    parse_time_of_day,
    parse_timezone,
    timezone_exists,
)
from bot.services.users import register_user
from bot.ui import onboarding as ui
from bot.ui import settings_loading as loading_ui
from bot.ui.callback import unpack
from bot.ui.timezone_offsets import offset_keyboard, offset_question

if TYPE_CHECKING:
    from bot.app import BotApplication

log = logging.getLogger(__name__)

PROGRESS_KEY: Final = "onboarding_done"
"""user_data key: the onboarding steps answered so far (a list of step names; absent: not started)."""

Step = Literal["tz", "rt", "unit"]
STEPS: Final[tuple[Step, ...]] = ("tz", "rt", "unit")
NO_REMINDER_WORDS: Final = frozenset(
    {"off", "no", "none", "never", "no reminders", "no reminder", "nothing"}
    | {"выкл", "нет", "никогда", "без напоминаний", "не надо", "отключить"}
)


STATE_OF: Final[dict[Step, State]] = {
    "tz": State.ASK_TIMEZONE,
    "rt": State.ASK_REMINDER_TIME,
    "unit": State.ASK_UNIT,
}


# --- actions: what a button or a typed answer asks for ----------------------------------------------


@dataclass(frozen=True, slots=True)
class SetTimezone:
    zone: str


@dataclass(frozen=True, slots=True)
class SetReminder:
    at: time | None


@dataclass(frozen=True, slots=True)
class SetUnit:
    unit: WeightUnit


@dataclass(frozen=True, slots=True)
class SetReminders:
    enabled: bool


@dataclass(frozen=True, slots=True)
class SetRestTimer:
    enabled: bool


@dataclass(frozen=True, slots=True)
class SetExerciseRating:
    enabled: bool


@dataclass(frozen=True, slots=True)
class TypeTimezone:
    pass


@dataclass(frozen=True, slots=True)
class Open:
    what: Literal["tz", "rt", "menu"]


Change = SetTimezone | SetReminder | SetUnit | SetReminders | SetRestTimer | SetExerciseRating
Action = Change | TypeTimezone | Open | loading.LoadingAction

_HHMM = re.compile(r"[0-9]{4}", re.ASCII)


def parse_action(data: str | None) -> Action | None:
    """The action behind ``on:`` callback data, or None when it is not one (unknown, stale or forged)."""
    parts = unpack(data, ui.PREFIX)
    match parts:
        case ["tz", zone] if timezone_exists(zone):
            return SetTimezone(zone)
        case ["tzt"]:
            return TypeTimezone()
        case ["rt", "off"]:
            return SetReminder(None)
        case ["rt", hhmm] if _HHMM.fullmatch(hhmm) and int(hhmm[:2]) < 24 and int(hhmm[2:]) < 60:
            return SetReminder(time(int(hhmm[:2]), int(hhmm[2:])))
        case ["u", unit] if unit in WeightUnit.__members__:
            return SetUnit(WeightUnit(unit))
        case ["rem", "0" | "1" as flag]:
            return SetReminders(flag == "1")
        case ["rest", "0" | "1" as flag]:
            return SetRestTimer(flag == "1")
        case ["rate", "0" | "1" as flag]:
            return SetExerciseRating(flag == "1")
        case ["m", "tz"]:
            return Open("tz")
        case ["m", "rt"]:
            return Open("rt")
        case ["m", "menu"]:
            return Open("menu")
        case ["ld", *rest]:
            return loading.parse_action(rest)
    return None


def _step_of(change: Change) -> Step | None:
    if isinstance(change, SetTimezone):
        return "tz"
    if isinstance(change, SetReminder):
        return "rt"
    if isinstance(change, SetUnit):
        return "unit"
    return None


# --- onboarding progress in user_data ----------------------------------------------------------------


def _progress(context: BotContext) -> list[Step] | None:
    """The steps answered so far, in order; None when onboarding never started."""
    data = context.user_data
    raw = data.get(PROGRESS_KEY) if data is not None else None
    if not isinstance(raw, list):
        return None
    return [step for step in STEPS if step in raw]


def _save_progress(context: BotContext, done: list[Step]) -> None:
    if context.user_data is not None:
        context.user_data[PROGRESS_KEY] = list(done)


def _forget_progress(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(PROGRESS_KEY, None)


def _next_step(done: list[Step]) -> Step | None:
    return next((step for step in STEPS if step not in done), None)


# --- screens ------------------------------------------------------------------------------------------

Screen = tuple[str, InlineKeyboardMarkup | None]


def _step_screen(step: Step, view: UserSettings) -> Screen:
    if step == "tz":
        return ui.timezone_prompt(view, step=True), ui.timezone_keyboard(view, back=False)
    if step == "rt":
        return ui.reminder_prompt(view, step=True), ui.reminder_keyboard(view, back=False)
    return ui.unit_prompt(view), ui.unit_keyboard(view)


def _notice(change: Change, view: UserSettings) -> str:
    if isinstance(change, SetTimezone):
        return ui.saved_timezone(view)
    if isinstance(change, SetReminder):
        return ui.saved_reminder(view)
    if isinstance(change, SetUnit):
        return ui.saved_unit(view)
    if isinstance(change, SetReminders):
        return ui.saved_reminders_switch(view)
    if isinstance(change, SetExerciseRating):
        return ui.saved_exercise_rating(view)
    return ui.saved_rest_timer(view)


async def _apply_change(session: AsyncSession, user: User, change: Change) -> bool:
    """Apply the change; True when it also reset the bar and plates (a unit switch)."""
    if isinstance(change, SetUnit):
        return await settings_service.set_weight_unit(session, user, change.unit)
    if isinstance(change, SetTimezone):
        await settings_service.set_timezone(session, user, change.zone)
    elif isinstance(change, SetReminder):
        await settings_service.set_reminder_time(session, user, change.at)
    elif isinstance(change, SetReminders):
        await settings_service.set_reminders_enabled(session, user, change.enabled)
    elif isinstance(change, SetExerciseRating):
        await settings_service.set_exercise_rating(session, user, change.enabled)
    else:
        await settings_service.set_rest_timer(session, user, change.enabled)
    return False


async def _perform(update: Update, context: BotContext, action: Action) -> tuple[Screen, Next]:
    """Carry out a valid action in one transaction; the screen to show and the next state."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        now = context.now()
        onboarding = user.onboarded_at is None
        notice: str | None = None
        step_done: Step | None = None
        loading_reset = False
        if isinstance(action, Change):
            loading_reset = await _apply_change(session, user, action)
            step_done = _step_of(action)
        done: list[Step] = []
        if onboarding:
            done = _progress(context) or []
            if step_done is not None and step_done not in done:
                done.append(step_done)
            if _next_step(done) is None:
                await settings_service.mark_onboarded(session, user, now)
        view = settings_of(user, now)
        current = None if onboarding else await loading_of(session, user)
        if isinstance(action, Change):
            notice = _notice(action, view)
            if loading_reset:
                notice += "\n" + loading_ui.loading_reset(view.weight_unit)

    if onboarding:
        step = _next_step(done)
        if step is None:
            _forget_progress(context)
            return (ui.onboarding_done(view, notice), None), END
        _save_progress(context, done)
        if isinstance(action, TypeTimezone):
            return (ui.timezone_type_prompt(), ui.timezone_type_keyboard()), State.ASK_TIMEZONE
        if isinstance(action, Open) and action.what in ("tz", "rt"):
            step = "tz" if action.what == "tz" else "rt"
        text, keyboard = _step_screen(step, view)
        return (ui.with_notice(notice, text), keyboard), STATE_OF[step]

    if isinstance(action, TypeTimezone):
        return (ui.timezone_type_prompt(), ui.timezone_type_keyboard()), State.ASK_TIMEZONE
    if isinstance(action, Open) and action.what == "tz":
        return (
            ui.timezone_prompt(view, step=False),
            ui.timezone_keyboard(view, back=True),
        ), State.ASK_TIMEZONE
    if isinstance(action, Open) and action.what == "rt":
        screen = ui.reminder_prompt(view, step=False), ui.reminder_keyboard(view, back=True)
        return screen, State.ASK_REMINDER_TIME
    return (ui.settings_text(view, notice, current), ui.settings_keyboard(view, current)), END


async def _reply(update: Update, screen: Screen) -> None:
    message = update.effective_message
    assert message is not None
    text, keyboard = screen
    await message.reply_text(text, reply_markup=keyboard)


async def _edit(update: Update, context: BotContext, screen: Screen) -> None:
    """Show the screen in the pressed message; a message that cannot be edited gets a new one instead."""
    query = update.callback_query
    assert query is not None
    text, keyboard = screen
    try:
        await query.edit_message_text(text, reply_markup=keyboard)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return  # the message already shows exactly this (a double tap)
        log.info("could not edit message for a settings button (%s); sending a new one", error.message)
        chat = update.effective_chat
        if chat is not None:
            await context.bot.send_message(chat.id, text, reply_markup=keyboard)


# --- entry points ---------------------------------------------------------------------------------------


@tracks_question
async def start(update: Update, context: BotContext) -> Next:
    """/start [PAYLOAD]: register the user (idempotent, keeping a valid deep-link payload); a new user
    starts (or resumes) onboarding, an onboarded one is welcomed back."""
    message = update.effective_message
    assert message is not None
    payload = context.args[0] if context.args else None
    if payload is not None and not valid_payload(payload):
        payload = None
    settings = context.settings
    async with context.db() as session:
        registration = await register_user(
            session,
            profile_of(update),
            default_timezone=settings.default_timezone,
            default_reminder_time=settings.default_reminder_time,
            admin_ids=settings.admin_telegram_ids,
            start_payload=payload,
        )
        user = speak_to(registration.user)  # a stored /language choice wins over the client's language
        view = settings_of(user, context.now())
        first_name = user.first_name
    # Coaches get their command menu; an invitation link (coach-...) is shown with Accept/Decline.
    invited = await coaching.on_start(update, context, context.args[0] if context.args else None)
    if view.onboarded:
        if invited:
            return END
        _forget_progress(context)
        await message.reply_text(ui.welcome_back(first_name))
        return END
    done = _progress(context)
    greeting = (
        ui.welcome_new(first_name) if registration.created or done is None else ui.welcome_resume(first_name)
    )
    return await _show_step(update, context, greeting, done or [], view)


async def _show_step(
    update: Update, context: BotContext, greeting: str, done: list[Step], view: UserSettings
) -> Next:
    step = _next_step(done)
    if step is None:  # every step answered but not marked (e.g. an older process): finish now
        async with context.db() as session:
            user = await user_for(session, update, context)
            await settings_service.mark_onboarded(session, user, context.now())
            view = settings_of(user, context.now())
        _forget_progress(context)
        await _reply(update, (ui.onboarding_done(view), None))
        return END
    _save_progress(context, done)
    text, keyboard = _step_screen(step, view)
    await _reply(update, (f"{greeting}\n\n{text}", keyboard))
    return STATE_OF[step]


@tracks_question
async def settings_command(update: Update, context: BotContext) -> Next:
    """/settings: the settings with buttons to change them (onboarding first, if it is unfinished)."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        view = settings_of(user, context.now())
        first_name = user.first_name
        current = await loading_of(session, user) if view.onboarded else None
    if not view.onboarded:
        return await _show_step(
            update, context, ui.welcome_resume(first_name), _progress(context) or [], view
        )
    _forget_progress(context)
    await _reply(update, (ui.settings_text(view, None, current), ui.settings_keyboard(view, current)))
    return END


@tracks_question
async def on_button(update: Update, context: BotContext) -> Next:
    """Any ``on:`` button, in any state: validate, apply, edit the pressed message, answer the query."""
    query = update.callback_query
    assert query is not None
    action = parse_action(query.data)
    if action is None:
        parts = unpack(query.data, ui.PREFIX)
        log.info("refused settings button data %r from user %s", query.data, query.from_user.id)
        refusal = ui.UNKNOWN_ZONE_BUTTON if parts and parts[0] == "tz" else ui.UNKNOWN_BUTTON
        await query.answer(_(refusal))
        return None
    # On an error the query is left to the error handler, which answers it and apologises.
    if isinstance(action, loading.LoadingAction):
        try:
            screen, next_state = await loading.perform(update, context, action)
        except LoadingError:
            log.info("refused settings button data %r from user %s", query.data, query.from_user.id)
            await query.answer(_(loading_ui.BAD_BAR_BUTTON))
            return None
        await _edit(update, context, screen)
        await query.answer(_(loading_ui.TYPE_ANSWER) if isinstance(action, loading.Ask) else None)
        return next_state
    screen, next_state = await _perform(update, context, action)
    await _edit(update, context, screen)
    await query.answer(_(ui.TYPE_TIMEZONE_ANSWER) if isinstance(action, TypeTimezone) else None)
    return next_state


# --- typed answers ------------------------------------------------------------------------------------


async def _after_text(update: Update, context: BotContext, action: Change) -> Next:
    screen, next_state = await _perform(update, context, action)
    await _reply(update, screen)
    return next_state


@tracks_question
async def got_timezone(update: Update, context: BotContext) -> Next:
    """A typed time zone: a city, an IANA name or a UTC offset; a typo gets "did you mean" buttons."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        # a UTC offset is ambiguous (daylight saving): ask which zone, offering those that have it now
        if (choice := offset_choices(message.text, context.now())) is not None:
            await message.reply_text(offset_question(choice), reply_markup=offset_keyboard(choice))
            return None
        zone = parse_timezone(message.text)
    except TimezoneError as error:
        await message.reply_text(
            ui.timezone_problem(error.reason, error.suggestions),
            reply_markup=ui.suggestions_keyboard(error.suggestions),
        )
        return None
    return await _after_text(update, context, SetTimezone(zone))


@tracks_question
async def got_reminder_time(update: Update, context: BotContext) -> Next:
    """A typed reminder time (7:30, 19:30, 7pm) or "off"."""
    message = update.effective_message
    assert message is not None and message.text is not None
    text = " ".join(message.text.split()).lower()
    if text in NO_REMINDER_WORDS:
        return await _after_text(update, context, SetReminder(None))
    try:
        at = parse_time_of_day(message.text)
    except ReminderTimeError as error:
        await message.reply_text(ui.reminder_problem(error.reason))
        return None
    return await _after_text(update, context, SetReminder(at))


@tracks_question
async def got_unit(update: Update, context: BotContext) -> Next:
    """A typed weight unit: kg or lb."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        unit = parse_weight_unit(message.text)
    except WeightUnitError as error:
        await message.reply_text(ui.unit_problem(error.reason))
        return None
    return await _after_text(update, context, SetUnit(unit))


@tracks_question
async def cancel(update: Update, context: BotContext) -> Next:
    """/cancel while a question waits: stop asking; what was chosen so far stays saved."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        onboarded = user.onboarded_at is not None
    await _reply(update, (ui.settings_closed() if onboarded else ui.onboarding_cancelled(), None))
    return END


# --- registration ---------------------------------------------------------------------------------------


def build_conversation(application: BotApplication, *, persistent: bool) -> ConversationHandler[BotContext]:
    """The one ConversationHandler of onboarding and /settings."""
    entry_points: list[BaseHandler[Update, BotContext, Any]] = [
        CommandHandler("start", start),
        CommandHandler("settings", settings_command),
        CallbackQueryHandler(on_button, pattern=rf"^{ui.PREFIX}:"),
    ]
    leave = LeaveOnOtherFeature(application)
    states: dict[object, list[BaseHandler[Update, BotContext, Any]]] = {
        State.ASK_TIMEZONE: [leave, AnswerHandler(got_timezone, application)],
        State.ASK_REMINDER_TIME: [leave, AnswerHandler(got_reminder_time, application)],
        State.ASK_UNIT: [leave, AnswerHandler(got_unit, application)],
        State.ASK_BAR: [leave, AnswerHandler(loading.got_bar, application)],
        State.ASK_PLATES: [leave, AnswerHandler(loading.got_plates, application)],
    }
    fallbacks: list[BaseHandler[Update, BotContext, Any]] = [CancelHandler(cancel, application)]
    with warnings.catch_warnings():
        # Buttons are entry points on purpose and are valid on any message (per_message=False).
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            allow_reentry=True,
            name=NAME,
            persistent=persistent,
        )


def register(application: BotApplication) -> None:
    """Add the conversation (persistent when the application has a persistence)."""
    application.add_handler(build_conversation(application, persistent=application.persistence is not None))
