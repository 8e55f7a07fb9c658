"""A tiny fake Bot API (aiohttp.web on 127.0.0.1, a free port) and bots wired to it over a real socket.

The fake API records every request as the server saw it (raw body, content type, parsed fields, file parts
with their raw Content-Disposition) so tests can assert on the wire, and answers like Telegram does:

* getMe, deleteWebhook, getFile (+ the file download URL), sendMessage, sendDocument, sendMediaGroup;
* sendMessage to a chat id from ERROR_CHATS answers with that HTTP status and Telegram's error shape
  (429 with parameters.retry_after, a migrated group with parameters.migrate_to_chat_id, a 502 with an HTML
  body, a 302 redirect);
* hang: holds the request until `release` is set, or for `delay` seconds when given;
* stall: never reads the request body (the upload stalls once the socket buffers are full);
* getUpdates: the queued updates first, then long polls (holds for `timeout` seconds) and answers [].
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

import pytest
from aiohttp import BodyPartReader, web
from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bot.transport import AiohttpRequest

TOKEN = "123456789:AAE-fake_TOKEN-for-transport-tests_xyz"
BOT_USER = {"id": 123456789, "is_bot": True, "first_name": "Fake", "username": "fake_bot"}
DOWNLOAD = b"\x00\x01binary file \xff\xfe contents" * 100

# chat_id -> (HTTP status, body, content type)
ERROR_CHATS: dict[int, tuple[int, str, str]] = {
    400: (
        400,
        json.dumps({"ok": False, "error_code": 400, "description": "Bad Request: chat not found"}),
        "",
    ),
    401: (401, json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"}), ""),
    403: (
        403,
        json.dumps({"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}),
        "",
    ),
    409: (
        409,
        json.dumps(
            {
                "ok": False,
                "error_code": 409,
                "description": "Conflict: terminated by other getUpdates request",
            }
        ),
        "",
    ),
    429: (
        429,
        json.dumps(
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 7",
                "parameters": {"retry_after": 7},
            }
        ),
        "",
    ),
    -100: (
        400,
        json.dumps(
            {
                "ok": False,
                "error_code": 400,
                "description": "Bad Request: group chat was upgraded to a supergroup chat",
                "parameters": {"migrate_to_chat_id": -1001234},
            }
        ),
        "",
    ),
    500: (500, json.dumps({"ok": False, "error_code": 500, "description": "Internal Server Error"}), ""),
    502: (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
}
REDIRECT_CHAT = 302


@dataclass
class FilePart:
    name: str
    filename: str
    content_type: str
    disposition: str
    data: bytes


@dataclass
class Call:
    method: str
    http_method: str
    content_type: str
    user_agent: str
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)
    files: list[FilePart] = field(default_factory=list)
    # (name, raw Content-Disposition) of every multipart part in order, text fields included
    part_order: list[tuple[str, str]] = field(default_factory=list)


class FakeBotApi:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.release = asyncio.Event()  # lets every held request (hang, stall, long poll) finish
        self.arrived = asyncio.Event()  # a hang/stall request reached the server
        self.long_poll_answered = asyncio.Event()  # a held getUpdates answered [] after its timeout
        self.updates: list[dict[str, Any]] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.port = 0
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def start(self) -> None:
        app = web.Application(client_max_size=256 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, shutdown_timeout=0.25, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        return web.Response(body=DOWNLOAD, content_type="application/octet-stream")

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        call = Call(
            method=method,
            http_method=request.method,
            content_type=request.headers.get("Content-Type", ""),
            user_agent=request.headers.get("User-Agent", ""),
        )
        self.calls.append(call)
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        if method == "stall":  # never read the body
            self.arrived.set()
            await self.release.wait()
            return _ok(True)
        await _read_body(request, call)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)
        response: web.StreamResponse = await handler(call)
        return response

    async def _getMe(self, call: Call) -> web.Response:
        return _ok(BOT_USER)

    async def _deleteWebhook(self, call: Call) -> web.Response:
        return _ok(True)

    async def _hang(self, call: Call) -> web.Response:
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.arrived.set()
        try:
            delay = float(call.params["delay"]) if "delay" in call.params else None
            if delay is None:
                await self.release.wait()
            else:
                await asyncio.sleep(delay)
        finally:
            self.in_flight -= 1
        return _ok(True)

    async def _sendMessage(self, call: Call) -> web.Response:
        chat_id = int(call.params["chat_id"])
        if chat_id == REDIRECT_CHAT:
            raise web.HTTPFound(f"/bot{TOKEN}/getMe", text="moved")
        if chat_id in ERROR_CHATS:
            status, body, content_type = ERROR_CHATS[chat_id]
            return web.Response(status=status, text=body, content_type=content_type or "application/json")
        message: dict[str, Any] = _message(call, chat_id)
        message["text"] = call.params["text"]
        if "reply_markup" in call.params:
            message["reply_markup"] = json.loads(call.params["reply_markup"])
        return _ok(message)

    async def _sendDocument(self, call: Call) -> web.Response:
        (part,) = call.files
        message = _message(call, int(call.params["chat_id"]))
        message["document"] = _document(part)
        if "caption" in call.params:
            message["caption"] = call.params["caption"]
        return _ok(message)

    async def _sendMediaGroup(self, call: Call) -> web.Response:
        chat_id = int(call.params["chat_id"])
        parts = {f.name: f for f in call.files}
        messages = []
        for item in json.loads(call.params["media"]):
            message = _message(call, chat_id)
            message["document"] = _document(parts[item["media"].removeprefix("attach://")])
            messages.append(message)
        return _ok(messages)

    async def _getFile(self, call: Call) -> web.Response:
        return _ok(
            {
                "file_id": call.params["file_id"],
                "file_unique_id": "unique",
                "file_size": len(DOWNLOAD),
                "file_path": "documents/file_1.bin",
            }
        )

    async def _getUpdates(self, call: Call) -> web.Response:
        if self.updates:
            updates, self.updates = self.updates, []
            return _ok(updates)
        timeout = float(call.params.get("timeout", "0"))
        if timeout > 0:
            try:
                await asyncio.wait_for(self.release.wait(), timeout)
            except TimeoutError:
                self.long_poll_answered.set()
        return _ok([])


def _ok(result: object) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _message(call: Call, chat_id: int) -> dict[str, Any]:
    return {
        "message_id": len(call.params) + 1,
        "date": 1_700_000_000,
        "chat": {"id": chat_id, "type": "private"},
    }


def _document(part: FilePart) -> dict[str, Any]:
    return {
        "file_id": f"id-{part.name}",
        "file_unique_id": f"u-{part.name}",
        "file_name": part.filename,
        "mime_type": part.content_type,
        "file_size": len(part.data),
    }


async def _read_body(request: web.Request, call: Call) -> None:
    if call.content_type.startswith("multipart/form-data"):
        reader = await request.multipart()
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader), "nested multipart"
            name = part.name or ""
            disposition = part.headers.get("Content-Disposition", "")
            call.part_order.append((name, disposition))
            data = await part.read(decode=False)
            if part.filename is None:
                call.params[name] = data.decode()
            else:
                content_type = part.headers.get("Content-Type", "")
                call.files.append(FilePart(name, part.filename, content_type, disposition, bytes(data)))
        return
    call.body = await request.read()
    if call.content_type.startswith("application/x-www-form-urlencoded"):
        call.params = dict(parse_qsl(call.body.decode(), keep_blank_values=True, strict_parsing=True))
    elif call.content_type.startswith("application/json"):
        call.params = {
            k: v if isinstance(v, str) else json.dumps(v) for k, v in json.loads(call.body).items()
        }
    else:
        assert call.body == b"", f"unexpected body of type {call.content_type!r}"


Transport = Literal["aiohttp", "httpx"]


def new_request(transport: Transport, **kwargs: Any) -> BaseRequest:
    """A request object of either implementation with the same constructor arguments."""
    if transport == "aiohttp":
        return AiohttpRequest(**kwargs)
    return HTTPXRequest(**kwargs)


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    yield api
    await api.stop()


@pytest.fixture(params=["aiohttp", "httpx"])
def transport(request: pytest.FixtureRequest) -> Transport:
    """Runs a test once on AiohttpRequest and once on PTB's HTTPXRequest: both must behave alike."""
    value: Transport = request.param
    return value


BotFactory = Callable[..., Awaitable[Bot]]


@pytest.fixture
async def open_bot(fake_api: FakeBotApi) -> AsyncIterator[Callable[..., Awaitable[Bot]]]:
    """open_bot(transport, **request_kwargs) -> an initialized Bot on the fake API, `transport` for both requests.

    `initialize=False` only initializes the request objects (for servers that cannot answer getMe);
    `base_url=` points the bot elsewhere. Everything is shut down after the test.
    """
    requests: list[BaseRequest] = []

    async def factory(
        transport: Transport, *, initialize: bool = True, base_url: str | None = None, **kwargs: Any
    ) -> Bot:
        request, updates_request = (
            new_request(transport, **kwargs),
            new_request(transport, connection_pool_size=1),
        )
        requests.extend((request, updates_request))
        bot = Bot(
            TOKEN,
            base_url=base_url or fake_api.base_url,
            base_file_url=fake_api.base_file_url,
            request=request,
            get_updates_request=updates_request,
        )
        if initialize:
            await bot.initialize()
        else:
            await request.initialize()
        return bot

    yield factory
    for request in requests:
        await request.shutdown()


@pytest.fixture
def make_bot(open_bot: Callable[..., Awaitable[Bot]], transport: Transport) -> BotFactory:
    """open_bot bound to the parametrized `transport`: the test runs on both implementations."""

    async def factory(**kwargs: Any) -> Bot:
        return await open_bot(transport, **kwargs)

    return factory


@pytest.fixture
def closed_port() -> int:
    """A loopback port that was just bound and released: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.fixture
def blackhole_port() -> Iterator[int]:
    """A loopback port whose listener never accepts and whose backlog is full: a connect hangs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port: int = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        filler = socket.socket()
        filler.setblocking(False)
        with contextlib.suppress(BlockingIOError):  # in progress: it completes into the backlog
            filler.connect(("127.0.0.1", port))
        fillers.append(filler)
    yield port
    for filler in fillers:
        filler.close()
    listener.close()
