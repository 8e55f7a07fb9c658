"""`progression:` in the program format: parsed, checked with located messages, dumped back equal,
imported into progression_rule and exported as written."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import ProgressionKind
from bot.db.models import ExerciseInstruction, ProgramSchedule, ProgressionRule, ScheduleWorkout
from bot.services.program_format import ProgressionDoc, dump_program, parse_program
from bot.services.seed import ensure_system_user, export_program, import_program
from tests.factories import seed_catalog
from tests.services.test_program_format import KNOWN, base, problems_of

LINEAR = {"rule": "linear", "increment_kg": 2.5, "deload_after": 2, "deload_percent": 10}
DOUBLE = {"rule": "double", "increment_kg": 2}
PERCENT = {"rule": "percent", "percent": 85, "training_max_percent": 90}


def with_rules(squat: Any = LINEAR, row: Any = DOUBLE) -> dict[str, Any]:
    data = copy.deepcopy(base())
    if squat is not None:
        data["workouts"]["A"]["exercises"][0]["progression"] = squat
    if row is not None:
        data["workouts"]["B"]["exercises"][0]["progression"] = row
    return data


def test_rules_are_parsed() -> None:
    doc = parse_program(with_rules(), **KNOWN)
    squat = doc.workout("A").exercises[0].progression
    row = doc.workout("B").exercises[0].progression
    assert squat == ProgressionDoc("linear", Decimal("2.5"), 2, Decimal(10))
    assert row == ProgressionDoc("double", Decimal(2))
    assert doc.workout("A").exercises[1].progression is None


def test_a_percent_rule_without_weight() -> None:
    data = with_rules(squat=PERCENT)
    del data["workouts"]["A"]["exercises"][0]["weight_kg"]
    rule = parse_program(data, **KNOWN).workout("A").exercises[0].progression
    assert rule == ProgressionDoc("percent", percent=Decimal(85), training_max_percent=Decimal(90))


def test_rules_round_trip_through_yaml() -> None:
    doc = parse_program(with_rules(), **KNOWN)
    text = dump_program(doc)
    assert "progression: {rule: linear, increment_kg: 2.5, deload_after: 2, deload_percent: 10}" in text
    assert parse_program(text, **KNOWN) == doc


@pytest.mark.parametrize(
    ("squat", "row", "expected"),
    [
        (
            {"rule": "linar", "increment_kg": 2.5},
            None,
            "workouts.A.exercises[0].progression.rule: unknown rule 'linar' - did you mean 'linear'?",
        ),
        ({"increment_kg": 2.5}, None, "workouts.A.exercises[0].progression.rule: required, but missing"),
        ("linear", None, "workouts.A.exercises[0].progression: expected a rule like {rule: linear"),
        ({"rule": "linear"}, None, "workouts.A.exercises[0].progression.increment_kg: required, but missing"),
        (
            {"rule": "linear", "increment_kg": 0},
            None,
            "workouts.A.exercises[0].progression.increment_kg: must be more than 0",
        ),
        (
            {"rule": "linear", "increment_kg": "2.5kg"},
            None,
            "workouts.A.exercises[0].progression.increment_kg: expected a number, got text",
        ),
        (
            {"rule": "linear", "increment_kg": 2.5, "deload_after": 2},
            None,
            "workouts.A.exercises[0].progression: deload_after and deload_percent go together",
        ),
        (
            {"rule": "linear", "increment_kg": 2.5, "deload_after": 0, "deload_percent": 10},
            None,
            "workouts.A.exercises[0].progression.deload_after: 0 is outside 1..20",
        ),
        (
            {"rule": "linear", "increment_kg": 2.5, "deload_after": 2, "deload_percent": 100},
            None,
            "workouts.A.exercises[0].progression.deload_percent: must be more than 0 and less than 100",
        ),
        (
            {"rule": "linear", "increment_kg": 2.5, "percent": 80},
            None,
            "workouts.A.exercises[0].progression.percent: unknown field 'percent'",
        ),
        (
            {"rule": "percent", "percent": 85},
            None,
            "workouts.A.exercises[0].progression: a percent rule takes its weight from the training max: remove weight_kg",
        ),
        ({"rule": "percent"}, None, "workouts.A.exercises[0].progression.percent: required, but missing"),
        (
            None,
            {"rule": "double", "increment_kg": 2, "deload_after": 2},
            "workouts.B.exercises[0].progression.deload_after: unknown field 'deload_after'",
        ),
    ],
)
def test_each_problem_is_reported_with_its_location(squat: Any, row: Any, expected: str) -> None:
    found = problems_of(with_rules(squat, row))
    assert any(problem.startswith(expected) for problem in found), found


def test_double_needs_a_rep_range() -> None:
    found = problems_of(with_rules(squat=DOUBLE, row=None))
    assert (
        "workouts.A.exercises[0].progression: double progression climbs a rep range: give reps like 5-9"
        in found
    )


def test_a_rule_needs_weight_and_reps() -> None:
    data = with_rules(squat=None, row=None)
    data["workouts"]["A"]["exercises"][1]["progression"] = LINEAR
    found = problems_of(data)
    assert (
        "workouts.A.exercises[1].progression: progression needs an exercise tracked by weight and reps"
        in found
    )


async def test_import_stores_the_rules_and_export_writes_them_back(session: AsyncSession) -> None:
    await seed_catalog(session)
    owner = await ensure_system_user(session)
    data = with_rules()
    data["name"] = "Rules Test"
    doc = parse_program(data, **KNOWN)
    program = await import_program(session, doc, owner=owner)
    rules = await session.scalars(
        select(ProgressionRule)
        .join(ExerciseInstruction, ExerciseInstruction.id == ProgressionRule.instruction_id)
        .join(ScheduleWorkout, ScheduleWorkout.workout_id == ExerciseInstruction.workout_id)
        .join(ProgramSchedule, ProgramSchedule.id == ScheduleWorkout.schedule_id)
        .where(ProgramSchedule.program_id == program.id)
        .distinct()
    )
    kinds = sorted((r.rule, r.increment_kg, r.deload_after, r.deload_percent) for r in rules)
    assert kinds == [
        (ProgressionKind.DOUBLE, Decimal("2.00"), None, None),
        (ProgressionKind.LINEAR, Decimal("2.50"), 2, Decimal("10.00")),
    ]
    exported = await export_program(session, program.id)
    assert (
        exported.workout("full-body-a").exercises[0].progression == doc.workout("A").exercises[0].progression
    )
    assert (
        exported.workout("full-body-b").exercises[0].progression == doc.workout("B").exercises[0].progression
    )
    assert "progression: {rule: double, increment_kg: 2}" in dump_program(exported)
