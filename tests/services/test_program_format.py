"""The program document format: every validation rule with its located message, the YAML safety
limits, cycle resolution, parse/dump round trips and the duration/reps parsers."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.enums import VisibilityCode
from bot.services.errors import DomainError
from bot.services.program_format import (
    MAX_DOCUMENT_BYTES,
    DayDoc,
    InstructionDoc,
    ProgramDoc,
    ProgramFormatError,
    ReadinessDoc,
    ScheduledWorkoutDoc,
    dump_program,
    format_duration,
    format_reps,
    parse_duration,
    parse_program,
    parse_reps,
    slugify,
    with_canonical_keys,
)

KNOWN: dict[str, Any] = {
    "known_exercises": {
        "back-squat": "WEIGHT_REPS",
        "bench-press": "WEIGHT_REPS",
        "dumbbell-row": "WEIGHT_REPS",
        "push-up": "REPS",
        "plank": "DURATION",
        "jog": "DURATION",
    },
    "known_difficulties": {"beginner", "intermediate", "advanced"},
    "known_categories": {"strength", "full-body", "hypertrophy"},
    "known_tags": {"barbell", "gym", "home"},
}


def base() -> dict[str, Any]:
    """A small valid program as loaded YAML."""
    return {
        "name": "Test Program",
        "description": "A program for tests.",
        "difficulty": "beginner",
        "visibility": "PUBLIC",
        "categories": ["strength", "full-body"],
        "tags": ["gym", "barbell"],
        "schedule": {"length_days": 14, "rest_days_per_week": 4},
        "phases": [
            {"name": "Foundation", "start_day": 1, "end_day": 7},
            {"name": "Build", "start_day": 8, "end_day": 14},
        ],
        "workouts": {
            "A": {
                "name": "Full Body A",
                "estimated_minutes": 60,
                "exercises": [
                    {"exercise": "back-squat", "sets": 3, "reps": 5, "rest": 180, "weight_kg": 20},
                    {"exercise": "plank", "sets": 3, "duration": 45, "rest": 60},
                ],
            },
            "B": {
                "name": "Full Body B",
                "exercises": [{"exercise": "dumbbell-row", "sets": 3, "reps": "8-12", "notes": "Flat back."}],
            },
        },
        "cycle": [["A"], [], ["B"], [], ["A"], [], []],
    }


def problems_of(data: Any, **known: Any) -> list[str]:
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(data, **(KNOWN | known))
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_program_is_parsed_into_frozen_dataclasses() -> None:
    doc = parse_program(base(), **KNOWN)
    assert doc.name == "Test Program"
    assert doc.visibility is VisibilityCode.PUBLIC
    assert doc.categories == ("strength", "full-body")  # primary first
    assert doc.tags == ("barbell", "gym")  # tags are a set: kept sorted
    assert doc.schedule.length_days == 14
    assert [day.day for day in doc.days] == [1, 3, 5, 8, 10, 12]
    assert doc.workout("A").exercises[0] == InstructionDoc(
        exercise="back-squat", sets=3, reps_min=5, reps_max=5, rest_seconds=180, weight_kg=Decimal(20)
    )
    assert doc.workout("A").exercises[1].duration_seconds == 45
    row = doc.workout("B").exercises[0]
    assert (row.reps_min, row.reps_max, row.reps, row.notes) == (8, 12, "8-12", "Flat back.")
    with pytest.raises(AttributeError):
        doc.name = "changed"  # type: ignore[misc]


def test_yaml_text_and_bytes_are_accepted() -> None:
    text = yaml.safe_dump(base())
    assert parse_program(text, **KNOWN) == parse_program(base(), **KNOWN)
    assert parse_program(text.encode(), **KNOWN) == parse_program(base(), **KNOWN)


def test_program_format_error_is_a_domain_error_with_a_readable_reason() -> None:
    data = base()
    data["name"] = "x" * 130
    data["difficulty"] = "beginer"
    with pytest.raises(DomainError) as caught:
        parse_program(data, **KNOWN)
    assert isinstance(caught.value, ProgramFormatError)
    assert caught.value.reason.startswith("The program has 2 problems:")
    assert "- name: 130 characters, at most 100" in caught.value.reason


# --- one rule, one located message -------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Mutation:
    """Set a value at a dotted path (`workouts.A.exercises.0.reps`), creating nothing."""

    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        del target[last]

    return mutate


def _all(*mutations: Mutation) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        for mutation in mutations:
            mutation(data)

    return mutate


RULES: list[tuple[str, Mutation, str]] = [
    # required fields and types
    ("missing name", _delete("name"), "name: required, but missing"),
    ("empty description", _set("description", None), "description: required, but empty"),
    ("blank name", _set("name", "   "), "name: must not be empty"),
    ("number as name", _set("name", 531), "name: expected text, got a number (531) - put it in quotes"),
    ("multi-line name", _set("name", "a\nb"), "name: must be a single line"),
    ("control characters", _set("description", "bad\x00text"), "description: contains control characters"),
    ("list as schedule", _set("schedule", [1]), "schedule: expected a mapping of fields, got a list"),
    (
        "nested junk",
        _set("name", {"a": [[[1]]]}),
        "name: expected text, got a mapping",
    ),
    (
        "unknown top-level key",
        _set("descripton", "x"),
        "descripton: unknown field 'descripton' - did you mean",
    ),
    (
        "unknown instruction key",
        _set("workouts.A.exercises.0.rep", 5),
        "workouts.A.exercises[0].rep: unknown field 'rep' - did you mean 'reps'?",
    ),
    (
        "unknown schedule key",
        _set("schedule.rest_days", 2),
        "schedule.rest_days: unknown field 'rest_days' - did you mean 'rest_days_per_week'?",
    ),
    # lengths matching the database columns
    ("name length", _set("name", "x" * 101), "name: 101 characters, at most 100"),
    ("description length", _set("description", "x" * 2001), "description: 2001 characters, at most 2000"),
    ("notes length", _set("notes", "x" * 2001), "notes: 2001 characters, at most 2000"),
    (
        "schedule notes length",
        _set("schedule.notes", "x" * 2001),
        "schedule.notes: 2001 characters, at most 2000",
    ),
    ("phase name length", _set("phases.0.name", "x" * 101), "phases[0].name: 101 characters, at most 100"),
    (
        "phase description length",
        _set("phases.0.description", "x" * 1001),
        "phases[0].description: 1001 characters, at most 1000",
    ),
    (
        "workout name length",
        _set("workouts.A.name", "x" * 101),
        "workouts.A.name: 101 characters, at most 100",
    ),
    (
        "workout description length",
        _set("workouts.A.description", "x" * 2001),
        "workouts.A.description: 2001 characters, at most 2000",
    ),
    (
        "instruction notes length",
        _set("workouts.B.exercises.0.notes", "x" * 1001),
        "workouts.B.exercises[0].notes: 1001 characters, at most 1000",
    ),
    (
        "scheduled workout notes length",
        _set("cycle.0", [{"workout": "A", "notes": "x" * 1001}]),
        "cycle[0][0].notes: 1001 characters, at most 1000",
    ),
    # schedule
    ("length_days too small", _set("schedule.length_days", 0), "schedule.length_days: 0 is outside 1..730"),
    ("length_days too big", _set("schedule.length_days", 731), "schedule.length_days: 731 is outside 1..730"),
    (
        "length_days bool",
        _set("schedule.length_days", True),
        "schedule.length_days: expected a whole number, got true",
    ),
    (
        "rest days per week",
        _set("schedule.rest_days_per_week", 8),
        "schedule.rest_days_per_week: 8 is outside 0..7",
    ),
    (
        "day outside the schedule",
        _set("days", [{"day": 90, "workouts": ["A"]}]),
        "days[0].day: 90 is outside the schedule 1..14",
    ),
    (
        "day listed twice",
        _set("days", [{"day": 2, "workouts": ["A"]}, {"day": 2, "workouts": ["B"]}]),
        "days[1].day: day 2 is already listed in days[0]",
    ),
    (
        "unknown workout in days",
        _set("days", [{"day": 2, "workouts": ["C"]}]),
        "days[0].workouts[0]: unknown workout 'C' - defined workouts: A, B",
    ),
    (
        "misspelt workout key",
        _all(
            _set("workouts.upper-a", {"name": "Upper A", "exercises": [{"exercise": "push-up", "reps": 5}]}),
            _set("cycle.1", ["uper-a"]),
        ),
        "cycle[1][0]: unknown workout 'uper-a'",
    ),
    (
        "workout twice on a day",
        _set("cycle.0", ["A", "A"]),
        "cycle[0][1]: workout 'A' is already scheduled on this day",
    ),
    (
        "optional must be a boolean",
        _set("cycle.0", [{"workout": "A", "optional": "yes please"}]),
        "cycle[0][0].optional: expected true or false, got text",
    ),
    (
        "cycle longer than the schedule",
        _set("cycle", [["A"]] + [[]] * 14 + [["B"]]),
        "cycle: 16 days long, longer than the schedule (14 days)",
    ),
    ("empty cycle", _set("cycle", []), "cycle: a cycle needs at least one day"),
    (
        "no schedule at all",
        _delete("cycle"),
        "days: the schedule is empty: give a `days` list, a `cycle`, or both",
    ),
    (
        "only rest days",
        _set("cycle", [[]]),
        "days: no workout is scheduled on any day",
    ),
    # phases
    (
        "overlapping phases",
        _set("phases.1.start_day", 5),
        "phases[1]: starts on day 5, before phase 'Foundation' ends (day 7)",
    ),
    (
        "phase ends before it starts",
        _all(_set("phases.1.end_day", 8), _set("phases.1.start_day", 9)),
        "phases[1]: ends on day 8, before it starts (day 9)",
    ),
    (
        "phase outside the schedule",
        _set("phases.1.end_day", 15),
        "phases[1].end_day: 15 is outside the schedule 1..14",
    ),
    # workouts
    (
        "no exercises",
        _set("workouts.B.exercises", []),
        "workouts.B.exercises: a workout needs at least one exercise",
    ),
    ("no workouts", _set("workouts", {}), "workouts: define at least one workout"),
    (
        "bad workout key",
        _set("workouts.A B", {"name": "X", "exercises": [{"exercise": "push-up", "reps": 5}]}),
        "workouts: 'A B' is not a usable workout key",
    ),
    (
        "unused workout",
        _set("workouts.C", {"name": "Full Body C", "exercises": [{"exercise": "push-up", "reps": 5}]}),
        "workouts.C: never scheduled - add it to `days` or a `cycle`, or remove it",
    ),
    (
        "duplicate workout names",
        _set("workouts.B.name", "full body a"),
        "workouts.B.name: 'full body a' is already the name of workout 'A'",
    ),
    (
        "estimated minutes",
        _set("workouts.A.estimated_minutes", 0),
        "workouts.A.estimated_minutes: 0 is outside 1..600",
    ),
    # instructions
    (
        "unknown exercise with a suggestion",
        _set("workouts.A.exercises.0.exercise", "back-sqat"),
        "workouts.A.exercises[0].exercise: unknown exercise 'back-sqat' - did you mean 'back-squat'?",
    ),
    ("sets zero", _set("workouts.A.exercises.0.sets", 0), "workouts.A.exercises[0].sets: 0 is outside 1..20"),
    (
        "sets too many",
        _set("workouts.A.exercises.0.sets", 21),
        "workouts.A.exercises[0].sets: 21 is outside 1..20",
    ),
    (
        "sets bool",
        _set("workouts.A.exercises.0.sets", True),
        "workouts.A.exercises[0].sets: expected a whole number, got true",
    ),
    (
        "sets fraction",
        _set("workouts.A.exercises.0.sets", 2.5),
        "workouts.A.exercises[0].sets: expected a whole number, got a number (2.5)",
    ),
    (
        "reps not a number",
        _set("workouts.A.exercises.0.reps", "five"),
        "workouts.A.exercises[0].reps: expected a number or a range like 8-12, got 'five'",
    ),
    (
        "reps bool",
        _set("workouts.A.exercises.0.reps", False),
        "workouts.A.exercises[0].reps: expected a number or a range like 8-12, got false",
    ),
    (
        "reps zero",
        _set("workouts.A.exercises.0.reps", 0),
        "workouts.A.exercises[0].reps: 0 reps is outside 1..1000",
    ),
    (
        "reps too many",
        _set("workouts.A.exercises.0.reps", 1001),
        "workouts.A.exercises[0].reps: 1001 reps is outside 1..1000",
    ),
    (
        "reversed range",
        _set("workouts.A.exercises.0.reps", "12-8"),
        "workouts.A.exercises[0].reps: the range 12-8 must go from fewer to more reps, like 8-12",
    ),
    (
        "empty range",
        _set("workouts.A.exercises.0.reps", "8-8"),
        "workouts.A.exercises[0].reps: the range 8-8 must go from fewer to more reps, like 8-12",
    ),
    (
        "negative rest",
        _set("workouts.A.exercises.0.rest", -1),
        "workouts.A.exercises[0].rest: -1 seconds is outside 0..3600",
    ),
    (
        "rest too long",
        _set("workouts.A.exercises.0.rest", "61min"),
        "workouts.A.exercises[0].rest: 3660 seconds is outside 0..3600",
    ),
    (
        "rest not a duration",
        _set("workouts.A.exercises.0.rest", "a while"),
        "workouts.A.exercises[0].rest: expected seconds of rest, got 'a while'",
    ),
    (
        "duration zero",
        _set("workouts.A.exercises.1.duration", 0),
        "workouts.A.exercises[1].duration: 0 seconds is outside 1..86400",
    ),
    (
        "duration too long",
        _set("workouts.A.exercises.1.duration", "25h"),
        "workouts.A.exercises[1].duration: 90000 seconds is outside 1..86400",
    ),
    (
        "duration not a duration",
        _set("workouts.A.exercises.1.duration", "long"),
        "workouts.A.exercises[1].duration: expected seconds like 45, or '45s', '1:30', '2min', '1h 15min', got 'long'",
    ),
    (
        "weight zero",
        _set("workouts.A.exercises.0.weight_kg", 0),
        "workouts.A.exercises[0].weight_kg: must be more than 0 and less than 1000, got 0",
    ),
    (
        "weight too heavy",
        _set("workouts.A.exercises.0.weight_kg", 1000),
        "workouts.A.exercises[0].weight_kg: must be more than 0 and less than 1000, got 1000",
    ),
    (
        "weight as text",
        _set("workouts.A.exercises.0.weight_kg", "20kg"),
        "workouts.A.exercises[0].weight_kg: expected a number, got text",
    ),
    (
        "weight bool",
        _set("workouts.A.exercises.0.weight_kg", True),
        "workouts.A.exercises[0].weight_kg: expected a number, got true",
    ),
    (
        "weight too precise",
        _set("workouts.A.exercises.0.weight_kg", 20.125),
        "workouts.A.exercises[0].weight_kg: 20.125 has more than 2 decimal places",
    ),
    # tracking types
    (
        "reps for a timed exercise",
        _set("workouts.A.exercises.1", {"exercise": "plank", "reps": 3}),
        "workouts.A.exercises[1].reps: 'plank' is tracked by duration: give a duration instead of reps",
    ),
    (
        "no duration for a timed exercise",
        _set("workouts.A.exercises.1", {"exercise": "plank", "sets": 3}),
        "workouts.A.exercises[1]: 'plank' is tracked by duration: give a duration, like 45s",
    ),
    (
        "duration for a rep exercise",
        _set("workouts.A.exercises.0", {"exercise": "back-squat", "duration": 30}),
        "workouts.A.exercises[0].duration: 'back-squat' is tracked by weight and reps: give reps instead of a duration",
    ),
    (
        "no reps for a rep exercise",
        _set("workouts.A.exercises.0", {"exercise": "push-up", "sets": 3}),
        "workouts.A.exercises[0]: 'push-up' is tracked by reps: give reps, like 5 or 8-12",
    ),
    (
        "weight on a bodyweight exercise",
        _set("workouts.A.exercises.0", {"exercise": "push-up", "reps": 10, "weight_kg": 10}),
        "workouts.A.exercises[0].weight_kg: 'push-up' is a bodyweight exercise tracked by reps: no weight",
    ),
    # reference codes
    (
        "unknown difficulty",
        _set("difficulty", "beginer"),
        "difficulty: unknown difficulty 'beginer' - did you mean 'beginner'?",
    ),
    (
        "unknown visibility",
        _set("visibility", "publik"),
        "visibility: unknown visibility 'publik' - did you mean 'PUBLIC'?",
    ),
    (
        "unknown category",
        _set("categories", ["strenght"]),
        "categories[0]: unknown category 'strenght' - did you mean 'strength'?",
    ),
    ("no category", _set("categories", []), "categories: give at least 1 category"),
    (
        "category twice",
        _set("categories", ["strength", "strength"]),
        "categories[1]: 'strength' is listed twice",
    ),
    ("tags not a list", _set("tags", "gym"), "tags: expected a list of tag codes like [a, b], got text"),
    ("unknown tag", _set("tags", ["gymm"]), "tags[0]: unknown tag 'gymm' - did you mean 'gym'?"),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in RULES], ids=[r[0] for r in RULES])
def test_each_rule_is_reported_with_its_location(mutate: Mutation, expected: str) -> None:
    data = copy.deepcopy(base())
    mutate(data)
    found = problems_of(data)
    assert any(problem.startswith(expected) for problem in found), found


def test_every_problem_is_reported_at_once() -> None:
    data = base()
    data["name"] = "x" * 130
    data["difficulty"] = "beginer"
    data["schedule"]["length_days"] = 84
    data["workouts"]["A"]["exercises"][0]["reps"] = "8-x"
    data["workouts"]["B"]["exercises"][0]["exercise"] = "bench-pres"
    data["phases"][1]["start_day"] = 5
    data["days"] = [{"day": 90, "workouts": ["A"]}]
    found = problems_of(data, known_exercises={"bench-press": "WEIGHT_REPS", **KNOWN["known_exercises"]})
    assert found == [
        "name: 130 characters, at most 100",
        "difficulty: unknown difficulty 'beginer' - did you mean 'beginner'?",
        "workouts.A.exercises[0].reps: expected a number or a range like 8-12, got '8-x'",
        "workouts.B.exercises[0].exercise: unknown exercise 'bench-pres' - did you mean 'bench-press'?",
        "phases[1]: starts on day 5, before phase 'Foundation' ends (day 7)",
        "days[0].day: 90 is outside the schedule 1..84",
    ]


def test_unknown_codes_are_not_checked_without_a_catalog() -> None:
    data = base()
    data["difficulty"] = "whatever"
    data["workouts"]["A"]["exercises"][0]["exercise"] = "anything-goes"
    doc = parse_program(data)
    assert doc.difficulty == "whatever"


def test_without_a_catalog_an_instruction_needs_reps_or_a_duration_but_not_both() -> None:
    data = base()
    data["workouts"]["A"]["exercises"][0] = {"exercise": "x", "sets": 3}
    data["workouts"]["A"]["exercises"][1] = {"exercise": "y", "reps": 5, "duration": 30}
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(data)
    assert [str(p) for p in caught.value.problems] == [
        "workouts.A.exercises[0]: give reps (like 5 or 8-12) or a duration (like 45s)",
        "workouts.A.exercises[1]: give either reps or a duration, not both",
    ]


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ([1, 2], "expected a program, got a list"),
        ("just text", "expected a program, got text"),
        ("- a\n- b\n", "expected a program, got a list"),
        ("", "expected a program, got nothing (an empty value)"),
        (42, "expected a program, got a number (42)"),
    ],
)
def test_non_mapping_documents_are_refused(document: Any, expected: str) -> None:
    assert problems_of(document) == [expected]


def test_non_text_keys_are_refused() -> None:
    data: dict[Any, Any] = base()
    data[1] = "x"
    assert "field names must be text, got a number (1)" in problems_of(data)


# --- safe loading ------------------------------------------------------------------------------------


def test_yaml_aliases_are_refused() -> None:
    text = yaml.safe_dump(base()) + "extra: &anchor [1, 2]\nmore: *anchor\n"
    (problem,) = problems_of(text)
    assert "YAML anchors and aliases (&name, *name) are not supported" in problem


def test_a_billion_laughs_document_is_refused_quickly() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}" + f",*{chr(97 + i)}" * 8 + "]" for i in range(8)
    ]
    (problem,) = problems_of("\n".join(lines))
    assert "anchors and aliases" in problem


def test_documents_over_one_megabyte_are_refused_before_parsing() -> None:
    text = "name: x\n" + "#" * MAX_DOCUMENT_BYTES
    (problem,) = problems_of(text)
    assert problem.startswith("the document is") and f"at most {MAX_DOCUMENT_BYTES}" in problem


def test_deep_nesting_is_refused() -> None:
    (problem,) = problems_of("name: " + "[" * 5000 + "]" * 5000)
    assert "nested more than" in problem


def test_duplicate_keys_are_refused() -> None:
    text = "name: A\nname: B\n"
    (problem,) = problems_of(text)
    assert problem == "line 2, column 1: duplicate key 'name'"


def test_invalid_yaml_reports_the_line() -> None:
    (problem,) = problems_of("name: [unclosed\ndescription: x\n")
    assert problem.startswith("invalid YAML at line")


def test_python_tags_are_not_executed() -> None:
    (problem,) = problems_of("name: !!python/object/apply:os.system ['echo hi']\n")
    assert problem.startswith("invalid YAML at line 1")


def test_several_documents_are_refused() -> None:
    (problem,) = problems_of("name: a\n---\nname: b\n")
    assert "invalid YAML" in problem


def test_bytes_that_are_not_utf8_are_refused() -> None:
    assert problems_of(b"name: \xff\xfe") == ["the document is not UTF-8 text (byte 6)"]


def test_absurd_integers_are_refused() -> None:
    (problem,) = problems_of("name: " + "9" * 5000)
    assert problem.startswith("invalid YAML")


# --- the schedule ------------------------------------------------------------------------------------


def _days(doc: ProgramDoc) -> dict[int, list[str]]:
    return {day.day: [entry.workout for entry in day.workouts] for day in doc.days}


def test_the_cycle_repeats_to_fill_the_schedule() -> None:
    data = base()
    data["schedule"]["length_days"] = 10
    data["phases"] = []
    data["cycle"] = [["A"], [], ["B"]]
    assert _days(parse_program(data)) == {
        1: ["A"],
        3: ["B"],
        4: ["A"],
        6: ["B"],
        7: ["A"],
        9: ["B"],
        10: ["A"],
    }


def test_explicit_days_override_the_cycle_and_an_empty_day_is_rest() -> None:
    data = base()
    data["days"] = [
        {"day": 1, "workouts": []},
        {"day": 2, "workouts": ["A", {"workout": "B", "optional": True, "notes": "If you feel fresh."}]},
        {"day": 14, "workouts": ["B"]},
    ]
    doc = parse_program(data)
    assert 1 not in _days(doc)
    assert doc.days[0] == DayDoc(
        day=2,
        workouts=(
            ScheduledWorkoutDoc(workout="A"),
            ScheduledWorkoutDoc(workout="B", optional=True, notes="If you feel fresh."),
        ),
    )
    assert _days(doc)[14] == ["B"]


def test_a_phase_cycle_replaces_the_program_cycle_inside_the_phase() -> None:
    data = base()
    data["phases"][1]["cycle"] = [["B"], []]
    doc = parse_program(data)
    assert _days(doc) == {1: ["A"], 3: ["B"], 5: ["A"], 8: ["B"], 10: ["B"], 12: ["B"], 14: ["B"]}


def test_a_phase_cycle_longer_than_its_phase_is_refused() -> None:
    data = base()
    data["phases"][0]["cycle"] = [["A"]] * 8
    assert "phases[0].cycle: 8 days long, longer than the phase (1..7) (7 days)" in problems_of(data)


def test_days_alone_are_enough_and_rest_days_are_derived() -> None:
    data = base()
    del data["cycle"]
    del data["schedule"]["rest_days_per_week"]
    data["schedule"]["length_days"] = 7
    data["phases"] = []
    data["days"] = [{"day": 1, "workouts": ["A"]}, {"day": 4, "workouts": ["B"]}]
    doc = parse_program(data)
    assert _days(doc) == {1: ["A"], 4: ["B"]}
    assert doc.schedule.rest_days_per_week == 5


def test_visibility_defaults_to_private_and_is_case_insensitive() -> None:
    data = base()
    del data["visibility"]
    assert parse_program(data).visibility is VisibilityCode.PRIVATE
    data["visibility"] = "unlisted"
    assert parse_program(data).visibility is VisibilityCode.UNLISTED


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        (45, 45),
        ("45s", 45),
        ("1:30", 90),
        ("2min", 120),
        ("1h 15min", 4500),
        ("1:02:03", 3723),
        ("90 sec", 90),
    ],
)
def test_durations_in_a_document(duration: Any, seconds: int) -> None:
    data = base()
    data["workouts"]["A"]["exercises"][1]["duration"] = duration
    assert parse_program(data).workout("A").exercises[1].duration_seconds == seconds


def test_unquoted_minutes_and_seconds_read_as_yaml_sexagesimal_still_mean_the_same() -> None:
    text = yaml.safe_dump(base()).replace("duration: 45", "duration: 1:30")
    assert parse_program(text).workout("A").exercises[1].duration_seconds == 90


def test_the_example_in_the_data_readme_is_a_valid_program() -> None:
    readme = (Path(__file__).parents[2] / "bot" / "data" / "README.md").read_text()
    example = readme.split("## The program format")[1].split("```yaml")[1].split("```")[0]
    exercises = {
        "back-squat": "WEIGHT_REPS",
        "dumbbell-row": "WEIGHT_REPS",
        "deadlift": "WEIGHT_REPS",
        "plank": "DURATION",
    }
    doc = parse_program(example.replace("...", "Text."), known_exercises=exercises)
    assert doc.days[1] == DayDoc(
        day=3,
        workouts=(
            ScheduledWorkoutDoc(workout="B"),
            ScheduledWorkoutDoc(workout="A", optional=True, notes="Only if you feel fresh."),
        ),
    )


# --- dumping -----------------------------------------------------------------------------------------


def test_dump_then_parse_gives_the_same_document() -> None:
    data = base()
    data["notes"] = "Line one.\nLine two: with a colon, and 'quotes'."
    data["schedule"]["notes"] = "yes"  # would be a boolean if written unquoted
    data["workouts"]["A"]["description"] = "A workout\nover two lines"
    data["workouts"]["A"]["exercises"][0]["weight_kg"] = 22.5
    data["workouts"]["A"]["exercises"][1]["duration"] = "1:30"
    data["days"] = [{"day": 2, "workouts": [{"workout": "B", "optional": True, "notes": "#not a comment"}]}]
    data["phases"][0]["description"] = "Phase: one"
    doc = parse_program(data, **KNOWN)
    text = dump_program(doc)
    assert "cycle" not in text  # the days are explicit
    assert "- {day: 1, workouts: [A]}" in text
    assert parse_program(text, **KNOWN) == doc
    assert parse_program(dump_program(parse_program(text)), **KNOWN) == doc


def test_dumped_durations_are_readable() -> None:
    assert [format_duration(s) for s in (45, 90, 120, 1200, 3600, 3723, 5400)] == [
        "45s",
        "1:30",
        "2min",
        "20min",
        "1h",
        "1:02:03",
        "1h 30min",
    ]


def test_canonical_keys_follow_first_use_and_workout_names() -> None:
    data = base()
    data["workouts"] = {"second": data["workouts"]["B"], "first": data["workouts"]["A"]}
    data["cycle"] = [["first"], [], ["second"]]
    doc = with_canonical_keys(parse_program(data))
    assert [workout.key for workout in doc.workouts] == ["full-body-a", "full-body-b"]
    assert _days(doc)[1] == ["full-body-a"]
    assert with_canonical_keys(doc) == doc
    assert slugify("Conditioning & Mobility!") == "conditioning-mobility"
    assert slugify("***") == "workout"


# --- the parsers, as properties ----------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=86_400))
def test_format_duration_round_trips(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
    assert parse_duration(seconds) == seconds
    assert parse_duration(str(seconds)) == seconds


@given(
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(["", " "]),
)
def test_unit_durations_add_up(hours: int, minutes: int, seconds: int, space: str) -> None:
    total = hours * 3600 + minutes * 60 + seconds
    parts = [f"{n}{space}{unit}" for n, unit in ((hours, "h"), (minutes, "min"), (seconds, "s")) if n]
    if total == 0:
        return
    assert parse_duration(" ".join(parts)) == total
    assert parse_duration(f"{hours * 60 + minutes}:{seconds:02d}") == total


@given(st.integers(min_value=1, max_value=1000), st.integers(min_value=0, max_value=999))
def test_reps_round_trip(low: int, extra: int) -> None:
    high = min(1000, low + extra)
    assert parse_reps(format_reps(low, high)) == (low, high)
    assert parse_reps(f"{low} - {high}" if high > low else str(low)) == (low, high)


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(), st.booleans(), st.none()))
def test_the_parsers_fail_only_with_value_error(value: object) -> None:
    for parser in (parse_duration, parse_reps):
        try:
            result: Any = parser(value)
        except ValueError as exc:
            assert str(exc)
        else:
            assert result


_junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(base())) | st.text(max_size=5), _junk, max_size=8))
def test_junk_documents_only_ever_raise_program_format_error(data: dict[str, Any]) -> None:
    try:
        parse_program(data, **KNOWN)
    except ProgramFormatError as exc:
        assert exc.problems and all(str(problem) for problem in exc.problems)


@settings(max_examples=100, deadline=None)
@given(_junk, st.sampled_from(["workouts.A", "workouts.A.exercises.0", "cycle.0", "phases.0", "schedule"]))
def test_junk_inside_a_valid_document_is_located(junk: Any, path: str) -> None:
    data = copy.deepcopy(base())
    _set(path, junk)(data)
    try:
        parse_program(data, **KNOWN)
    except ProgramFormatError as exc:
        assert exc.problems


# --- readiness and stall remedy (issue #13) -----------------------------------------------------------


def test_readiness_and_stall_remedy_parse_and_round_trip() -> None:
    data = base()
    data["readiness"] = {"low_below": 3, "reduce_percent": 15}
    data["stall_remedy"] = "Drop to 3 x 3 for a week."
    doc = parse_program(data, **KNOWN)
    assert doc.readiness == ReadinessDoc(low_below=3, reduce_percent=15)
    assert doc.stall_remedy == "Drop to 3 x 3 for a week."
    text = dump_program(doc)
    assert "readiness: {low_below: 3, reduce_percent: 15}" in text
    assert parse_program(text, **KNOWN) == doc
    data["readiness"] = {}  # both optional: the defaults
    assert parse_program(data, **KNOWN).readiness == ReadinessDoc(low_below=2, reduce_percent=10)
    assert parse_program(base(), **KNOWN).readiness is None


@pytest.mark.parametrize(
    ("readiness", "message"),
    [
        ({"low_below": 1}, "readiness.low_below: 1 is outside 2..5"),
        ({"low_below": 6}, "readiness.low_below: 6 is outside 2..5"),
        ({"reduce_percent": 60}, "readiness.reduce_percent: 60 is outside 0..50"),
        ({"reduce_percent": "ten"}, "readiness.reduce_percent: expected a whole number"),
        ({"low_bellow": 2}, "low_bellow"),
        ("yes", "readiness: expected a mapping"),
    ],
)
def test_bad_readiness_is_reported_where_it_is(readiness: object, message: str) -> None:
    data = base()
    data["readiness"] = readiness
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(data, **KNOWN)
    assert message in str(caught.value)


def test_a_stall_remedy_over_500_characters_is_refused() -> None:
    data = base()
    data["stall_remedy"] = "x" * 501
    with pytest.raises(ProgramFormatError) as caught:
        parse_program(data, **KNOWN)
    assert "stall_remedy" in str(caught.value)
