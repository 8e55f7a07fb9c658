"""Messages: sendMessage, edits, deletions, chat actions; formatting, reply markup and reply targets."""

from __future__ import annotations

import contextlib
import copy
from datetime import UTC, datetime
from typing import Final

from bot.sandbox.emulator.core import _EmulatorCore
from bot.sandbox.emulator.entities import ParsedText, utf16_len
from bot.sandbox.emulator.errors import (
    ERR_CAPTION_TOO_LONG,
    ERR_DELETE_NOT_FOUND,
    ERR_EDIT_NOT_FOUND,
    ERR_NOT_MODIFIED,
    ERR_TEXT_EMPTY,
    ERR_TEXT_TOO_LONG,
    JSONDict,
    TelegramApiError,
    _bad_request,
)
from bot.sandbox.emulator.formatting import format_text
from bot.sandbox.emulator.limits import MAX_CAPTION_LENGTH, MAX_MESSAGE_LENGTH
from bot.sandbox.emulator.markup import _validate_reply_markup
from bot.sandbox.emulator.state import SentMessage, _Chat, _Ctx, _Params

_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)


class _MessagesMixin(_EmulatorCore):
    """sendMessage, editMessage*, deleteMessage(s), sendChatAction, and reading what the bot sent."""

    def _format_message_text(self, params: _Params) -> tuple[str, ParsedText]:
        raw = params.get_str("text")
        if not raw:
            raise TelegramApiError(400, ERR_TEXT_EMPTY)
        parsed = format_text(
            raw,
            params.get_str("parse_mode"),
            params.get_json("entities", error="can't parse entities JSON object"),
            resolve_user=self._user_dict,
        )
        if not parsed.text:
            raise TelegramApiError(400, ERR_TEXT_EMPTY)
        if utf16_len(parsed.text) > MAX_MESSAGE_LENGTH:
            raise TelegramApiError(400, ERR_TEXT_TOO_LONG)
        return raw, parsed

    def _format_caption(self, params: _Params) -> tuple[str | None, ParsedText | None]:
        raw = params.get_str("caption")
        if not raw:
            return None, None
        parsed = format_text(
            raw,
            params.get_str("parse_mode"),
            params.get_json("caption_entities", error="can't parse entities JSON object"),
            resolve_user=self._user_dict,
        )
        if utf16_len(parsed.text) > MAX_CAPTION_LENGTH:
            raise TelegramApiError(400, ERR_CAPTION_TOO_LONG)
        if not parsed.text:
            return raw, None
        return raw, parsed

    def _reply_markup(self, params: _Params, *, inline_only: bool = False) -> JSONDict | None:
        raw = params.get_json("reply_markup", error="can't parse reply keyboard markup JSON object")
        if raw is None:
            return None
        return _validate_reply_markup(raw, inline_only=inline_only)

    def _message_exists(self, chat: _Chat, message_id: int) -> bool:
        bot_message = chat.bot_messages.get(message_id)
        if bot_message is not None:
            return not bot_message.deleted
        return message_id in chat.user_messages and message_id not in chat.deleted_user_messages

    def _reply_target(self, chat: _Chat, params: _Params) -> int | None:
        reply = params.get_json("reply_parameters", error="can't parse reply parameters JSON object")
        allow_without = params.get_bool("allow_sending_without_reply")
        message_id: int | None
        if reply is not None:
            if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int | str):
                raise _bad_request("can't parse reply parameters JSON object")
            try:
                message_id = int(reply["message_id"])
            except ValueError:
                raise _bad_request("can't parse reply parameters JSON object") from None
            allow_without = bool(reply.get("allow_sending_without_reply", allow_without))
            target_chat_id = reply.get("chat_id")
            if target_chat_id not in (None, "", chat.id, str(chat.id)):
                other = self._resolve_chat(target_chat_id)
                if self._message_exists(other, message_id) or allow_without:
                    return None  # a reply to another chat's message: accepted, not shown here
                raise _bad_request("message to be replied not found")
        else:
            message_id = params.get_int("reply_to_message_id")
        if message_id is None:
            return None
        if self._message_exists(chat, message_id):
            return message_id
        if allow_without:
            return None
        raise _bad_request("message to be replied not found")

    def _new_bot_message(self, ctx: _Ctx, chat: _Chat, message: SentMessage) -> JSONDict:
        params = ctx.params
        message.sender_id = ctx.bot_id
        message.reply_to_message_id = self._reply_target(chat, params)
        message.disable_notification = params.get_bool("disable_notification")
        message.protect_content = params.get_bool("protect_content")
        message.parse_mode = params.get_str("parse_mode")
        self._check_not_blocked(chat)
        message.message_id = chat.allocate_message_id()
        chat.bot_messages[message.message_id] = message
        markup = message.reply_markup
        if markup is not None:
            if "keyboard" in markup:
                chat.reply_keyboard = markup
            elif markup.get("remove_keyboard"):
                chat.reply_keyboard = None
        self._bot_action(chat, message)
        return self._message_json(message)

    def _m_send_message(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        raw, parsed = self._format_message_text(params)
        link_preview = params.get_json("link_preview_options", error="can't parse link preview options")
        if link_preview is not None and not isinstance(link_preview, dict):
            raise _bad_request("can't parse link preview options JSON object")
        if link_preview is None and params.get_bool("disable_web_page_preview"):
            link_preview = {"is_disabled": True}
        message = SentMessage(
            message_id=0,
            chat_id=chat.id,
            kind="text",
            text=parsed.text,
            html=raw,
            entities=parsed.entities,
            reply_markup=self._reply_markup(params),
            link_preview_options=link_preview,
        )
        return self._new_bot_message(ctx, chat, message)

    def _edit_target(self, params: _Params) -> tuple[_Chat, SentMessage]:
        if params.has("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(params.raw("chat_id"))
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            if self._message_exists(chat, message_id):
                raise _bad_request("message can't be edited")
            raise TelegramApiError(400, ERR_EDIT_NOT_FOUND)
        return chat, message

    @staticmethod
    def _inline_markup(message: SentMessage) -> JSONDict | None:
        """Only an inline keyboard belongs to a message (a reply keyboard belongs to the chat)."""
        markup = message.reply_markup
        return markup if markup is not None and "inline_keyboard" in markup else None

    @staticmethod
    def _replace_inline_markup(message: SentMessage, markup: JSONDict | None) -> None:
        if markup is not None or message.reply_markup is None or "inline_keyboard" in message.reply_markup:
            message.reply_markup = markup

    def _finish_edit(self, chat: _Chat, message: SentMessage) -> JSONDict:
        message.edited = True
        message.edit_date = datetime.now(UTC)
        self._bot_action(chat, message)
        return self._message_json(message)

    def _m_edit_message_text(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        raw, parsed = self._format_message_text(params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        if (
            parsed.text == message.text
            and parsed.entities == message.entities
            and markup == self._inline_markup(message)
        ):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        message.text, message.html, message.entities = parsed.text, raw, parsed.entities
        self._replace_inline_markup(message, markup)
        message.parse_mode = params.get_str("parse_mode")
        link_preview = params.get_json("link_preview_options", error="can't parse link preview options")
        if isinstance(link_preview, dict):
            message.link_preview_options = link_preview
        return self._finish_edit(chat, message)

    def _m_edit_message_caption(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        raw, caption = self._format_caption(params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        new_caption = caption.text if caption else None
        new_entities = caption.entities if caption else []
        if (
            new_caption == message.caption
            and new_entities == message.entities
            and markup == self._inline_markup(message)
        ):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        message.caption, message.html, message.entities = new_caption, raw, new_entities
        self._replace_inline_markup(message, markup)
        message.parse_mode = params.get_str("parse_mode")
        return self._finish_edit(chat, message)

    def _m_edit_message_reply_markup(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        markup = self._reply_markup(params, inline_only=True)
        if markup == self._inline_markup(message):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        self._replace_inline_markup(message, markup)
        return self._finish_edit(chat, message)

    def _delete_one(self, chat: _Chat, message_id: int) -> None:
        message = chat.bot_messages.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            self._bot_action(chat, message)
            return
        if message_id in chat.user_messages and message_id not in chat.deleted_user_messages:
            if chat.type != "private":
                raise _bad_request("message can't be deleted")
            chat.deleted_user_messages.add(message_id)
            self._bot_action(chat)
            return
        raise TelegramApiError(400, ERR_DELETE_NOT_FOUND)

    def _m_delete_message(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        self._delete_one(chat, message_id)
        return True

    def _m_delete_messages(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        ids = params.get_json("message_ids", error="can't parse message identifiers JSON object")
        if not isinstance(ids, list) or not ids or len(ids) > 100:
            raise _bad_request("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(TelegramApiError, TypeError, ValueError):
                self._delete_one(chat, int(message_id))
        return True

    def _m_send_chat_action(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        action = params.get_str("action") or ""
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        self._check_not_blocked(chat)
        chat.actions.append(action)
        return True

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent in the chat, in order (snapshots, deleted ones flagged)."""
        chat = self._get_chat(chat_id)
        return [chat.bot_messages[mid].snapshot() for mid in sorted(chat.bot_messages)]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """One bot message (snapshot); KeyError if the bot never sent it."""
        return self._get_chat(chat_id).bot_messages[message_id].snapshot()

    def last_message(self, chat_id: int) -> SentMessage | None:
        """The latest bot message still in the chat."""
        chat = self._get_chat(chat_id)
        for message_id in sorted(chat.bot_messages, reverse=True):
            if not chat.bot_messages[message_id].deleted:
                return chat.bot_messages[message_id].snapshot()
        return None

    def changes_since(self, chat_id: int, version: int) -> list[SentMessage]:
        """Bot messages of the chat sent or edited after the chat had ``version`` (not deleted ones)."""
        chat = self._get_chat(chat_id)
        return [
            chat.bot_messages[mid].snapshot()
            for mid in sorted(chat.bot_messages)
            if chat.bot_messages[mid].version > version and not chat.bot_messages[mid].deleted
        ]

    def user_messages(self, chat_id: int) -> list[JSONDict]:
        """Messages users sent in the chat (Message dicts), without those the bot deleted."""
        chat = self._get_chat(chat_id)
        return [
            copy.deepcopy(chat.user_messages[mid])
            for mid in sorted(chat.user_messages)
            if mid not in chat.deleted_user_messages
        ]

    def chat_actions(self, chat_id: int) -> list[str]:
        """The chat actions (``typing``...) the bot sent to the chat."""
        return list(self._get_chat(chat_id).actions)

    def reply_keyboard(self, chat_id: int) -> JSONDict | None:
        """The reply keyboard currently shown in the chat (set by the last message carrying one)."""
        keyboard = self._get_chat(chat_id).reply_keyboard
        return copy.deepcopy(keyboard)
