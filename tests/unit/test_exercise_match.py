"""The named-set reader: splitting "bench press 60x8" and matching names against the catalog."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml

from bot.services.exercise_match import Candidate, ExerciseIndex, normalize, split_named_set

CATALOG = Path(__file__).resolve().parents[2] / "bot" / "data" / "exercises.yaml"


@pytest.fixture(scope="module")
def index() -> ExerciseIndex:
    data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["exercises"]
    catalog = [Candidate(uuid.uuid4(), e["name"], e["code"], e["tracking"].upper()) for e in data]
    own = [Candidate(uuid.uuid4(), "Cable Fly 3", None), Candidate(uuid.uuid4(), "Zercher Squat", None)]
    return ExerciseIndex.build(catalog, own)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("bench press 60x8", ("bench press", "60x8")),
        ("squat 100x5x3", ("squat", "100x5x3")),
        ("pull ups 8", ("pull ups", "8")),
        ("plank 45s", ("plank", "45s")),
        ("Bench  Press   w 40x10", ("Bench Press", "w 40x10")),
        ("dips +10kg x 8", ("dips", "+10kg x 8")),
        ("run 5km 25:00", ("run", "5km 25:00")),
    ],
)
def test_split(text: str, expected: tuple[str, str]) -> None:
    assert split_named_set(text) == expected


@pytest.mark.parametrize("text", ["60x8", "w 40x10", "2 min 30 s", "8 reps", "bw x 12", "hello", "", "   "])
def test_no_name_no_split(text: str) -> None:
    assert split_named_set(text) is None


def test_normalize() -> None:
    assert normalize("Pull-Ups") == "pull up"
    assert normalize("  Farmer's   Carry ") == "farmer carry"
    assert normalize("Press") == "press"  # "ss" is no plural


@pytest.mark.parametrize(
    ("name", "exercise"),
    [
        ("bench press", "Barbell Bench Press"),  # alias
        ("BARBELL BENCH PRESS", "Barbell Bench Press"),  # exact, any case
        ("ohp", "Overhead Press"),
        ("rdl", "Romanian Deadlift"),
        ("bp", "Barbell Bench Press"),
        ("dl", "Deadlift"),
        ("pull ups", "Pull-Up"),
        ("bech press", "Barbell Bench Press"),  # typos
        ("dumbell curl", "Dumbbell Curl"),
        ("plankk", "Plank"),
        ("benchpress", "Barbell Bench Press"),
        ("zercher squats", "Zercher Squat"),  # the user's own
    ],
)
def test_match(index: ExerciseIndex, name: str, exercise: str) -> None:
    found = index.match(name)
    assert found.exercise is not None and found.exercise.name == exercise


def test_ambiguous_offers_the_closest(index: ExerciseIndex) -> None:
    found = index.match("leg")
    assert found.exercise is None
    names = [c.name for c in found.choices]
    assert 2 <= len(names) <= 4 and "Leg Press" in names and "Leg Extension" in names


@pytest.mark.parametrize("name", ["zumba", "xyzzy", "!!!"])
def test_unknown(index: ExerciseIndex, name: str) -> None:
    assert index.match(name).unknown


def test_read_prefers_the_longest_known_name(index: ExerciseIndex) -> None:
    read = index.read("cable fly 3 15x12")
    assert read is not None
    name, sets, match = read
    assert (name, sets) == ("cable fly 3", "15x12")
    assert match.exercise is not None and match.exercise.name == "Cable Fly 3"
    read = index.read("cable fly 15x12")
    assert read is not None and read[2].exercise is not None and read[2].exercise.name == "Cable Fly"
    assert index.read("60x8") is None
