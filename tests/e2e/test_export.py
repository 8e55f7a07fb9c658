"""/export reads in pages outside any transaction and zips in a worker thread (issue #17.5): another
user is answered while an export is half done, and the pages make exactly the rows of the database."""

from __future__ import annotations

import asyncio
import csv
import io
import threading
import zipfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Executable, Row, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot import export_process
from bot.app import BotApplication
from bot.db.models import UserExercisePerformance, UserExerciseSet, UserWorkoutSession
from bot.db.session import Reader, single_reads
from bot.sandbox import SandboxUser
from bot.services import export
from bot.ui import progress as progress_ui
from tests.e2e.test_progress import SQUAT_SESSIONS, add_history, clock, lifter, register  # noqa: F401 - fixtures

Factory = async_sessionmaker[AsyncSession]


def rows_of(document_file: bytes | None, member: str) -> list[dict[str, str]]:
    bundle = zipfile.ZipFile(io.BytesIO(document_file or b""))
    return list(csv.DictReader(io.StringIO(bundle.read(member).decode("utf-8-sig"))))


async def test_another_user_is_answered_while_an_export_runs(
    alice: SandboxUser,
    make_user: Any,
    bot_app: BotApplication,
    lifter: dict[str, Any],  # noqa: F811
    session_factory: Factory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bob: SandboxUser = make_user("Bob")
    async with session_factory() as session, session.begin():
        await register(session, bob, "Bob")
    monkeypatch.setattr(export, "PAGE_ROWS", 2)  # 3 sessions: two pages of sessions
    monkeypatch.setattr(export, "SESSIONS_PER_PAGE", 1)  # 10 sets: three pages of sets.csv
    halfway = threading.Event()
    resume = threading.Event()
    pages: list[str] = []

    def paused_reads(engine: AsyncEngine) -> Reader:
        read = single_reads(engine)

        async def reading(statement: Executable) -> Sequence[Row[Any]]:
            rows = await read(statement)
            pages.append(str(statement).split("FROM", 1)[1].split()[0])
            if len(pages) == 3:  # three reads done: wait here, half way through the export
                halfway.set()
                assert await asyncio.to_thread(resume.wait, 30), "the export was never resumed"
            return rows

        return reading

    # The worker (bot.export_process) in a thread of this process instead of a process of its own, so
    # that its reads can be paused; it runs the same code, with its own event loop and engine.
    monkeypatch.setattr(export_process, "_executor", lambda: ThreadPoolExecutor(max_workers=1))
    monkeypatch.setattr(export_process, "single_reads", paused_reads)
    exporting = asyncio.create_task(alice.send("/export"))
    assert await asyncio.to_thread(halfway.wait, 30), "the export never started"
    records = await bob.send("/records")  # answered now, while Alice's export waits half done
    assert [reply.text for reply in records] == [progress_ui.NO_RECORDS]
    assert not exporting.done() and alice.messages == []
    resume.set()
    [document] = await exporting

    assert document.kind == "document" and document.file_name == "workout-bot-export-2026-03-02.zip"
    assert pages.count("user_workout_session") == 2 + 2 + 2  # sessions.csv; the ids, twice
    assert pages.count("user_exercise_set") == 3  # 4 + 3 + 3 sets: a page per session, not one read
    async with session_factory() as session:
        stored = (
            await session.execute(
                select(UserExerciseSet.performance_id, UserExerciseSet.set_number, UserExerciseSet.reps)
                .join(UserExercisePerformance)
                .join(UserWorkoutSession)
                .where(UserWorkoutSession.user_id == lifter["user_id"])
                .order_by(
                    UserWorkoutSession.created_at,
                    UserWorkoutSession.id,
                    UserExerciseSet.created_at,
                    UserExerciseSet.set_number,
                    UserExerciseSet.id,
                )
            )
        ).all()
    exported = [
        (row["performance_id"], int(row["set_number"]), int(row["reps"]))
        for row in rows_of(document.file, "sets.csv")
    ]
    assert exported == [(str(p), n, r) for p, n, r in stored]
    assert len(exported) == sum(len(s[1]) for s in SQUAT_SESSIONS) == 10
    sessions = rows_of(document.file, "sessions.csv")
    assert sorted(s["session_id"] for s in sessions) == sorted(str(i) for i in lifter["sessions"])


async def test_the_archive_is_made_in_a_worker_process(
    alice: SandboxUser,
    bot_app: BotApplication,
    lifter: dict[str, Any],  # noqa: F811
) -> None:
    [document] = await alice.send("/export")
    assert export_process._pool is not None  # the spawned worker made it (a file database)
    sets = rows_of(document.file, "sets.csv")
    assert [int(row["reps"]) for row in sets] == [reps for _, day in SQUAT_SESSIONS for _, reps, _ in day]
    assert {row["exercise"] for row in sets} == {"Barbell Back Squat"}
    [profile] = rows_of(document.file, "profile.csv")
    assert profile["first_name"] == "Alice" and profile["exported_at_utc"] == "2026-03-02T09:00:00Z"
