"""Which exercise an app's exercise name means, and what a new one looks like.

A name is looked up as typed names are (bot.services.exercise_match): exactly, by an alias, or by
typo-tolerant matching with one clear best. Strong and Hevy write the equipment after the name ("Bench
Press (Barbell)"): "Barbell Bench Press" is tried too, and the bare name when the equipment is a
barbell (the catalog's unqualified names - Deadlift, Front Squat - are barbell lifts). A name that means
nothing, or could mean several exercises, becomes an exercise of the user's own, its muscle group and
equipment guessed from the name (and FitNotes' category), its tracking from the sets.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from bot.db.enums import TrackingType
from bot.services.exercise_match import ExerciseIndex, normalize
from bot.services.importing.model import ParsedSet


class MatchKind(StrEnum):
    EXACT = "exact"
    ALIAS = "alias"
    FUZZY = "fuzzy"
    NEW = "new"


@dataclass(frozen=True, slots=True)
class NameMapping:
    """An app's exercise name and the exercise its sets go to (`exercise_id` None: a new one)."""

    name: str
    kind: MatchKind
    exercise_id: uuid.UUID | None
    exercise_name: str
    sets: int
    muscle_group: str | None = None
    """A new exercise's muscle group, equipment and tracking (guessed); None for a known one."""
    equipment: str | None = None
    tracking: TrackingType | None = None


_QUALIFIED = re.compile(r"(.*?)\s*\(([^()]+)\)\s*")
EQUIPMENT_WORDS: Final = (
    ("smith machine", "machine"),
    ("ez bar", "barbell"),
    ("trap bar", "barbell"),
    ("barbell", "barbell"),
    ("dumbbell", "dumbbell"),
    ("db", "dumbbell"),
    ("kettlebell", "kettlebell"),
    ("cable", "cable"),
    ("machine", "machine"),
    ("band", "band"),
    ("pull up bar", "pull_up_bar"),
    ("bodyweight", "bodyweight"),
    ("assisted", "bodyweight"),
    ("weighted", "bodyweight"),
)
MUSCLE_WORDS: Final = (
    ("stretch", "mobility"),
    ("yoga", "mobility"),
    ("mobility", "mobility"),
    ("rowing", "cardio"),
    ("running", "cardio"),
    ("run", "cardio"),
    ("jog", "cardio"),
    ("walk", "cardio"),
    ("treadmill", "cardio"),
    ("cycling", "cardio"),
    ("bike", "cardio"),
    ("elliptical", "cardio"),
    ("swim", "cardio"),
    ("stair", "cardio"),
    ("jump rope", "cardio"),
    ("leg curl", "hamstrings"),
    ("hamstring", "hamstrings"),
    ("romanian", "hamstrings"),
    ("good morning", "hamstrings"),
    ("wrist", "forearms"),
    ("forearm", "forearms"),
    ("calf", "calves"),
    ("calve", "calves"),
    ("hip thrust", "glutes"),
    ("glute", "glutes"),
    ("tricep", "triceps"),
    ("pushdown", "triceps"),
    ("skull", "triceps"),
    ("dip", "triceps"),
    ("curl", "biceps"),
    ("bicep", "biceps"),
    ("lateral raise", "shoulders"),
    ("shoulder", "shoulders"),
    ("overhead press", "shoulders"),
    ("military", "shoulders"),
    ("delt", "shoulders"),
    ("face pull", "shoulders"),
    ("crunch", "core"),
    ("plank", "core"),
    ("sit up", "core"),
    ("leg raise", "core"),
    ("ab", "core"),
    ("oblique", "core"),
    ("russian twist", "core"),
    ("bench", "chest"),
    ("chest", "chest"),
    ("fly", "chest"),
    ("flye", "chest"),
    ("push up", "chest"),
    ("pec", "chest"),
    ("row", "back"),
    ("pull", "back"),
    ("lat", "back"),
    ("chin", "back"),
    ("deadlift", "back"),
    ("shrug", "back"),
    ("back", "back"),
    ("squat", "quads"),
    ("lunge", "quads"),
    ("leg press", "quads"),
    ("leg extension", "quads"),
    ("step up", "quads"),
)
CATEGORIES: Final = {
    "chest": "chest",
    "back": "back",
    "shoulders": "shoulders",
    "biceps": "biceps",
    "triceps": "triceps",
    "legs": "quads",
    "quads": "quads",
    "quadriceps": "quads",
    "hamstrings": "hamstrings",
    "glutes": "glutes",
    "calves": "calves",
    "forearms": "forearms",
    "abs": "core",
    "core": "core",
    "cardio": "cardio",
}
DEFAULT_GROUP: Final = "full_body"


def variants(name: str) -> list[str]:
    """Other ways to write "Bench Press (Barbell)": "Barbell Bench Press", and "Bench Press" for a
    barbell lift."""
    found = _QUALIFIED.fullmatch(name)
    if found is None or not found.group(1):
        return []
    base, qualifier = found.group(1), found.group(2).strip()
    out = [f"{qualifier} {base}"]
    if qualifier.lower() == "barbell":
        out.append(base)
    return out


def map_name(index: ExerciseIndex, name: str) -> tuple[MatchKind, uuid.UUID | None, str]:
    """(how, the exercise's id, its name) for an app's exercise name; (NEW, None, name) when no
    exercise is meant clearly enough."""
    key = normalize(name)
    found = index.exact.get(key)
    if found is not None:
        kind = MatchKind.EXACT if normalize(found.name) == key else MatchKind.ALIAS
        return kind, found.id, found.name
    others = variants(name)
    for other in others:
        found = index.exact.get(normalize(other))
        if found is not None:
            return MatchKind.ALIAS, found.id, found.name
    for other in [*others, name]:
        match = index.match(other)
        if match.exercise is not None:
            return MatchKind.FUZZY, match.exercise.id, match.exercise.name
    return MatchKind.NEW, None, name


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


def _find(words: str, table: Iterable[tuple[str, str]]) -> str | None:
    for keyword, value in table:
        if re.search(rf" {re.escape(keyword)}(?:s|es)? ", words):
            return value
    return None


def guess_muscle_group(name: str, category: str | None) -> str:
    if category is not None and category.strip().lower() in CATEGORIES:
        return CATEGORIES[category.strip().lower()]
    return _find(_words(name), MUSCLE_WORDS) or DEFAULT_GROUP


def guess_tracking(sets: Iterable[ParsedSet]) -> TrackingType:
    """Weight × reps when any set has a weight; reps when any has reps; else time."""
    items = list(sets)
    if any(s.weight_kg is not None for s in items):
        return TrackingType.WEIGHT_REPS
    if any(s.reps is not None for s in items):
        return TrackingType.REPS
    return TrackingType.DURATION


def guess_equipment(name: str, tracking: TrackingType) -> str:
    found = _QUALIFIED.fullmatch(name)
    words = _words(found.group(2)) if found is not None else ""
    equipment = _find(words, EQUIPMENT_WORDS) if words else None
    equipment = equipment or _find(_words(name), EQUIPMENT_WORDS)
    if equipment is not None:
        return equipment
    if tracking is TrackingType.REPS:
        return "bodyweight"
    return "none" if tracking is TrackingType.DURATION else "other"


__all__ = [
    "MatchKind",
    "NameMapping",
    "guess_equipment",
    "guess_muscle_group",
    "guess_tracking",
    "map_name",
    "variants",
]
