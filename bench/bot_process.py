"""The real bot in a process of its own, for `bench.workout_load --bot-process`.

In the default mode the bot, the emulator and the simulated users share one process and one core, so the
bot's figures carry the emulator's and the users' CPU time too; Telegram's servers and the trainees'
phones are not on the bot's machine. Here the parent process keeps the emulator and the users and
`remote_bot` starts the bot (`build_application`, polling the parent's emulator, the same database) in a
child process: `python -m bench.bot_process`.

They talk over one local TCP connection, one line per message:

* child -> parent: ``ready``; ``done <update_id>`` when an update has been handled and its state
  written (`bot.sandbox.harness.TrackingApplication`, as `running_bot(track=True)` does in-process);
  ``error <text>`` for each ERROR log record; ``counts <statements> <transactions> <cpu_seconds>``
  answering a ``counts`` request.
* parent -> child: ``counts`` (SQL statements run and CPU time used so far); closing the connection
  stops the bot, which finishes the updates in hand first.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.sandbox.emulator import BotApiEmulator

READY_TIMEOUT = 60.0
ECHO = "echo"
"""In place of a database URL: run bench.echo's bare echo bot instead of the real one."""


# ---------------------------------------------------------------------------------------------- the child


class _ReportErrors(logging.Handler):
    def __init__(self, report: Callable[[str], None]) -> None:
        super().__init__(logging.ERROR)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
        self.report("error " + f"{record.name}: {text}".replace("\n", " ")[:300])


async def _echo_child(api_url: str, file_url: str, token: str, port: int) -> None:
    """The bare echo bot of bench.echo (aiohttp transport, concurrent_updates 256) in this process."""
    from bench.echo import build_echo_application_for

    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    application = build_echo_application_for(token, api_url, file_url, "aiohttp", 256)
    async with application:
        await application.start()
        updater = application.updater
        assert updater is not None
        await updater.start_polling(poll_interval=0, timeout=10)
        writer.write(b"ready\n")
        try:
            while line := await reader.readline():
                if line.strip() == b"counts":
                    writer.write(f"counts 0 0 {time.process_time()}\n".encode())
        finally:
            await updater.stop()
            await application.stop()
    writer.close()


async def _child(
    api_url: str, file_url: str, token: str, database_url: str, port: int, *, sqlite_thread: bool = False
) -> None:
    from bench.workout_load import WATCHED_LOGGERS, StatementCounter, bench_settings, new_request
    from bot.app import build_application
    from bot.db.session import create_engine
    from bot.jobs.reminders import unschedule_jobs
    from bot.sandbox.harness import TrackingApplication, serving

    reader, writer = await asyncio.open_connection("127.0.0.1", port)

    def report(line: str) -> None:
        writer.write(line.encode() + b"\n")

    handler = _ReportErrors(report)
    for name in WATCHED_LOGGERS:
        logging.getLogger(name).addHandler(handler)
    settings = bench_settings(database_url).model_copy(
        update={"telegram_api_url": api_url, "telegram_file_url": file_url}
    )
    engine = create_engine(database_url, sqlite_inline=not sqlite_thread)
    statements = StatementCounter(engine)
    statements.counting = True
    application = build_application(
        settings,
        token=token,
        engine=engine,
        request=new_request("aiohttp"),
        get_updates_request=new_request("aiohttp"),
        application_class=TrackingApplication,
        application_kwargs={"on_processed": lambda update_id: report(f"done {update_id}")},
    )
    unschedule_jobs(application)
    try:
        async with serving(application):
            report("ready")
            while line := await reader.readline():
                if line.strip() == b"counts":
                    report(f"counts {statements.count} {statements.transactions} {time.process_time()}")
    finally:
        await engine.dispose()
        with contextlib.suppress(ConnectionError):
            await writer.drain()
        writer.close()


def main() -> None:
    """Entry point of the child: ``python -m bench.bot_process API_URL FILE_URL TOKEN DB_URL PORT``."""
    parser = argparse.ArgumentParser(description=__doc__)
    for name in ("api_url", "file_url", "token", "database_url"):
        parser.add_argument(name)
    parser.add_argument("port", type=int)
    parser.add_argument("--sqlite-thread", action="store_true", help="SQLite on aiosqlite's own thread")
    args = parser.parse_args()
    if args.database_url == ECHO:
        asyncio.run(_echo_child(args.api_url, args.file_url, args.token, args.port))
        return
    asyncio.run(
        _child(
            args.api_url,
            args.file_url,
            args.token,
            args.database_url,
            args.port,
            sqlite_thread=args.sqlite_thread,
        )
    )


# --------------------------------------------------------------------------------------------- the parent


@dataclass
class RemoteBot:
    """The parent's handle on the bot process."""

    token: str
    errors: list[str] = field(default_factory=list)
    _writer: asyncio.StreamWriter | None = None
    _counts: asyncio.Queue[tuple[int, int, float]] = field(default_factory=asyncio.Queue)

    async def counts(self) -> tuple[int, int, float]:
        """(SQL statements, transactions the bot has run, its process CPU seconds) so far."""
        assert self._writer is not None
        self._writer.write(b"counts\n")
        return await asyncio.wait_for(self._counts.get(), READY_TIMEOUT)


@asynccontextmanager
async def remote_bot(
    emulator: BotApiEmulator, database_url: str, *, sqlite_thread: bool = False
) -> AsyncIterator[RemoteBot]:
    """Run the bot in a child process against `emulator` and `database_url` (`ECHO`: the bare echo bot);
    its handled updates are marked processed in the emulator, as `running_bot(track=True)` does
    in-process."""
    bot = RemoteBot(token=emulator.make_token())
    connected: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
        asyncio.get_running_loop().create_future()
    )

    async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not connected.done():
            connected.set_result((reader, writer))

    server = await asyncio.start_server(accept, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.bot_process",
        emulator.base_url,
        emulator.base_file_url,
        bot.token,
        database_url,
        str(port),
        *(["--sqlite-thread"] if sqlite_thread else []),
    )
    emulator.track_processing = True
    ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    async def listen(reader: asyncio.StreamReader) -> None:
        while line := await reader.readline():
            kind, _, rest = line.decode().rstrip("\n").partition(" ")
            if kind == "done":
                emulator.mark_processed(int(rest))
            elif kind == "ready" and not ready.done():
                ready.set_result(None)
            elif kind == "error":
                bot.errors.append(rest)
            elif kind == "counts":
                statements, transactions, cpu = rest.split()
                bot._counts.put_nowait((int(statements), int(transactions), float(cpu)))

    listener: asyncio.Task[None] | None = None
    try:
        reader, writer = await asyncio.wait_for(connected, READY_TIMEOUT)
        bot._writer = writer
        listener = asyncio.create_task(listen(reader))
        await asyncio.wait_for(ready, READY_TIMEOUT)
        yield bot
    finally:
        if bot._writer is not None:
            bot._writer.close()  # the child stops the bot, finishing the updates in hand
        try:
            await asyncio.wait_for(child.wait(), READY_TIMEOUT)
        except TimeoutError:
            child.kill()
            await child.wait()
        if listener is not None:
            await listener
        server.close()
        await server.wait_closed()
        emulator.track_processing = False


if __name__ == "__main__":
    main()
