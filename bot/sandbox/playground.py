"""The terminal playground: the real bot against the local emulator, chatted with from a terminal.

You type; the bot's messages are printed with their inline buttons numbered. `#2` presses button 2 of
the latest message that has buttons, `/file PATH` uploads a document, `/photo PATH` sends a photo,
`/exit` (or Ctrl-D) leaves (`/quit` is the bot's own command). Photos and documents the bot sends are
saved and their path printed.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
import threading
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.session import create_engine, create_sessionmaker, session_scope
from bot.sandbox.client import SandboxUser
from bot.sandbox.emulator import BotApiEmulator, SentMessage
from bot.sandbox.harness import running_bot

PLAYGROUND_DATABASE = "sqlite+aiosqlite:///./data/playground.db"
FILES_DIR = Path("data/playground")
HELP = (
    "Type a message or a command (try /start). '#N' presses button N, '/file PATH' uploads a document, "
    "'/photo PATH' sends a photo, '/exit' leaves."
)


def render(message: SentMessage, *, files_dir: Path = FILES_DIR) -> str:
    """A bot message as terminal text: its content, saved attachments and numbered buttons."""
    lines: list[str] = []
    label = "bot (edited)" if message.edited else "bot"
    if message.kind in ("photo", "document") and message.file is not None:
        files_dir.mkdir(parents=True, exist_ok=True)
        suffix = ".png" if message.kind == "photo" else Path(message.file_name or "file.bin").suffix
        path = files_dir / f"{message.kind}-{message.chat_id}-{message.message_id}{suffix}"
        path.write_bytes(message.file)
        lines.append(f"[{message.kind} saved to {path}]")
    content = message.content
    if content:
        lines.extend(content.splitlines() or [""])
    number = 0
    for row in message.buttons:
        cells = []
        for text in row:
            number += 1
            cells.append(f"[{number}] {text}")
        lines.append("   ".join(cells))
    body = "\n".join(f"  {line}" for line in lines)
    return f"{label}:\n{body}"


class Printer:
    """Prints every message the bot sends or edits in the chat, as it happens."""

    def __init__(self, emulator: BotApiEmulator, chat_id: int, out: TextIO) -> None:
        self.emulator, self.chat_id, self.out = emulator, chat_id, out
        self.seen = emulator.version(chat_id)

    def flush(self) -> None:
        for message in self.emulator.changes_since(self.chat_id, self.seen):
            print(render(message), file=self.out, flush=True)
        self.seen = self.emulator.version(self.chat_id)

    async def run(self) -> None:
        while True:
            try:
                await self.emulator.wait_for(lambda e: e.version(self.chat_id) > self.seen, timeout=3600)
            except TimeoutError:
                continue
            self.flush()


async def _act(user: SandboxUser, line: str, out: TextIO) -> bool:
    """Carry out one line typed by the user; False when they want to leave."""
    line = line.strip()
    if not line:
        return True
    if line == "/exit":
        return False
    try:
        if line.startswith("#") and line[1:].isdigit():
            keyboards = [m for m in user.messages if m.buttons and not m.deleted]
            count = sum(len(row) for row in keyboards[-1].buttons) if keyboards else 0
            number = int(line[1:])
            if not 1 <= number <= count:
                print(
                    f"  (no button {number}: "
                    + (f"the buttons are 1-{count})" if count else "there are none)"),
                    file=out,
                )
            else:
                await user.press(number - 1, message=keyboards[-1])
        elif line.startswith(("/file ", "/photo ")):
            command, _, raw_path = line.partition(" ")
            path = Path(raw_path.strip()).expanduser()  # noqa: ASYNC240 - a local file the user names
            if not path.is_file():
                print(f"  (no such file: {path})", file=out)
            elif command == "/file":
                await user.upload(path)
            else:
                await user.send_photo(path)
        else:
            await user.send(line)
    except AssertionError as problem:  # no such button, or the bot did not answer
        print(f"  ({problem})", file=out)
    return True


def _read_lines(source: TextIO) -> asyncio.Queue[str | None]:
    """Lines typed by the user, read by a daemon thread (so leaving never waits for a keystroke)."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def reader() -> None:
        for line in source:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=reader, name="playground-stdin", daemon=True).start()
    return queue


async def run_playground(
    settings: Settings,
    *,
    database_url: str | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
) -> None:
    """Migrate and seed the playground database, start the emulator and the bot, chat until /exit."""
    url = database_url or PLAYGROUND_DATABASE
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await _seed(engine)
        async with BotApiEmulator() as emulator:
            name = (getpass.getuser() or "you").capitalize()
            user = emulator.add_user(first_name=name, username=name.lower())
            async with running_bot(emulator, settings, engine=engine, scheduler=True):
                print(
                    f"workout-bot playground: you are {name}, chatting with the bot on a local emulator.",
                    file=out,
                )
                print(HELP, file=out, flush=True)
                printer = Printer(emulator, user.chat_id, out)
                printing = asyncio.create_task(printer.run())
                lines = _read_lines(stdin)
                try:
                    while (line := await lines.get()) is not None:
                        if not await _act(user, line, out):
                            break
                        printer.flush()
                finally:
                    printing.cancel()
                    printer.flush()
                print("bye!", file=out, flush=True)
    finally:
        await engine.dispose()


async def _seed(engine: AsyncEngine) -> None:
    from bot.services.seed import seed_reference_data

    async with session_scope(create_sessionmaker(engine)) as session:
        await seed_reference_data(session)
