"""Operator errors of `python -m bot`: exactly one clear line on stderr, a non-zero exit, no traceback.

Each case runs the real command line in a subprocess, in an empty working directory (no stray .env).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
REPO = Path(__file__).resolve().parents[2]
PROGRAM = next((REPO / "bot" / "data" / "programs").glob("*.yaml"))
UNREACHABLE = "127.0.0.1:1"  # nothing listens on port 1: connection refused at once


def _cli(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), **env},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single stderr line (nothing else printed, no traceback)."""
    assert "Traceback" not in result.stderr + result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("workout-bot: ")
    return lines[0]


def _sqlite(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def test_no_command_without_token_names_the_setting(tmp_path: Path) -> None:
    result = _cli(cwd=tmp_path)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in _one_line(result)


@pytest.mark.parametrize(
    "args",
    [("seed",), ("import-program", str(PROGRAM)), ("run",), ()],
    ids=["seed", "import-program", "run", "no-command"],
)
def test_never_migrated_database_asks_for_migrate(tmp_path: Path, args: tuple[str, ...]) -> None:
    result = _cli(*args, cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "fresh.db"), TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 1
    line = _one_line(result)
    assert "was never migrated" in line
    assert "run `python -m bot migrate` first" in line


def test_older_schema_asks_for_migrate(tmp_path: Path) -> None:
    import asyncio

    from bot.db.migrate import upgrade
    from bot.db.session import create_engine

    async def migrate_to_first() -> None:
        engine = create_engine(_sqlite(tmp_path / "old.db"))
        await upgrade(engine, "0001")
        await engine.dispose()

    asyncio.run(migrate_to_first())
    result = _cli("seed", cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "old.db"))
    assert result.returncode == 1
    assert "older schema (0001): run `python -m bot migrate` first" in _one_line(result)


def _old_populated_database(path: Path, revision: str) -> None:
    """An install left at an older revision with users, the catalog and training history in it."""
    import asyncio

    from bot.db.migrate import upgrade
    from bot.db.session import create_engine
    from tests.db.old_databases import populate

    async def build() -> None:
        engine = create_engine(_sqlite(path))
        await upgrade(engine, revision)
        async with engine.begin() as connection:
            await connection.run_sync(populate)
        await engine.dispose()

    asyncio.run(build())


def _counts(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as connection:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        counts = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    connection.close()
    return counts


@pytest.mark.parametrize("revision", ["0004", "0008"])
def test_migrate_upgrades_a_populated_database(tmp_path: Path, revision: str) -> None:
    """`migrate` takes an install of an older version, data and all, to the latest schema: exit 0, the
    one-line success, every row kept (SQLite's table rebuilds run with foreign keys off, checked after)."""
    import sqlite3

    from bot.db.migrate import head_revision

    _old_populated_database(tmp_path / "old.db", revision)
    before = _counts(tmp_path / "old.db")
    result = _cli("migrate", cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "old.db"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database is at the latest schema\n"
    assert "Traceback" not in result.stderr
    after = _counts(tmp_path / "old.db")
    assert before["user_exercise_set"] > 50 and before["exercise"] > 50
    assert {t: after[t] for t in before if t != "alembic_version"} == {
        t: n for t, n in before.items() if t != "alembic_version"
    }
    with sqlite3.connect(tmp_path / "old.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (head_revision(),)
        ]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    connection.close()


def test_migrate_refuses_a_database_with_rows_pointing_at_nothing(tmp_path: Path) -> None:
    """A row whose parent is missing (a hand edit with foreign keys off) stops the migration: one line
    naming the table, exit 1, and the database is left at its revision."""
    import sqlite3

    _old_populated_database(tmp_path / "old.db", "0008")
    with sqlite3.connect(tmp_path / "old.db") as connection:
        connection.execute("DELETE FROM exercise WHERE code = 'deadlift'")
    connection.close()
    # LOG_LEVEL=WARNING: without alembic's "Running upgrade" lines (rolled back), the error is the only line.
    result = _cli("migrate", cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "old.db"), LOG_LEVEL="WARNING")
    assert result.returncode == 1
    line = _one_line(result)
    assert "cannot migrate the database" in line
    assert (
        "1 row points at a row that does not exist (exercise_instruction row" in line
        and "-> exercise)" in line
    )
    with sqlite3.connect(tmp_path / "old.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [("0008",)]
    connection.close()


@pytest.mark.parametrize("command", ["migrate", "seed"])
def test_database_of_a_newer_version(tmp_path: Path, command: str) -> None:
    import sqlite3

    with sqlite3.connect(tmp_path / "new.db") as connection:
        connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.execute("INSERT INTO alembic_version VALUES ('0099_from_the_future')")
    result = _cli(command, cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "new.db"))
    assert result.returncode == 1
    assert "is at schema 0099_from_the_future, which this version of the bot does not know" in _one_line(
        result
    )


def test_not_a_database(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("my training notes, not a database\n" * 100)
    result = _cli("seed", cwd=tmp_path, DATABASE_URL=_sqlite(tmp_path / "notes.db"))
    assert result.returncode == 1
    assert "cannot connect to the database" in _one_line(result)
    assert (tmp_path / "notes.db").read_text().startswith("my training notes")


def test_playground_database_folder_missing(tmp_path: Path) -> None:
    result = _cli("chat", "--database", _sqlite(tmp_path / "nowhere" / "p.db"), cwd=tmp_path)
    assert result.returncode == 2
    line = _one_line(result)
    assert "invalid --database" in line and "nowhere does not exist" in line
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", ["seed", "run"])
def test_unreachable_postgresql(tmp_path: Path, command: str) -> None:
    url = f"postgresql+asyncpg://bot:hunter2secret@{UNREACHABLE}/workout"
    result = _cli(command, cwd=tmp_path, DATABASE_URL=url, TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 1
    line = _one_line(result)
    assert f"cannot connect to the database postgresql+asyncpg://bot:***@{UNREACHABLE}/workout" in line
    assert "hunter2secret" not in result.stderr + result.stdout


def test_unreachable_bot_api(tmp_path: Path) -> None:
    db = _sqlite(tmp_path / "bot.db")
    assert _cli("migrate", cwd=tmp_path, DATABASE_URL=db).returncode == 0
    api = f"http://{UNREACHABLE}/bot"
    result = _cli("run", cwd=tmp_path, DATABASE_URL=db, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api)
    assert result.returncode == 1
    line = _one_line(result)
    assert f"cannot reach the Telegram Bot API at {api}" in line
    assert TOKEN not in result.stderr


@pytest.mark.parametrize("command", ["migrate", "run"])
def test_missing_database_folder_is_not_created(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no" / "such" / "folder"
    result = _cli(command, cwd=tmp_path, DATABASE_URL=_sqlite(missing / "bot.db"), TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    line = _one_line(result)
    assert "DATABASE_URL" in line and f"{missing} does not exist" in line
    assert not (tmp_path / "no").exists()


def test_default_data_folder_is_created(tmp_path: Path) -> None:
    result = _cli("migrate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "workout-bot.db").is_file()


async def test_rejected_token(tmp_path: Path) -> None:
    """The Bot API (here the emulator) answers 401 to the token: one line naming the setting, exit 2."""
    import asyncio
    import os

    from bot.sandbox import BotApiEmulator

    db = _sqlite(tmp_path / "bot.db")
    assert _cli("migrate", cwd=tmp_path, DATABASE_URL=db).returncode == 0
    async with BotApiEmulator() as emulator:
        token = emulator.make_token()
        emulator.revoke_token(token)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            cwd=tmp_path,
            env={
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONPATH": str(REPO),
                "DATABASE_URL": db, "TELEGRAM_BOT_TOKEN": token, "TELEGRAM_API_URL": emulator.base_url,
            },
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), 120)
    result = subprocess.CompletedProcess(["run"], process.returncode or 0, out.decode(), err.decode())
    assert result.returncode == 2
    line = _one_line(result)
    assert f"the Bot API at {emulator.base_url} rejected TELEGRAM_BOT_TOKEN" in line
    assert token not in result.stderr


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("run", "--webhook", "--workers", "2"), "--workers needs PostgreSQL"),
        (("run", "--workers", "2"), "--workers needs --webhook"),
        (("run", "--webhook", "--workers", "0"), "--workers must be 1 to 64"),
    ],
    ids=["sqlite", "polling", "zero"],
)
def test_several_workers_are_refused_where_they_cannot_work(
    tmp_path: Path, args: tuple[str, ...], reason: str
) -> None:
    result = _cli(
        *args,
        cwd=tmp_path,
        DATABASE_URL=_sqlite(tmp_path / "bot.db"),
        TELEGRAM_BOT_TOKEN=TOKEN,
        WEBHOOK_URL="https://bot.example.com/telegram",
        WEBHOOK_SECRET="secret",
    )
    assert result.returncode == 2
    assert reason in _one_line(result)
    assert not (tmp_path / "bot.db").exists()  # refused before anything was opened
