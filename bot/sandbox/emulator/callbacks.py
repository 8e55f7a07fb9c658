"""Button presses: injected callback queries and answerCallbackQuery."""

from __future__ import annotations

import secrets

from bot.sandbox.emulator.entities import utf16_len
from bot.sandbox.emulator.errors import ERR_QUERY_TOO_OLD, JSONDict, TelegramApiError, _bad_request
from bot.sandbox.emulator.limits import MAX_CALLBACK_ANSWER_LENGTH
from bot.sandbox.emulator.state import CallbackAnswer, _CallbackQuery, _Ctx
from bot.sandbox.emulator.updates import _UpdatesMixin


class _CallbacksMixin(_UpdatesMixin):
    """Callback queries, from the press to the answer."""

    def inject_callback(
        self, user_id: int, message_id: int, data: str | None, chat_id: int | None = None
    ) -> JSONDict:
        """The user presses a button with ``data`` on the bot's message ``message_id`` (the data need not
        be on its keyboard: this is how tests forge callbacks). Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            raise KeyError(f"no bot message {message_id} in chat {chat.id}")
        query_id = str(secrets.randbits(63))
        self._callback_queries[query_id] = _CallbackQuery(
            query_id, user_id, chat.id, message_id, data, created_at=self._clock()
        )
        query: JSONDict = {
            "id": query_id,
            "from": user.to_dict(),
            "message": self._message_json(message),
            "chat_instance": chat.chat_instance,
        }
        if data is not None:
            query["data"] = data
        return self._enqueue_update("callback_query", query, chat.id)

    def _m_answer_callback_query(self, ctx: _Ctx) -> bool:
        params = ctx.params
        query_id = params.get_str("callback_query_id") or ""
        text = params.get_str("text") or None
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        query = self._callback_queries.get(query_id)
        expired = (
            query is not None
            and self.callback_query_ttl is not None
            and self._clock() - query.created_at > self.callback_query_ttl
        )
        if query is None or query.answered or expired:
            raise TelegramApiError(400, ERR_QUERY_TOO_OLD)
        query.answered = True
        self._callback_answers[query.user_id].append(
            CallbackAnswer(
                query_id=query.id,
                user_id=query.user_id,
                chat_id=query.chat_id,
                message_id=query.message_id,
                data=query.data,
                text=text,
                show_alert=params.get_bool("show_alert"),
                url=params.get_str("url"),
                cache_time=params.get_int("cache_time", 0) or 0,
            )
        )
        chat = self._chats.get(query.chat_id)
        if chat is not None:
            self._bot_action(chat)
        return True

    def callback_answers(self, user_id: int) -> list[CallbackAnswer]:
        """The bot's answers to this user's callback queries, in order."""
        return list(self._callback_answers.get(user_id, []))

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot has not answered (a Telegram client would show a spinner)."""
        return [query.id for query in self._callback_queries.values() if not query.answered]
