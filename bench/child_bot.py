"""A bot in a child process that reports back over a local socket (bench.kill_loop, bench.bot_cluster).

The parent listens on a free port, starts the child with that port, and reads one line per event: "ready"
once the bot runs, then whatever the child reports (`report`). Writing to the connection sends the child a
command; closing it asks the child to stop the bot cleanly. `kill` is SIGKILL: nothing is finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from dataclasses import dataclass
from typing import Final

READY_TIMEOUT: Final = 90.0


@dataclass(kw_only=True)
class ReportingChild:
    """One bot process: started, killed with SIGKILL, or stopped cleanly."""

    process: asyncio.subprocess.Process | None = None
    writer: asyncio.StreamWriter | None = None
    starts: int = 0

    def command(self, report_port: int) -> list[str]:
        """The child's command line; it connects back to `report_port`."""
        raise NotImplementedError

    def report(self, kind: str, rest: str) -> None:
        """One line the child reported (other than "ready"): its kind and the rest of the line."""

    async def start(self) -> None:
        connected: asyncio.Future[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.get_running_loop().create_future()
        )

        async def accept(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            if not connected.done():
                connected.set_result((reader, writer))

        server = await asyncio.start_server(accept, "127.0.0.1", 0)
        self.process = await asyncio.create_subprocess_exec(*self.command(server.sockets[0].getsockname()[1]))
        self.starts += 1
        try:
            reader, self.writer = await asyncio.wait_for(connected, READY_TIMEOUT)
            ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            asyncio.create_task(self._listen(reader, ready))  # noqa: RUF006 - ends with the connection
            await asyncio.wait_for(ready, READY_TIMEOUT)
        finally:
            server.close()

    async def _listen(self, reader: asyncio.StreamReader, ready: asyncio.Future[None]) -> None:
        with contextlib.suppress(ConnectionError):
            while line := await reader.readline():
                kind, _, rest = line.decode().rstrip("\n").partition(" ")
                if kind == "ready":
                    if not ready.done():
                        ready.set_result(None)
                else:
                    self.report(kind, rest)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self.writer is not None:
            self.writer.close()
        self.process = self.writer = None

    async def stop(self) -> None:
        if self.process is None:
            return
        if self.writer is not None:
            self.writer.close()  # the child stops the bot, finishing the updates in hand
        try:
            await asyncio.wait_for(self.process.wait(), READY_TIMEOUT)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        self.process = self.writer = None
