"""The user's complete data as CSV files in a zip (for /export).

Every CSV is UTF-8 with a byte order mark, so spreadsheets detect the encoding; every timestamp comes
twice: in the user's zone (ISO 8601 with its offset) and in UTC (ISO 8601, `Z`). Weights are kg, as
stored (the column names say so). Domain only: returns bytes, never commits.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    Metric,
    Program,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.services.errors import DomainError

MAX_BYTES = 50 * 1024 * 1024  # Telegram's limit for a bot's document


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


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def _ts(name: str) -> list[str]:
    return [f"{name}_local", f"{name}_utc"]


async def export_zip(session: AsyncSession, user: User, now: datetime) -> bytes:
    """sessions.csv, performances.csv, sets.csv, measurements.csv, enrollments.csv and profile.csv."""
    zone = ZoneInfo(user.timezone)
    files: dict[str, bytes] = {}
    files["profile.csv"] = _csv(
        ["telegram_id", "first_name", "last_name", "username", "timezone", "weight_unit", "role",
         *_ts("created_at"), *_ts("exported_at")],
        [[user.telegram_id, user.first_name, user.last_name, user.username, user.timezone, user.weight_unit,
          user.role, *_times(user.created_at, zone), *_times(now, zone)]],
    )  # fmt: skip
    sessions = (
        await session.execute(
            select(UserWorkoutSession, Workout.name)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .where(UserWorkoutSession.user_id == user.id)
            .order_by(UserWorkoutSession.created_at)
        )
    ).all()
    files["sessions.csv"] = _csv(
        ["session_id", "workout", "status", "enrollment_id", *_ts("scheduled_at"), *_ts("started_at"),
         *_ts("completed_at"), "duration_seconds", "effort_rating", "soreness_rating", "notes"],
        [[s.id, name, s.session_status, s.program_enrollment_id, *_times(s.scheduled_at, zone),
          *_times(s.started_at, zone), *_times(s.completed_at, zone), s.actual_duration_seconds,
          s.effort_rating, s.soreness_rating, s.session_notes] for s, name in sessions],
    )  # fmt: skip
    performances = (
        await session.execute(
            select(UserExercisePerformance, Exercise.name)
            .join(
                UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id
            )
            .join(
                ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id
            )
            .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
            .where(UserWorkoutSession.user_id == user.id)
            .order_by(UserExercisePerformance.created_at)
        )
    ).all()
    names = {p.id: name for p, name in performances}
    files["performances.csv"] = _csv(
        ["performance_id", "session_id", "exercise", "sets_completed", "reps_completed", "weight_used_kg",
         "duration_seconds", "difficulty_rating", "notes", *_ts("created_at")],
        [[p.id, p.user_workout_session_id, name, p.sets_completed, p.reps_completed, p.weight_used_kg,
          p.duration_seconds, p.difficulty_rating, p.performance_notes, *_times(p.created_at, zone)]
         for p, name in performances],
    )  # fmt: skip
    sets = (
        await session.execute(
            select(UserExerciseSet, UserExercisePerformance.user_workout_session_id)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .join(
                UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id
            )
            .where(UserWorkoutSession.user_id == user.id)
            .order_by(UserExerciseSet.created_at, UserExerciseSet.set_number)
        )
    ).all()
    files["sets.csv"] = _csv(
        ["session_id", "performance_id", "exercise", "set_number", "reps", "weight_kg", "duration_seconds",
         "is_warmup", *_ts("logged_at")],
        [[sid, s.performance_id, names.get(s.performance_id), s.set_number, s.reps, s.weight_kg,
          s.duration_seconds, s.is_warmup, *_times(s.created_at, zone)] for s, sid in sets],
    )  # fmt: skip
    measurements = (
        await session.execute(
            select(UserMeasurement, Metric.name)
            .join(Metric, Metric.id == UserMeasurement.metric_id)
            .where(UserMeasurement.user_id == user.id)
            .order_by(UserMeasurement.measurement_date, UserMeasurement.created_at)
        )
    ).all()
    files["measurements.csv"] = _csv(
        ["metric", "value", "unit", "date", "source", "notes", *_ts("created_at")],
        [[name, m.measured_value, m.unit, m.measurement_date, m.measurement_source, m.measurement_notes,
          *_times(m.created_at, zone)] for m, name in measurements],
    )  # fmt: skip
    enrollments = (
        await session.execute(
            select(UserProgramEnrollment, Program.name)
            .join(Program, Program.id == UserProgramEnrollment.program_id)
            .where(UserProgramEnrollment.user_id == user.id)
            .order_by(UserProgramEnrollment.created_at)
        )
    ).all()
    files["enrollments.csv"] = _csv(
        ["enrollment_id", "program", "status", "start_date", "target_completion_date",
         "actual_completion_date", "current_day", "notes", *_ts("created_at")],
        [[e.id, name, e.enrollment_status, e.start_date, e.target_completion_date, e.actual_completion_date,
          e.current_day, e.enrollment_notes, *_times(e.created_at, zone)] for e, name in enrollments],
    )  # fmt: skip
    archive = io.BytesIO()
    stamp = now.astimezone(zone)
    when = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files.items():
            bundle.writestr(
                zipfile.ZipInfo(name, date_time=when), content, compress_type=zipfile.ZIP_DEFLATED
            )
    data = archive.getvalue()
    if len(data) > MAX_BYTES:
        raise ExportTooLarge(
            f"Your data makes a {len(data) // (1024 * 1024)} MB archive, over Telegram's 50 MB for a file. "
            "Please contact the bot's admin for an export."
        )
    return data


def export_filename(user: User, today: date) -> str:
    return f"workout-bot-export-{today.isoformat()}.zip"
