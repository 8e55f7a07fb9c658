"""A database as an older version of the bot left it, to upgrade in tests.

`populate` fills a database migrated to an older revision with what a running install holds: the seeded
catalog (bot/data/reference.yaml and exercises.yaml, as the seed of the time wrote it), a coach, trainees and
an admin, the linear program with its schedule, enrollments, workouts with performances and sets,
measurements, reminders and the bot's persisted state - every table the revision has, in the columns it had.

Rows are written through tables built from the current models' column types (so UUIDs, enums and dates are
stored exactly as the bot stores them), restricted to the columns the database has at that revision.
`snapshot` reads those columns back, table by table, to compare before and after a migration.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from bot.db.base import Base

DATA = Path(__file__).resolve().parents[2] / "bot" / "data"
LINEAR_PROGRAM = "Beginner Full-Body Linear Progression"
Rows = dict[str, list[dict[str, Any]]]

_NAMESPACE = uuid.UUID("6d1f3c1e-5a2b-4c7d-9e8f-0a1b2c3d4e5f")


def _id(*parts: object) -> uuid.UUID:
    """Stable ids, so two builds of the same database hold the same rows."""
    return uuid.uuid5(_NAMESPACE, "/".join(map(str, parts)))


def _at(day: int, hour: int = 8, minute: int = 0) -> datetime:
    return datetime(2026, 10, 1, hour, minute, tzinfo=UTC) + timedelta(days=day)


def _catalog(admin: uuid.UUID) -> Rows:
    reference = yaml.safe_load((DATA / "reference.yaml").read_text())
    exercises = yaml.safe_load((DATA / "exercises.yaml").read_text())["exercises"]
    return {
        "difficulty_level": [
            {"id": _id("level", r["code"]), "code": r["code"], "name": r["name"], "rank": r["rank"],
             "description": r.get("description")}
            for r in reference["difficulty_levels"]
        ],
        "visibility": [
            {"id": _id("visibility", r["code"]), "code": r["code"], "name": r["name"],
             "description": r.get("description")}
            for r in reference["visibilities"]
        ],
        "category": [
            {"id": _id("category", r["code"]), "code": r["code"], "name": r["name"],
             "description": r.get("description")}
            for r in reference["categories"]
        ],
        "tag": [{"id": _id("tag", r["code"]), "code": r["code"], "name": r["name"]} for r in reference["tags"]],
        "metric": [
            {"id": _id("metric", r["code"]), "code": r["code"], "name": r["name"],
             "canonical_unit": r["canonical_unit"], "accepted_units": r["accepted_units"],
             "min_value": r.get("min_value"), "max_value": r.get("max_value"), "sort_order": r["sort_order"]}
            for r in reference["metrics"]
        ],
        "exercise": [
            {"id": _id("exercise", r["code"]), "code": r["code"], "name": r["name"],
             "muscle_group": r["muscle_group"], "equipment": r["equipment"],
             "tracking_type": r["tracking"].upper(), "description": r.get("description"),
             "created_by": admin if i == 0 else None}
            for i, r in enumerate(exercises)
        ],
    }  # fmt: skip


# The linear program: two workouts alternating three days a week (what its YAML held at the time).
WORKOUTS = {
    "Full Body A": [("back-squat", 3, 5, "100.00"), ("bench-press", 3, 5, "70.00"), ("barbell-row", 3, 5, "60.00")],
    "Full Body B": [
        ("back-squat", 3, 5, "100.00"), ("overhead-press", 3, 5, "42.50"), ("deadlift", 1, 5, "120.00"),
        ("lat-pulldown", 3, 8, "55.00"),
    ],
}  # fmt: skip


def _program(admin: uuid.UUID) -> Rows:
    program = _id("program", LINEAR_PROGRAM)
    schedule = _id("schedule", program)
    rows: Rows = {
        "program": [
            {"id": program, "name": LINEAR_PROGRAM, "description": "Three full-body sessions a week.",
             "difficulty_level_id": _id("level", "beginner"), "visibility_id": _id("visibility", "PUBLIC"),
             "created_by": admin, "notes": "Add 2.5 kg each session."}
        ],
        "program_category": [
            {"program_id": program, "category_id": _id("category", code), "is_primary": code == "strength",
             "created_by": admin}
            for code in ("strength", "full-body")
        ],
        "program_tag": [
            {"program_id": program, "tag_id": _id("tag", code), "created_by": admin}
            for code in ("barbell", "linear-progression", "3-days-a-week")
        ],
        "program_phase": [
            {"id": _id("phase", program, n), "program_id": program, "name": name, "start_day": start,
             "end_day": end, "order_index": n, "created_by": admin}
            for n, (name, start, end) in enumerate((("Base", 1, 14), ("Build", 15, 28)))
        ],
        "program_schedule": [
            {"id": schedule, "program_id": program, "length_days": 28, "rest_days_per_week": 4, "created_by": admin}
        ],
        "workout": [],
        "exercise_instruction": [],
        "schedule_workout": [],
    }  # fmt: skip
    for name, lines in WORKOUTS.items():
        workout = _id("workout", name)
        rows["workout"].append(
            {"id": workout, "name": name, "estimated_duration_minutes": 60, "created_by": admin}
        )
        for order, (code, sets, reps, weight) in enumerate(lines):
            rows["exercise_instruction"].append(
                {"id": _id("instruction", name, order), "workout_id": workout, "exercise_id": _id("exercise", code),
                 "order_index": order, "target_sets": sets, "target_reps_min": reps, "target_reps_max": reps,
                 "target_weight_kg": Decimal(weight), "rest_seconds": 180, "created_by": admin}
            )  # fmt: skip
    for day in range(1, 29):
        if day % 7 in (1, 3, 5):
            name = "Full Body A" if (day // 2) % 2 == 0 else "Full Body B"
            rows["schedule_workout"].append(
                {"id": _id("day", day), "schedule_id": schedule, "workout_id": _id("workout", name),
                 "day_number": day, "created_by": admin}
            )  # fmt: skip
    return rows


def _people() -> tuple[Rows, dict[str, uuid.UUID]]:
    who = {name: _id("user", name) for name in ("admin", "coach", "anna", "ben")}
    users = [
        {"id": who["admin"], "telegram_id": 100, "chat_id": 100, "first_name": "Ada", "role": "ADMIN",
         "timezone": "UTC", "onboarded_at": _at(-30)},
        {"id": who["coach"], "telegram_id": 200, "chat_id": 200, "first_name": "Carl", "username": "coach_carl",
         "role": "COACH", "timezone": "Europe/Berlin", "onboarded_at": _at(-20)},
        {"id": who["anna"], "telegram_id": 300, "chat_id": 300, "first_name": "Anna", "last_name": "Ström",
         "language_code": "sv", "role": "TRAINEE", "timezone": "Europe/Stockholm",
         "reminder_time": time(6, 30), "rest_timer_enabled": False, "onboarded_at": _at(-10)},
        {"id": who["ben"], "telegram_id": 400, "chat_id": 400, "first_name": "Ben <b>", "weight_unit": "LB",
         "role": "TRAINEE", "timezone": "America/New_York", "reminders_enabled": False,
         "start_payload": "invite", "onboarded_at": _at(-5)},
    ]  # fmt: skip
    links = [
        {"id": _id("link", "anna"), "coach_id": who["coach"], "trainee_id": who["anna"], "notify_on_workout": True},
        {"id": _id("link", "ben"), "coach_id": who["coach"], "trainee_id": who["ben"], "status": "ENDED",
         "ended_at": _at(-1)},
    ]  # fmt: skip
    return {"app_user": users, "coach_trainee": links}, who


def _training(who: dict[str, uuid.UUID]) -> Rows:
    program = _id("program", LINEAR_PROGRAM)
    rows: Rows = {name: [] for name in (
        "user_program_enrollment", "enrollment_day_state", "reminder_log", "user_workout_session",
        "program_day_session", "user_exercise_performance", "user_exercise_set", "user_measurement",
    )}  # fmt: skip
    for trainee, coach in (("anna", who["coach"]), ("ben", None)):
        user, enrollment = who[trainee], _id("enrollment", trainee)
        rows["user_program_enrollment"].append(
            {"id": enrollment, "user_id": user, "program_id": program, "assigned_by": coach,
             "start_date": date(2026, 10, 1), "current_day": 6, "created_by": coach or user,
             "enrollment_notes": "Knee: no deep squats" if coach else None}
        )  # fmt: skip
        rows["enrollment_day_state"].append({"enrollment_id": enrollment, "current_since": date(2026, 10, 6)})
        for day in (1, 3):
            rows["reminder_log"].append(
                {"id": _id("reminder", trainee, day), "enrollment_id": enrollment, "user_id": user,
                 "local_date": date(2026, 10, day), "program_day": day, "status": "SENT", "attempts": 1,
                 "claimed_at": _at(day - 1, 6), "sent_at": _at(day - 1, 6, 1), "telegram_message_id": 5000 + day}
            )  # fmt: skip
        for number, day in enumerate((1, 3, 5, 8)):
            in_progress = number == 3
            slot = _id("day", day)
            workout = _id("workout", "Full Body A" if (day // 2) % 2 == 0 else "Full Body B")
            session = _id("session", trainee, day)
            rows["user_workout_session"].append(
                {"id": session, "user_id": user, "workout_id": workout, "program_enrollment_id": enrollment,
                 "session_status": "IN_PROGRESS" if in_progress else "COMPLETED", "started_at": _at(day, 7),
                 "completed_at": None if in_progress else _at(day, 8), "created_by": user,
                 "actual_duration_seconds": None if in_progress else 3600,
                 "effort_rating": None if in_progress else 7, "session_notes": f"day {day} 💪"}
            )  # fmt: skip
            rows["program_day_session"].append(
                {"session_id": session, "enrollment_id": enrollment, "schedule_workout_id": slot,
                 "day_number": day, "is_current": in_progress}
            )  # fmt: skip
            name = "Full Body A" if (day // 2) % 2 == 0 else "Full Body B"
            for order, (_code, sets, reps, weight) in enumerate(WORKOUTS[name]):
                performance = _id("performance", trainee, day, order)
                load = Decimal(weight) + Decimal("2.5") * number
                rows["user_exercise_performance"].append(
                    {"id": performance, "user_workout_session_id": session,
                     "exercise_instruction_id": _id("instruction", name, order), "sets_completed": sets,
                     "reps_completed": reps * sets, "weight_used_kg": load, "created_by": user}
                )  # fmt: skip
                rows["user_exercise_set"].append(
                    {"id": _id("set", performance, 0), "performance_id": performance, "set_number": 1,
                     "reps": 5, "weight_kg": Decimal("20.00"), "is_warmup": True}
                )  # fmt: skip
                for n in range(1, sets + 1):
                    rows["user_exercise_set"].append(
                        {"id": _id("set", performance, n), "performance_id": performance, "set_number": n + 1,
                         "reps": reps - (n == sets), "weight_kg": load}
                    )  # fmt: skip
        for week in range(4):
            rows["user_measurement"].append(
                {"id": _id("measurement", trainee, week), "user_id": user, "metric_id": _id("metric", "body_weight"),
                 "measured_value": Decimal("81.250") - week, "unit": "kg", "measurement_date": date(2026, 10, 1 + 7 * week),
                 "created_by": user, "measurement_notes": "morning" if week else None}
            )  # fmt: skip
    return rows


def _later(who: dict[str, uuid.UUID]) -> Rows:
    """Rows of tables later revisions added (written only where the database has the table)."""
    anna_session = _id("session", "anna", 1)
    return {
        "bot_persistence": [
            {"kind": "user_data", "key": str(300), "data": {"unit": "kg", "last": [1, 2]}},
            {"kind": "conversations", "key": "log_set", "data": {"[300, 300]": "WEIGHT"}},
            {"kind": "bot_data", "key": "", "data": {}},
        ],
        "coach_invitation": [
            {"id": _id("invite", 1), "token": "c0ffee" * 4, "coach_id": who["coach"], "expires_at": _at(30),
             "accepted_count": 1, "last_accepted_at": _at(-10)},
        ],
        "admin_grant": [{"user_id": who["admin"], "previous_role": "TRAINEE"}],
        "update_inbox": [
            {"update_id": 9001, "digest": "a" * 32, "payload": None, "received_at": _at(8, 7),
             "handled_at": _at(8, 7)},
            {"update_id": 9002, "digest": "b" * 32, "payload": {"update_id": 9002}, "received_at": _at(8, 8)},
        ],
        "user_exercise_note": [
            {"id": _id("note", 1), "user_id": who["anna"], "exercise_id": _id("exercise", "back-squat"),
             "note": "Belt on the top sets"},
        ],
        "workout_comment": [
            {"id": _id("comment", 1), "session_id": anna_session, "coach_id": who["coach"], "body": "Great depth!"},
        ],
    }  # fmt: skip


@cache
def rows() -> Rows:
    """Every row of the old database, in an order that inserts parents first."""
    people, who = _people()
    return {**people, **_catalog(who["admin"]), **_program(who["admin"]), **_training(who), **_later(who)}


def _table(name: str, columns: set[str]) -> sa.Table:
    """The model's table as it was: only the given columns, their types, no Python-side defaults."""
    model = Base.metadata.tables[name]
    missing = columns - set(model.c.keys())
    assert not missing, f"{name} has columns the models no longer know: {missing}"
    return sa.Table(
        name,
        sa.MetaData(),
        *(sa.Column(c.name, c.type, primary_key=c.primary_key) for c in model.c if c.name in columns),
    )


def _tables(connection: Connection) -> dict[str, sa.Table]:
    """The populated tables the database has now, with the columns the rows fill."""
    found = inspect(connection)
    present = set(found.get_table_names())
    out = {}
    for name, table_rows in rows().items():
        if name not in present:
            continue
        have = {c["name"] for c in found.get_columns(name)}
        wanted = set().union(*(r.keys() for r in table_rows))
        assert wanted <= have, f"{name} lacks {wanted - have} at this revision"
        out[name] = _table(name, have & set(Base.metadata.tables[name].c.keys()))
    return out


# Columns a later revision added and fills from older ones (the bot of that revision wrote both).
DERIVED = {("user_exercise_set", "set_type"): lambda row: "WARMUP" if row.get("is_warmup") else "WORKING"}


def populate(connection: Connection) -> dict[str, sa.Table]:
    """Write every row whose table the database has; returns those tables (as they are now)."""
    tables = _tables(connection)
    for name, table in tables.items():
        shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        derived = {column: fill for (of, column), fill in DERIVED.items() if of == name and column in table.c}
        for row in rows()[name]:  # one executemany per set of columns given
            row = {**row, **{column: fill(row) for column, fill in derived.items()}}
            shapes.setdefault(tuple(sorted(row)), []).append(row)
        for same in shapes.values():
            connection.execute(table.insert(), same)
    return tables


def snapshot(connection: Connection, tables: dict[str, sa.Table]) -> dict[str, list[tuple[Any, ...]]]:
    """Every populated table's rows, in the given tables' columns, ordered by primary key."""
    out = {}
    for name, table in tables.items():
        key = list(table.primary_key.columns) or list(table.c)
        out[name] = [tuple(row) for row in connection.execute(sa.select(*table.c).order_by(*key))]
    return out
