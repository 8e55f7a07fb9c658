"""The terminal playground, as a new user meets it: `python -m bot start` without a token."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

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
    result = _run(["start"], "/start\n/help\n#99\n/exit\n", tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("No TELEGRAM_BOT_TOKEN set: starting the local playground")
    assert "Welcome," in result.stdout
    assert "/help - What the bot can do" in result.stdout
    assert "(no button 99: the buttons are 1-" in result.stdout
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
