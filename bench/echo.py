"""Benchmark: a bare echo bot on python-telegram-bot against the Bot API emulator, the baseline of the others.

    .venv/bin/python -m bench.echo            # 100 users x 30 messages per case
    .venv/bin/python -m bench.echo --quick    # 50 users x 10 messages per case

A minimal `Application` (one `MessageHandler` that replies with the same text, nothing else) polls the
in-process `BotApiEmulator`, once with PTB's default `HTTPXRequest` and once with the project's
`AiohttpRequest` (for both `request` and `get_updates_request`), with `concurrent_updates` off and on.
N users each send M messages in a closed loop: a user sends its next message as soon as the bot's reply
to the previous one is visible in the emulator. Prints updates per second, the p50/p99 latency from
injecting an update to the bot's reply landing in the emulator, the process's CPU time per update and the
machine's load meanwhile (other work on the machine lowers every figure), then the aiohttp/httpx ratios.

Everything (users, emulator, bot) shares one process and one event loop, as in the end-to-end tests, so
the figures include the emulator's own work; the share of wall time spent inside its request handlers
(getUpdates long polls excluded) is printed as "emulator". Loopback only, bounded loops, stops by itself;
nothing here asserts on timings.

`SignalEmulator` and `percentile` are shared with bench.workout_load.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Self

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import BaseRequest

from bot.sandbox.emulator import BotApiEmulator, SentMessage
from bot.transport import AiohttpRequest

if TYPE_CHECKING:
    from bench.bot_process import RemoteBot

Transport = Literal["httpx", "aiohttp"]
TRANSPORTS: tuple[Transport, ...] = ("httpx", "aiohttp")
CONCURRENCY_CASES: tuple[int, ...] = (0, 64, 256)
"""`concurrent_updates` of the cases: 0 is off (one update at a time)."""
REPLY_TIMEOUT = 10.0
"""Seconds a simulated user waits for the bot before it counts a timeout and stops."""


# ------------------------------------------------------------------------------------------- the emulator


class SignalEmulator(BotApiEmulator):
    """The Bot API emulator with one-shot, per-chat and per-update signals for load generators.

    Each waiter gets its own future, resolved with the `time.perf_counter()` of the event itself, so a
    latency does not include the time the waiting task took to be scheduled again:

    * `next_action(chat_id)`: the bot's next action in the chat (a message sent, edited or deleted, a
      callback answered);
    * `processed(update_id)`: the harness's `mark_processed` (running_bot(..., track=True)).

    It also keeps, per chat, the latest bot message that carries an inline keyboard (`keyboard_message`,
    the live object, so later edits show) and the messages the bot sent or edited since `start_step`
    (`step_messages`), without the snapshot copies of `messages()`. `server_seconds` sums the wall time
    spent in the request handler for every Bot API call except getUpdates (whose long poll only waits).

    It hooks two private methods of the emulator (`_bot_action`, `_handle_api`): benchmarks only.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._action_waiters: dict[int, asyncio.Future[float]] = {}
        self._processed_waiters: dict[int, asyncio.Future[float]] = {}
        self._keyboards: dict[int, SentMessage] = {}
        self._step_messages: defaultdict[int, list[SentMessage]] = defaultdict(list)
        self.server_seconds = 0.0
        self.api_calls = 0
        """Bot API calls handled, getUpdates excluded (reset it to start counting)."""

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    def next_action(self, chat_id: int) -> asyncio.Future[float]:
        """A future resolved (with the perf_counter time) at the bot's next action in the chat."""
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._action_waiters[chat_id] = waiter
        return waiter

    def processed(self, update_id: int) -> asyncio.Future[float]:
        """A future resolved (with the perf_counter time) when the update is marked processed."""
        waiter: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.is_processed(update_id):
            waiter.set_result(time.perf_counter())
        else:
            self._processed_waiters[update_id] = waiter
        return waiter

    def keyboard_message(self, chat_id: int) -> SentMessage | None:
        """The latest bot message of the chat that still has an inline keyboard (live, not a copy)."""
        message = self._keyboards.get(chat_id)
        if message is not None and not message.deleted and message.inline_keyboard:
            return message
        for snapshot in reversed(self.messages(chat_id)):  # rare: that keyboard was removed
            if not snapshot.deleted and snapshot.inline_keyboard:
                return snapshot
        return None

    def start_step(self, chat_id: int) -> None:
        """Forget the messages recorded for the chat: `step_messages` starts anew."""
        self._step_messages[chat_id].clear()

    def step_messages(self, chat_id: int) -> list[SentMessage]:
        """Bot messages sent or edited in the chat since `start_step` (live objects, in order)."""
        return list(self._step_messages[chat_id])

    def mark_processed(self, update_id: int) -> None:
        super().mark_processed(update_id)
        waiter = self._processed_waiters.pop(update_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    def _bot_action(self, chat: Any, message: SentMessage | None = None) -> None:
        super()._bot_action(chat, message)
        chat_id = int(chat.id)
        if message is not None:
            self._step_messages[chat_id].append(message)
            if message.inline_keyboard:
                self._keyboards[chat_id] = message
        waiter = self._action_waiters.pop(chat_id, None)
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info.get("method", "").lower() == "getupdates":
            return await super()._handle_api(request)
        started = time.perf_counter()
        self.api_calls += 1
        try:
            return await super()._handle_api(request)
        finally:
            self.server_seconds += time.perf_counter() - started


# ----------------------------------------------------------------------------------- statistics, machine load


def machine_ticks() -> tuple[int, int] | None:
    """(busy, total) CPU ticks of the whole machine so far (Linux /proc/stat), or None elsewhere."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def machine_summary() -> str:
    """Python version, CPUs and the 1-minute load average (other work on the machine skews timings)."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else math.nan
    return f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load:.1f}"


def source_revision() -> str:
    """The git commit of the working tree, `+` when it has local changes (read-only git calls)."""
    root = Path(__file__).resolve().parents[1]
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "commit unknown"
    if head.returncode != 0:
        return "commit unknown"
    return f"commit {head.stdout.strip()}{'+' if dirty.stdout.strip() else ''}"


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """Fraction of all the machine's CPUs that were busy between two `machine_ticks` readings."""
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` in 0..1) of `values`; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class EchoResult:
    """One echo case: updates answered, wall seconds, latencies (seconds), timeouts."""

    transport: Transport
    concurrency: int
    users: int
    updates: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    emulator_seconds: float = 0.0
    cpu_seconds: float = 0.0
    machine_busy: float | None = None
    """Share of all the machine's CPUs busy meanwhile (this process, PostgreSQL, anything else)."""
    bot_cpu_seconds: float | None = None
    """The bot process's own CPU time, when the bot ran in a process of its own."""
    api_calls: int = 0

    @property
    def placement(self) -> str:
        """Where the bot ran: ``in-process`` (with the emulator and the users) or ``bot-process``."""
        return "in-process" if self.bot_cpu_seconds is None else "bot-process"

    @property
    def bot_cpu_ms_per_update(self) -> float:
        """The bot's CPU per update: its own process's when it had one, else this whole process's."""
        cpu = self.cpu_seconds if self.bot_cpu_seconds is None else self.bot_cpu_seconds
        return 1000 * cpu / max(self.updates, 1)

    def as_json(self) -> dict[str, Any]:
        """The run's figures for --json (the keys bench.workout_load uses too)."""
        updates = max(self.updates, 1)
        return {
            "bench": "echo",
            "database": None,
            "placement": self.placement,
            "transport": self.transport,
            "concurrency": self.concurrency,
            "users": self.users,
            "updates": self.updates,
            "updates_per_s": round(self.per_second, 1),
            "p50_ms": round(self.p50_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "cpu_ms_per_update": round(self.bot_cpu_ms_per_update, 3),
            "sql_per_update": 0.0,
            "api_calls_per_update": round(self.api_calls / updates, 3),
            "lost_sets": 0,
            "failures": self.timeouts,
        }

    @property
    def label(self) -> str:
        """E.g. `aiohttp, concurrent 64`."""
        mode = "sequential" if self.concurrency == 0 else f"concurrent {self.concurrency}"
        return f"{self.transport}, {mode}"

    @property
    def per_second(self) -> float:
        """Updates answered per second of wall time."""
        return self.updates / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        """Median latency in milliseconds."""
        return 1000 * percentile(self.latencies, 0.50)

    @property
    def p99_ms(self) -> float:
        """99th percentile latency in milliseconds."""
        return 1000 * percentile(self.latencies, 0.99)

    @property
    def emulator_share(self) -> float:
        """Fraction of the wall time spent inside the emulator's request handlers."""
        return self.emulator_seconds / self.seconds if self.seconds else 0.0


# ------------------------------------------------------------------------------------------------ the bot


async def _echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await message.reply_text(message.text)


def new_request(transport: Transport) -> BaseRequest | None:
    """A request object for `transport`: None means PTB's default (HTTPXRequest)."""
    return AiohttpRequest() if transport == "aiohttp" else None


def build_echo_application(
    emulator: BotApiEmulator, transport: Transport, concurrency: int
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The bare echo bot: default ApplicationBuilder, one MessageHandler, the chosen transport."""
    return build_echo_application_for(
        emulator.make_token(), emulator.base_url, emulator.base_file_url, transport, concurrency
    )


def build_echo_application_for(
    token: str, base_url: str, base_file_url: str, transport: Transport, concurrency: int
) -> Application[Any, Any, Any, Any, Any, Any]:
    """`build_echo_application` for a Bot API at `base_url` (bench.bot_process runs it in a child)."""
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .concurrent_updates(concurrency if concurrency > 1 else False)
    )
    request, updates_request = new_request(transport), new_request(transport)
    if request is not None and updates_request is not None:
        builder = builder.request(request).get_updates_request(updates_request)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    return application


async def _user(emulator: SignalEmulator, user_id: int, messages: int, latencies: list[float] | None) -> int:
    """Send `messages` texts, each as soon as the previous one was answered; returns timeouts (0 or 1)."""
    for number in range(messages):
        reply = emulator.next_action(user_id)
        injected = time.perf_counter()
        emulator.inject_message(user_id, f"Set {number}: 5 × 100 kg 💪")
        try:
            answered = await asyncio.wait_for(reply, REPLY_TIMEOUT)
        except TimeoutError:
            return 1
        if latencies is not None:
            latencies.append(answered - injected)
    return 0


@asynccontextmanager
async def _echo_bot(
    emulator: SignalEmulator, transport: Transport, concurrency: int, bot_process: bool
) -> AsyncIterator[RemoteBot | None]:
    """The echo bot polling `emulator`: in this process, or in a child (bench.bot_process, aiohttp,
    concurrent_updates 256), whose handle is yielded."""
    if bot_process:
        from bench.bot_process import ECHO, remote_bot

        async with remote_bot(emulator, ECHO) as remote:
            yield remote
        return
    application = build_echo_application(emulator, transport, concurrency)
    async with application:
        await application.start()
        updater = application.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0, timeout=10)
        try:
            yield None
        finally:
            await updater.stop()
            await application.stop()


async def run_echo(
    transport: Transport,
    concurrency: int,
    users: int,
    messages: int,
    *,
    warmup: int = 2,
    bot_process: bool = False,
) -> EchoResult:
    """Run one echo case on a fresh emulator: `warmup` untimed messages per user, then the timed ones.
    `bot_process`: the bot runs in a process of its own (aiohttp, concurrent_updates 256); its CPU
    time is reported apart."""
    async with SignalEmulator() as emulator:
        user_ids = [emulator.add_user(first_name=f"Echo {i}").user_id for i in range(users)]
        async with _echo_bot(emulator, transport, concurrency, bot_process) as remote:
            await asyncio.gather(*(_user(emulator, uid, warmup, None) for uid in user_ids))
            latencies: list[float] = []
            emulator.server_seconds = 0.0
            emulator.api_calls = 0
            bot_before = (await remote.counts())[2] if remote is not None else 0.0
            ticks, cpu, started = machine_ticks(), time.process_time(), time.perf_counter()
            timeouts = await asyncio.gather(*(_user(emulator, uid, messages, latencies) for uid in user_ids))
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu
            busy = busy_share(ticks, machine_ticks())
            bot_cpu = (await remote.counts())[2] - bot_before if remote is not None else None
            api_calls = emulator.api_calls
        if bot_cpu is not None:
            cpu += bot_cpu
        return EchoResult(
            transport=transport,
            concurrency=concurrency,
            users=users,
            updates=len(latencies),
            seconds=seconds,
            latencies=latencies,
            timeouts=sum(timeouts),
            emulator_seconds=emulator.server_seconds,
            cpu_seconds=cpu,
            machine_busy=busy,
            bot_cpu_seconds=bot_cpu,
            api_calls=api_calls,
        )


# ------------------------------------------------------------------------------------------------ printing

HEADER = (
    f"{'case':<26} {'users':>5} {'updates':>7} {'seconds':>7} {'updates/s':>9} {'p50 ms':>7} {'p99 ms':>7} "
    f"{'CPU ms/upd':>10} {'proc CPU':>8} {'machine':>7} {'emulator':>8} {'timeouts':>8}"
)


def format_share(share: float | None) -> str:
    """A fraction as a percentage, `n/a` when unknown."""
    return "n/a" if share is None or math.isnan(share) else f"{100 * share:.0f}%"


def format_result(result: EchoResult) -> str:
    """One table row."""
    label = result.label if result.bot_cpu_seconds is None else f"{result.label}, bot proc"
    return (
        f"{label:<26} {result.users:>5} {result.updates:>7} {result.seconds:7.2f} "
        f"{result.per_second:9.0f} {result.p50_ms:7.1f} {result.p99_ms:7.1f} "
        f"{1000 * result.cpu_seconds / max(result.updates, 1):10.2f} "
        f"{format_share(result.cpu_seconds / result.seconds):>8} {format_share(result.machine_busy):>7} "
        f"{format_share(result.emulator_share):>8} {result.timeouts:>8}"
    )


LEGEND = (
    "CPU ms/upd: this process's CPU time (bot, emulator and users) per update; proc CPU: the same as a "
    "share of one core;\nmachine: all CPUs of the machine busy meanwhile (anything else running shows "
    "here); emulator: wall time inside its request handlers."
)


async def _run(users: int, messages: int, placement: str, as_json: bool) -> None:
    print(f"{machine_summary()}; echo bot, {users} users x {messages} messages")
    print(LEGEND)
    print(HEADER, flush=True)
    results: dict[tuple[Transport, int], EchoResult] = {}
    runs: list[EchoResult] = []
    if placement in ("in-process", "both"):
        for concurrency in CONCURRENCY_CASES:
            for transport in TRANSPORTS:
                result = await run_echo(transport, concurrency, users, messages)
                results[(transport, concurrency)] = result
                runs.append(result)
                print(format_result(result), flush=True)
    if placement in ("bot-process", "both"):
        result = await run_echo("aiohttp", 256, users, messages, bot_process=True)
        runs.append(result)
        print(format_result(result), flush=True)
        print(f"  the echo bot's own process: {result.bot_cpu_ms_per_update:.3f} ms of CPU per update")
    if results:
        print("\naiohttp / httpx (updates/s)")
        for concurrency in CONCURRENCY_CASES:
            aio, httpx = results[("aiohttp", concurrency)], results[("httpx", concurrency)]
            print(
                f"  {aio.label.split(', ')[1]:<16} {aio.per_second:6.0f} vs {httpx.per_second:6.0f} = "
                f"{aio.per_second / httpx.per_second:4.2f}x"
            )
    if as_json:
        for result in runs:
            print(json.dumps(result.as_json()))


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a short run: 50 users x 10 messages")
    parser.add_argument("--users", type=int, help="simulated users (default 100, 50 with --quick)")
    parser.add_argument("--messages", type=int, help="timed messages per user (default 30, 10 with --quick)")
    parser.add_argument(
        "--placement",
        choices=("in-process", "bot-process", "both"),
        default="in-process",
        help="the echo bot in this process (every transport and concurrency case, the default), in a "
        "process of its own (aiohttp, concurrent_updates 256; its CPU counted apart), or both",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON object per run, one per line")
    args = parser.parse_args()
    users = args.users or (50 if args.quick else 100)
    messages = args.messages or (10 if args.quick else 30)
    asyncio.run(_run(max(1, users), max(1, messages), args.placement, args.json))


if __name__ == "__main__":
    main()
