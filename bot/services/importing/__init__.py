"""Importing workout history from other apps' CSV exports (Strong, Hevy, FitNotes).

`parse_export` (bot.services.importing.parser) reads a file into workouts, pure and synchronous (the
bot runs it in a thread: `parse_in_thread`); `plan_import` is the dry run; `run_import` writes the
workouts not imported yet, all or nothing. See each module's docstring.
"""

from bot.services.importing.exercises import MatchKind, NameMapping
from bot.services.importing.model import (
    MAX_FILE_BYTES,
    ImportFileError,
    ParsedFile,
    ParsedSet,
    ParsedWorkout,
    Problem,
)
from bot.services.importing.parser import SOURCE_NAMES, parse_export
from bot.services.importing.service import (
    ImportPlan,
    ImportResult,
    parse_in_thread,
    plan_import,
    run_import,
    user_today,
)

__all__ = [
    "MAX_FILE_BYTES",
    "SOURCE_NAMES",
    "ImportFileError",
    "ImportPlan",
    "ImportResult",
    "MatchKind",
    "NameMapping",
    "ParsedFile",
    "ParsedSet",
    "ParsedWorkout",
    "Problem",
    "parse_export",
    "parse_in_thread",
    "plan_import",
    "run_import",
    "user_today",
]
