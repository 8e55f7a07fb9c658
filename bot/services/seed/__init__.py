"""Loading reference data, the exercise catalog and programs into the database; exporting programs.

The data files live in bot/data (documented in bot/data/README.md). Everything is validated before the
first row is written, seeding is idempotent (upsert by natural key), and nothing here commits: the
caller (the CLI, a handler) owns the transaction.

A package by responsibility: errors, reference (reference data and the exercise catalog as documents),
known (the codes the database knows, the system user), seeding (the data files, upserted) and programs
(import and export of one program). Every public name is importable from here, as before the split.
"""

from __future__ import annotations

from bot.services.seed.errors import ProgramExistsError, SeedDataError, UnknownReferenceError
from bot.services.seed.known import (
    SYSTEM_TELEGRAM_ID,
    SYSTEM_USER_NAME,
    KnownCodes,
    ensure_system_user,
    load_known_codes,
)
from bot.services.seed.programs import export_program, import_program
from bot.services.seed.reference import (
    EQUIPMENT,
    MUSCLE_GROUPS,
    TRACKING,
    CategoryDoc,
    DifficultyDoc,
    ExerciseDoc,
    MetricDoc,
    ReferenceDoc,
    TagDoc,
    VisibilityDoc,
    parse_exercises,
    parse_reference,
)
from bot.services.seed.seeding import (
    DEFAULT_DATA_DIR,
    EXERCISES_FILE,
    PROGRAMS_DIR,
    REFERENCE_FILE,
    SeedCounts,
    SeedFiles,
    SeedReport,
    read_seed_files,
    seed_reference_data,
)

__all__ = [
    "DEFAULT_DATA_DIR",
    "EQUIPMENT",
    "EXERCISES_FILE",
    "MUSCLE_GROUPS",
    "PROGRAMS_DIR",
    "REFERENCE_FILE",
    "SYSTEM_TELEGRAM_ID",
    "SYSTEM_USER_NAME",
    "TRACKING",
    "CategoryDoc",
    "DifficultyDoc",
    "ExerciseDoc",
    "KnownCodes",
    "MetricDoc",
    "ProgramExistsError",
    "ReferenceDoc",
    "SeedCounts",
    "SeedDataError",
    "SeedFiles",
    "SeedReport",
    "TagDoc",
    "UnknownReferenceError",
    "VisibilityDoc",
    "ensure_system_user",
    "export_program",
    "import_program",
    "load_known_codes",
    "parse_exercises",
    "parse_reference",
    "read_seed_files",
    "seed_reference_data",
]
