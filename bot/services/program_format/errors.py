"""Problems found in a document, each with its location, and the errors that carry them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from bot.i18n import N_, _, ngettext
from bot.services.errors import DomainError
from bot.services.program_format.limits import _REASON_LINES


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document, and where: `location` is a path like `workouts.A.exercises[2]`."""

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class DataFormatError(DomainError):
    """A data document (a program, the reference data, the exercise catalog) is not valid.

    `problems` lists every problem found, in document order; `reason` shows them to a user.
    """

    subject = "The document"
    invalid = N_("The document is not valid.")
    one = N_("The document has a problem: {problem}")

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self._summarise(self.problems))

    def many(self, n: int) -> str:
        """The first line of a list of `n` problems."""
        return ngettext("The document has {n} problem:", "The document has {n} problems:", n).format(n=n)

    def _summarise(self, problems: Sequence[Problem]) -> str:
        if not problems:
            return _(self.invalid)
        if len(problems) == 1:
            return _(self.one).format(problem=problems[0])
        lines = [self.many(len(problems))]
        lines += [f"- {problem}" for problem in problems[:_REASON_LINES]]
        if len(problems) > _REASON_LINES:
            more = len(problems) - _REASON_LINES
            lines.append(ngettext("... and {n} more", "... and {n} more", more).format(n=more))
        return "\n".join(lines)


class ProgramFormatError(DataFormatError):
    """A program document is not valid; see `problems`."""

    subject = "The program"
    invalid = N_("The program is not valid.")
    one = N_("The program has a problem: {problem}")

    def many(self, n: int) -> str:
        return ngettext("The program has {n} problem:", "The program has {n} problems:", n).format(n=n)


# How a value is named in a problem's reason.


def _kind(value: object) -> str:
    if value is None:
        return _("nothing (an empty value)")
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return _("a number ({value})").format(value=value)
    if isinstance(value, str):
        return _("text")
    if isinstance(value, Mapping):
        return _("a mapping")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, datetime | date):
        return _("a date ({value}) - put it in quotes").format(value=value)
    return type(value).__name__


def _show(value: object) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    return _kind(value)
