"""The terminal playground: the real bot against the local emulator, chatted with from a terminal.

You type; the bot's messages are printed with their inline buttons numbered, its button answers as
toasts and alerts. `#2` presses button 2 of the last message shown, `/as NAME` becomes another user
(created on first use, so coach features can be tried with a trainee), `--admin` makes the current user
an admin (`/as NAME --admin` both), `/file PATH` uploads a document, `/photo PATH` sends a photo,
`/dashboard` prints the Mini App's local URL with init data dev-signed for you, `/exit`
(or Ctrl-D) leaves (`/quit` is the bot's own command). Photos and documents the bot sends are saved
under their own new name each, and the path printed.

Each name keeps the same Telegram id from run to run, so its data in the playground database stays its.
"""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
import threading
import zlib
from pathlib import Path
from typing import TextIO

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import BotApplication
from bot.config import Settings
from bot.db.migrate import upgrade
from bot.db.session import create_engine, create_sessionmaker, session_scope
from bot.sandbox.client import SandboxUser
from bot.sandbox.emulator import BotApiEmulator, CallbackAnswer, SentMessage
from bot.sandbox.harness import running_bot
from bot.services.users import TelegramProfile, register_user
from bot.webapp.server import dev_link, request_server

PLAYGROUND_DATABASE = "sqlite+aiosqlite:///./data/playground.db"
FILES_DIR = Path("data/playground")
HELP = (
    "Type a message or a command (try /start). '#N' presses button N of the last message, "
    "'/as NAME' becomes another user, '--admin' makes you an admin, '/file PATH' uploads a document, "
    "'/photo PATH' sends a photo, '/dashboard' prints your Mini App link, '/exit' leaves."
)
ADMIN_FLAG = "--admin"
DASHBOARD = "/dashboard"
_FIRST_ID = 1_000_000_000
_ID_SPAN = 1_000_000_000
_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")


def render(message: SentMessage, *, label: str = "bot", saved: Path | None = None) -> str:
    """A bot message as terminal text: its content, where its attachment was saved, numbered buttons."""
    lines: list[str] = []
    if message.edited:
        label += " (edited)"
    if saved is not None:
        lines.append(f"[{message.kind} saved to {saved}]")
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


def render_answer(answer: CallbackAnswer, *, label: str = "bot") -> str | None:
    """A button answer as the client shows it: a toast, or an alert the user must dismiss; None if silent."""
    if answer.text is None and answer.url is None:
        return None
    text = answer.text or f"opens {answer.url}"
    if answer.show_alert:
        body = "\n".join(f"  {line}" for line in text.splitlines())
        return f"{label} (alert):\n{body}"
    return f"{label} (toast): {text}"


def user_id_for(name: str) -> int:
    """The playground's Telegram id of a name: the same in every run (so its data stays its)."""
    return _FIRST_ID + zlib.crc32(name.casefold().encode("utf-8")) % _ID_SPAN


def username_for(name: str) -> str:
    """A Telegram-like username for a name ("Coach Kim" -> "coach_kim")."""
    return re.sub(r"[^a-z0-9_]+", "_", name.casefold()).strip("_")[:32] or "user"


class Playground:
    """The people in the playground, the one you are, and everything the bot shows them."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        engine: AsyncEngine,
        settings: Settings,
        out: TextIO,
        *,
        files_dir: Path = FILES_DIR,
        language_code: str = "en",
    ) -> None:
        self.emulator, self.engine, self.settings, self.out = emulator, engine, settings, out
        self.language_code = language_code
        """The Telegram language of every person made here (`--lang ru`: the bot speaks Russian)."""
        self.files_dir = files_dir
        self.people: dict[str, SandboxUser] = {}
        self.names: dict[int, str] = {}
        self._current: SandboxUser | None = None
        self._seen: dict[int, int] = {}
        self._answers_seen: dict[int, int] = {}
        self._last_shown: dict[int, int] = {}
        self._saved: dict[str, Path] = {}
        self._flushed = emulator.global_version
        self.prompting = False
        """True while a prompt waits for the user's line (output arriving then goes below it)."""
        self.application: BotApplication | None = None
        """The running bot (for the Mini App's dev link)."""

    # --- people --------------------------------------------------------------------------------------

    @property
    def current(self) -> SandboxUser:
        if self._current is None:
            raise RuntimeError("nobody is in the playground yet")
        return self._current

    @property
    def current_name(self) -> str:
        return self.names[self.current.user_id]

    @property
    def prompt(self) -> str:
        return "you> " if len(self.people) == 1 else f"{self.current_name}> "

    def become(self, name: str) -> tuple[SandboxUser, bool]:
        """Switch to the user called ``name`` (any case), creating them first; True if they are new."""
        key = name.casefold()
        user = self.people.get(key)
        created = user is None
        if user is None:
            user_id = user_id_for(name)
            while user_id in self.names:  # two names with the same checksum: the next free id
                user_id += 1
            user = self.emulator.add_user(
                user_id, first_name=name, username=username_for(name), language_code=self.language_code
            )
            self.people[key] = user
            self.names[user_id] = name
            self._seen[user.chat_id] = self.emulator.version(user.chat_id)
            self._answers_seen[user.user_id] = 0
        self._current = user
        return user, created

    async def make_admin(self, user: SandboxUser) -> None:
        """Make ``user`` an admin the way the bot does for ADMIN_TELEGRAM_IDS: registration with their id
        among the admin ids (registering them if they never wrote)."""
        name = self.names[user.user_id]
        profile = TelegramProfile(
            telegram_id=user.user_id,
            chat_id=user.chat_id,
            first_name=name,
            username=username_for(name),
            language_code=self.language_code,
        )
        async with session_scope(create_sessionmaker(self.engine)) as session:
            await register_user(
                session,
                profile,
                default_timezone=self.settings.default_timezone,
                default_reminder_time=self.settings.default_reminder_time,
                admin_ids=frozenset({user.user_id}),
            )

    # --- output --------------------------------------------------------------------------------------

    def say(self, text: str) -> None:
        """Print a line of the playground's own (in parentheses, indented)."""
        self._print(f"  ({text})")

    def _print(self, text: str) -> None:
        if self.prompting:  # output that arrives while the user is typing goes below the prompt
            print(file=self.out)
        print(text, file=self.out, flush=True)
        if self.prompting:
            print(self.prompt, end="", file=self.out, flush=True)

    def _label(self, user: SandboxUser) -> str:
        return "bot" if user is self._current else f"bot → {self.names[user.user_id]}"

    def _has_news(self, emulator: BotApiEmulator) -> bool:
        return emulator.global_version > self._flushed

    def flush(self) -> None:
        """Print what the bot did since the last flush: button answers, then new and edited messages."""
        self._flushed = self.emulator.global_version
        for user in list(self.people.values()):
            answers = self.emulator.callback_answers(user.user_id)
            for answer in answers[self._answers_seen[user.user_id] :]:
                shown = render_answer(answer, label=self._label(user))
                if shown is not None:
                    self._print(shown)
            self._answers_seen[user.user_id] = len(answers)
            chat_id = user.chat_id
            for message in self.emulator.changes_since(chat_id, self._seen[chat_id]):
                self.show(user, message)
            self._seen[chat_id] = self.emulator.version(chat_id)

    def show(self, user: SandboxUser, message: SentMessage) -> None:
        saved = self.save_file(message)
        self._print(render(message, label=self._label(user), saved=saved))
        self._last_shown[user.chat_id] = message.message_id

    def save_file(self, message: SentMessage) -> Path | None:
        """Save the photo or document of ``message`` under a name no other file has (once per file)."""
        if message.file is None or message.file_id is None:
            return None
        known = self._saved.get(message.file_id)
        if known is not None:
            return known
        self.files_dir.mkdir(parents=True, exist_ok=True)
        stem, suffix = _file_name(message)
        number = 1
        while True:
            path = self.files_dir / (f"{stem}{suffix}" if number == 1 else f"{stem}-{number}{suffix}")
            try:
                with path.open("xb") as file:  # exclusive: never replaces a file saved before
                    file.write(message.file)
            except FileExistsError:
                number += 1
                continue
            self._saved[message.file_id] = path
            return path

    async def watch(self) -> None:
        """Print the bot's actions as they happen (reminders, rest timers, other users' doings)."""
        while True:
            try:
                await self.emulator.wait_for(self._has_news, timeout=3600)
            except TimeoutError:
                continue
            self.flush()

    # --- input ---------------------------------------------------------------------------------------

    async def act(self, line: str) -> bool:
        """Carry out one line typed by the user; False when they want to leave."""
        line = line.strip()
        if not line:
            return True
        if line == "/exit":
            return False
        try:
            if line.startswith("#") and line[1:].isdigit():
                await self.press(int(line[1:]))
            elif line == "/as" or line.startswith("/as "):
                await self.switch(line.removeprefix("/as").split())
            elif line == DASHBOARD:
                self.show_dashboard_link()
            elif line == ADMIN_FLAG:
                await self.make_admin(self.current)
                self.say(f"{self.current_name} is an admin now - send /start to get the admin commands")
            elif line.startswith(("/file ", "/photo ")):
                command, _, raw_path = line.partition(" ")
                path = Path(raw_path.strip()).expanduser()  # noqa: ASYNC240 - a local file the user names
                if not path.is_file():
                    self.say(f"no such file: {path}")
                elif command == "/file":
                    await self.current.upload(path)
                else:
                    await self.current.send_photo(path)
            else:
                await self.current.send(line)
        except AssertionError as problem:  # the bot did not answer, or the button cannot be pressed
            self.say(str(problem))
        return True

    def show_dashboard_link(self) -> None:
        """Print the Mini App's local URL with init data signed for the current user (dev-signed)."""
        if self.application is None:
            return
        name = self.current_name
        user = {"id": self.current.user_id, "first_name": name, "username": username_for(name)}
        link = dev_link(self.application, user, self.application.bot_data.clock())
        if link is None:
            self.say("the Mini App server is not running")
            return
        self.say(f"{name}'s dashboard (Mini App), open in a browser: {link}")

    async def press(self, number: int) -> None:
        """Press button ``number`` (from 1) of the last message shown in the current user's chat."""
        user = self.current
        shown = self._last_shown.get(user.chat_id)
        message = self.emulator.message(user.chat_id, shown) if shown is not None else None
        if message is None:
            self.say("no message shown yet, so there is no button to press")
            return
        if message.deleted:
            self.say("the last message shown was deleted, so its buttons are gone")
            return
        flat = [button for row in message.inline_keyboard for button in row]
        if not flat:
            self.say("the last message has no buttons")
            return
        if not 1 <= number <= len(flat):
            self.say(f"no button {number}: the buttons are 1-{len(flat)}")
            return
        button = flat[number - 1]
        if button.get("callback_data") is None:
            target = button.get("url") or button.get("web_app", {}).get("url")
            self.say(f"button {number} opens {target}" if target else f"button {number} does nothing here")
            return
        await user.press(number - 1, message=message)

    async def switch(self, args: list[str]) -> None:
        """`/as NAME [--admin]`: become NAME (created if new); `/as` alone lists the people."""
        admin = ADMIN_FLAG in args
        name = " ".join(arg for arg in args if arg != ADMIN_FLAG)
        if not name:
            everyone = ", ".join(
                f"{self.names[u.user_id]}{' (you)' if u is self._current else ''}"
                for u in self.people.values()
            )
            self.say(f"people: {everyone}. '/as NAME' becomes NAME (new names are created)")
            return
        if len(name) > 64:
            self.say("a name has at most 64 characters")
            return
        user, created = self.become(name)
        name = self.names[user.user_id]
        self.say(
            f"you are {name} now, a new user: send /start"
            if created
            else f"you are {name} again (@{username_for(name)})"
        )
        if admin:
            await self.make_admin(user)
            self.say(f"{name} is an admin now - send /start to get the admin commands")
        last = self.emulator.last_message(user.chat_id)
        if not created and last is not None:
            self.show(user, last)


def _file_name(message: SentMessage) -> tuple[str, str]:
    """(stem, suffix) for a file the bot sent: its own name made safe, or the kind and message id."""
    if message.kind == "document" and message.file_name:
        safe = _UNSAFE_FILE_CHARS.sub("_", Path(message.file_name).name).strip("._") or "file"
        path = Path(safe)
        return path.stem[:80] or "file", path.suffix[:10]
    data = message.file or b""
    if data.startswith(b"\x89PNG"):
        suffix = ".png"
    elif data.startswith(b"\xff\xd8"):
        suffix = ".jpg"
    else:
        suffix = ".bin"
    return f"{message.kind}-{message.message_id}", suffix


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
    admin: bool = False,
    name: str | None = None,
    stdin: TextIO = sys.stdin,
    out: TextIO = sys.stdout,
    files_dir: Path = FILES_DIR,
    language_code: str = "en",
) -> None:
    """Migrate and seed the playground database, start the emulator and the bot, chat until /exit.

    ``admin`` makes the first user an admin; ``language_code`` is every person's Telegram language
    (``--lang ru``: the bot speaks Russian to them). Typed into a terminal, a prompt is shown; read from
    a pipe, each line is echoed after the prompt, so the output reads as a transcript.
    """
    url = database_url or PLAYGROUND_DATABASE
    engine = create_engine(url)
    interactive = stdin.isatty()
    try:
        await upgrade(engine)
        await _seed(engine)
        async with BotApiEmulator() as emulator:
            playground = Playground(
                emulator, engine, settings, out, files_dir=files_dir, language_code=language_code
            )
            first, _ = playground.become(name or (getpass.getuser() or "you").capitalize())
            if admin:
                await playground.make_admin(first)
            async with running_bot(
                emulator, settings, engine=engine, scheduler=True, configure=request_server
            ) as application:
                playground.application = application
                who = playground.current_name + (", an admin" if admin else "")
                print(
                    f"workout-bot playground: you are {who}, chatting with the bot on a local emulator.",
                    file=out,
                )
                print(HELP, file=out, flush=True)
                playground.show_dashboard_link()
                watching = asyncio.create_task(playground.watch())
                lines = _read_lines(stdin)
                try:
                    while True:
                        if interactive:
                            print(playground.prompt, end="", file=out, flush=True)
                            playground.prompting = True
                        line = await lines.get()
                        playground.prompting = False
                        if line is None:
                            if interactive:
                                print(file=out)
                            break
                        if not interactive:
                            print(f"{playground.prompt}{line.rstrip()}", file=out, flush=True)
                        if not await playground.act(line):
                            break
                        playground.flush()
                finally:
                    watching.cancel()
                    playground.prompting = False
                    playground.flush()
                print("bye!", file=out, flush=True)
    finally:
        await engine.dispose()


async def _seed(engine: AsyncEngine) -> None:
    from bot.services.seed import seed_reference_data

    async with session_scope(create_sessionmaker(engine)) as session:
        await seed_reference_data(session)
