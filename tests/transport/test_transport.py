"""AiohttpRequest against a real local HTTP server, asserted at the level of telegram.Bot / Application.

Most tests run twice, on AiohttpRequest and on PTB's own HTTPXRequest (the `transport` fixture): the two must
be indistinguishable to PTB. No fixed sleeps: the fake server holds requests until an event or for the
timeout the client asked for.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import gc
import hashlib
import json
import traceback
import warnings
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaDocument,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bot.transport import POOL_TIMEOUT_MESSAGE, AiohttpRequest
from tests.transport.conftest import (
    BOT_USER,
    DOWNLOAD,
    TOKEN,
    BotFactory,
    FakeBotApi,
    Transport,
)

GUARD = 10  # seconds: a broken timeout fails the test instead of hanging it; never a speed assertion


async def failure(awaitable: Awaitable[object]) -> TelegramError:
    with pytest.raises(TelegramError) as info:
        async with asyncio.timeout(GUARD):
            await awaitable
    return info.value


def assert_token_not_leaked(exc: BaseException) -> None:
    """Neither the error's text nor its whole formatted chain (what a log would show) holds the token."""
    assert TOKEN not in str(exc)
    assert TOKEN not in repr(exc)
    assert TOKEN not in "".join(traceback.format_exception(exc))


# --------------------------------------------------------------------------------------------- success paths


async def test_get_me(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot()
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (BOT_USER["id"], BOT_USER["username"], True)
    call = fake_api.calls_to("getMe")[-1]
    assert (call.http_method, call.content_type, call.body, call.params) == ("POST", "", b"", {})
    assert call.user_agent == BaseRequest.USER_AGENT


async def test_send_message_parameters_arrive_intact(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot()
    text = 'Привет 👋🏽 "quotes" & a=b+c%20 ; \\ back\nsecond line 💪 — 🇺🇦 ümlaut 中文'
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Готово ✅", callback_data="done:1 & more=2")],
            [InlineKeyboardButton("link", url="https://example.com/?a=1&b=%20")],
        ]
    )
    message = await bot.send_message(42, text, reply_markup=markup, disable_notification=True)

    assert message.text == text
    assert message.reply_markup == markup
    assert message.chat.id == 42
    call = fake_api.calls_to("sendMessage")[-1]
    assert call.content_type == "application/x-www-form-urlencoded"
    assert call.params["chat_id"] == "42"
    assert call.params["text"] == text
    assert call.params["disable_notification"] == "true"
    assert json.loads(call.params["reply_markup"]) == markup.to_dict()


@pytest.mark.parametrize(
    ("make_document", "filename", "mime_type"),
    [
        pytest.param(lambda data, _: data, "report.pdf", "application/pdf", id="bytes"),
        pytest.param(
            lambda data, _: InputFile(data, filename="отчёт 💪.csv"),
            "отчёт 💪.csv",
            "text/csv",
            id="inputfile",
        ),
        pytest.param(lambda data, path: path, "plan.txt", "text/plain", id="path"),
        pytest.param(lambda data, path: path.open("rb"), "plan.txt", "text/plain", id="file-handle"),
    ],
)
async def test_send_document_uploads_exact_bytes_filename_and_mime_type(
    make_bot: BotFactory,
    fake_api: FakeBotApi,
    tmp_path: Path,
    make_document: Callable[[bytes, Path], Any],
    filename: str,
    mime_type: str,
) -> None:
    bot = await make_bot()
    data = bytes(range(256)) * 4096 + "конец 💪".encode()  # 1 MiB of every byte value, and some UTF-8
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    document = make_document(data, path)
    try:
        message = await bot.send_document(
            7, document, filename="report.pdf" if isinstance(document, bytes) else None, caption="Week 1 🏋️"
        )
    finally:
        if hasattr(document, "close"):
            document.close()

    (part,) = fake_api.calls_to("sendDocument")[-1].files
    assert (part.name, part.filename, part.content_type) == ("document", filename, mime_type)
    assert hashlib.sha256(part.data).digest() == hashlib.sha256(data).digest()
    assert fake_api.calls_to("sendDocument")[-1].params == {"chat_id": "7", "caption": "Week 1 🏋️"}
    assert message.document is not None
    assert (message.document.file_name, message.document.mime_type) == (filename, mime_type)
    assert message.document.file_size == len(data)
    assert message.caption == "Week 1 🏋️"


async def test_unread_file_handle_is_uploaded_from_its_start_and_left_open(
    make_bot: BotFactory, fake_api: FakeBotApi, tmp_path: Path
) -> None:
    bot = await make_bot()
    path = tmp_path / "log.bin"
    path.write_bytes(b"0123456789" * 10_000)
    with path.open("rb") as handle:
        handle.read()  # at EOF: httpx rewinds before uploading, so must we
        await bot.send_document(7, InputFile(handle, filename="log.bin", read_file_handle=False))
        assert not handle.closed  # aiohttp's own IO payloads close it; httpx does not
    assert fake_api.calls_to("sendDocument")[-1].files[0].data == path.read_bytes()


async def test_media_group_uploads_every_attachment(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot()
    media = [
        InputMediaDocument(b"first file", filename="a.txt"),
        InputMediaDocument(b"second file \xff", filename="b.bin"),
    ]
    messages = await bot.send_media_group(7, media)

    assert [m.document.file_name for m in messages if m.document] == ["a.txt", "b.bin"]
    call = fake_api.calls_to("sendMediaGroup")[-1]
    assert sorted(f.data for f in call.files) == [b"first file", b"second file \xff"]
    assert {item["media"] for item in json.loads(call.params["media"])} == {
        f"attach://{f.name}" for f in call.files
    }


async def test_file_download(make_bot: BotFactory) -> None:
    bot = await make_bot()
    file = await bot.get_file("some-file-id")
    assert file.file_path is not None
    assert await file.download_as_bytearray() == DOWNLOAD


async def test_same_bytes_on_the_wire_as_httpx(
    open_bot: Callable[..., Awaitable[Bot]], fake_api: FakeBotApi
) -> None:
    """Form bodies are byte-identical; multipart bodies have the same parts, headers and data.

    The only difference: aiohttp labels multipart text fields `text/plain; charset=utf-8`, httpx sends them
    without a Content-Type (Telegram accepts both).
    """
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ ok", callback_data="a&b=c")]])
    tricky_name = 'q"uote\\back sla\tsh ёжик 💪.txt'
    seen: dict[Transport, tuple[Any, ...]] = {}
    for transport in ("aiohttp", "httpx"):
        bot = await open_bot(transport)
        await bot.send_message(1, "héllo & 👋 = 1+1", reply_markup=markup, protect_content=True)
        await bot.send_document(1, InputFile(b"\x00data\r\n", filename=tricky_name), caption="ça 🏋️")
        form = fake_api.calls_to("sendMessage")[-1]
        upload = fake_api.calls_to("sendDocument")[-1]
        seen[transport] = (
            form.content_type,
            form.body,
            upload.content_type.split(";")[0],
            upload.params,
            upload.part_order,
            upload.files,
        )
    assert seen["aiohttp"] == seen["httpx"]


async def test_concurrent_requests_never_exceed_the_pool(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot(connection_pool_size=4, pool_timeout=None)
    results = await asyncio.gather(*(bot.do_api_request("hang", {"delay": 0.05}) for _ in range(16)))
    assert results == [True] * 16
    assert fake_api.max_in_flight == 4


# ------------------------------------------------------------------------------------------------ HTTP errors


@pytest.mark.filterwarnings("ignore:.*retry_after:telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize(
    ("chat_id", "error_type", "text"),
    [
        (400, BadRequest, "Chat not found"),
        (401, InvalidToken, "Unauthorized"),
        (403, Forbidden, "Forbidden: bot was blocked by the user"),
        (409, Conflict, "Conflict: terminated by other getUpdates request"),
        (429, RetryAfter, "Flood control exceeded"),
        (-100, ChatMigrated, "Group migrated to supergroup. New chat id: -1001234"),
        (500, NetworkError, "Internal Server Error"),
        (502, NetworkError, "Bad Gateway (502). Parsing the server response"),
        (302, NetworkError, "Found (302)"),  # redirects are returned, not followed
    ],
)
async def test_error_responses_map_to_ptb_exceptions(
    make_bot: BotFactory, chat_id: int, error_type: type[TelegramError], text: str
) -> None:
    bot = await make_bot()
    exc = await failure(bot.send_message(chat_id, "hi"))
    assert type(exc) is error_type
    assert text in str(exc)
    if isinstance(exc, RetryAfter):  # an int or, with PTB_TIMEDELTA set, a timedelta
        assert exc.retry_after in (7, dtm.timedelta(seconds=7))
    if isinstance(exc, ChatMigrated):
        assert exc.new_chat_id == -1001234
    assert_token_not_leaked(exc)


# --------------------------------------------------------------------------------------- transport failures


async def test_slow_response_times_out(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot(read_timeout=0.2, initialize=False)  # no getMe under the short timeout
    exc = await failure(bot.do_api_request("hang"))
    assert type(exc) is TimedOut
    assert str(exc) == "Timed out"
    assert fake_api.arrived.is_set()
    assert_token_not_leaked(exc)


async def test_per_call_timeouts_override_the_defaults(make_bot: BotFactory) -> None:
    bot = await make_bot(read_timeout=0.1, initialize=False)
    assert await bot.do_api_request("hang", {"delay": 0.3}, read_timeout=5) is True
    assert await bot.do_api_request("hang", {"delay": 0.3}, read_timeout=None) is True  # None: no limit
    assert type(await failure(bot.do_api_request("hang", {"delay": 0.3}))) is TimedOut


async def test_connection_refused_is_a_network_error(
    make_bot: BotFactory, transport: Transport, closed_port: int
) -> None:
    bot = await make_bot(initialize=False, base_url=f"http://127.0.0.1:{closed_port}/bot")
    exc = await failure(bot.get_me())
    assert type(exc) is NetworkError
    assert str(exc).startswith(f"{transport}.")  # aiohttp.ClientConnectorError: … / httpx.ConnectError: …
    assert_token_not_leaked(exc)


async def test_connect_timeout(make_bot: BotFactory, blackhole_port: int) -> None:
    bot = await make_bot(
        initialize=False, base_url=f"http://127.0.0.1:{blackhole_port}/bot", connect_timeout=0.2
    )
    exc = await failure(bot.get_me())
    assert type(exc) is TimedOut
    assert_token_not_leaked(exc)  # aiohttp's own ConnectionTimeoutError text holds the whole URL


async def test_pool_timeout_when_every_connection_is_busy(make_bot: BotFactory, fake_api: FakeBotApi) -> None:
    bot = await make_bot(connection_pool_size=1, pool_timeout=0.2)
    hanging = asyncio.create_task(bot.do_api_request("hang"))
    await fake_api.arrived.wait()

    exc = await failure(bot.get_me())
    assert type(exc) is TimedOut
    assert str(exc) == POOL_TIMEOUT_MESSAGE
    assert_token_not_leaked(exc)
    assert len(fake_api.calls_to("getMe")) == 1  # the one from initialize(): this one was not sent

    fake_api.release.set()
    assert await hanging is True
    assert (await bot.get_me()).username == BOT_USER["username"]  # the connection is free again


@pytest.mark.parametrize("override", [False, True], ids=["media-default", "per-call"])
async def test_stalled_upload_hits_the_write_timeout(
    make_bot: BotFactory, fake_api: FakeBotApi, override: bool
) -> None:
    """The server never reads the body: the upload stalls once the socket buffers are full."""
    if override:  # an explicit write_timeout beats media_write_timeout
        bot = await make_bot(write_timeout=60, media_write_timeout=60)
        kwargs: dict[str, Any] = {"write_timeout": 0.3}
    else:  # uploads default to media_write_timeout, not write_timeout
        bot = await make_bot(write_timeout=60, media_write_timeout=0.3)
        kwargs = {}
    document = InputFile(bytes(64 * 1024 * 1024), filename="big.bin")
    exc = await failure(bot.do_api_request("stall", {"chat_id": 1, "document": document}, **kwargs))
    assert type(exc) is TimedOut
    assert fake_api.arrived.is_set()
    assert_token_not_leaked(exc)


async def test_use_after_shutdown_fails_like_httpx(make_bot: BotFactory) -> None:
    bot = await make_bot()
    await bot.request.shutdown()
    exc = await failure(bot.get_me())
    # BaseRequest wraps anything that is not a TelegramError, the RuntimeError included
    assert type(exc) is NetworkError
    assert "Unknown error in HTTP implementation: RuntimeError" in str(exc)
    assert "Request is not initialized!" in str(exc)


# ---------------------------------------------------------------------------------- AiohttpRequest only


async def test_lifecycle(fake_api: FakeBotApi) -> None:
    url = f"{fake_api.base_url}{TOKEN}/getMe"
    request = AiohttpRequest(read_timeout=3.5)
    assert request.read_timeout == 3.5
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")

    await request.initialize()
    await request.initialize()  # idempotent: still one session
    assert (await request.do_request(url, "POST", RequestData()))[0] == 200
    await request.shutdown()
    await request.shutdown()  # idempotent
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")

    async with request as same:  # usable again after a shutdown, and as a context manager
        assert same is request
        status, body = await request.do_request(url, "POST")
        assert status == 200
        assert json.loads(body)["result"]["username"] == BOT_USER["username"]
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(url, "POST")


@contextlib.contextmanager
def aiohttp_complaints() -> Iterator[list[str]]:
    """Collect what aiohttp reports about unclosed sessions/connectors: ResourceWarnings from `__del__` and
    the messages it sends to the loop's exception handler."""
    complaints: list[str] = []
    loop = asyncio.get_running_loop()
    previous_handler = loop.get_exception_handler()
    loop.set_exception_handler(lambda _loop, context: complaints.append(str(context.get("message"))))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield complaints
            gc.collect()
        complaints += [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]
    finally:
        loop.set_exception_handler(previous_handler)


async def test_shutdown_leaves_nothing_unclosed(fake_api: FakeBotApi) -> None:
    with aiohttp_complaints() as complaints:
        request = AiohttpRequest(connection_pool_size=4)
        await request.initialize()
        bot = Bot(TOKEN, base_url=fake_api.base_url, request=request, get_updates_request=request)
        # 8 overlapping requests: all 4 connections get opened and pooled
        await asyncio.gather(*(bot.do_api_request("hang", {"delay": 0.01}) for _ in range(8)))
        await request.shutdown()
        del request, bot
    assert complaints == []

    # the check itself works: a session dropped without closing it is reported
    with aiohttp_complaints() as complaints:
        connector = aiohttp.TCPConnector()
        session = aiohttp.ClientSession(connector=connector)
        async with session.post(f"{fake_api.base_url}{TOKEN}/getMe") as response:
            assert response.status == 200
        del session
    await connector.close()
    assert any("Unclosed client session" in c for c in complaints)


class RecordingRequest(AiohttpRequest):
    """Records what PTB asks of the transport and what the transport raised."""

    __slots__ = ("errors", "read_timeouts")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.read_timeouts: list[object] = []
        self.errors: list[BaseException] = []

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/getUpdates"):
            self.read_timeouts.append(kwargs.get("read_timeout"))
        try:
            return await super().do_request(url, method, *args, **kwargs)
        except Exception as exc:
            self.errors.append(exc)
            raise


async def test_application_long_polling_with_aiohttp_for_both_requests(fake_api: FakeBotApi) -> None:
    fake_api.updates = [
        {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 5, "type": "private"},
                "from": {"id": 5, "is_bot": False, "first_name": "Ann"},
                "text": "Squat 5×5 💪",
            },
        }
    ]
    general = RecordingRequest(connection_pool_size=8)
    updates = RecordingRequest(connection_pool_size=1, read_timeout=0.5)
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(fake_api.base_url)
        .base_file_url(fake_api.base_file_url)
        .request(general)
        .get_updates_request(updates)
        .build()
    )
    handled = asyncio.Event()
    texts: list[str] = []

    async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        texts.append(update.message.text)
        handled.set()

    application.add_handler(MessageHandler(filters.TEXT, on_text))
    polling_errors: list[TelegramError] = []
    async with asyncio.timeout(GUARD), application:
        await application.start()
        assert application.updater is not None
        # Long polls of 1 s: longer than the request's read_timeout (0.5 s), which is fine because PTB
        # passes read_timeout + timeout (1.5 s) for getUpdates.
        await application.updater.start_polling(
            timeout=dtm.timedelta(seconds=1), error_callback=polling_errors.append
        )
        await handled.wait()
        await fake_api.long_poll_answered.wait()
        await application.updater.stop()
        await application.stop()

    assert texts == ["Squat 5×5 💪"]
    assert polling_errors == []
    assert general.errors == [] and updates.errors == []
    assert pytest.approx(1.5) in updates.read_timeouts
    assert fake_api.calls_to("getUpdates")[-1].params["offset"] == "2"  # the update was confirmed
    with pytest.raises(RuntimeError, match="not initialized"):  # Application.shutdown closed both
        await updates.do_request(f"{fake_api.base_url}{TOKEN}/getMe", "POST")
    with pytest.raises(RuntimeError, match="not initialized"):
        await general.do_request(f"{fake_api.base_url}{TOKEN}/getMe", "POST")
