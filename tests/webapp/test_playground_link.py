"""The playground runs the Mini App server and prints a local link with init data signed for its user."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, unquote

from bot.sandbox.harness import free_port

REPO = Path(__file__).resolve().parents[2]


def test_the_playground_prints_a_dev_signed_dashboard_link(tmp_path: Path) -> None:
    port = free_port()
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "DATABASE_", "TEST_", "WEBAPP_"))
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--database", f"sqlite+aiosqlite:///{tmp_path}/pg.db"],
        input="/start\n/as Kim\n/dashboard\n/exit\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(REPO), "WEBAPP_PORT": str(port)},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    links = re.findall(r"(\w+)'s dashboard \(Mini App\), open in a browser: (\S+)\)", result.stdout)
    assert [name for name, _link in links][-1] == "Kim"
    for _name, link in links:
        assert link.startswith(f"http://127.0.0.1:{port}/app/#tgWebAppData=")
    fields = dict(parse_qsl(unquote(links[-1][1].split("#tgWebAppData=", 1)[1])))
    assert json.loads(fields["user"])["first_name"] == "Kim"
    assert len(fields["hash"]) == 64 and fields["auth_date"].isdigit()
    assert "Traceback" not in result.stderr
