"""The user side of the sandbox: a Telegram user that tests (and the playground) drive."""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.sandbox.emulator import CallbackAnswer, SentMessage

if TYPE_CHECKING:
    from bot.sandbox.emulator import BotApiEmulator

__all__ = ["ButtonRef", "SandboxUser"]

ButtonRef = str | int | tuple[int, int]
"""A button by its text, by its index in reading order, or by (row, column)."""

MessageRef = SentMessage | int | None


def _read_input(source: str | os.PathLike[str] | bytes, filename: str | None) -> tuple[bytes, str | None]:
    if isinstance(source, bytes | bytearray):
        return bytes(source), filename
    path = Path(source)
    return path.read_bytes(), filename or path.name


class SandboxUser:
    """A user chatting with the bot through a :class:`~bot.sandbox.emulator.BotApiEmulator`.

    Every action injects an update and then waits for the bot: with ``emulator.track_processing`` until the
    harness marks the update processed, otherwise until the bot does something in the chat (sends, edits
    or deletes a message, answers a callback). The action returns the bot messages sent or edited in the
    chat meanwhile (deleted ones left out); if the bot does not react within ``timeout`` seconds an
    AssertionError names what was sent.
    """

    def __init__(
        self, emulator: BotApiEmulator, user_id: int, *, chat_id: int | None = None, timeout: float = 10.0
    ) -> None:
        self.emulator = emulator
        self.user_id = user_id
        self.chat_id = user_id if chat_id is None else chat_id
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"SandboxUser(user_id={self.user_id}, chat_id={self.chat_id})"

    def in_chat(self, chat_id: int) -> SandboxUser:
        """The same user acting in another chat (a group made with ``emulator.add_group``)."""
        return SandboxUser(self.emulator, self.user_id, chat_id=chat_id, timeout=self.timeout)

    # --------------------------------------------------------------------------------------------------
    # actions
    # --------------------------------------------------------------------------------------------------

    async def _act(
        self, inject: Callable[[], dict[str, Any]], what: str, wait_limit: float | None
    ) -> list[SentMessage]:
        emulator = self.emulator
        limit = self.timeout if wait_limit is None else wait_limit
        start = emulator.version(self.chat_id)
        update = inject()
        update_id = int(update["update_id"])
        try:
            if emulator.track_processing:
                await emulator.wait_processed(update_id, timeout=limit)
            else:
                await emulator.wait_for(lambda emu: emu.version(self.chat_id) > start, timeout=limit)
        except TimeoutError:
            if emulator.track_processing:
                reason = f"the bot did not finish processing update {update_id}"
            else:
                reason = "the bot did not answer"
            raise AssertionError(
                f"user {self.user_id} sent {what} in chat {self.chat_id}, but {reason} within {limit:g} s"
            ) from None
        return emulator.changes_since(self.chat_id, start)

    async def send(self, text: str, *, timeout: float | None = None) -> list[SentMessage]:  # noqa: ASYNC109
        """Send a text message (commands and ``/start PAYLOAD`` deep links included)."""
        return await self._act(
            lambda: self.emulator.inject_message(self.user_id, text, chat_id=self.chat_id),
            f"the message {text!r}",
            timeout,
        )

    async def reply(
        self,
        message: SentMessage | int,
        text: str,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Send ``text`` as a reply to a message of the chat."""
        message_id = message if isinstance(message, int) else message.message_id
        return await self._act(
            lambda: self.emulator.inject_message(
                self.user_id, text, chat_id=self.chat_id, reply_to_message_id=message_id
            ),
            f"the reply {text!r} to message {message_id}",
            timeout,
        )

    async def press(
        self,
        button: ButtonRef,
        message: MessageRef = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Press an inline button, by text, index or (row, column), on ``message`` (default: the latest bot
        message of the chat that has an inline keyboard)."""
        target = self._keyboard_message(message)
        found = self._find_button(target, button)
        data = found.get("callback_data")
        if data is None:
            kinds = [key for key in found if key != "text"]
            raise AssertionError(
                f"button {found.get('text')!r} on message {target.message_id} is not a callback button "
                f"({', '.join(kinds) or 'no action'}), so it cannot be pressed in the sandbox"
            )
        return await self._act(
            lambda: self.emulator.inject_callback(
                self.user_id, target.message_id, data, chat_id=self.chat_id
            ),
            f"a press on {found.get('text')!r} (callback_data {data!r}) of message {target.message_id}",
            timeout,
        )

    async def press_data(
        self,
        data: str,
        message_id: SentMessage | int,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Send a callback query with arbitrary ``data`` for a bot message (forged/stale buttons)."""
        mid = message_id if isinstance(message_id, int) else message_id.message_id
        return await self._act(
            lambda: self.emulator.inject_callback(self.user_id, mid, data, chat_id=self.chat_id),
            f"the callback data {data!r} on message {mid}",
            timeout,
        )

    async def upload(
        self,
        path_or_bytes: str | os.PathLike[str] | bytes,
        filename: str | None = None,
        caption: str | None = None,
        *,
        mime_type: str | None = None,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Send a document, from a path or from bytes (``filename`` defaults to the path's name)."""
        content, name = _read_input(path_or_bytes, filename)
        name = name or "file.bin"
        mime = mime_type or mimetypes.guess_type(name)[0]
        return await self._act(
            lambda: self.emulator.inject_document(
                self.user_id, name, content, mime_type=mime, caption=caption, chat_id=self.chat_id
            ),
            f"the document {name!r} ({len(content)} bytes)",
            timeout,
        )

    async def send_photo(
        self,
        path_or_bytes: str | os.PathLike[str] | bytes,
        caption: str | None = None,
        *,
        timeout: float | None = None,  # noqa: ASYNC109
    ) -> list[SentMessage]:
        """Send a photo, from a path or from bytes."""
        content, _name = _read_input(path_or_bytes, None)
        return await self._act(
            lambda: self.emulator.inject_photo(self.user_id, content, caption=caption, chat_id=self.chat_id),
            f"a photo ({len(content)} bytes)",
            timeout,
        )

    def block_bot(self) -> None:
        """Block the bot (sending to this user answers 403 until they write again or unblock)."""
        self.emulator.block_bot(self.user_id)

    def unblock_bot(self) -> None:
        """Unblock the bot."""
        self.emulator.unblock_bot(self.user_id)

    # --------------------------------------------------------------------------------------------------
    # what the user sees
    # --------------------------------------------------------------------------------------------------

    @property
    def messages(self) -> list[SentMessage]:
        """The bot's messages still in the chat, in order."""
        return [message for message in self.emulator.messages(self.chat_id) if not message.deleted]

    @property
    def last_reply(self) -> SentMessage | None:
        """The latest bot message in the chat."""
        return self.emulator.last_message(self.chat_id)

    @property
    def last_text(self) -> str:
        """Text (or caption) of the latest bot message; AssertionError when the bot sent nothing."""
        last = self.last_reply
        if last is None:
            raise AssertionError(f"the bot has sent nothing (left) in chat {self.chat_id}")
        return last.content

    def buttons(self, message: MessageRef = None) -> list[list[str]]:
        """Texts of the inline buttons of ``message`` (default: the latest message with a keyboard)."""
        if message is None:
            latest = self._latest_with_keyboard()
            return latest.buttons if latest else []
        return self._resolve(message).buttons

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        """Texts of the reply keyboard shown in the chat, if any."""
        keyboard = self.emulator.reply_keyboard(self.chat_id)
        if keyboard is None:
            return None
        return [[str(button.get("text", "")) for button in row] for row in keyboard.get("keyboard", [])]

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        """The bot's answers to this user's button presses."""
        return self.emulator.callback_answers(self.user_id)

    # --------------------------------------------------------------------------------------------------
    # helpers
    # --------------------------------------------------------------------------------------------------

    def _resolve(self, message: SentMessage | int) -> SentMessage:
        message_id = message if isinstance(message, int) else message.message_id
        try:
            current = self.emulator.message(self.chat_id, message_id)
        except KeyError:
            raise AssertionError(f"the bot sent no message {message_id} in chat {self.chat_id}") from None
        if current.deleted:
            raise AssertionError(f"message {message_id} in chat {self.chat_id} was deleted")
        return current

    def _latest_with_keyboard(self) -> SentMessage | None:
        for message in reversed(self.messages):
            if message.inline_keyboard:
                return message
        return None

    def _keyboard_message(self, message: MessageRef) -> SentMessage:
        if message is None:
            latest = self._latest_with_keyboard()
            if latest is None:
                last = self.last_reply
                shown = f"; the last bot message is {last.content!r}" if last else ""
                raise AssertionError(f"no bot message with an inline keyboard in chat {self.chat_id}{shown}")
            return latest
        current = self._resolve(message)
        if not current.inline_keyboard:
            raise AssertionError(
                f"message {current.message_id} ({current.content!r}) has no inline keyboard (any more)"
            )
        return current

    @staticmethod
    def _find_button(message: SentMessage, button: ButtonRef) -> dict[str, Any]:
        rows = message.inline_keyboard
        flat = [candidate for row in rows for candidate in row]
        found: dict[str, Any] | None = None
        if isinstance(button, tuple):
            row_index, column = button
            if 0 <= row_index < len(rows) and 0 <= column < len(rows[row_index]):
                found = rows[row_index][column]
        elif isinstance(button, int):
            if 0 <= button < len(flat):
                found = flat[button]
        else:
            found = next((candidate for candidate in flat if candidate.get("text") == button), None)
            if found is None:
                wanted = button.strip().casefold()
                found = next(
                    (c for c in flat if str(c.get("text", "")).strip().casefold() == wanted),
                    None,
                )
        if found is None:
            raise AssertionError(
                f"no button {button!r} on message {message.message_id} ({message.content[:60]!r}); "
                f"available buttons: {message.buttons}"
            )
        return found
