"""Limits of a program document: the database columns and CHECKs, plus guards against absurd documents."""

from __future__ import annotations

from decimal import Decimal
from typing import Final

MAX_DOCUMENT_BYTES: Final = 1_000_000
MAX_YAML_DEPTH: Final = 20
MAX_YAML_NODES: Final = 100_000
PROGRAM_NAME_MAX: Final = 100
PROGRAM_DESCRIPTION_MAX: Final = 2000
PROGRAM_NOTES_MAX: Final = 2000
SCHEDULE_NOTES_MAX: Final = 2000
SCHEDULED_WORKOUT_NOTES_MAX: Final = 1000
PHASE_NAME_MAX: Final = 100
PHASE_DESCRIPTION_MAX: Final = 1000
WORKOUT_NAME_MAX: Final = 100
WORKOUT_DESCRIPTION_MAX: Final = 2000
INSTRUCTION_NOTES_MAX: Final = 1000
WORKOUT_KEY_MAX: Final = 100
LENGTH_DAYS_MAX: Final = 730
REST_DAYS_PER_WEEK_MAX: Final = 7
SETS_MAX: Final = 20
REPS_MAX: Final = 1000
REST_SECONDS_MAX: Final = 3600
DURATION_SECONDS_MAX: Final = 86_400
WEIGHT_KG_MAX: Final = Decimal(1000)  # exclusive
ESTIMATED_MINUTES_MAX: Final = 600
MAX_CATEGORIES: Final = 10
MAX_TAGS: Final = 20
MAX_WORKOUTS: Final = 100
MAX_EXERCISES_PER_WORKOUT: Final = 40
MAX_WORKOUTS_PER_DAY: Final = 5
MAX_PHASES: Final = 100
STALL_REMEDY_MAX: Final = 500
READINESS_LOW_BELOW: Final = (2, 5)  # answers are 1..5: "below 2" is a 1, "below 5" anything but a 5
READINESS_REDUCE_PERCENT: Final = (0, 50)
_REASON_LINES: Final = 25
