"""``python -m bot run --webhook --workers N``: N bot processes serving one webhook port, on PostgreSQL.

The supervisor (this module, the process the operator started) runs no bot itself. It starts N workers,
each ``python -m bot run --webhook`` with ``WORKOUT_BOT_WORKER`` set to its number (0 to N-1), and:

* every worker binds the webhook port with SO_REUSEPORT (Linux): the kernel spreads Telegram's
  connections over them. Worker 0 tells Telegram the webhook's URL and sets the command menus and the
  admins up; the others only serve;
* each chat's updates stay in order across workers (bot.cluster: a PostgreSQL advisory lock per chat,
  and the inbox's record of which updates of the chat are still unhandled), reminders go out once
  (each user's occurrence is claimed with a row lock and a unique key: bot.services.reminders);
* metrics: ``PROMETHEUS_MULTIPROC_DIR`` is set to a fresh folder (unless the operator set one, which is
  emptied) so that /metrics on any worker shows the figures of all of them (bot.metrics);
* a worker that dies (a crash, kill -9) is started again (after 1 s, doubling up to 30 s while it keeps
  dying within 10 s of its start); its updates in hand are taken over by the others or by its
  successor (bot.cluster). A worker that exits with status 2 (a setting to fix) stops them all;
* SIGTERM or SIGINT stops the workers (SIGTERM to each: they finish the updates in hand), then exits.

SQLite is refused (one writer at a time: several processes would only wait for each other).
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Final

from bot.config import Settings, SettingsError

log = logging.getLogger(__name__)

WORKER_ENV: Final = "WORKOUT_BOT_WORKER"
"""Set by the supervisor in each worker: its number, 0 to N-1."""
MULTIPROC_ENV: Final = "PROMETHEUS_MULTIPROC_DIR"
MAX_WORKERS: Final = 64
STOP_TIMEOUT: Final = 30.0
"""Seconds the workers get to stop after SIGTERM before they are killed."""
QUICK_DEATH: Final = 10.0
"""A worker that exits within this many seconds of its start is restarted with a growing delay."""


def worker_number() -> int | None:
    """This process's worker number when the supervisor started it, else None."""
    value = os.environ.get(WORKER_ENV)
    return int(value) if value is not None and value.isdigit() else None


def check_workers(settings: Settings, workers: int, *, webhook: bool) -> None:
    """SettingsError (one line) unless N workers can run with these settings."""
    if workers < 1 or workers > MAX_WORKERS:
        raise SettingsError(f"--workers must be 1 to {MAX_WORKERS}")
    if workers == 1:
        return
    if not webhook:
        raise SettingsError("--workers needs --webhook: Telegram lets one process at a time poll for updates")
    if settings.is_sqlite:
        raise SettingsError(
            "--workers needs PostgreSQL: SQLite takes one writer at a time, so several processes would "
            "only wait for each other (set DATABASE_URL=postgresql+asyncpg://USER@HOST/DB)"
        )


@dataclass
class _Worker:
    number: int
    process: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    delay: float = 1.0
    restart_at: float | None = None


class Supervisor:
    """Starts, watches, restarts and stops the workers (see the module docstring)."""

    def __init__(self, count: int, command: Sequence[str] | None = None) -> None:
        self.command = list(command or [sys.executable, "-m", "bot", "run", "--webhook"])
        self.workers = [_Worker(number) for number in range(count)]
        self._stopping = False
        self._metrics_dir: Path | None = None
        self._own_metrics_dir = False

    def _prepare_metrics(self) -> None:
        given = os.environ.get(MULTIPROC_ENV)
        if given:
            folder = Path(given)
            folder.mkdir(parents=True, exist_ok=True)
            for stale in folder.glob("*.db"):  # the figures of a previous run
                stale.unlink()
        else:
            folder = Path(tempfile.mkdtemp(prefix="workout-bot-metrics-"))
            self._own_metrics_dir = True
        self._metrics_dir = folder

    def _start(self, worker: _Worker) -> None:
        env = dict(os.environ)
        env[WORKER_ENV] = str(worker.number)
        env[MULTIPROC_ENV] = str(self._metrics_dir)
        worker.process = subprocess.Popen(self.command, env=env)
        worker.started = time.monotonic()
        worker.restart_at = None
        log.info("worker %d started (pid %d)", worker.number, worker.process.pid)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self._stopping = True

    def run(self) -> int:
        """Run until SIGTERM/SIGINT (0) or a worker's settings error (2)."""
        self._prepare_metrics()
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        status = 0
        try:
            for worker in self.workers:
                self._start(worker)
            while not self._stopping:
                time.sleep(0.2)
                status = self._watch()
                if status:
                    break
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            if self._own_metrics_dir and self._metrics_dir is not None:
                shutil.rmtree(self._metrics_dir, ignore_errors=True)
        return status

    def _watch(self) -> int:
        now = time.monotonic()
        for worker in self.workers:
            process = worker.process
            if process is None:
                if worker.restart_at is not None and now >= worker.restart_at:
                    self._start(worker)
                continue
            code = process.poll()
            if code is None:
                continue
            from bot import metrics

            metrics.worker_exited(process.pid)
            worker.process = None
            if code == 2:
                log.error("worker %d stopped on a setting to fix: stopping all workers", worker.number)
                return 2
            if now - worker.started < QUICK_DEATH:
                worker.delay = min(worker.delay * 2, 30.0)
            else:
                worker.delay = 1.0
            worker.restart_at = now + worker.delay
            log.warning("worker %d (pid %d) exited with status %d: restarting it in %g s",
                        worker.number, process.pid, code, worker.delay)  # fmt: skip
        return 0

    def _stop_all(self) -> None:
        running = [w.process for w in self.workers if w.process is not None and w.process.poll() is None]
        for process in running:
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def pids(self) -> list[int]:
        return [w.process.pid for w in self.workers if w.process is not None]


def run_workers(settings: Settings, count: int) -> int:
    """The supervisor's main: `count` workers of ``python -m bot run --webhook``."""
    check_workers(settings, count, webhook=True)
    print(f"workout-bot: starting {count} webhook workers on port {settings.webhook_port}", file=sys.stderr)
    return Supervisor(count).run()
