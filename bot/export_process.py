"""/export's archive is made in a worker process: no CPU time of the bot's process goes into it.

bot.services.export already reads in pages outside any transaction and formats in a worker thread, but
in CPython a thread busy formatting a hundred thousand rows still takes the GIL from the event loop at
every one of its awaits (up to the 5 ms switch interval each), which added hundreds of milliseconds to
other users' replies. Here one worker process (spawned, so nothing of the running bot is inherited)
opens its own engine on the same database, writes the zip to a temporary file and hands back its path;
the bot opens it, deletes the name and uploads from the open file. One export runs at a time; the others
wait in the pool's queue. An in-memory SQLite database cannot be shared with another process: there the
archive is made in this process (the tests' and the playground's case only).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import tempfile
import uuid
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.db.models import User
from bot.db.session import create_engine, single_read_options, single_reads
from bot.i18n import _, current_locale, use_locale
from bot.services import export
from bot.services.errors import NotFound

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    global _pool  # one pool for the process, made on first use
    if _pool is None:
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def _forget_pool() -> None:
    global _pool
    _pool = None


def _shareable(engine: AsyncEngine) -> bool:
    url = engine.url
    if not url.drivername.startswith("sqlite"):
        return True
    database = url.database or ""
    return bool(database) and database != ":memory:" and "mode=memory" not in str(url)


async def export_archive(engine: AsyncEngine, user: User, now: datetime) -> IO[bytes]:
    """The user's archive (bot.services.export) as an open file at its start; the caller closes it."""
    if not _shareable(engine):
        return await export.write_export(single_reads(engine), user, now)
    url = engine.url.render_as_string(hide_password=False)
    loop = asyncio.get_running_loop()
    try:
        path = await loop.run_in_executor(_executor(), export_to_file, url, user.id, now, current_locale())
    except BrokenProcessPool:  # the worker died (killed, out of memory): the next export gets a new one
        _forget_pool()
        raise
    return await asyncio.to_thread(_take, Path(path))


def _take(file: Path) -> IO[bytes]:
    """Open the worker's file and delete its name: the open file stays readable, nothing is left."""
    handle = file.open("rb")  # returned: the caller closes it
    file.unlink()
    return handle


def export_to_file(database_url: str, user_id: uuid.UUID, now: datetime, locale: str = "en") -> str:
    """In the worker process: write the archive to a new temporary file; its path (an error's reason in
    `locale`, the requester's)."""
    with use_locale(locale):
        return asyncio.run(_export_to_file(database_url, user_id, now))


async def _export_to_file(database_url: str, user_id: uuid.UUID, now: datetime) -> str:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:  # one read, no transaction (SQLite: no write lock)
            connection = await connection.execution_options(**single_read_options(engine))
            async with AsyncSession(bind=connection) as session:
                user = await session.get(User, user_id)
        if user is None:
            raise NotFound(_("That account does not exist any more."))
        archive = await export.write_export(single_reads(engine), user, now)
    finally:
        await engine.dispose()
    with archive, tempfile.NamedTemporaryFile("wb", suffix=".zip", delete=False) as target:
        while chunk := archive.read(1 << 20):
            target.write(chunk)
    return target.name
