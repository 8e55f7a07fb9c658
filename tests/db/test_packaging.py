"""The built wheel carries the migrations: an installed `workout-bot migrate` works without a checkout."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

from bot.db.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_migrations_and_migrates_outside_a_checkout(tmp_path: Path) -> None:
    source = tmp_path / "source"  # a copy: building in the checkout would leave build/ there
    ignore = shutil.ignore_patterns("__pycache__", "*.py[cod]", "*.egg-info")
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "alembic.ini"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("bot", "migrations"):
        shutil.copytree(ROOT / name, source / name, ignore=ignore)
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    [wheel] = dist.glob("workout_bot-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(archive.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
        installed = tmp_path / "site"
        archive.extractall(installed)
    shipped = {n.removeprefix("bot/migrations/") for n in names if n.startswith("bot/migrations/")}
    expected = {
        str(p.relative_to(ROOT / "migrations"))
        for p in (ROOT / "migrations").rglob("*")
        if p.suffix in (".py", ".mako") and "__pycache__" not in p.parts
    }
    assert expected and shipped == expected
    assert "bot/webapp/static/index.html" in names  # the Mini App's page (issue #16)
    assert "License-Expression: MIT" in metadata

    # Run the installed package from an unrelated directory: no checkout in sight.
    work = tmp_path / "elsewhere"
    work.mkdir()
    database = work / "bot.db"
    env = {
        **os.environ,
        "PYTHONPATH": str(installed),
        "DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "TELEGRAM_BOT_TOKEN": "",
    }
    where = subprocess.run(
        [sys.executable, "-c", "import bot.db.migrate as m; print(m.MIGRATIONS_DIR)"],
        cwd=work, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()) == installed / "bot" / "migrations"
    subprocess.run(
        [sys.executable, "-m", "bot", "migrate"], cwd=work, env=env, check=True, capture_output=True
    )
    with sqlite3.connect(database) as connection:
        [(revision,)] = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    assert revision == head_revision()
