"""Several real bot processes in webhook mode on one PostgreSQL, against the parent's emulator.

Used by `bench.workout_load --processes 1,2` and by tests/e2e/test_cluster.py. Each worker is
``python -m bench.bot_cluster`` (`build_application(..., cluster=True)`: the chat's turn taken across
processes, bot.cluster), serving the webhook on a local port. Telegram's side, the emulator, posts
each update to one public URL, in one of two ways:

* ``reuse-port``: every worker listens on the same port with SO_REUSEPORT (as ``python -m bot run
  --webhook --workers N`` does); the kernel spreads the emulator's connections over them;
* ``round-robin``: each worker listens on a port of its own and a small proxy in this process (`Splitter`,
  standing for a load balancer) sends each request to the next worker in turn (a worker that does not
  answer is skipped): consecutive updates of one chat land in different processes.

Worker 0 sets the webhook; the others only serve. One local TCP connection per worker carries one line
per message, as bench.bot_process: child -> parent ``ready``, ``done <update_id>`` (handled, state
written), ``error <text>`` (ERROR log records), ``counts <statements> <cpu_seconds>``, ``ticked
<report>``; parent -> child ``counts``, ``tick <ISO instant>`` (run the reminder tick at that instant);
closing the connection stops the worker cleanly. `Worker.kill` sends SIGKILL instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import logging
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import aiohttp
from aiohttp import web

from bench.child_bot import READY_TIMEOUT, ReportingChild
from bot.sandbox.emulator import BotApiEmulator

WEBHOOK_SECRET = "cluster-webhook-secret"
Split = Literal["reuse-port", "round-robin"]


# ---------------------------------------------------------------------------------------------- the child


async def _child(args: argparse.Namespace) -> None:
    from telegram import Update

    from bench.bot_process import _ReportErrors
    from bench.workout_load import WATCHED_LOGGERS, StatementCounter, bench_settings, new_request
    from bot.app import build_application
    from bot.db.session import create_engine
    from bot.intake import InboxUpdater
    from bot.jobs.reminders import tick, unschedule_jobs
    from bot.sandbox.harness import TrackingApplication

    reader, writer = await asyncio.open_connection("127.0.0.1", args.report_port)

    def report(line: str) -> None:
        writer.write(line.encode() + b"\n")

    handler = _ReportErrors(report)
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    settings = bench_settings(args.database_url).model_copy(
        update={"telegram_api_url": args.api_url, "telegram_file_url": args.file_url}
    )
    engine = create_engine(args.database_url)
    statements = StatementCounter(engine)
    statements.counting = True
    application = build_application(
        settings,
        token=args.token,
        engine=engine,
        request=new_request("aiohttp"),
        get_updates_request=new_request("aiohttp"),
        application_class=TrackingApplication,
        application_kwargs={"on_processed": lambda update_id: report(f"done {update_id}")},
        cluster=not args.no_cluster,
    )
    unschedule_jobs(application)  # the parent asks for ticks
    updater = application.updater
    assert isinstance(updater, InboxUpdater)
    updater.reuse_port = args.reuse_port
    updater.set_webhook = args.number == 0
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    await updater.start_webhook(
        listen="127.0.0.1",
        port=args.listen_port,
        url_path="telegram",
        webhook_url=args.public_url,
        secret_token=WEBHOOK_SECRET,
        allowed_updates=Update.ALL_TYPES,
        max_connections=100,
    )
    try:
        report("ready")
        while line := await reader.readline():
            command, _, rest = line.decode().strip().partition(" ")
            if command == "counts":
                report(f"counts {statements.count} {time.process_time()}")
            elif command == "tick":
                result = await tick(application, datetime.fromisoformat(rest))
                report(f"ticked {result.reminders} {result.sent}")
    finally:
        if updater.running:
            await updater.stop()
        await application.stop()
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)
        await engine.dispose()
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()


# --------------------------------------------------------------------------------------------- the parent


@dataclass
class Worker(ReportingChild):
    """One bot process of the cluster (`--child`): a webhook server on `listen_port`."""

    number: int
    emulator: BotApiEmulator
    token: str
    database_url: str
    listen_port: int
    public_url: str
    reuse_port: bool
    cluster: bool = True
    done: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    _replies: asyncio.Queue[str] = field(default_factory=asyncio.Queue)

    def command(self, report_port: int) -> list[str]:
        command = [
            sys.executable, "-m", "bench.bot_cluster", "--child",
            "--api-url", self.emulator.base_url, "--file-url", self.emulator.base_file_url,
            "--token", self.token, "--database-url", self.database_url,
            "--report-port", str(report_port), "--listen-port", str(self.listen_port),
            "--public-url", self.public_url, "--number", str(self.number),
        ]  # fmt: skip
        if self.reuse_port:
            command.append("--reuse-port")
        if not self.cluster:
            command.append("--no-cluster")
        return command

    def report(self, kind: str, rest: str) -> None:
        if kind == "done":
            self.done.append(int(rest))
            self.emulator.mark_processed(int(rest))
        elif kind == "error":
            self.errors.append(rest)
        elif kind in ("counts", "ticked"):
            self._replies.put_nowait(rest)

    async def ask(self, command: str) -> str:
        assert self.writer is not None
        self.writer.write(command.encode() + b"\n")
        return await asyncio.wait_for(self._replies.get(), READY_TIMEOUT)

    async def counts(self) -> tuple[int, float]:
        statements, cpu = (await self.ask("counts")).split()
        return int(statements), float(cpu)

    async def tick(self, now: datetime) -> tuple[int, int]:
        """Run the reminder tick at `now` in this process: (reminders taken, sent)."""
        taken, sent = (await self.ask(f"tick {now.isoformat()}")).split()
        return int(taken), int(sent)

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None


class Splitter:
    """A round-robin proxy: each request goes to the next worker; one that does not answer is skipped."""

    def __init__(self, targets: list[str]) -> None:
        self.targets = targets
        self._turn = itertools.cycle(range(len(targets)))
        self.forwarded = [0] * len(targets)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True))
        app = web.Application(client_max_size=2 * 1024 * 1024)
        app.router.add_post("/telegram", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/telegram"

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._session is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("content-type", _SECRET)}
        for _ in range(len(self.targets)):
            number = next(self._turn)
            try:
                async with self._session.post(self.targets[number], data=body, headers=headers) as answer:
                    payload = await answer.read()
                    self.forwarded[number] += 1
                    return web.Response(status=answer.status, body=payload)
            except aiohttp.ClientError:
                continue
        return web.Response(status=502)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()


_SECRET = "x-telegram-bot-api-secret-token"


@dataclass
class BotCluster:
    """The parent's handle on the workers (the interface of bench.bot_process.RemoteBot, summed)."""

    token: str
    workers: list[Worker]
    splitter: Splitter | None

    @property
    def errors(self) -> list[str]:
        return [error for worker in self.workers for error in worker.errors]

    async def counts(self) -> tuple[int, float]:
        statements = cpu = 0.0
        for worker in self.workers:
            if worker.process is not None:
                worker_statements, worker_cpu = await worker.counts()
                statements += worker_statements
                cpu += worker_cpu
        return int(statements), cpu


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def bot_cluster(
    emulator: BotApiEmulator,
    database_url: str,
    processes: int,
    *,
    split: Split = "reuse-port",
    cluster: bool = True,
) -> AsyncIterator[BotCluster]:
    """Start `processes` bot workers in webhook mode (worker 0 first: it sets the webhook); stop them
    all cleanly on exit. `cluster=False` runs them without the cross-process chat turns (to see why
    they are needed)."""
    token = emulator.make_token()
    emulator.track_processing = True
    splitter: Splitter | None = None
    if split == "reuse-port":
        port = free_port()
        ports = [port] * processes
        public_url = f"http://127.0.0.1:{port}/telegram"
    else:
        ports = [free_port() for _ in range(processes)]
        splitter = Splitter([f"http://127.0.0.1:{port}/telegram" for port in ports])
        await splitter.start()
        public_url = splitter.url
    workers = [
        Worker(number, emulator, token, database_url, ports[number], public_url,
               reuse_port=split == "reuse-port", cluster=cluster)
        for number in range(processes)
    ]  # fmt: skip
    try:
        for worker in workers:
            await worker.start()
        yield BotCluster(token, workers, splitter)
    finally:
        await asyncio.gather(*(worker.stop() for worker in workers))
        if splitter is not None:
            await splitter.stop()
        emulator.track_processing = False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--child", action="store_true", required=True)
    for name in ("api-url", "file-url", "token", "database-url", "public-url"):
        parser.add_argument(f"--{name}", required=True)
    for name in ("report-port", "listen-port", "number"):
        parser.add_argument(f"--{name}", type=int, required=True)
    parser.add_argument("--reuse-port", action="store_true")
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(_child(args))


if __name__ == "__main__":
    main()
