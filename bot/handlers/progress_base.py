"""What the progress handlers (bot.handlers.progress) and the history handlers (bot.handlers.history)
share: the typing conversation's states and per-user data, and replying in place or anew."""

from __future__ import annotations

from datetime import timedelta
from enum import IntEnum
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import ConversationHandler, filters

from bot.context import BotContext
from bot.i18n import _
from bot.services.errors import NotFound
from bot.ui import progress as ui

TEXT = filters.TEXT & ~filters.COMMAND
KEY: Final = "progress"
NAME: Final = "progress"
"""The ConversationHandler's name (its state is written with the transaction that asks a question)."""
TYPING_TIMEOUT: Final = timedelta(minutes=10)
END: Final = ConversationHandler.END


class ProgressState(IntEnum):
    MEASURE_VALUE = 1
    EDIT_SET = 2
    ADD_SET = 3


def data(context: BotContext) -> dict[str, Any]:
    """The conversation's data in user_data (what is being typed, since when)."""
    assert context.user_data is not None
    found: dict[str, Any] = context.user_data.setdefault(KEY, {})
    return found


def forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


def expect(update: Update, context: BotContext, state: IntEnum, **what: object) -> None:
    """Ask for typed input (`what` says what it is for). Call it inside the transaction of the update that
    asks: the question's data and conversation state are committed with it, so a restart between the
    prompt and the answer still reads the answer as what was asked."""
    forget(context)
    data(context).update(what, since=context.now().isoformat())
    context.next_state(update, NAME, state)


async def reply(
    update: Update, text: str, keyboard: InlineKeyboardMarkup | None = None, *, edit: bool = False
) -> None:
    """Edit the message of the pressed button (`edit`), else send a new message."""
    query = update.callback_query
    if edit and query is not None and query.message is not None:
        try:
            await query.edit_message_text(text, reply_markup=keyboard)
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                return
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(text, reply_markup=keyboard)


def small_int(value: str) -> int:
    """A page, an index or a set number from a button (NotFound when forged)."""
    try:
        number = int(value)
    except ValueError:
        raise NotFound(_(ui.STALE_BUTTON)) from None
    if not 0 <= number <= 10_000:
        raise NotFound(_(ui.STALE_BUTTON))
    return number


__all__ = [
    "END",
    "KEY",
    "NAME",
    "TEXT",
    "TYPING_TIMEOUT",
    "ProgressState",
    "data",
    "expect",
    "forget",
    "reply",
    "small_int",
]
