"""Reading a typed named set ("bench press 60x8") against a big catalog: split, match, parse.

A catalog of 2,000 exercises (the bundled ones plus generated variants) and 200 custom ones; a mix of
typed sets (exact names, aliases, typos, ambiguous and unknown names). Prints the time per set of
`ExerciseIndex.read` (split and match) + `parse_sets`, against the baseline of `parse_sets` alone on
the set part, measured in the same run; and the time to build the index once. Figures, never asserted
(the target is under 1 ms per set).

    .venv/bin/python -m bench.set_match [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.db.enums import TrackingType, WeightUnit
from bot.services.exercise_match import Candidate, ExerciseIndex, split_named_set
from bot.services.set_input import SetInputError, parse_sets

CATALOG = Path(__file__).resolve().parent.parent / "bot" / "data" / "exercises.yaml"
TYPED = (
    "bench press 60x8",
    "squat 100x5x3",
    "ohp 40x8",
    "pull ups 8",
    "plank 45s",
    "bech press 62.5x8",
    "dumbell curl 12x10",
    "rdl 80x8",
    "leg 60x10",
    "zumba 60x8",
    "my cable fly 3 15x12",
    "incline hammer strength row 7 50x10",
)


def catalog(size: int, custom: int) -> tuple[list[Candidate], list[Candidate]]:
    data = yaml.safe_load(CATALOG.read_text(encoding="utf-8"))["exercises"]
    base = [Candidate(uuid.uuid4(), e["name"], e["code"], e["tracking"].upper()) for e in data]
    grips = ("Wide-Grip", "Close-Grip", "Neutral-Grip", "Single-Arm", "Paused", "Tempo", "Deficit", "Banded")
    tools = ("Cable", "Machine", "Smith Machine", "Kettlebell", "Landmine", "Hammer Strength", "Band")
    movements = (
        "Row", "Press", "Curl", "Fly", "Raise", "Squat", "Lunge", "Deadlift", "Extension", "Pulldown",
        "Shrug", "Crunch", "Twist", "Kickback", "Pullover", "Thrust", "Bridge", "Step-Up",
    )  # fmt: skip
    generated = (
        Candidate(uuid.uuid4(), f"{grip} {tool} {move} {n}", None, "WEIGHT_REPS")
        for n, grip, tool, move in itertools.product(range(1, 100), grips, tools, movements)
    )
    names = {c.name for c in base}
    extra = [c for c in generated if c.name not in names][: size - len(base)]
    own = [Candidate(uuid.uuid4(), f"My Cable Fly {n}", None, "WEIGHT_REPS") for n in range(custom)]
    return base + extra, own


def per_call(function: Callable[[str], object], texts: tuple[str, ...], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            function(text)
    return (time.perf_counter() - started) / (rounds * len(texts))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args()
    rounds = 30 if args.quick else 300
    exercises, own = catalog(2000, 200)
    started = time.perf_counter()
    index = ExerciseIndex.build(exercises, own)
    build = time.perf_counter() - started
    tracking = {c.id: TrackingType(c.tracking) for c in exercises + own}

    def baseline(text: str) -> object:
        split = split_named_set(text)
        body = split[1] if split else text
        try:
            return parse_sets(body, tracking=TrackingType.WEIGHT_REPS, unit=WeightUnit.KG)
        except SetInputError:
            return None

    def named(text: str) -> object:
        read = index.read(text)
        if read is None:
            return None
        _, body, match = read
        kind = tracking[match.exercise.id] if match.exercise else TrackingType.WEIGHT_REPS
        try:
            return parse_sets(body, tracking=kind, unit=WeightUnit.KG)
        except SetInputError:
            return None

    for text in TYPED:  # what each resolves to, once
        read = index.read(text)
        match = read[2] if read else None
        found = (
            match.exercise.name
            if match and match.exercise
            else (f"{len(match.choices)} choices" if match and match.choices else "unknown")
        )
        print(f"  {text!r:40} -> {found}")
    base = per_call(baseline, TYPED, rounds)
    full = per_call(named, TYPED, rounds)
    load = os.getloadavg()[0]
    print(
        f"catalog {len(exercises)} + {len(own)} custom, {len(index.keys)} names and aliases; load {load:.2f}"
    )
    print(f"index build (once per catalog): {build * 1000:.2f} ms")
    print(f"baseline, parse_sets alone:     {base * 1000:.3f} ms per set")
    print(f"read (split, match) + parse:   {full * 1000:.3f} ms per set (target < 1 ms)")


if __name__ == "__main__":
    main()
