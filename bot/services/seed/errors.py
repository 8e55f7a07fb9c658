"""What goes wrong when seeding or importing: bad data files, an existing program, unknown codes."""

from __future__ import annotations

from bot.services.errors import DomainError
from bot.services.program_format import DataFormatError


class SeedDataError(DataFormatError):
    """The data files are not valid; `problems` are located as `file: path`."""

    subject = "The seed data"
    # Operator messages (python -m bot seed): English only, kept out of the catalogs.
    invalid = "The seed data is not valid."
    one = "The seed data has a problem: {problem}"

    def many(self, n: int) -> str:
        return f"The seed data has {n} problems:"


class ProgramExistsError(DomainError):
    """A program with that name already exists (names are unique, compared without case)."""


class UnknownReferenceError(DomainError):
    """A program refers to codes (exercises, categories, ...) the database does not have."""
