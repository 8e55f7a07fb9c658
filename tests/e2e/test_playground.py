"""The terminal playground: as a new user meets it (`python -m bot start` without a token), and in process
(several users, an admin, button toasts and alerts, `#N`, saved files)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.config import Settings
from bot.db.enums import Role
from bot.db.models import CoachTrainee, User
from bot.sandbox import BotApiEmulator
from bot.sandbox.playground import Playground
from bot.services.users import TelegramProfile, register_user

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], stdin: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_", "TEST_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, "PYTHONPATH": str(REPO), **env},
        timeout=120,
        check=False,
    )


def test_start_without_token_opens_the_playground(tmp_path: Path) -> None:
    result = _run(["start"], "/start\n#99\n/help\n#1\n/exit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("No TELEGRAM_BOT_TOKEN set: starting the local playground")
    assert "Welcome," in result.stdout
    assert "/help - What the bot can do" in result.stdout
    assert "(no button 99: the buttons are 1-14)" in result.stdout  # the time zones of /start
    assert "(the last message has no buttons)" in result.stdout  # /help's answer
    assert "you> /start" in result.stdout  # piped input is echoed after the prompt, like a transcript
    assert lines[-1] == "bye!"
    assert (tmp_path / "data" / "playground.db").exists()
    assert "Traceback" not in result.stderr


def test_chat_keeps_its_data_between_runs(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path}/pg.db"
    first = _run(["chat", "--database", database], "/start\n", tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Welcome," in first.stdout
    second = _run(["chat", "--database", database], "/start\n", tmp_path)
    assert "Welcome back," in second.stdout


# --- in process: several users, admins, toasts and alerts, #N, saved files ----------------------------


@pytest.fixture
def playground(
    emulator: BotApiEmulator, bot_app: BotApplication, engine: AsyncEngine, settings: Settings, tmp_path: Path
) -> tuple[Playground, io.StringIO]:
    out = io.StringIO()
    return Playground(emulator, engine, settings, out, files_dir=tmp_path / "files"), out


async def typed(playground: Playground, out: io.StringIO, *lines: str) -> str:
    """Type lines as the playground's main loop does; what was printed meanwhile."""
    start = out.tell()
    for line in lines:
        assert await playground.act(line)
        playground.flush()
    return out.getvalue()[start:]


async def role_of(session_factory: async_sessionmaker[AsyncSession], telegram_id: int) -> Role | None:
    async with session_factory() as session:
        return await session.scalar(select(User.role).where(User.telegram_id == telegram_id))


async def test_several_users_an_admin_and_button_toasts(
    playground: tuple[Playground, io.StringIO], session_factory: async_sessionmaker[AsyncSession]
) -> None:
    pg, out = playground
    sam, _ = pg.become("Sam")
    async with session_factory() as session, session.begin():  # Sam is past onboarding
        profile = TelegramProfile(telegram_id=sam.user_id, chat_id=sam.chat_id, first_name="Sam")
        (await register_user(session, profile)).user.onboarded_at = datetime.now(UTC)
    shown = await typed(pg, out, "/as Coach Kim --admin")
    coach = pg.current
    assert "(you are Coach Kim now, a new user: send /start)" in shown
    assert "(Coach Kim is an admin now - send /start to get the admin commands)" in shown
    assert coach.user_id != sam.user_id and pg.prompt == "Coach Kim> "
    assert await role_of(session_factory, coach.user_id) == Role.ADMIN  # through register_user's admin ids
    assert await role_of(session_factory, sam.user_id) == Role.TRAINEE

    await typed(pg, out, "/invite")
    token = re.search(r"start=(coach-[\w-]+)", coach.last_text)
    assert token is not None
    shown = await typed(pg, out, "/as sam", f"/start {token.group(1)}")
    assert "(you are Sam again (@sam))" in shown
    assert "[1] ✅ Accept   [2] ✖️ Decline" in shown
    shown = await typed(pg, out, "#1")
    assert "bot (toast): Accepted!" in shown
    assert "bot (edited):\n  🤝 Coach Kim is now your coach." in shown
    assert "bot → Coach Kim:\n  🎉" in shown  # the coach's notice, shown with whom it went to
    async with session_factory() as session:
        links = (await session.scalars(select(CoachTrainee))).all()
    assert len(links) == 1
    assert await role_of(session_factory, sam.user_id) == Role.TRAINEE

    # an alert (a stale button) is printed as one; the link is unchanged
    await sam.press_data("co:ia:coach-gone", sam.messages[-1])
    pg.flush()
    assert "bot (alert):\n  " in out.getvalue()
    assert "(people: Sam (you), Coach Kim." in await typed(pg, out, "/as")
    async with session_factory() as session:
        assert len((await session.scalars(select(CoachTrainee))).all()) == 1


async def test_hash_presses_buttons_of_the_last_message_shown(
    playground: tuple[Playground, io.StringIO], session_factory: async_sessionmaker[AsyncSession]
) -> None:
    pg, out = playground
    sam, _ = pg.become("Sam")
    assert "(no message shown yet, so there is no button to press)" in await typed(pg, out, "#1")
    shown = await typed(pg, out, "/history", "#2")
    assert "[1] 📅 Today's workouts" in shown and "(no button 2: the buttons are 1-1)" in shown
    shown = await typed(pg, out, "#1")
    assert "bot (edited):\n  📅 Today" in shown
    # a newer message without buttons is the last shown one: #N says so instead of pressing older buttons
    shown = await typed(pg, out, "/help", "#1")
    assert "(the last message has no buttons)" in shown
    assert sam.emulator.unanswered_callback_queries() == []
    assert await role_of(session_factory, sam.user_id) == Role.TRAINEE


async def test_saved_files_never_overwrite_each_other(
    playground: tuple[Playground, io.StringIO], tmp_path: Path
) -> None:
    pg, out = playground
    sam, _ = pg.become("Sam")
    files = tmp_path / "files"
    shown = await typed(pg, out, "/export")
    [first] = [m for m in sam.messages if m.kind == "document"]
    assert first.file_name and f"[document saved to {files / first.file_name}]" in shown
    (files / first.file_name).write_bytes(b"keep me")  # say, a file of an earlier session
    await typed(pg, out, "/export", "/export")
    documents = [m for m in sam.messages if m.kind == "document"]
    paths = [Path(p) for p in re.findall(r"\[document saved to (\S+)\]", out.getvalue())]
    assert len(documents) == 3 and len(set(paths)) == 3
    assert all(path.parent == files for path in paths)
    assert paths[0].read_bytes() == b"keep me"
    assert [path.read_bytes() for path in paths[1:]] == [m.file for m in documents[1:]]
    stem = Path(first.file_name).stem
    assert [p.name for p in paths[1:]] == [f"{stem}-2.zip", f"{stem}-3.zip"]
    # the same file shown again (the last message, re-shown by /as) is not saved again
    await typed(pg, out, "/as Bob", "/as Sam")
    assert len(list(files.iterdir())) == 3
