"""/settings: the bar, plates and warm-up mode - the ``on:ld:`` buttons and the typed bar and plates.

Part of the settings conversation (bot.handlers.onboarding routes ``on:ld:`` buttons here through
`parse_action` and `perform`, and its ASK_BAR and ASK_PLATES states to `got_bar` and `got_plates`).
Callback data is untrusted: `parse_action` refuses anything that is not one of ours, and a bar from a
forged button is checked like a typed one (LoadingError: the caller answers, nothing changes).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from telegram import InlineKeyboardMarkup, Update

from bot.context import BotContext
from bot.db.enums import WarmupMode
from bot.handlers.base import user_for
from bot.handlers.settings_question import END, NAME, QUESTION_KEY, Next, State, tracks_question
from bot.services import loading as loading_service
from bot.services.loading import LoadingError
from bot.services.settings import settings_of
from bot.ui import onboarding as settings_ui
from bot.ui import settings_loading as ui

Screen = tuple[str, InlineKeyboardMarkup | None]


@dataclass(frozen=True, slots=True)
class OpenLoading:
    pass


@dataclass(frozen=True, slots=True)
class SetBar:
    kg: Decimal


@dataclass(frozen=True, slots=True)
class UsualPlates:
    pass


@dataclass(frozen=True, slots=True)
class SetWarmupMode:
    mode: WarmupMode


@dataclass(frozen=True, slots=True)
class Ask:
    what: Literal["bar", "plates"]


LoadingAction = OpenLoading | SetBar | UsualPlates | SetWarmupMode | Ask


def parse_action(parts: list[str]) -> LoadingAction | None:
    """The action behind ``on:ld:...`` (the parts after ``ld``), or None when it is not one."""
    match parts:
        case ["m"]:
            return OpenLoading()
        case ["bar", cents] if cents.isascii() and cents.isdigit() and len(cents) <= 6:
            return SetBar(Decimal(int(cents)) / 100)
        case ["bart"]:
            return Ask("bar")
        case ["plt"]:
            return Ask("plates")
        case ["pld"]:
            return UsualPlates()
        case ["wu", mode] if mode in WarmupMode.__members__:
            return SetWarmupMode(WarmupMode(mode))
    return None


def _state_of(action: LoadingAction) -> int:
    if isinstance(action, Ask):
        return State.ASK_BAR if action.what == "bar" else State.ASK_PLATES
    return END


async def perform(update: Update, context: BotContext, action: LoadingAction) -> tuple[Screen, Next]:
    """Carry out a valid action in one transaction; the screen to show and the next state.
    Raises LoadingError (a bar no one can use) before anything changes."""
    next_state = _state_of(action)
    async with context.db() as session:
        user = await user_for(session, update, context)
        unit = user.weight_unit
        if isinstance(action, SetBar):
            await loading_service.set_bar_weight(session, user, action.kg)
        elif isinstance(action, UsualPlates):
            await loading_service.set_plates(session, user, None)
        elif isinstance(action, SetWarmupMode):
            await loading_service.set_warmup_mode(session, user, action.mode)
        current = await loading_service.loading_of(session, user)
        view = settings_of(user, context.now())
        _remember_question(context, next_state)
        context.next_state(update, NAME, next_state)
    if isinstance(action, SetWarmupMode):  # a button of the settings screen: back to it
        return (
            settings_ui.settings_text(view, ui.saved_warmup_mode(current), current),
            settings_ui.settings_keyboard(view, current),
        ), END
    if isinstance(action, Ask):
        prompt = ui.bar_prompt(current, unit) if action.what == "bar" else ui.plates_prompt(current, unit)
        return (prompt, ui.prompt_keyboard()), next_state
    notice: str | None = None
    if isinstance(action, SetBar):
        notice = ui.saved_bar(current, unit)
    elif isinstance(action, UsualPlates):
        notice = ui.saved_plates(current, unit)
    return (ui.loading_text(current, unit, notice), ui.loading_keyboard(current, unit)), END


def _remember_question(context: BotContext, state: int) -> None:
    """QUESTION_KEY as `tracks_question` will leave it, written in the update's own transaction."""
    data = context.user_data
    if data is not None:
        if state == END:
            data.pop(QUESTION_KEY, None)
        else:
            data[QUESTION_KEY] = int(state)


async def _typed(update: Update, context: BotContext, what: Literal["bar", "plates"]) -> Next:
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            unit = user.weight_unit
            if what == "bar":
                kg = loading_service.parse_bar_weight(message.text, unit)
                await loading_service.set_bar_weight(session, user, kg)
            else:
                plates = loading_service.parse_plates(message.text, unit)
                await loading_service.set_plates(session, user, plates)
            current = await loading_service.loading_of(session, user)
            _remember_question(context, END)
            context.next_state(update, NAME, END)
    except LoadingError as error:
        await message.reply_text(ui.problem(error.reason))
        return None
    notice = ui.saved_bar(current, unit) if what == "bar" else ui.saved_plates(current, unit)
    await message.reply_text(
        ui.loading_text(current, unit, notice), reply_markup=ui.loading_keyboard(current, unit)
    )
    return END


@tracks_question
async def got_bar(update: Update, context: BotContext) -> Next:
    """A typed bar weight: '15', '15 kg', '35 lb'."""
    return await _typed(update, context, "bar")


@tracks_question
async def got_plates(update: Update, context: BotContext) -> Next:
    """Typed plate sizes: '25 20 15 10 5 2.5 1.25'."""
    return await _typed(update, context, "plates")
