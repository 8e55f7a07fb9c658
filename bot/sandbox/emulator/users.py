"""The user side: people, groups, blocking, and the messages, files and photos users send."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, cast

from bot.sandbox.emulator.entities import utf16_len
from bot.sandbox.emulator.errors import JSONDict
from bot.sandbox.emulator.files import _FilesMixin, _image_size
from bot.sandbox.emulator.state import _Chat, _User
from bot.sandbox.emulator.updates import _UpdatesMixin

if TYPE_CHECKING:
    from bot.sandbox.client import SandboxUser
    from bot.sandbox.emulator import BotApiEmulator


_LEADING_COMMAND_RE: Final = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")


class _UserSideMixin(_FilesMixin, _UpdatesMixin):
    """Users, groups and what they send."""

    def add_user(
        self,
        user_id: int | None = None,
        *,
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SandboxUser:
        """Create a user (an id is allocated when None) and their private chat with the bot."""
        from bot.sandbox.client import SandboxUser  # the client module imports this one

        if user_id is None:
            while self._next_user_id in self._users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id in self._users:
            raise ValueError(f"user {user_id} already exists")
        user = _User(user_id, first_name, last_name, username, language_code)
        self._users[user_id] = user
        self._chats[user_id] = _Chat(id=user_id, type="private", user=user)
        return SandboxUser(cast("BotApiEmulator", self), user_id)  # this mixin only lives in BotApiEmulator

    def user(self, user_id: int) -> SandboxUser:
        """A driver for an existing user."""
        from bot.sandbox.client import SandboxUser

        self._get_user(user_id)
        return SandboxUser(cast("BotApiEmulator", self), user_id)  # this mixin only lives in BotApiEmulator

    def add_group(
        self,
        title: str,
        *,
        members: Iterable[int] = (),
        username: str | None = None,
        supergroup: bool = False,
    ) -> int:
        """Create a group chat (negative id) and return its id. Users join it by sending in it."""
        number = next(self._group_counter)
        chat_id = -(1_000_000_000_000 + number) if supergroup else -(4_000_000_000 + number)
        self._chats[chat_id] = _Chat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username,
            members={self._get_user(member).id for member in members},
        )
        return chat_id

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sending to them answers 403 until unblocked (or they write again)."""
        self._get_user(user_id)
        self._blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(user_id)

    def is_blocked(self, user_id: int) -> bool:
        """Whether the user currently blocks the bot."""
        return user_id in self._blocked

    def inject_message(
        self, user_id: int, text: str, chat_id: int | None = None, *, reply_to_message_id: int | None = None
    ) -> JSONDict:
        """The user sends ``text``; returns the Update. A leading ``/command`` (or ``/command@bot``) gets a
        bot_command entity like Telegram sets; ``/start PAYLOAD`` is how deep links arrive."""
        user, chat = self._user_chat(user_id, chat_id)
        content: JSONDict = {"text": text}
        command = _LEADING_COMMAND_RE.match(text)
        if command:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}]
        if reply_to_message_id is not None:
            replied = self._any_message_json(chat, reply_to_message_id)
            if replied is None:
                raise KeyError(f"no message {reply_to_message_id} in chat {chat.id}")
            content["reply_to_message"] = replied
        message = self._new_user_message(user, chat, content)
        return self._enqueue_update("message", message, chat.id)

    def inject_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JSONDict:
        """The user sends a file; getFile and the file download work for it. Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file(content, "document", file_name=filename, mime_type=mime_type)
        payload: JSONDict = {"document": stored.document()}
        if caption:
            payload["caption"] = caption
        message = self._new_user_message(user, chat, payload)
        return self._enqueue_update("message", message, chat.id)

    def inject_photo(
        self, user_id: int, content: bytes, caption: str | None = None, chat_id: int | None = None
    ) -> JSONDict:
        """The user sends a photo (dimensions read from PNG/JPEG/GIF/WebP/BMP headers). Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        stored = self._store_file(content, "photo", size=_image_size(content) or (1, 1))
        payload: JSONDict = {"photo": stored.photo_sizes()}
        if caption:
            payload["caption"] = caption
        message = self._new_user_message(user, chat, payload)
        return self._enqueue_update("message", message, chat.id)
