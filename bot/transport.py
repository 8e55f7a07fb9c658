"""AiohttpRequest: python-telegram-bot's HTTP transport on aiohttp instead of httpx.

PTB's default `HTTPXRequest` caps a bare echo bot at a few hundred updates per second on small machines;
the same bot on aiohttp handles several times more. `AiohttpRequest` is a drop-in `BaseRequest` with the
semantics of `HTTPXRequest`:

* the same constructor defaults (pool of 256 connections, 5 s read/write/connect, 1 s pool, 20 s media write);
* a timeout argument left at `DEFAULT_NONE` (any `DefaultValue`) means "this instance's default"; uploads
  default to the media write timeout;
* the same bodies: none when there are no parameters, `application/x-www-form-urlencoded` of
  `RequestData.json_parameters` otherwise, and `multipart/form-data` (parameters first, then the files, names
  escaped as httpx escapes them) when the request contains files;
* `(status, body)` returned for every HTTP status, redirects not followed (`BaseRequest` maps the errors);
* pool exhaustion, connect/read/write timeouts -> `TimedOut`; other transport failures -> `NetworkError`.

Timeouts: aiohttp has no pool timeout, so a semaphore as large as the connector's limit guards each request
and is acquired within `pool_timeout`. Connect and read map to `aiohttp.ClientTimeout` (`connect` and
`sock_connect`, `sock_read`; no total). aiohttp has no write timeout either: file parts are written by
`_FilePart`, which bounds each write like httpx does (bytes in one write, file handles per 64 KiB chunk).
Small form bodies go to the socket buffer in one non-blocking write, so a stall there shows up as a read
timeout.

The bot token is part of every URL, so nothing here logs URLs, and error texts never contain the URL's path:
an aiohttp exception whose text would reveal it is scrubbed and not chained as the cause.

Known differences from `HTTPXRequest`: no HTTP/2, proxy or socket options; proxy environment variables
(HTTPS_PROXY, ...) are ignored, where httpx honours them; multipart text fields carry
`Content-Type: text/plain; charset=utf-8` (httpx sends none; Telegram accepts both); and the instance must be
initialized before use (an `HTTPXRequest` works without `initialize()`).
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from typing import IO, Final
from urllib.parse import urlencode, urlsplit

import aiohttp
import aiohttp.payload
import yarl
from aiohttp.abc import AbstractStreamWriter
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["POOL_TIMEOUT_MESSAGE", "AiohttpRequest"]

POOL_TIMEOUT_MESSAGE: Final = (
    "Pool timeout: All connections in the connection pool are occupied. Request was *not* sent to "
    "Telegram. Consider adjusting the connection pool size or the pool timeout."
)
"""The text of `HTTPXRequest`'s pool timeout, word for word."""

_FORM_URLENCODED: Final = "application/x-www-form-urlencoded"
_CONTENT_TYPE: Final = ("Content-Type",)
# Closing TLS transports leaked on the Pythons before python/cpython#118960; where that is fixed, aiohttp
# ignores enable_cleanup_closed=True with a DeprecationWarning, so it is asked for only where it helps.
_NEEDS_CLEANUP_CLOSED: Final = sys.version_info < (3, 12, 8) or (3, 13, 0) <= sys.version_info < (3, 13, 1)
_CHUNK_SIZE: Final = 64 * 1024
# httpx's escaping of multipart names and filenames (HTML5 form encoding). With quote_fields=False, aiohttp
# adds the remaining rule (backslash -> double backslash), so both send the same Content-Disposition.
_FORM_PARAM_ESCAPES: Final = {ord('"'): "%22"} | {c: f"%{c:02X}" for c in range(0x20) if c != 0x1B}


class AiohttpRequest(BaseRequest):
    """A `telegram.request.BaseRequest` on one `aiohttp.ClientSession`.

    Args:
        connection_pool_size: Most connections open at once, and most requests in flight at once.
        read_timeout: Seconds to wait for (each chunk of) the response; None waits forever.
        write_timeout: Seconds each write of a request body may take; None waits forever.
        connect_timeout: Seconds to establish a connection (resolution included); None waits forever.
        pool_timeout: Seconds to wait for a free connection before giving up (the request is not sent).
        media_write_timeout: `write_timeout` for requests that upload files.

    The session is created by `initialize()` (inside the running event loop) and closed by `shutdown()`;
    both are idempotent, and the instance can be initialized again after a shutdown. `async with` works.
    """

    __slots__ = (
        "_connect_timeout",
        "_connection_pool_size",
        "_default_timeout",
        "_media_write_timeout",
        "_pool",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._connection_pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        self._default_timeout = _client_timeout(connect_timeout, read_timeout)
        self._session: aiohttp.ClientSession | None = None
        self._pool: asyncio.Semaphore | None = None

    @property
    def read_timeout(self) -> float | None:
        """The default read timeout (PTB adds the long-polling timeout to it for getUpdates)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Create the session and its connection pool; does nothing if they already exist."""
        if self._session is not None and not self._session.closed:
            return
        connector = aiohttp.TCPConnector(
            limit=self._connection_pool_size, ttl_dns_cache=300, enable_cleanup_closed=_NEEDS_CLEANUP_CLOSED
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=self._default_timeout,
            headers={"User-Agent": self.USER_AGENT},
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        self._pool = asyncio.Semaphore(self._connection_pool_size)

    async def shutdown(self) -> None:
        """Close the session; returns once its connections are closed. Does nothing if already closed."""
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; return its HTTP status and body, whatever the status.

        Raises:
            TimedOut: no free connection within the pool timeout (the request was not sent), or the
                connect, a write or the read timed out.
            NetworkError: any other transport failure; the text never contains the URL's path.
            RuntimeError: the instance is not initialized.
        """
        session, pool = self._session, self._pool
        if session is None or pool is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")

        has_files = request_data is not None and request_data.contains_files
        if isinstance(write_timeout, DefaultValue):
            write_timeout = self._media_write_timeout if has_files else self._write_timeout
        if isinstance(pool_timeout, DefaultValue):
            pool_timeout = self._pool_timeout
        timeout = self._default_timeout
        if not isinstance(read_timeout, DefaultValue) or not isinstance(connect_timeout, DefaultValue):
            timeout = _client_timeout(
                self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout,
                self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout,
            )

        body: aiohttp.FormData | aiohttp.payload.Payload | None = None
        if request_data is not None:
            if has_files:
                body = _multipart_body(request_data, write_timeout)
            elif parameters := request_data.json_parameters:
                body = aiohttp.payload.BytesPayload(
                    urlencode(parameters).encode(), content_type=_FORM_URLENCODED
                )

        if pool.locked():
            try:
                async with asyncio.timeout(pool_timeout):
                    await pool.acquire()
            except TimeoutError:
                raise TimedOut(POOL_TIMEOUT_MESSAGE) from None
        else:
            await pool.acquire()  # free slot: returns without suspending
        try:
            async with session.request(
                method,
                url,
                data=body,
                timeout=timeout,
                allow_redirects=False,
                # like httpx, no Content-Type without a body (aiohttp would label it application/octet-stream)
                skip_auto_headers=_CONTENT_TYPE if body is None else None,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # connect, read (sock_read) or a write of a file part
            raise TimedOut from _safe_cause(exc, url)
        except (aiohttp.ClientError, OSError) as exc:
            message = f"aiohttp.{type(exc).__name__}: {_scrub(str(exc), url)}"
            raise NetworkError(message) from _safe_cause(exc, url)
        finally:
            pool.release()


def _client_timeout(connect: float | None, read: float | None) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=None, connect=connect, sock_connect=connect, sock_read=read)


def _escape(value: str) -> str:
    return value.translate(_FORM_PARAM_ESCAPES)


def _multipart_body(request_data: RequestData, write_timeout: float | None) -> aiohttp.FormData:
    """The parameters as text fields, then the files, in the order and with the headers httpx uses."""
    form = aiohttp.FormData(quote_fields=False)
    for name, value in request_data.json_parameters.items():
        form.add_field(_escape(name), value)
    for name, (filename, content, mimetype) in request_data.multipart_data.items():
        form.add_field(_escape(name), _FilePart(content, mimetype, write_timeout), filename=_escape(filename))
    return form


class _FilePart(aiohttp.payload.Payload):
    """One file of a multipart upload, written with a timeout on each write, as httpx writes it.

    `bytes` go out in one write (so the timeout bounds the whole upload, as with httpx); a file handle is
    rewound to its start like httpx does, read in 64 KiB chunks in the executor, and each chunk's write is
    bounded. The caller's file handle is never closed (aiohttp's own IO payloads close it; httpx does not).
    """

    def __init__(self, content: bytes | IO[bytes], mimetype: str, write_timeout: float | None) -> None:
        super().__init__(content, content_type=mimetype)
        self._content = content
        self._write_timeout = write_timeout
        self._size = len(content) if isinstance(content, bytes) else _rewind(content)

    def decode(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        if isinstance(self._content, bytes):
            return self._content.decode(encoding, errors)
        _rewind(self._content)
        return self._content.read().decode(encoding, errors)

    async def write(self, writer: AbstractStreamWriter) -> None:
        content = self._content
        if isinstance(content, bytes):
            async with asyncio.timeout(self._write_timeout):
                await writer.write(content)
            return
        loop = asyncio.get_running_loop()
        while chunk := await loop.run_in_executor(None, content.read, _CHUNK_SIZE):
            async with asyncio.timeout(self._write_timeout):
                await writer.write(chunk)


def _rewind(handle: IO[bytes]) -> int | None:
    """Seek `handle` to its start; return its length, or None when it cannot seek."""
    try:
        handle.seek(0)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(0)
    except (AttributeError, OSError, ValueError):
        return None
    return size


def _scrub(text: str, url: str) -> str:
    """`text` with every spelling of `url`'s path (which holds the bot token) replaced."""
    try:
        parsed = yarl.URL(url)
        spellings = {urlsplit(url).path, parsed.raw_path, parsed.path} - {"", "/"}
    except ValueError:  # not a URL aiohttp could use either: hide all of it
        spellings = {url}
    for spelling in sorted(spellings, key=len, reverse=True):
        text = text.replace(spelling, "/<redacted>")
    return text


def _safe_cause(exc: BaseException, url: str) -> BaseException | None:
    """`exc` if its formatted chain does not reveal the URL's path, else None (the cause is dropped)."""
    formatted = "".join(traceback.format_exception(exc))
    return exc if _scrub(formatted, url) == formatted else None
