"""What an export file holds once read: workouts, their exercises and sets, and what is wrong with it.

Pure data, no database and no Telegram. Times are the app's naive local times (the user's zone is
applied when the workouts are written); weights are in kg, distances in metres, durations in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Final

from bot.db.enums import ImportSource, SetType, WeightUnit
from bot.services.errors import DomainError

MAX_FILE_BYTES: Final = 5 * 1024 * 1024
"""The largest file the bot downloads and reads (5 MB)."""
PROBLEMS_SHOWN: Final = 5
"""How many problems of a malformed file are listed (the rest are counted)."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong on one line of the file (line 1 is the header)."""

    line: int
    message: str


class ImportFileError(DomainError):
    """The file cannot be imported: the first problems (with their line numbers) and how many in all."""

    def __init__(self, problems: Sequence[Problem], total: int | None = None) -> None:
        shown = tuple(problems[:PROBLEMS_SHOWN])
        super().__init__("; ".join(f"line {p.line}: {p.message}" for p in shown))
        self.problems = shown
        self.total = max(total if total is not None else len(problems), len(shown))


@dataclass(frozen=True, slots=True)
class ParsedSet:
    """One set as the app recorded it, converted: kg, seconds, metres."""

    line: int
    reps: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    distance_m: Decimal | None = None
    set_type: SetType = SetType.WORKING
    rpe: Decimal | None = None

    @property
    def is_warmup(self) -> bool:
        return self.set_type is SetType.WARMUP


@dataclass(slots=True)
class ParsedExercise:
    """An exercise of one workout, under the name the app gave it."""

    name: str
    sets: list[ParsedSet] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    category: str | None = None
    """FitNotes' category (Chest, Legs...): a hint for the muscle group of a new exercise."""
    orders: list[int | None] = field(default_factory=list)
    """The app's number of each set (Strong's Set Order, Hevy's set_index), None when it has none."""

    def in_order(self) -> list[ParsedSet]:
        """The sets in the app's order: numbered sets by their numbers (exports list them in any order),
        an unnumbered one (Strong's W, D, F) after the numbered set it follows in the file. In file order
        when numbers repeat (the exercise was in the workout twice)."""
        numbers = [o for o in self.orders if o is not None]
        if len(set(numbers)) != len(numbers):
            return list(self.sets)
        keys: list[float] = []
        last = 0.0
        for order in self.orders:
            if order is None:
                keys.append(last + 0.5)
            else:
                keys.append(float(order))
                last = float(order)
        return [s for _, _, s in sorted(zip(keys, range(len(keys)), self.sets, strict=True))]


@dataclass(slots=True)
class ParsedWorkout:
    """One workout of the file: `key` identifies it within its app (its local start and name)."""

    key: str
    name: str
    start: datetime
    """Naive: the app's local time."""
    line: int
    duration_seconds: int | None = None
    notes: str | None = None
    exercises: dict[str, ParsedExercise] = field(default_factory=dict)
    """By the exercise's name folded to lower case, in the order they first appear."""

    @property
    def sets(self) -> int:
        return sum(len(e.sets) for e in self.exercises.values())


@dataclass(frozen=True, slots=True)
class ParsedFile:
    source: ImportSource
    workouts: tuple[ParsedWorkout, ...]
    unit: WeightUnit
    """The unit the weights were read in (the file's; for some Strong files, the user's)."""
    unit_from_file: bool
    """False when the file does not say which unit its weights are in (Strong's newer export): they
    were read in the user's unit."""
    skipped: int = 0
    """Rows with no reps and no time (an empty set, a rest timer's row): nothing to log."""

    @property
    def sets(self) -> int:
        return sum(w.sets for w in self.workouts)


__all__ = [
    "MAX_FILE_BYTES",
    "PROBLEMS_SHOWN",
    "ImportFileError",
    "ParsedExercise",
    "ParsedFile",
    "ParsedSet",
    "ParsedWorkout",
    "Problem",
]
