"""The emulator's core: its state, the aiohttp server, the HTTP layer and method dispatch, helpers on state
and waiting. The Bot API methods live in the area modules (messages, callbacks, files, commands, updates,
webhooks), each a mixin over this core; :class:`~bot.sandbox.emulator.BotApiEmulator` puts them together."""

from __future__ import annotations

import asyncio
import copy
import inspect
import itertools
import json
import logging
import re
import secrets
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Self

import aiohttp
from aiohttp import web

from bot.sandbox.emulator.errors import (
    ERR_BLOCKED,
    ERR_CHAT_NOT_FOUND,
    JSONDict,
    TelegramApiError,
    _bad_request,
    _now_ts,
)
from bot.sandbox.emulator.limits import _RATE_LIMITED_METHODS, MAX_UPLOAD_BYTES, RateLimits, _RateLimiter
from bot.sandbox.emulator.state import (
    _DEFAULT_ALLOWED_UPDATES,
    CallbackAnswer,
    EmulatorStats,
    MethodHandler,
    ScopeKey,
    SentMessage,
    _CallbackQuery,
    _Chat,
    _Ctx,
    _Described,
    _Params,
    _PendingUpdate,
    _Poll,
    _Signal,
    _StoredFile,
    _Upload,
    _User,
    _Webhook,
)

if TYPE_CHECKING:
    from bot.sandbox.emulator.webhooks import _WebhookDeliverer


_LOGGER = logging.getLogger(__name__)
_TOKEN_RE: Final = re.compile(r"^(\d+):[A-Za-z0-9_-]{20,}$")


class _EmulatorCore:
    """The state and plumbing every Bot API area works on."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "workout_test_bot",
        bot_first_name: str = "Workout Bot",
        rate_limit: bool = False,
        clock: Callable[[], float] = time.monotonic,
        rate_limits: RateLimits | None = None,
        callback_query_ttl: float | None = 15.0,
        webhook_retry_delays: Sequence[float] = (0.05, 0.1, 0.2, 0.4),
        webhook_timeout: float = 10.0,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit = rate_limit
        """Flood control on/off; may be switched at runtime."""
        self.rate_limits = rate_limits or RateLimits()
        self.callback_query_ttl = callback_query_ttl
        """Seconds (of ``clock``) after which a callback query can no longer be answered; None: never."""
        self.webhook_retry_delays: tuple[float, ...] = tuple(webhook_retry_delays)
        self.webhook_timeout = webhook_timeout
        self.track_processing = False
        """When True, SandboxUser waits for :meth:`mark_processed` instead of the first bot action."""
        self.stats = EmulatorStats()
        self.bot_id = 7_000_000_000 + secrets.randbelow(1_000_000_000)
        """The bot id of the tokens :meth:`make_token` returns."""

        self._clock = clock
        self._limiter = _RateLimiter(self.rate_limits)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = False
        self._revoked_tokens: set[str] = set()

        self._users: dict[int, _User] = {}
        self._chats: dict[int, _Chat] = {}
        self._blocked: set[int] = set()
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._next_user_id = 100_000_001
        self._group_counter = itertools.count(1)

        self._updates: dict[int, _PendingUpdate] = {}
        self._next_update_id = 1
        self._updates_signal = _Signal()
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._active_poll: _Poll | None = None
        self._webhook: _Webhook | None = None
        self._deliverer: _WebhookDeliverer | None = None

        self._callback_queries: dict[str, _CallbackQuery] = {}
        self._callback_answers: dict[int, list[CallbackAnswer]] = defaultdict(list)
        self._commands: dict[tuple[ScopeKey, str], list[JSONDict]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._default_menu_button: JSONDict | None = None

        self._feed = _Signal()
        self._global_version = 0
        self._processed: set[int] = set()
        self._dropped: set[int] = set()

        self._methods: dict[str, tuple[str, MethodHandler]] = {
            name.lower(): (name, handler) for name, handler in self._method_table().items()
        }

    def _method_table(self) -> dict[str, MethodHandler]:
        """The Bot API methods served, by their Telegram name (the assembled emulator lists its areas')."""
        raise NotImplementedError

    async def start(self) -> None:
        """Start serving on ``host``:``port`` (port 0 picks a free one)."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._session = aiohttp.ClientSession()
        self._closing = False

    async def stop(self) -> None:
        """Stop serving: ends long polls, webhook deliveries, the server and the HTTP client session."""
        self._closing = True
        self._updates_signal.notify_all()
        if self._deliverer is not None:
            await self._deliverer.close()
            self._deliverer = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port served (after start)."""
        if self._port is None:
            raise RuntimeError("the emulator is not running; await start() first")
        return self._port

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)`` / ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    def make_token(self, bot_id: int | None = None) -> str:
        """A valid random token (for ``bot_id``, by default :attr:`bot_id`)."""
        return f"{self.bot_id if bot_id is None else bot_id}:{secrets.token_urlsafe(26)}"

    def revoke_token(self, token: str) -> None:
        """From now on requests with ``token`` get 401 Unauthorized."""
        self._revoked_tokens.add(token)

    def _error_response(self, error: TelegramApiError) -> web.Response:
        return web.json_response(error.to_json(), status=error.error_code)

    def _count_error(self, error: TelegramApiError) -> None:
        self.stats.errors[error.error_code] += 1
        if error.error_code == 429:
            self.stats.too_many_requests += 1

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        error = TelegramApiError(404, "Not Found")
        self._count_error(error)
        return self._error_response(error)

    def _check_token(self, token: str) -> int:
        match = _TOKEN_RE.match(token)
        if match is None:
            raise TelegramApiError(404, "Not Found")
        if token in self._revoked_tokens:
            raise TelegramApiError(401, "Unauthorized")
        return int(match.group(1))

    async def _handle_api(self, request: web.Request) -> web.Response:
        try:
            bot_id = self._check_token(request.match_info["token"])
            values, files = await self._read_params(request)
        except TelegramApiError as error:
            self._count_error(error)
            return self._error_response(error)
        try:
            result, description = await self._call(bot_id, request.match_info["method"], values, files)
        except TelegramApiError as error:
            return self._error_response(error)
        except Exception as exc:  # a bug in the emulator: answer like a failing server and say why
            _LOGGER.exception("emulator failure in %s", request.match_info["method"])
            failure = TelegramApiError(500, f"Internal Server Error: emulator failure: {exc!r}")
            self._count_error(failure)
            return self._error_response(failure)
        body: JSONDict = {"ok": True, "result": result}
        if description is not None:
            body["description"] = description
        return web.json_response(body)

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
        values: JSONDict = dict(request.query)
        files: dict[str, _Upload] = {}
        if not request.body_exists:
            return values, files
        try:
            if request.content_type == "application/json":
                raw = await request.read()
                if raw.strip():
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        raise _bad_request("can't parse JSON object") from None
                    if not isinstance(body, dict):
                        raise _bad_request("can't parse JSON object")
                    values.update(body)
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = _Upload(value.filename, value.content_type, value.file.read())
                    elif isinstance(value, bytes | bytearray):
                        files[key] = _Upload(key, None, bytes(value))
                    else:
                        values[key] = value
        except web.HTTPRequestEntityTooLarge:
            raise TelegramApiError(413, "Request Entity Too Large") from None
        return values, files

    async def _call(
        self, bot_id: int, method: str, values: JSONDict, files: dict[str, _Upload]
    ) -> tuple[Any, str | None]:
        try:
            entry = self._methods.get(method.lower())
            if entry is None:
                self.stats.requests[method] += 1
                _LOGGER.warning("Bot API method %r is not emulated; answering 404 Not Found", method)
                raise TelegramApiError(404, "Not Found")
            name, handler = entry
            self.stats.requests[name] += 1
            params = _Params(values, files)
            limited = self.rate_limit and name in _RATE_LIMITED_METHODS
            now = self._clock()
            chat_key = self._rate_chat_key(params) if limited else None
            if limited:
                if self._limiter.limits != self.rate_limits:
                    self._limiter.limits = self.rate_limits
                retry_after = self._limiter.check(chat_key, now)
                if retry_after is not None:
                    raise TelegramApiError(
                        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
                    )
            result = handler(_Ctx(bot_id, params))
            if inspect.isawaitable(result):
                result = await result
            if limited:
                self._limiter.record(chat_key, now)
        except TelegramApiError as error:
            self._count_error(error)
            raise
        if isinstance(result, _Described):
            return result.value, result.description
        return result, None

    def _rate_chat_key(self, params: _Params) -> int | None:
        value = params.raw("chat_id")
        if isinstance(value, str) and value.startswith("@"):
            chat = self._chat_by_username(value[1:])
            return chat.id if chat else None
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    async def _handle_file(self, request: web.Request) -> web.Response:
        try:
            self._check_token(request.match_info["token"])
        except TelegramApiError as error:
            self._count_error(error)
            return self._error_response(error)
        self.stats.requests["<file download>"] += 1
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            not_found = TelegramApiError(404, "Not Found")
            self._count_error(not_found)
            return self._error_response(not_found)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    def _bot_user(self, bot_id: int) -> JSONDict:
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _user_dict(self, user_id: int) -> JSONDict | None:
        user = self._users.get(user_id)
        return user.to_dict() if user else None

    def _chat_by_username(self, username: str) -> _Chat | None:
        username = username.lower()
        for chat in self._chats.values():
            name = chat.username or (chat.user.username if chat.user else None)
            if name and name.lower() == username:
                return chat
        return None

    def _resolve_chat(self, value: Any) -> _Chat:
        if value is None or value == "":
            raise _bad_request("chat_id is empty")
        chat: _Chat | None
        if isinstance(value, str) and value.strip().startswith("@"):
            chat = self._chat_by_username(value.strip()[1:])
        else:
            try:
                chat = self._chats.get(int(value))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise TelegramApiError(400, ERR_CHAT_NOT_FOUND)
        return chat

    def _check_not_blocked(self, chat: _Chat) -> None:
        if chat.type == "private" and chat.id in self._blocked:
            raise TelegramApiError(403, ERR_BLOCKED)

    def _bot_action(self, chat: _Chat, message: SentMessage | None = None) -> None:
        chat.version += 1
        self._global_version += 1
        if message is not None:
            message.version = chat.version
        self._feed.notify_all()

    def _message_json(self, message: SentMessage, *, with_reply: bool = True) -> JSONDict:
        chat = self._chats[message.chat_id]
        data: JSONDict = {
            "message_id": message.message_id,
            "from": self._bot_user(message.sender_id),
            "chat": chat.to_dict(),
            "date": int(message.date.timestamp()),
        }
        if message.kind == "text":
            data["text"] = message.text or ""
            if message.entities:
                data["entities"] = copy.deepcopy(message.entities)
            if message.link_preview_options:
                data["link_preview_options"] = dict(message.link_preview_options)
        else:
            stored = self._files[message.file_id or ""]
            if message.kind == "photo":
                data["photo"] = stored.photo_sizes()
            else:
                data["document"] = stored.document()
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = copy.deepcopy(message.entities)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = copy.deepcopy(message.reply_markup)
        if message.edit_date is not None:
            data["edit_date"] = int(message.edit_date.timestamp())
        if message.protect_content:
            data["has_protected_content"] = True
        if with_reply and message.reply_to_message_id is not None:
            replied = self._any_message_json(chat, message.reply_to_message_id)
            if replied is not None:
                data["reply_to_message"] = replied
        return data

    def _any_message_json(self, chat: _Chat, message_id: int) -> JSONDict | None:
        bot_message = chat.bot_messages.get(message_id)
        if bot_message is not None and not bot_message.deleted:
            return self._message_json(bot_message, with_reply=False)
        user_message = chat.user_messages.get(message_id)
        if user_message is not None and message_id not in chat.deleted_user_messages:
            data = copy.deepcopy(user_message)
            data.pop("reply_to_message", None)
            return data
        return None

    def _get_user(self, user_id: int) -> _User:
        user = self._users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}; create it with add_user()")
        return user

    def _get_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}")
        return chat

    def _user_chat(self, user_id: int, chat_id: int | None) -> tuple[_User, _Chat]:
        user = self._get_user(user_id)
        chat = self._get_chat(user_id if chat_id is None else chat_id)
        if chat.type == "private" and chat.id != user_id:
            raise ValueError(f"user {user_id} cannot write in the private chat of user {chat.id}")
        if chat.type == "private":
            self._blocked.discard(user_id)  # writing to a bot restarts (unblocks) it
        else:
            chat.members.add(user_id)
        return user, chat

    def _new_user_message(self, user: _User, chat: _Chat, content: JSONDict) -> JSONDict:
        message_id = chat.allocate_message_id()
        message: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": _now_ts(),
            **content,
        }
        chat.user_messages[message_id] = message
        return message

    def version(self, chat_id: int) -> int:
        """Counter of bot actions (message sent/edited/deleted, callback answered) in the chat."""
        return self._get_chat(chat_id).version

    @property
    def global_version(self) -> int:
        """Counter of bot actions in all chats."""
        return self._global_version

    @property
    def supported_methods(self) -> list[str]:
        """The Bot API methods the emulator implements (others answer 404 Not Found, as Telegram does)."""
        return sorted(name for name, _handler in self._methods.values())

    async def wait_for(
        self,
        predicate: Callable[[Self], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the API; no asyncio.timeout() needed by callers
    ) -> None:
        """Wait until ``predicate(self)`` holds; it is re-evaluated after every change (bot actions,
        injected updates, processed marks). Raises TimeoutError after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the condition was not met within {timeout:g} s")
            await self._feed.wait(remaining)

    def mark_processed(self, update_id: int) -> None:
        """Called by the test harness when the bot has finished handling the update ``update_id``."""
        self._processed.add(update_id)
        self._feed.notify_all()

    def is_processed(self, update_id: int) -> bool:
        """Whether :meth:`mark_processed` was called for the update."""
        return update_id in self._processed

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the update was marked processed (or was dropped: filtered out, drop_pending_updates).
        Raises TimeoutError."""
        try:
            await self.wait_for(
                lambda emulator: update_id in emulator._processed or update_id in emulator._dropped, timeout
            )
        except TimeoutError:
            raise TimeoutError(f"update {update_id} was not processed within {timeout:g} s") from None
