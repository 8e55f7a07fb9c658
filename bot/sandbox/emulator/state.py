"""The emulator's state: what the bot sent, users, chats, files, pending updates, request parameters."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import json
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Literal

from bot.sandbox.emulator.errors import JSONDict, _bad_request


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it (the objects handed out are snapshots).

    ``text`` is the plain text with the entities parsed out, ``html`` the raw text (or caption) exactly as
    the bot sent it, ``entities`` the MessageEntity dicts of the text (or of the caption).
    """

    message_id: int
    chat_id: int
    kind: Literal["text", "photo", "document"]
    text: str | None = None
    html: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    reply_markup: JSONDict | None = None
    file: bytes | None = None
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    parse_mode: str | None = None
    reply_to_message_id: int | None = None
    link_preview_options: JSONDict | None = None
    disable_notification: bool = False
    protect_content: bool = False
    edited: bool = False
    deleted: bool = False
    date: datetime = field(default_factory=lambda: datetime.now(UTC))
    edit_date: datetime | None = None
    version: int = 0
    """The chat's version counter when this message last changed."""
    sender_id: int = 0
    """The bot id it was sent with."""

    @property
    def content(self) -> str:
        """The text, or the caption of a photo/document ("" when there is none)."""
        if self.text is not None:
            return self.text
        return self.caption or ""

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """The rows of inline buttons (dicts as sent), empty when there is no inline keyboard."""
        if not self.reply_markup:
            return []
        rows: list[list[JSONDict]] = self.reply_markup.get("inline_keyboard") or []
        return rows

    @property
    def buttons(self) -> list[list[str]]:
        """The texts of the inline buttons, row by row."""
        return [[str(button.get("text", "")) for button in row] for row in self.inline_keyboard]

    def snapshot(self) -> SentMessage:
        """A copy that later edits will not change."""
        return dataclasses.replace(
            self,
            entities=copy.deepcopy(self.entities),
            reply_markup=copy.deepcopy(self.reply_markup),
        )


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a callback query (answerCallbackQuery)."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class EmulatorStats:
    """Request counters: per Bot API method, per error code, 429s answered and webhook deliveries."""

    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    too_many_requests: int = 0
    webhook_deliveries: int = 0
    webhook_failures: int = 0

    @property
    def total_requests(self) -> int:
        """All requests answered, successful or not."""
        return sum(self.requests.values())

    def reset(self) -> None:
        """Zero every counter."""
        self.requests.clear()
        self.errors.clear()
        self.too_many_requests = self.webhook_deliveries = self.webhook_failures = 0


class _Signal:
    """Wakes every waiter on notify_all(); waiters never poll. Notifying is synchronous, so it can be done
    from plain functions (injectors, mark_processed) as well as from request handlers."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify_all(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, limit: float | None = None) -> bool:
        """Wait for the next notification; False after ``limit`` seconds without one."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, limit)
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True


@dataclass
class _User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class _Chat:
    id: int
    type: Literal["private", "group", "supergroup"]
    title: str | None = None
    username: str | None = None
    user: _User | None = None
    members: set[int] = field(default_factory=set)
    next_message_id: int = 1
    version: int = 0
    bot_messages: dict[int, SentMessage] = field(default_factory=dict)
    user_messages: dict[int, JSONDict] = field(default_factory=dict)
    deleted_user_messages: set[int] = field(default_factory=set)
    reply_keyboard: JSONDict | None = None
    actions: list[str] = field(default_factory=list)
    menu_button: JSONDict | None = None
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(62)))

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def to_dict(self) -> JSONDict:
        if self.user is not None:
            data = self.user.to_dict()
            data.pop("is_bot", None)
            data.pop("language_code", None)
            return {**data, "type": "private"}
        data = {"id": self.id, "type": self.type, "title": self.title or ""}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    kind: Literal["photo", "document"]
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def file_json(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def photo_sizes(self) -> list[JSONDict]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.data),
                "width": self.width,
                "height": self.height,
            }
        ]

    def document(self) -> JSONDict:
        data: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class _CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    created_at: float
    answered: bool = False


@dataclass
class _PendingUpdate:
    update_id: int
    kind: str
    update: JSONDict
    chat_id: int | None


@dataclass
class _Upload:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class _Described:
    """A method result with the "description" Telegram adds (setWebhook: "Webhook was set")."""

    value: Any
    description: str


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    has_custom_certificate: bool
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Poll:
    terminated: bool = False


class _Params:
    """Request parameters, from a JSON body (typed) or a form (strings, JSON-encoded for objects)."""

    def __init__(self, values: JSONDict, files: dict[str, _Upload]) -> None:
        self.values = values
        self.files = files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(value.strip())
        raise _bad_request(f"invalid {name} specified")

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str, *, error: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(error) from None
        return value


@dataclass
class _Ctx:
    bot_id: int
    params: _Params


_DEFAULT_ALLOWED_UPDATES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_SCOPES_WITHOUT_CHAT: Final = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)
ScopeKey = tuple[Any, ...]
MethodHandler = Callable[[_Ctx], Any]
