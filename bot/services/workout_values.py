"""The values a workout is read into: a set, an exercise with its prescription and sets, the session,
and what was done last time. Plain frozen dataclasses (bot.services.workout_views reads them from the
database and re-exports them).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from bot.db.enums import SessionStatus, SetType, TrackingType
from bot.db.models import UserExerciseSet
from bot.i18n import _
from bot.services.errors import NotFound
from bot.services.progression import Rule, Target
from bot.services.set_input import SetInput

CONDITIONING = frozenset({"cardio", "mobility"})


@dataclass(frozen=True, slots=True)
class SetView:
    number: int
    reps: int | None
    weight_kg: Decimal | None
    duration_seconds: int | None
    is_warmup: bool
    set_type: SetType = SetType.WORKING
    rpe: Decimal | None = None
    rir: int | None = None
    distance_m: Decimal | None = None
    assistance_kg: Decimal | None = None
    calories: int | None = None

    @classmethod
    def of(cls, number: int, s: SetInput | SetView | UserExerciseSet) -> SetView:
        """A set as typed (or as stored), numbered."""
        return cls(
            number,
            s.reps,
            s.weight_kg,
            s.duration_seconds,
            s.is_warmup,
            SetType(s.set_type),
            s.rpe,
            s.rir,
            s.distance_m,
            s.assistance_kg,
            s.calories,
        )

    def columns(self) -> dict[str, object]:
        """The set's columns of user_exercise_set (without performance_id and set_number)."""
        return {
            "reps": self.reps,
            "weight_kg": self.weight_kg,
            "duration_seconds": self.duration_seconds,
            "is_warmup": self.is_warmup,
            "set_type": self.set_type,
            "rpe": self.rpe,
            "rir": self.rir,
            "distance_m": self.distance_m,
            "assistance_kg": self.assistance_kg,
            "calories": self.calories,
        }


@dataclass(frozen=True, slots=True)
class ExerciseView:
    index: int
    instruction_id: uuid.UUID
    exercise_id: uuid.UUID
    name: str
    tracking: TrackingType
    target_sets: int
    reps_min: int | None
    reps_max: int | None
    target_weight_kg: Decimal | None
    target_duration_seconds: int | None
    rest_seconds: int | None
    notes: str | None
    adhoc: bool
    sets: tuple[SetView, ...]
    difficulty: int | None
    performance_id: uuid.UUID | None = None
    """The exercise's user_exercise_performance row in this session, once it has one."""
    muscle_group: str = ""
    """The catalog's muscle group: `cardio` and `mobility` items are warm-ups and conditioning."""
    replaces: str | None = None
    """The name of the program's exercise this one was swapped in for, this session only."""
    equipment: str = ""
    reduced_percent: int = 0
    """How much lighter than the program's weight today's target_weight_kg is (low readiness)."""
    target_distance_m: Decimal | None = None
    """A distance to cover in the target time (a routine saved from a run)."""
    rule: Rule | None = None
    """The program's progression rule for this exercise (bot.services.progression)."""
    target: Target | None = None
    """The trainee's current target on the exercise, when it applies here: the exercise has a rule, or
    a coach set it. `target_weight_kg` is then the target's weight."""
    program_weight_kg: Decimal | None = None
    """The weight the program itself prescribes (before any target)."""
    loadable: bool = False
    """`target_weight_kg` was computed (a target, a percent share, a readiness reduction) and is already
    rounded to what the trainee can load on it (bot.services.plates.Scale): shown and logged as it is."""

    @property
    def working_sets(self) -> tuple[SetView, ...]:
        return tuple(s for s in self.sets if not s.is_warmup)

    @property
    def remaining_sets(self) -> int:
        """Prescribed working sets still to do (0 for an extra exercise)."""
        return 0 if self.adhoc else max(self.target_sets - len(self.working_sets), 0)

    @property
    def is_conditioning(self) -> bool:
        """A warm-up, mobility or cardio item: never asked for a difficulty rating."""
        return self.muscle_group in CONDITIONING

    @property
    def last_weight_kg(self) -> Decimal | None:
        """The weight a bare "8" means: the last working set's, else the prescription's, else a warm-up's."""
        for logged in reversed(self.working_sets):
            if logged.weight_kg is not None:
                return logged.weight_kg
        if self.target_weight_kg is not None:
            return self.target_weight_kg
        return next((s.weight_kg for s in reversed(self.sets) if s.weight_kg is not None), None)


@dataclass(frozen=True, slots=True)
class SessionView:
    id: uuid.UUID
    workout_name: str
    status: SessionStatus
    started_at: datetime | None
    enrollment_id: uuid.UUID | None
    day_number: int | None
    exercises: tuple[ExerciseView, ...]
    locked: bool = False
    """Read with the session row locked (FOR UPDATE on PostgreSQL) in the current transaction."""
    reduce_percent: int = 0
    """The day's weight reduction from the readiness answers (0: none)."""

    def exercise(self, index: int) -> ExerciseView:
        if not 0 <= index < len(self.exercises):
            raise NotFound(_("That exercise is not part of this workout."))
        return self.exercises[index]


@dataclass(frozen=True, slots=True)
class LastTime:
    when: datetime
    sets: tuple[SetView, ...]
