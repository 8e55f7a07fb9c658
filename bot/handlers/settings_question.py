"""The settings conversation's open question: its states, and the handlers that let a question yield.

The settings conversation (bot.handlers.onboarding) is registered first, so while a question is open
it would see all of the user's text before any later feature. It yields instead: a command or a button
of another feature closes the open question (`LeaveOnOtherFeature`), and the typed-answer handlers
(`AnswerHandler`, and /cancel) only act while the question is open (`QUESTION_KEY` in ``user_data``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Final

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.context import BotContext
from bot.ui import onboarding as ui

if TYPE_CHECKING:
    from bot.app import BotApplication

NAME: Final = "settings"
"""The conversation's name (its state is persisted under it)."""
QUESTION_KEY: Final = "settings_question"
"""user_data key, present while a question of this conversation waits for typed text."""
OWN_COMMANDS: Final = frozenset({"start", "settings", "cancel", "help"})
"""Commands that leave an open question open (/help only shows text; the others are ours)."""


class State(IntEnum):
    """The conversation's states: each waits for a typed (or tapped) answer."""

    ASK_TIMEZONE = 1
    ASK_REMINDER_TIME = 2
    ASK_UNIT = 3
    ASK_BAR = 4
    ASK_PLATES = 5


END: Final = ConversationHandler.END
Next = int | None
"""What a callback returns: a State, END, or None for "stay where you are"."""
Callback = Callable[[Update, BotContext], Coroutine[Any, Any, Next]]


def tracks_question(callback: Callback) -> Callback:
    """Keep `QUESTION_KEY` in step with the state the callback returns (None leaves both alone)."""

    @functools.wraps(callback)
    async def tracked(update: Update, context: BotContext) -> Next:
        next_state = await callback(update, context)
        data = context.user_data
        if data is not None and next_state is not None:
            if next_state == END:
                data.pop(QUESTION_KEY, None)
            else:
                data[QUESTION_KEY] = int(next_state)
        return next_state

    return tracked


def _user_data_of(application: BotApplication, update: object) -> dict[Any, Any] | None:
    if not isinstance(update, Update) or update.effective_user is None:
        return None
    return application.user_data.get(update.effective_user.id)


def question_open(application: BotApplication, update: object) -> bool:
    data = _user_data_of(application, update)
    return data is not None and QUESTION_KEY in data


def is_other_feature(update: Update) -> bool:
    """A button that is not ours, or a command other than `OWN_COMMANDS`."""
    query = update.callback_query
    if query is not None:
        return not (query.data or "").startswith(ui.PREFIX + ":")
    message = update.message
    if message is None or not message.text or not message.text.startswith("/"):
        return False
    words = message.text[1:].split(maxsplit=1)
    command = words[0].split("@", 1)[0].lower() if words else ""
    return bool(command) and command not in OWN_COMMANDS


async def _never_called(update: Update, context: BotContext) -> None:  # pragma: no cover
    raise AssertionError("LeaveOnOtherFeature handles no update")


class LeaveOnOtherFeature(BaseHandler[Update, BotContext, None]):
    """First handler of every state; handles nothing. When it sees a command or a button of another
    feature while a question is open, it closes the question, so the text that follows goes to that
    feature (the conversation's state stays: /start or /settings asks again)."""

    def __init__(self, application: BotApplication) -> None:
        super().__init__(_never_called)
        self.application = application

    def check_update(self, update: object) -> None:
        if isinstance(update, Update) and is_other_feature(update):
            data = _user_data_of(self.application, update)
            if data is not None:
                data.pop(QUESTION_KEY, None)


class AnswerHandler(MessageHandler[BotContext, Next]):
    """A typed answer (plain text, not a command, not an edit), taken only while the question is open."""

    def __init__(self, callback: Callback, application: BotApplication) -> None:
        super().__init__(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND, callback)
        self.application = application

    def check_update(self, update: object) -> bool | dict[str, list[Any]] | None:
        if not question_open(self.application, update):
            return None
        return super().check_update(update)


class CancelHandler(CommandHandler[BotContext, Next]):
    """/cancel, only while the question is open (otherwise it is another feature's /cancel)."""

    def __init__(self, callback: Callback, application: BotApplication) -> None:
        super().__init__("cancel", callback)
        self.application = application

    def check_update(
        self, update: object
    ) -> bool | tuple[list[str], bool | dict[str, list[Any]] | None] | None:
        if not question_open(self.application, update):
            return None
        return super().check_update(update)
