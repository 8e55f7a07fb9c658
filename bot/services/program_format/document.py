"""The program document as frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bot.db.enums import TrackingType, VisibilityCode
from bot.services.program_format.values import format_reps


@dataclass(frozen=True, slots=True)
class CustomExerciseDoc:
    """An exercise of the author's own that the program uses (the `exercises` list): instructions refer
    to it by its name."""

    name: str
    muscle_group: str
    equipment: str
    tracking: TrackingType
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ProgressionDoc:
    """`progression: {rule: linear, increment_kg: 2.5, deload_after: 2, deload_percent: 10}` of an
    exercise (bot.services.progression): `rule` is linear, double or percent; each takes its own fields."""

    rule: str
    increment_kg: Decimal | None = None
    deload_after: int | None = None
    deload_percent: Decimal | None = None
    percent: Decimal | None = None
    training_max_percent: Decimal | None = None


@dataclass(frozen=True, slots=True)
class InstructionDoc:
    """One exercise in a workout: `exercise` is a catalog code, or the name of one of the author's own
    exercises (listed in `ProgramDoc.custom_exercises`, or one the uploader has). Fixed reps have
    reps_min == reps_max; a range has reps_min < reps_max; a timed exercise has duration_seconds and no
    reps. rest_seconds is the rest after each set."""

    exercise: str
    sets: int = 1
    reps_min: int | None = None
    reps_max: int | None = None
    duration_seconds: int | None = None
    rest_seconds: int | None = None
    weight_kg: Decimal | None = None
    notes: str | None = None
    progression: ProgressionDoc | None = None

    @property
    def reps(self) -> int | str | None:
        """5, "8-12" or None: the target as written in the document."""
        if self.reps_min is None:
            return None
        return format_reps(self.reps_min, self.reps_max if self.reps_max is not None else self.reps_min)


@dataclass(frozen=True, slots=True)
class WorkoutDoc:
    """A workout template, referred to by `key` from the schedule."""

    key: str
    name: str
    exercises: tuple[InstructionDoc, ...]
    description: str | None = None
    estimated_minutes: int | None = None


@dataclass(frozen=True, slots=True)
class ScheduledWorkoutDoc:
    """A workout on a day of the schedule."""

    workout: str  # a WorkoutDoc.key
    optional: bool = False
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class DayDoc:
    """A training day: its number in the schedule (1-based) and its workouts in order."""

    day: int
    workouts: tuple[ScheduledWorkoutDoc, ...]


@dataclass(frozen=True, slots=True)
class PhaseDoc:
    name: str
    start_day: int
    end_day: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ScheduleDoc:
    length_days: int
    rest_days_per_week: int
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class ReadinessDoc:
    """`readiness: {low_below: 2, reduce_percent: 10}`: ask sleep, stress and soreness (1-5) before each
    workout; any answer below `low_below` lowers that day's prescribed weights by `reduce_percent`."""

    low_below: int = 2
    reduce_percent: int = 10


@dataclass(frozen=True, slots=True)
class WorkoutTranslationDoc:
    """A workout's name (and description) in another language, for the workout `key`; `exercises` holds
    the notes of the workout's exercises in their order (None: that one's own notes are shown)."""

    key: str
    name: str
    description: str | None = None
    exercises: tuple[str | None, ...] = ()
    """One entry per exercise of the workout, in order; trailing untranslated entries are left out."""


@dataclass(frozen=True, slots=True)
class PhaseTranslationDoc:
    """A phase's name (and description) in another language."""

    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TranslationDoc:
    """`translations: {ru: {name, description, notes, stall_remedy, schedule_notes, workouts: {KEY: {name,
    description, exercises: [note or null, ...]}}, phases: [{name, description}, ...]}}`:
    the program's texts in one of the bot's other languages; a text left out shows the program's own."""

    language: str
    name: str | None = None
    description: str | None = None
    notes: str | None = None
    stall_remedy: str | None = None
    schedule_notes: str | None = None
    workouts: tuple[WorkoutTranslationDoc, ...] = ()
    """In the order of the document's workouts."""
    phases: tuple[PhaseTranslationDoc, ...] = ()
    """The document's phases in their order (as many as the document has, or none)."""


@dataclass(frozen=True, slots=True)
class ProgramDoc:
    """A whole program. `days` is the resolved schedule: only days with workouts, sorted by day (any
    `cycle` in the source has been expanded). `categories[0]` is the primary category; the other
    categories and the tags are kept sorted, because the database keeps them as sets."""

    name: str
    description: str
    difficulty: str
    visibility: VisibilityCode
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    schedule: ScheduleDoc
    workouts: tuple[WorkoutDoc, ...]
    days: tuple[DayDoc, ...]
    phases: tuple[PhaseDoc, ...] = ()
    notes: str | None = None
    readiness: ReadinessDoc | None = None
    stall_remedy: str | None = None
    """What a trainee whose lift stalled (no progress in three sessions) is told to do."""
    custom_exercises: tuple[CustomExerciseDoc, ...] = ()
    """The author's own exercises the document lists (`exercises`), in its order."""
    translations: tuple[TranslationDoc, ...] = ()
    """The program's texts in other languages, sorted by language."""

    def translation(self, language: str) -> TranslationDoc | None:
        return next((t for t in self.translations if t.language == language), None)

    @property
    def primary_category(self) -> str:
        return self.categories[0]

    def workout(self, key: str) -> WorkoutDoc:
        for workout in self.workouts:
            if workout.key == key:
                return workout
        raise KeyError(key)

    def exercise_codes(self) -> set[str]:
        return {instruction.exercise for workout in self.workouts for instruction in workout.exercises}
