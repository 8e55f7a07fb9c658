"""An in-process emulator of the Telegram Bot API, good enough to run the bot against without Telegram.

The emulator is an aiohttp web server that answers the Bot API the way ``api.telegram.org`` does, for the
subset of methods the bot uses, with Telegram's result shapes, Telegram's error codes and descriptions (so
python-telegram-bot raises the same exceptions as in production), optional flood control, long polling and
webhook delivery. On the other side it offers a "user side": tests inject what users do (messages, button
presses, uploads) and read back what the bot sent, waiting on a change feed instead of sleeping.

Only one bot world is emulated: every well-formed token addresses the same users, chats, messages and
pending updates (``getMe`` reports the id found in the token).

The package is split by Bot API area, each module readable alone: ``core`` (server, dispatch, state
helpers), ``messages``, ``callbacks``, ``files``, ``commands`` (commands and descriptions), ``updates``
(getUpdates), ``webhooks``, ``limits`` (sizes and flood control), ``markup`` (keyboards), and the text
parsers (``entities``, ``html_mode``, ``markdown_mode``, ``formatting``).
"""

from __future__ import annotations

from bot.sandbox.emulator.callbacks import _CallbacksMixin
from bot.sandbox.emulator.commands import _CommandsMixin
from bot.sandbox.emulator.entities import EntityParseError, ParsedText, utf16_len
from bot.sandbox.emulator.errors import (
    ERR_BLOCKED,
    ERR_BUTTON_DATA,
    ERR_CAPTION_TOO_LONG,
    ERR_CHAT_NOT_FOUND,
    ERR_CONFLICT_POLL,
    ERR_CONFLICT_WEBHOOK,
    ERR_DELETE_NOT_FOUND,
    ERR_EDIT_NOT_FOUND,
    ERR_NOT_MODIFIED,
    ERR_PARSE_ENTITIES,
    ERR_QUERY_TOO_OLD,
    ERR_TEXT_BUTTONS,
    ERR_TEXT_EMPTY,
    ERR_TEXT_TOO_LONG,
    JSONDict,
    TelegramApiError,
)
from bot.sandbox.emulator.formatting import format_text
from bot.sandbox.emulator.html_mode import parse_html
from bot.sandbox.emulator.limits import (
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CALLBACK_DATA_BYTES,
    MAX_CAPTION_LENGTH,
    MAX_COMMANDS,
    MAX_DOWNLOAD_BYTES,
    MAX_MESSAGE_LENGTH,
    MAX_UPLOAD_BYTES,
    RateLimits,
)
from bot.sandbox.emulator.markdown_mode import parse_markdown, parse_markdown_v2
from bot.sandbox.emulator.state import CallbackAnswer, EmulatorStats, MethodHandler, SentMessage
from bot.sandbox.emulator.users import _UserSideMixin
from bot.sandbox.emulator.webhooks import _WebhooksMixin

__all__ = [
    "ERR_BLOCKED",
    "ERR_BUTTON_DATA",
    "ERR_CAPTION_TOO_LONG",
    "ERR_CHAT_NOT_FOUND",
    "ERR_CONFLICT_POLL",
    "ERR_CONFLICT_WEBHOOK",
    "ERR_DELETE_NOT_FOUND",
    "ERR_EDIT_NOT_FOUND",
    "ERR_NOT_MODIFIED",
    "ERR_PARSE_ENTITIES",
    "ERR_QUERY_TOO_OLD",
    "ERR_TEXT_BUTTONS",
    "ERR_TEXT_EMPTY",
    "ERR_TEXT_TOO_LONG",
    "MAX_CALLBACK_ANSWER_LENGTH",
    "MAX_CALLBACK_DATA_BYTES",
    "MAX_CAPTION_LENGTH",
    "MAX_COMMANDS",
    "MAX_DOWNLOAD_BYTES",
    "MAX_MESSAGE_LENGTH",
    "MAX_UPLOAD_BYTES",
    "BotApiEmulator",
    "CallbackAnswer",
    "EmulatorStats",
    "EntityParseError",
    "JSONDict",
    "ParsedText",
    "RateLimits",
    "SentMessage",
    "TelegramApiError",
    "format_text",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]


class BotApiEmulator(_UserSideMixin, _CallbacksMixin, _WebhooksMixin, _CommandsMixin):
    """A local Telegram Bot API server (aiohttp) with a user side for tests.

    Point python-telegram-bot at it with ``Bot(token, base_url=emu.base_url,
    base_file_url=emu.base_file_url)`` (any token from :meth:`make_token` works), drive users with
    :meth:`add_user` / :class:`~bot.sandbox.client.SandboxUser`, and read what the bot sent with
    :meth:`messages`, :meth:`callback_answers` and :meth:`wait_for`.
    """

    def _method_table(self) -> dict[str, MethodHandler]:
        return {
            "getMe": self._m_get_me,
            "logOut": self._m_trivial,
            "close": self._m_trivial,
            "getUpdates": self._m_get_updates,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "sendMessage": self._m_send_message,
            "sendPhoto": self._m_send_photo,
            "sendDocument": self._m_send_document,
            "editMessageText": self._m_edit_message_text,
            "editMessageCaption": self._m_edit_message_caption,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "deleteMessage": self._m_delete_message,
            "deleteMessages": self._m_delete_messages,
            "answerCallbackQuery": self._m_answer_callback_query,
            "getFile": self._m_get_file,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "sendChatAction": self._m_send_chat_action,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "setMyDescription": self._m_set_my_description,
            "getMyDescription": self._m_get_my_description,
            "setMyShortDescription": self._m_set_my_short_description,
            "getMyShortDescription": self._m_get_my_short_description,
            "setMyName": self._m_set_my_name,
            "getMyName": self._m_get_my_name,
            "getChat": self._m_get_chat,
        }
