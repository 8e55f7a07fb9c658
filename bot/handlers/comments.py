"""Coach comments on a trainee's workout, and the trainee's one answer: one persistent conversation.

A coach comments by replying to a workout notice (a Telegram reply) or by pressing 💬 Comment under it
and typing; the trainee gets the comment with ↩️ Answer and answers the same two ways, once. The
workout or comment comes from the button under the message (the pressed one or the one replied to),
and proves nothing: the services check the coach's link to the trainee, or that the workout is the
trainee's own. A comment or answer that is empty or too long is refused and nothing is stored.

A typed comment is only read while its prompt is fresh (PROMPT_TTL): a prompt left open never takes a
set typed in a workout an hour later.
"""

from __future__ import annotations

import logging
import uuid
import warnings
from datetime import datetime, timedelta
from enum import IntEnum
from typing import Any, Final

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, ConversationHandler, MessageHandler, filters
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.handlers.base import answer, user_for
from bot.handlers.coaching import Outbox, deliver
from bot.i18n import _, use_locale
from bot.services.coaching import comments
from bot.services.errors import DomainError, NotFound
from bot.services.timezones import local_today
from bot.ui import attention as ui
from bot.ui.callback import parse_id, unpack
from bot.ui.texts import esc

log = logging.getLogger(__name__)

NAME: Final = "comment"
KEY: Final = "comment"
"""user_data: the prompt that is open: {"session": id} or {"comment": id}, and "at" (ISO instant)."""
PROMPT_TTL: Final = timedelta(minutes=15)
TEXT = filters.TEXT & ~filters.COMMAND
END = ConversationHandler.END


class CommentState(IntEnum):
    COMMENTING = 1
    ANSWERING = 2


# --- what a message or button points at ----------------------------------------------------------------


def _target_of(markup: InlineKeyboardMarkup | None) -> tuple[str, uuid.UUID] | None:
    """The `cm:c:<session>` or `cm:a:<comment>` button of a message's keyboard, if it has one."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            parts = unpack(button.callback_data if isinstance(button.callback_data, str) else None, ui.CM)
            if parts and len(parts) == 2 and parts[0] in (ui.COMMENT, ui.ANSWER):
                found = parse_id(parts[1])
                if found is not None:
                    return parts[0], found
    return None


class _RepliesToComment(filters.MessageFilter):
    """A reply to one of the bot's messages that carries a Comment or Answer button."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        if replied is None or replied.from_user is None or not replied.from_user.is_bot:
            return False
        return _target_of(replied.reply_markup) is not None


REPLIES = _RepliesToComment(name="replies_to_comment") & TEXT


class _FreshPrompt(MessageHandler[BotContext, object]):
    """Typed text for an open prompt, only while the prompt is fresh (else other handlers get it)."""

    def __init__(self, application: Any, callback: Any) -> None:
        super().__init__(TEXT, callback)
        self._application = application

    def check_update(self, update: object) -> Any:
        if not isinstance(update, Update) or update.effective_user is None:
            return False
        data = self._application.user_data.get(update.effective_user.id, {}).get(KEY)
        if not isinstance(data, dict) or not _fresh(data, self._application.bot_data.clock()):
            return False
        return super().check_update(update)


def _fresh(data: dict[str, Any], now: datetime) -> bool:
    try:
        return now - datetime.fromisoformat(str(data.get("at"))) <= PROMPT_TTL
    except ValueError:
        return False


def _remember(context: BotContext, kind: str, target: uuid.UUID) -> None:
    assert context.user_data is not None
    context.user_data[KEY] = {kind: str(target), "at": context.now().isoformat()}


def _remembered(context: BotContext, kind: str) -> uuid.UUID | None:
    data = (context.user_data or {}).get(KEY) or {}
    try:
        return uuid.UUID(data[kind]) if isinstance(data, dict) and data.get(kind) else None
    except ValueError:
        return None


def _forget(context: BotContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(KEY, None)


# --- writing -------------------------------------------------------------------------------------------


async def _comment(update: Update, context: BotContext, session_id: uuid.UUID, text: str) -> object:
    """Store the coach's comment and send it to the trainee (after the commit)."""
    message = update.effective_message
    assert message is not None
    out: Outbox = []
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            sent = await comments.add_comment(session, user, session_id, text, context.now())
            today = local_today(user.timezone, context.now())
            if sent.workout.trainee_chat_id is not None:
                with use_locale(sent.workout.trainee_locale):  # the trainee reads it in their language
                    trainee_text = ui.comment_for_trainee(sent, today)
                    button = ui.answer_button(sent.comment_id)
                out.append((sent.workout.trainee_chat_id, trainee_text, button))
            reply = ui.comment_sent(sent, today)
            _forget(context)
            context.next_state(update, NAME, END)
    except (comments.EmptyText, comments.TooLong) as error:
        await message.reply_text(ui.refused(error.reason), reply_markup=ui.cancel_keyboard())
        return None
    except DomainError as error:
        await message.reply_text(_("🤔 {reason} Nothing was sent.").format(reason=esc(error.reason)))
        return None
    await message.reply_text(reply)
    await deliver(context, out)
    return END


async def _answer(update: Update, context: BotContext, comment_id: uuid.UUID, text: str) -> object:
    """Store the trainee's one answer and send it to the coach (after the commit)."""
    message = update.effective_message
    assert message is not None
    out: Outbox = []
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            sent = await comments.answer_comment(session, user, comment_id, text, context.now())
            if sent.coach_chat_id is not None:
                today = local_today(user.timezone, context.now())
                with use_locale(sent.coach_locale):  # the coach reads it in their language
                    out.append((sent.coach_chat_id, ui.answer_for_coach(sent, today), None))
            _forget(context)
            context.next_state(update, NAME, END)
    except (comments.EmptyText, comments.TooLong) as error:
        await message.reply_text(ui.refused(error.reason), reply_markup=ui.cancel_keyboard())
        return None
    except DomainError as error:
        await message.reply_text(_("🤔 {reason} Nothing was sent.").format(reason=esc(error.reason)))
        return None
    await message.reply_text(ui.answer_sent())
    await deliver(context, out)
    return END


# --- handlers ------------------------------------------------------------------------------------------


async def on_reply(update: Update, context: BotContext) -> object:
    """A reply to a workout notice (a comment) or to a comment (the answer)."""
    message = update.effective_message
    assert message is not None and message.text is not None and message.reply_to_message is not None
    target = _target_of(message.reply_to_message.reply_markup)
    assert target is not None  # the filter checked it
    kind, target_id = target
    if kind == ui.COMMENT:
        return await _comment(update, context, target_id, message.text)
    return await _answer(update, context, target_id, message.text)


async def typed_comment(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    session_id = _remembered(context, "session")
    if session_id is None:
        return END
    return await _comment(update, context, session_id, message.text)


async def typed_answer(update: Update, context: BotContext) -> object:
    message = update.effective_message
    assert message is not None and message.text is not None
    comment_id = _remembered(context, "comment")
    if comment_id is None:
        return END
    return await _answer(update, context, comment_id, message.text)


async def on_button(update: Update, context: BotContext) -> object:
    """`cm:c:<session>` asks for a comment, `cm:a:<comment>` for an answer, `cm:x` cancels."""
    query = update.callback_query
    assert query is not None
    parts = unpack(query.data, ui.CM) or []
    if parts == [ui.CANCEL]:
        async with context.db():
            _forget(context)
            context.next_state(update, NAME, END)
        await answer(update)
        await _edit_or_send(update, _(ui.CANCELLED))
        return END
    target = parse_id(parts[1]) if len(parts) == 2 and parts[0] in (ui.COMMENT, ui.ANSWER) else None
    if target is None:
        await answer(update, _(ui.STALE_BUTTON), alert=True)
        return None
    try:
        async with context.db() as session:
            user = await user_for(session, update, context)
            today = local_today(user.timezone, context.now())
            if parts[0] == ui.COMMENT:
                workout = await comments.trainee_workout(session, user, target)
                prompt, state = ui.comment_prompt(workout, today), CommentState.COMMENTING
                _remember(context, "session", target)
            else:
                comment = await comments.comment_to_answer(session, user, target)
                prompt, state = ui.answer_prompt(comment.body), CommentState.ANSWERING
                _remember(context, "comment", target)
            context.next_state(update, NAME, state)
    except NotFound as error:
        await answer(update, error.reason, alert=True)
        return None
    except DomainError as error:
        await answer(update, error.reason, alert=True)
        return None
    await answer(update)
    chat = update.effective_chat
    assert chat is not None
    await chat.send_message(prompt, reply_markup=ui.cancel_keyboard())
    return state


async def _edit_or_send(update: Update, text: str) -> None:
    query = update.callback_query
    chat = update.effective_chat
    assert chat is not None
    if query is not None and isinstance(query.message, Message):
        try:
            await query.edit_message_text(text)
            return
        except Exception:
            log.info("could not edit the comment prompt", exc_info=True)
    await chat.send_message(text)


def build_conversation(application: Any) -> ConversationHandler[BotContext]:
    buttons = CallbackQueryHandler(on_button, pattern=rf"^{ui.CM}:")
    replies = MessageHandler(REPLIES, on_reply)
    with warnings.catch_warnings():
        # Deliberate: one conversation per user and chat (see bot.handlers.workout).
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[buttons, replies],
            states={
                CommentState.COMMENTING: [buttons, replies, _FreshPrompt(application, typed_comment)],
                CommentState.ANSWERING: [buttons, replies, _FreshPrompt(application, typed_answer)],
            },
            fallbacks=[],
            name=NAME,
            persistent=application.persistence is not None,
            allow_reentry=True,
        )


def register(application: Any) -> None:
    """Before the workout conversation: a reply to a notice, or a comment being typed, is not a set."""
    application.add_handler(build_conversation(application))
