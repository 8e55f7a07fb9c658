"""Benchmark: telegram.Bot.send_message over PTB's HTTPXRequest vs bot.transport.AiohttpRequest.

    .venv/bin/python -m bench.transport            # 5,000 sequential + 20,000 at 64-way concurrency, 2 rounds
    .venv/bin/python -m bench.transport --quick    # a short run (500 + 2,000, 1 round)

A tiny fake Bot API (getMe, sendMessage echoing chat_id and text in a valid Message) runs in a separate
process on 127.0.0.1, so the client under test has a core to itself; it is a bare asyncio protocol so the
server is never the bottleneck (its CPU use is printed for each run: near 100 % would mean it was). Both
transports get a pool of 64 connections. Rounds alternate the transports and the best round is reported.
Prints requests per second, the client's CPU time per request, and the aiohttp/httpx ratios. Loopback
only, bounded loops, stops by itself; nothing here asserts on timings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bot.transport import AiohttpRequest

TOKEN = "123456789:AAE-benchmark-token"
POOL_SIZE = 64
CONCURRENCY = 64
WARMUP = 200
ROOT = Path(__file__).resolve().parents[1]

# --------------------------------------------------------------------------------------- the fake Bot API

_USER = json.dumps(
    {"ok": True, "result": {"id": 123456789, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}}
).encode()
_NOT_FOUND = json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}).encode()


def _http_response(status: str, body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


def _answer(method: str, body: bytes) -> bytes:
    if method == "getMe":
        return _http_response("200 OK", _USER)
    if method == "sendMessage":
        params = dict(parse_qsl(body.decode()))
        message = {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": int(params["chat_id"]), "type": "private"},
            "text": params["text"],
        }
        return _http_response("200 OK", json.dumps({"ok": True, "result": message}).encode())
    return _http_response("404 Not Found", _NOT_FOUND)


class _FakeApiProtocol(asyncio.Protocol):
    """HTTP/1.1 with keep-alive and Content-Length bodies: all that the two clients send here."""

    def __init__(self) -> None:
        self._transport: asyncio.Transport | None = None
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            request_line, *header_lines = self._buffer[:end].decode("latin-1").split("\r\n")
            length = 0
            for line in header_lines:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self._buffer) < end + 4 + length:
                return
            body = bytes(self._buffer[end + 4 : end + 4 + length])
            del self._buffer[: end + 4 + length]
            method = request_line.split(" ")[1].rsplit("/", 1)[-1]
            assert self._transport is not None
            self._transport.write(_answer(method, body))


async def _serve() -> None:
    """Serve on a free loopback port, print it, and stop when stdin closes (the parent is done or gone)."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_FakeApiProtocol, "127.0.0.1", 0)
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    async with server:
        await loop.run_in_executor(None, sys.stdin.buffer.read)


# ------------------------------------------------------------------------------------------------ the client


@dataclass
class Result:
    transport: str
    mode: str
    requests: int
    seconds: float
    client_cpu: float
    server_cpu: float | None

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def _process_cpu(pid: int) -> float | None:
    """CPU seconds used so far by process `pid` (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _new_request(transport: str) -> BaseRequest:
    if transport == "aiohttp":
        return AiohttpRequest(connection_pool_size=POOL_SIZE)
    return HTTPXRequest(connection_pool_size=POOL_SIZE)


async def _measure(transport: str, port: int, server_pid: int, requests: int, concurrency: int) -> Result:
    bot = Bot(
        TOKEN,
        base_url=f"http://127.0.0.1:{port}/bot",
        request=_new_request(transport),
        get_updates_request=_new_request(transport),
    )
    async with bot:

        async def worker(count: int) -> None:
            for i in range(count):
                await bot.send_message(chat_id=1000 + i, text=f"Set {i}: 5 × 100 kg 💪")

        await asyncio.gather(*(worker(WARMUP // concurrency + 1) for _ in range(concurrency)))
        server_before = _process_cpu(server_pid)
        cpu_before, started = time.process_time(), time.perf_counter()
        per_worker, rest = divmod(requests, concurrency)
        await asyncio.gather(*(worker(per_worker + (i < rest)) for i in range(concurrency)))
        seconds = time.perf_counter() - started
        client_cpu = time.process_time() - cpu_before
        server_after = _process_cpu(server_pid)
    server_cpu = None if server_before is None or server_after is None else server_after - server_before
    mode = "sequential" if concurrency == 1 else f"{concurrency} concurrent"
    return Result(transport, mode, requests, seconds, client_cpu, server_cpu)


def _print_result(result: Result) -> None:
    server = "   n/a" if result.server_cpu is None else f"{100 * result.server_cpu / result.seconds:5.0f}%"
    print(
        f"{result.transport:<8} {result.mode:<14} {result.requests:>7} {result.seconds:8.2f} "
        f"{result.per_second:9.0f} {1e6 * result.client_cpu / result.requests:12.0f} {server:>11}",
        flush=True,
    )


async def _run(sequential: int, concurrent: int, rounds: int) -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.transport",
        "--serve",
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert server.stdin is not None and server.stdout is not None
    try:
        line = await asyncio.wait_for(server.stdout.readline(), 30)
        if not line.startswith(b"PORT "):
            raise RuntimeError(f"the fake Bot API did not start: {line!r}")
        port = int(line.split()[1])
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, server pid {server.pid}, port {port}")
        print(f"{'client':<8} {'mode':<14} {'requests':>7} {'seconds':>8} {'req/s':>9} ", end="")
        print(f"{'CPU µs/req':>12} {'server CPU':>11}")
        best: dict[tuple[str, str], Result] = {}
        for _ in range(rounds):
            for requests, concurrency in ((sequential, 1), (concurrent, CONCURRENCY)):
                for transport in ("httpx", "aiohttp"):
                    result = await _measure(transport, port, server.pid, requests, concurrency)
                    _print_result(result)
                    key = (transport, result.mode)
                    if key not in best or result.per_second > best[key].per_second:
                        best[key] = result
        print(f"\nbest of {rounds} round(s): aiohttp / httpx")
        for mode in ("sequential", f"{CONCURRENCY} concurrent"):
            aio, httpx = best[("aiohttp", mode)], best[("httpx", mode)]
            cpu_ratio = (httpx.client_cpu / httpx.requests) / (aio.client_cpu / aio.requests)
            print(
                f"  {mode:<14} {aio.per_second:7.0f} vs {httpx.per_second:7.0f} req/s = "
                f"{aio.per_second / httpx.per_second:4.2f}x throughput, "
                f"{cpu_ratio:4.2f}x less client CPU per request"
            )
    finally:
        server.stdin.close()
        try:
            await asyncio.wait_for(server.wait(), 10)
        except TimeoutError:
            server.kill()
            await server.wait()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run: 500 + 2,000 requests, one round")
    parser.add_argument("--rounds", type=int, help="rounds per case (default 2, 1 with --quick)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)  # the server process
    args = parser.parse_args()
    if args.serve:
        asyncio.run(_serve())
        return
    sequential, concurrent = (500, 2_000) if args.quick else (5_000, 20_000)
    rounds = args.rounds or (1 if args.quick else 2)
    asyncio.run(_run(sequential, concurrent, max(1, rounds)))


if __name__ == "__main__":
    main()
