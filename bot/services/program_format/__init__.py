"""The program document format: YAML a coach can read and edit, parsed into frozen dataclasses.

Pure: no database, no Telegram. `parse_program` validates a whole document before anything is
written anywhere and reports every problem at once, each with its location
(`workouts.A.exercises[2].reps: ...`). `dump_program` writes a document back as YAML with an explicit
`days` list, and `parse_program(dump_program(doc)) == doc`. The format is documented in
bot/data/README.md.

A package by responsibility: limits, errors, (YAML) loading, values (durations, rep ranges), the document
dataclasses, generic checks, the parser (parser_base, parser_workouts, parser_schedule, parser), canonical
keys and dumping. Every public name is importable from here, as before the split.
"""

from __future__ import annotations

from bot.services.program_format.checks import Checker, at, suggest
from bot.services.program_format.document import (
    CustomExerciseDoc,
    DayDoc,
    InstructionDoc,
    PhaseDoc,
    PhaseTranslationDoc,
    ProgramDoc,
    ProgressionDoc,
    ReadinessDoc,
    ScheduleDoc,
    ScheduledWorkoutDoc,
    TranslationDoc,
    WorkoutDoc,
    WorkoutTranslationDoc,
)
from bot.services.program_format.dumping import dump_program, program_to_data
from bot.services.program_format.errors import DataFormatError, Problem, ProgramFormatError
from bot.services.program_format.keys import slugify, with_canonical_keys
from bot.services.program_format.limits import (
    DURATION_SECONDS_MAX,
    ESTIMATED_MINUTES_MAX,
    INSTRUCTION_NOTES_MAX,
    LENGTH_DAYS_MAX,
    MAX_CATEGORIES,
    MAX_DOCUMENT_BYTES,
    MAX_EXERCISES_PER_WORKOUT,
    MAX_PHASES,
    MAX_TAGS,
    MAX_WORKOUTS,
    MAX_WORKOUTS_PER_DAY,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    PHASE_DESCRIPTION_MAX,
    PHASE_NAME_MAX,
    PROGRAM_DESCRIPTION_MAX,
    PROGRAM_NAME_MAX,
    PROGRAM_NOTES_MAX,
    REPS_MAX,
    REST_DAYS_PER_WEEK_MAX,
    REST_SECONDS_MAX,
    SCHEDULE_NOTES_MAX,
    SCHEDULED_WORKOUT_NOTES_MAX,
    SETS_MAX,
    WEIGHT_KG_MAX,
    WORKOUT_DESCRIPTION_MAX,
    WORKOUT_KEY_MAX,
    WORKOUT_NAME_MAX,
)
from bot.services.program_format.loading import load_yaml
from bot.services.program_format.parser import parse_program
from bot.services.program_format.parser_base import DEFAULT_VISIBILITY
from bot.services.program_format.values import (
    DURATION_HELP,
    REPS_HELP,
    format_duration,
    format_reps,
    parse_duration,
    parse_reps,
)

__all__ = [
    "DEFAULT_VISIBILITY",
    "DURATION_HELP",
    "DURATION_SECONDS_MAX",
    "ESTIMATED_MINUTES_MAX",
    "INSTRUCTION_NOTES_MAX",
    "LENGTH_DAYS_MAX",
    "MAX_CATEGORIES",
    "MAX_DOCUMENT_BYTES",
    "MAX_EXERCISES_PER_WORKOUT",
    "MAX_PHASES",
    "MAX_TAGS",
    "MAX_WORKOUTS",
    "MAX_WORKOUTS_PER_DAY",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "PHASE_DESCRIPTION_MAX",
    "PHASE_NAME_MAX",
    "PROGRAM_DESCRIPTION_MAX",
    "PROGRAM_NAME_MAX",
    "PROGRAM_NOTES_MAX",
    "REPS_HELP",
    "REPS_MAX",
    "REST_DAYS_PER_WEEK_MAX",
    "REST_SECONDS_MAX",
    "SCHEDULED_WORKOUT_NOTES_MAX",
    "SCHEDULE_NOTES_MAX",
    "SETS_MAX",
    "WEIGHT_KG_MAX",
    "WORKOUT_DESCRIPTION_MAX",
    "WORKOUT_KEY_MAX",
    "WORKOUT_NAME_MAX",
    "Checker",
    "CustomExerciseDoc",
    "DataFormatError",
    "DayDoc",
    "InstructionDoc",
    "PhaseDoc",
    "PhaseTranslationDoc",
    "Problem",
    "ProgramDoc",
    "ProgramFormatError",
    "ProgressionDoc",
    "ReadinessDoc",
    "ScheduleDoc",
    "ScheduledWorkoutDoc",
    "TranslationDoc",
    "WorkoutDoc",
    "WorkoutTranslationDoc",
    "at",
    "dump_program",
    "format_duration",
    "format_reps",
    "load_yaml",
    "parse_duration",
    "parse_program",
    "parse_reps",
    "program_to_data",
    "slugify",
    "suggest",
    "with_canonical_keys",
]
