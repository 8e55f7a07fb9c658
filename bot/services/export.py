"""The user's complete data as CSV files in a zip (for /export).

Every CSV is UTF-8 with a byte order mark, so spreadsheets detect the encoding; every timestamp comes
twice: in the user's zone (ISO 8601 with its offset) and in UTC (ISO 8601, `Z`). Weights are kg, as
stored (the column names say so). Domain only: reads, never writes.

Bounded in time on the event loop and in memory, whatever the history's size: rows are read in pages
(keyset pagination; each page one short read outside any transaction, so the database - on SQLite its
only connection - serves other users between two pages), each page is formatted and compressed in a
worker thread, and the archive grows in a spooled temporary file (in memory up to `SPOOL_BYTES`, then on
disk). Sessions, measurements and enrollments come `PAGE_ROWS` at a time; performances and sets
`SESSIONS_PER_PAGE` sessions at a time, in the order of sessions.csv (then in the order they were
logged), which keeps every page's query on the indexes.
"""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
import uuid
import zipfile
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any
from zoneinfo import ZoneInfo

from sqlalchemy import Row, Select, select, tuple_

from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    Metric,
    Program,
    User,
    UserExerciseNote,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.db.session import Reader
from bot.i18n import _
from bot.services.errors import DomainError

MAX_BYTES = 50 * 1024 * 1024  # Telegram's limit for a bot's document
PAGE_ROWS = 500
"""Rows per read: with SQLite (on the event loop's thread, bot.db.sqlite_inline) a read of 500 rows keeps
the loop some 10-30 ms; another user's update runs between two reads."""
SESSIONS_PER_PAGE = 5
"""Sessions whose performances and sets make one read (a session has a few dozen sets)."""
SPOOL_BYTES = 4 * 1024 * 1024

Shape = Callable[[Sequence[Any]], list[object]]
"""Turns a page's row (without its key columns) into the CSV row's values."""


class ExportTooLarge(DomainError):
    """The archive would exceed Telegram's 50 MB (not expected: kept as a guard)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "value"):  # enums
        return str(value.value)
    return str(value)


def _times(instant: datetime | None, zone: ZoneInfo) -> list[str]:
    if instant is None:
        return ["", ""]
    utc = instant.astimezone(UTC)
    return [
        utc.astimezone(zone).isoformat(timespec="seconds"),
        utc.isoformat(timespec="seconds").replace("+00:00", "Z"),
    ]


def _ts(name: str) -> list[str]:
    return [f"{name}_local", f"{name}_utc"]


class _Archive:
    """The zip being written; its methods run in a worker thread, one at a time."""

    def __init__(self, target: IO[bytes], when: tuple[int, int, int, int, int, int]) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self._when = when
        self._member: IO[bytes] | None = None
        self._text: io.TextIOWrapper | None = None

    def begin(self, name: str, header: Sequence[str]) -> None:
        info = zipfile.ZipInfo(name, date_time=self._when)
        info.compress_type = zipfile.ZIP_DEFLATED
        self._member = self._zip.open(info, "w")
        self._text = io.TextIOWrapper(self._member, encoding="utf-8-sig", newline="")
        csv.writer(self._text, lineterminator="\r\n").writerow(header)

    def rows(self, rows: Sequence[Sequence[Any]], shape: Shape) -> None:
        assert self._text is not None
        writer = csv.writer(self._text, lineterminator="\r\n")
        writer.writerows([_cell(value) for value in shape(row)] for row in rows)

    def end(self) -> None:
        assert self._text is not None
        self._text.close()  # closes the member too
        self._text = self._member = None

    def close(self) -> None:
        self._zip.close()


async def _write_csv(
    read: Reader,
    archive: _Archive,
    name: str,
    header: Sequence[str],
    query: Select[*tuple[Any, ...]],
    keys: Sequence[Any],  # columns
    shape: Shape,
) -> None:
    """Read `query` in pages ordered by `keys` (unique together), writing each page as it comes."""
    await asyncio.to_thread(archive.begin, name, header)
    async for rows in _keyset_pages(read, query, keys, PAGE_ROWS):
        await asyncio.to_thread(archive.rows, rows, shape)
    await asyncio.to_thread(archive.end)


async def _keyset_pages(
    read: Reader, query: Select[*tuple[Any, ...]], keys: Sequence[Any], size: int
) -> AsyncIterator[list[Sequence[Any]]]:
    """The rows of `query` (without the key columns) in pages of `size`, ordered by `keys`."""
    paged = query.add_columns(*keys).order_by(*keys).limit(size)
    width = len(keys)
    last: Sequence[Any] | None = None
    while True:
        page = paged if last is None else paged.where(tuple_(*keys) > tuple_(*last))
        rows: Sequence[Row[Any]] = await read(page)
        if rows:
            yield [row[:-width] for row in rows]
            last = tuple(rows[-1][-width:])
        if len(rows) < size:
            return


async def _write_by_session(
    read: Reader,
    archive: _Archive,
    user: User,
    name: str,
    header: Sequence[str],
    query: Callable[[list[uuid.UUID]], Select[*tuple[Any, ...]]],
    shape: Shape,
) -> None:
    """Rows that hang off the user's sessions (performances, sets), `SESSIONS_PER_PAGE` sessions at a
    time, in the order of sessions.csv; `query(ids)` selects those of some sessions, ordered within them.

    Each page's query is driven by the indexes on session and performance ids, so a page costs the same
    whatever the history's size (one ORDER BY over every set of the user, paged, would sort them all for
    every page).
    """
    await asyncio.to_thread(archive.begin, name, header)
    sessions = select(UserWorkoutSession.id).where(UserWorkoutSession.user_id == user.id)
    keys = [UserWorkoutSession.created_at, UserWorkoutSession.id]
    async for page in _keyset_pages(read, sessions, keys, PAGE_ROWS):
        ids = [row[0] for row in page]
        for start in range(0, len(ids), SESSIONS_PER_PAGE):
            rows = await read(query(ids[start : start + SESSIONS_PER_PAGE]))
            if rows:
                await asyncio.to_thread(archive.rows, rows, shape)
    await asyncio.to_thread(archive.end)


async def write_export(read: Reader, user: User, now: datetime) -> IO[bytes]:
    """sessions.csv, performances.csv, sets.csv, measurements.csv, enrollments.csv, exercise_notes.csv
    and profile.csv in a zip, as a file positioned at its start (the caller closes it). `read` runs each
    page's SELECT (bot.db.session.single_reads); `user` only needs its columns loaded."""
    zone = ZoneInfo(user.timezone)
    stamp = now.astimezone(zone)
    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    target: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned
    try:
        archive = _Archive(target, when)
        await _write_all(read, archive, user, zone, now)
        await asyncio.to_thread(archive.close)
        size = target.seek(0, io.SEEK_END)
        if size > MAX_BYTES:
            raise ExportTooLarge(
                _(
                    "Your data makes a {size} MB archive, over Telegram's 50 MB for a file. "
                    "Please contact the bot's admin for an export."
                ).format(size=size // (1024 * 1024))
            )
        target.seek(0)
    except BaseException:
        target.close()
        raise
    return target


async def _write_all(read: Reader, archive: _Archive, user: User, zone: ZoneInfo, now: datetime) -> None:
    profile = [user.telegram_id, user.first_name, user.last_name, user.username, user.timezone,
               user.weight_unit, user.role, *_times(user.created_at, zone), *_times(now, zone)]  # fmt: skip
    await asyncio.to_thread(
        archive.begin,
        "profile.csv",
        ["telegram_id", "first_name", "last_name", "username", "timezone", "weight_unit", "role",
         *_ts("created_at"), *_ts("exported_at")],
    )  # fmt: skip
    await asyncio.to_thread(archive.rows, [profile], list)
    await asyncio.to_thread(archive.end)

    S = UserWorkoutSession
    await _write_csv(
        read, archive, "sessions.csv",
        ["session_id", "workout", "status", "enrollment_id", *_ts("scheduled_at"), *_ts("started_at"),
         *_ts("completed_at"), "duration_seconds", "effort_rating", "soreness_rating", "notes"],
        select(S.id, Workout.name, S.session_status, S.program_enrollment_id, S.scheduled_at, S.started_at,
               S.completed_at, S.actual_duration_seconds, S.effort_rating, S.soreness_rating, S.session_notes)
        .join(Workout, Workout.id == S.workout_id)
        .where(S.user_id == user.id),
        [S.created_at, S.id],
        lambda r: [r[0], r[1], r[2], r[3], *_times(r[4], zone), *_times(r[5], zone), *_times(r[6], zone),
                   r[7], r[8], r[9], r[10]],
    )  # fmt: skip

    P = UserExercisePerformance
    await _write_by_session(
        read, archive, user, "performances.csv",
        ["performance_id", "session_id", "exercise", "sets_completed", "reps_completed", "weight_used_kg",
         "duration_seconds", "difficulty_rating", "notes", *_ts("created_at")],
        lambda ids: select(P.id, P.user_workout_session_id, Exercise.name, P.sets_completed,
                           P.reps_completed, P.weight_used_kg, P.duration_seconds, P.difficulty_rating,
                           P.performance_notes, P.created_at)
        .join(S, S.id == P.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == P.exercise_instruction_id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(P.user_workout_session_id.in_(ids))
        .order_by(S.created_at, S.id, P.created_at, P.id),
        lambda r: [*r[:9], *_times(r[9], zone)],
    )  # fmt: skip

    E = UserExerciseSet
    await _write_by_session(
        read, archive, user, "sets.csv",
        ["session_id", "performance_id", "exercise", "set_number", "reps", "weight_kg", "duration_seconds",
         "is_warmup", "set_type", "rpe", "rir", "distance_m", "assistance_kg", "calories", *_ts("logged_at")],
        lambda ids: select(P.user_workout_session_id, E.performance_id, Exercise.name, E.set_number, E.reps,
                           E.weight_kg, E.duration_seconds, E.is_warmup, E.set_type, E.rpe, E.rir,
                           E.distance_m, E.assistance_kg, E.calories, E.created_at)
        .join(P, P.id == E.performance_id)
        .join(S, S.id == P.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == P.exercise_instruction_id)
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(P.user_workout_session_id.in_(ids))
        .order_by(S.created_at, S.id, E.created_at, E.set_number, E.id),
        lambda r: [*r[:14], *_times(r[14], zone)],
    )  # fmt: skip

    M = UserMeasurement
    await _write_csv(
        read, archive, "measurements.csv",
        ["metric", "value", "unit", "date", "source", "notes", *_ts("created_at")],
        select(Metric.name, M.measured_value, M.unit, M.measurement_date, M.measurement_source,
               M.measurement_notes, M.created_at)
        .join(Metric, Metric.id == M.metric_id)
        .where(M.user_id == user.id),
        [M.measurement_date, M.created_at, M.id],
        lambda r: [*r[:6], *_times(r[6], zone)],
    )  # fmt: skip

    N = UserProgramEnrollment
    await _write_csv(
        read, archive, "enrollments.csv",
        ["enrollment_id", "program", "status", "start_date", "target_completion_date",
         "actual_completion_date", "current_day", "notes", *_ts("created_at")],
        select(N.id, Program.name, N.enrollment_status, N.start_date, N.target_completion_date,
               N.actual_completion_date, N.current_day, N.enrollment_notes, N.created_at)
        .join(Program, Program.id == N.program_id)
        .where(N.user_id == user.id),
        [N.created_at, N.id],
        lambda r: [*r[:8], *_times(r[8], zone)],
    )  # fmt: skip

    X = UserExerciseNote
    await _write_csv(
        read, archive, "exercise_notes.csv",
        ["exercise", "note", *_ts("created_at"), *_ts("updated_at")],
        select(Exercise.name, X.note, X.created_at, X.updated_at)
        .join(Exercise, Exercise.id == X.exercise_id)
        .where(X.user_id == user.id),
        [X.created_at, X.id],
        lambda r: [r[0], r[1], *_times(r[2], zone), *_times(r[3], zone)],
    )  # fmt: skip


def export_filename(user: User, today: date) -> str:
    return f"workout-bot-export-{today.isoformat()}.zip"
