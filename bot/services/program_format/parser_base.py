"""What the program parser's parts share: its state and the document's field names."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from typing import Final

from bot.db.enums import VisibilityCode
from bot.services.program_format.checks import Checker
from bot.services.program_format.document import CustomExerciseDoc, ScheduledWorkoutDoc

_TOP_REQUIRED: Final = ("name", "description", "difficulty", "categories", "schedule", "workouts")
_TOP_OPTIONAL: Final = (
    "notes",
    "visibility",
    "tags",
    "phases",
    "days",
    "cycle",
    "readiness",
    "stall_remedy",
    "exercises",
    "translations",
)
_WORKOUT_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_INSTRUCTION_FIELDS: Final = ("sets", "reps", "duration", "weight_kg", "rest", "notes", "progression")
DEFAULT_VISIBILITY: Final = VisibilityCode.PRIVATE
_Plan = dict[int, list[ScheduledWorkoutDoc]]


class _ParserBase:
    """The checker, what the document may refer to, and the workout keys seen so far."""

    def __init__(
        self,
        *,
        known_exercises: Mapping[str, str] | None,
        known_difficulties: Collection[str] | None,
        known_categories: Collection[str] | None,
        known_tags: Collection[str] | None,
        own_exercises: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        self.check = Checker()
        self.known_exercises = known_exercises
        self.known_difficulties = known_difficulties
        self.known_categories = known_categories
        self.known_tags = known_tags
        self.own_exercises = own_exercises
        """The uploader's own exercises: casefolded name -> (name, tracking value)."""
        self.custom: dict[str, CustomExerciseDoc] = {}
        """The document's `exercises` list by casefolded name."""
        self.workout_keys: list[str] = []
        self.referenced: set[str] = set()  # keys used anywhere, even in entries with problems
