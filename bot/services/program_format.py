"""The program document format: YAML a coach can read and edit, parsed into frozen dataclasses.

Pure: no database, no Telegram. `parse_program` validates a whole document before anything is
written anywhere and reports every problem at once, each with its location
(`workouts.A.exercises[2].reps: ...`). `dump_program` writes a document back as YAML with an explicit
`days` list, and `parse_program(dump_program(doc)) == doc`. The format is documented in
bot/data/README.md.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

import yaml

from bot.db.enums import TrackingType, VisibilityCode
from bot.services.errors import DomainError

# --- limits: the database columns and CHECKs, plus guards against absurd documents -------------------

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

_REASON_LINES: Final = 25

# --- problems and errors -----------------------------------------------------------------------------


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

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(_summarise(self.subject, self.problems))


class ProgramFormatError(DataFormatError):
    """A program document is not valid; see `problems`."""

    subject = "The program"


def _summarise(subject: str, problems: Sequence[Problem]) -> str:
    if not problems:
        return f"{subject} is not valid."
    if len(problems) == 1:
        return f"{subject} has a problem: {problems[0]}"
    lines = [f"{subject} has {len(problems)} problems:"]
    lines += [f"- {problem}" for problem in problems[:_REASON_LINES]]
    if len(problems) > _REASON_LINES:
        lines.append(f"... and {len(problems) - _REASON_LINES} more")
    return "\n".join(lines)


# --- safe YAML loading -------------------------------------------------------------------------------


class _RefusedYaml(yaml.YAMLError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "somewhere"


class _StrictLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses anchors and aliases (no "billion laughs"), very deep nesting,
    too many nodes and duplicate keys (which plain YAML silently resolves to the last one)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _RefusedYaml(
                f"{_where(event.start_mark)}: YAML anchors and aliases (&name, *name) are not supported"
                " - write the value out in full"
            )
        self._nodes += 1
        if self._nodes > MAX_YAML_NODES:
            raise _RefusedYaml(f"the document has more than {MAX_YAML_NODES} values")
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise _RefusedYaml(
                    f"{_where(event.start_mark)}: nested more than {MAX_YAML_DEPTH} levels deep"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[tuple[str, str]] = set()
        for key_node, _value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                identity = (key_node.tag, key_node.value)
                if identity in seen:
                    raise _RefusedYaml(f"{_where(key_node.start_mark)}: duplicate key '{key_node.value}'")
                seen.add(identity)
        return super().construct_mapping(node, deep=deep)


def load_yaml(source: str | bytes, *, error: type[DataFormatError] = DataFormatError) -> Any:
    """Parse one YAML document safely (no tags, no aliases, <= 1 MB); raise `error` if it cannot be read."""
    size = len(source)
    if isinstance(source, str) and size <= MAX_DOCUMENT_BYTES:
        size = len(source.encode("utf-8", errors="replace"))
    if size > MAX_DOCUMENT_BYTES:
        raise error([Problem("", f"the document is {size} bytes, at most {MAX_DOCUMENT_BYTES}")])
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise error([Problem("", f"the document is not UTF-8 text (byte {exc.start})")]) from None
    try:
        loader = _StrictLoader(source)  # the reader checks every character here, before parsing
    except yaml.reader.ReaderError as exc:
        line = source.count("\n", 0, exc.position) + 1
        raise error(
            [Problem("", f"line {line} contains a control character (U+{exc.character:04X}): remove it")]
        ) from None
    try:
        return loader.get_single_data()
    except _RefusedYaml as exc:
        raise error([Problem("", exc.message)]) from None
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or exc.context or "unreadable"
        raise error([Problem("", f"invalid YAML at {_where(exc.problem_mark)}: {problem}")]) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise error([Problem("", f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()


# --- durations and rep ranges ------------------------------------------------------------------------

_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,4}):([0-5]\d)")
_UNITS = re.compile(
    r"(?:(?P<h>\d{1,5})\s*(?:h|hr|hrs|hour|hours))?\s*"
    r"(?:(?P<m>\d{1,6})\s*(?:m|min|mins|minute|minutes))?\s*"
    r"(?:(?P<s>\d{1,7})\s*(?:s|sec|secs|second|seconds))?"
)
_RANGE = re.compile(r"(\d{1,6})\s*[-–—]\s*(\d{1,6})")  # a hyphen, an en dash or an em dash
DURATION_HELP: Final = "expected seconds like 45, or '45s', '1:30', '2min', '1h 15min'"
REPS_HELP: Final = "expected a number or a range like 8-12"


def parse_duration(value: object, *, minimum: int = 1, maximum: int = DURATION_SECONDS_MAX) -> int:
    """Seconds from 45, "45", "45s", "1:30", "1:02:30", "2min", "1h 15min", "1 min 30 s".

    Raises ValueError with a user-presentable message when the value is not a duration or is outside
    minimum..maximum.
    """
    seconds: int | None = None
    if isinstance(value, bool):
        raise ValueError(f"{DURATION_HELP}, got {_kind(value)}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, float) and value.is_integer():
        seconds = int(value)
    elif isinstance(value, str):
        text = value.strip().lower()
        if text.isascii() and text.isdigit() and len(text) <= 7:
            seconds = int(text)
        elif clock := _CLOCK.fullmatch(text):
            hours, minutes, secs = clock.groups()
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
        elif text and (units := _UNITS.fullmatch(text)) and any(units.groups()):
            seconds = int(units["h"] or 0) * 3600 + int(units["m"] or 0) * 60 + int(units["s"] or 0)
    if seconds is None:
        raise ValueError(f"{DURATION_HELP}, got {_show(value)}")
    if not minimum <= seconds <= maximum:
        raise ValueError(f"{seconds} seconds is outside {minimum}..{maximum}")
    return seconds


def format_duration(seconds: int) -> str:
    """The shortest readable form parse_duration reads back: "45s", "20min", "1h", "1:30", "1:02:30"."""
    if seconds <= 0:
        return f"{seconds}s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if seconds % 3600 == 0:
        return f"{hours}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}min" if hours == 0 else f"{hours}h {minutes}min"
    if seconds < 60:
        return f"{seconds}s"
    return f"{minutes}:{secs:02d}" if hours == 0 else f"{hours}:{minutes:02d}:{secs:02d}"


def parse_reps(value: object) -> tuple[int, int]:
    """(min, max) from 5 (min == max), "5", "8-12" (min < max), each within 1..1000.

    Raises ValueError with a user-presentable message.
    """
    low: int | None = None
    high: int | None = None
    if isinstance(value, bool):
        raise ValueError(f"{REPS_HELP}, got {_kind(value)}")
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, float) and value.is_integer():
        low = high = int(value)
    elif isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= 6:
            low = high = int(text)
        elif match := _RANGE.fullmatch(text):
            low, high = int(match[1]), int(match[2])
            if low >= high:
                raise ValueError(f"the range {low}-{high} must go from fewer to more reps, like 8-12")
    if low is None or high is None:
        raise ValueError(f"{REPS_HELP}, got {_show(value)}")
    for number in (low, high):
        if not 1 <= number <= REPS_MAX:
            raise ValueError(f"{number} reps is outside 1..{REPS_MAX}")
    return low, high


def format_reps(low: int, high: int) -> int | str:
    """5 for a fixed target, "8-12" for a range: what parse_reps reads back."""
    return low if low == high else f"{low}-{high}"


# --- the document ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InstructionDoc:
    """One exercise in a workout. Fixed reps have reps_min == reps_max; a range has reps_min < reps_max;
    a timed exercise has duration_seconds and no reps. rest_seconds is the rest after each set."""

    exercise: str
    sets: int = 1
    reps_min: int | None = None
    reps_max: int | None = None
    duration_seconds: int | None = None
    rest_seconds: int | None = None
    weight_kg: Decimal | None = None
    notes: str | None = None

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


# --- generic checks, shared with the reference-data parsers ------------------------------------------


def at(location: str, key: str | int) -> str:
    """`location` extended by a key (`a.b`) or an index (`a[2]`)."""
    if isinstance(key, int):
        return f"{location}[{key}]"
    return f"{location}.{key}" if location else key


def _kind(value: object) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | Decimal):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, datetime | date):
        return f"a date ({value}) - put it in quotes"
    return type(value).__name__


def _show(value: object) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return repr(shown)
    return _kind(value)


def suggest(word: str, candidates: Iterable[str]) -> str:
    """' - did you mean 'x'?' for a close match, else ''."""
    options = list(candidates)
    prefixed = [c for c in options if len(word) >= 3 and (c.startswith(word) or word.startswith(c))]
    if len(prefixed) == 1:  # 'rest_days' -> 'rest_days_per_week' rather than the closer 'length_days'
        return f" - did you mean '{prefixed[0]}'?"
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" - did you mean '{matches[0]}'?" if matches else ""


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Checker:
    """Collects problems while reading a loaded YAML document; every method returns None on a problem."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, location: str, message: str) -> None:
        self.problems.append(Problem(location, message))

    def mapping(
        self,
        location: str,
        value: object,
        *,
        required: Sequence[str] = (),
        optional: Sequence[str] = (),
        what: str = "a mapping of fields",
    ) -> dict[str, Any] | None:
        """A mapping with text keys; reports unknown keys (with a suggestion) and missing required ones."""
        if not isinstance(value, Mapping):
            self.add(location, f"expected {what}, got {_kind(value)}")
            return None
        allowed = [*required, *optional]
        result: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                self.add(location, f"field names must be text, got {_kind(key)}")
                continue
            if key not in allowed:
                hint = suggest(key, allowed) or f" - expected one of: {', '.join(allowed)}"
                self.add(at(location, key), f"unknown field '{key}'{hint}")
                continue
            result[key] = item
        for key in required:
            if key not in value:
                self.add(at(location, key), "required, but missing")
            elif value[key] is None:
                self.add(at(location, key), "required, but empty")
        return result

    def sequence(self, location: str, value: object, *, what: str = "a list") -> list[Any] | None:
        if isinstance(value, list | tuple):
            return list(value)
        self.add(location, f"expected {what}, got {_kind(value)}")
        return None

    def text(
        self,
        location: str,
        value: object,
        *,
        max_length: int,
        required: bool = True,
        single_line: bool = False,
    ) -> str | None:
        """Stripped text within max_length characters; None (silently) when optional and absent."""
        if value is None:
            return None  # a missing required field is reported by mapping()
        if not isinstance(value, str):
            hint = " - put it in quotes" if isinstance(value, int | float | bool) else ""
            self.add(location, f"expected text, got {_kind(value)}{hint}")
            return None
        text = value.strip()
        if not text:
            if required:
                self.add(location, "must not be empty")
            return None
        if single_line and "\n" in text:
            self.add(location, "must be a single line")
            return None
        if _CONTROL.search(text):
            self.add(location, "contains control characters")
            return None
        if len(text) > max_length:
            self.add(location, f"{len(text)} characters, at most {max_length}")
            return None
        return text

    def integer(self, location: str, value: object, *, minimum: int, maximum: int) -> int | None:
        if value is None:
            return None
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, float) and value.is_integer():
            number = int(value)
        if number is None:
            self.add(location, f"expected a whole number, got {_kind(value)}")
            return None
        if not minimum <= number <= maximum:
            self.add(location, f"{number} is outside {minimum}..{maximum}")
            return None
        return number

    def decimal(
        self,
        location: str,
        value: object,
        *,
        minimum: Decimal | None = None,
        maximum: Decimal | None = None,
        exclusive: bool = False,
        places: int = 3,
    ) -> Decimal | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.add(location, f"expected a number, got {_kind(value)}")
            return None
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
        except InvalidOperation:
            self.add(location, f"expected a number, got {_kind(value)}")
            return None
        if not number.is_finite():
            self.add(location, "expected a finite number")
            return None
        low_bad = minimum is not None and (number <= minimum if exclusive else number < minimum)
        high_bad = maximum is not None and (number >= maximum if exclusive else number > maximum)
        if low_bad or high_bad:
            bounds = []
            if minimum is not None:
                bounds.append(f"more than {minimum}" if exclusive else f"at least {minimum}")
            if maximum is not None:
                bounds.append(f"less than {maximum}" if exclusive else f"at most {maximum}")
            self.add(location, f"must be {' and '.join(bounds)}, got {number}")
            return None
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.add(location, f"{number} has more than {places} decimal places")
            return None
        return number

    def boolean(self, location: str, value: object) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(location, f"expected true or false, got {_kind(value)}")
            return None
        return value

    def code(
        self,
        location: str,
        value: object,
        *,
        known: Collection[str] | None,
        what: str,
        max_length: int = 60,
    ) -> str | None:
        """A lower-case code; if `known` is given it must be one of them (with a suggestion)."""
        text = self.text(location, value, max_length=max_length, single_line=True)
        if text is None:
            return None
        text = text.lower()
        if known is not None and text not in known:
            hint = suggest(text, known)
            if not hint and len(known) <= 12:
                hint = f" - expected one of: {', '.join(sorted(known))}"
            self.add(location, f"unknown {what} '{text}'{hint}")
            return None
        return text

    def codes(
        self,
        location: str,
        value: object,
        *,
        known: Collection[str] | None,
        what: str,
        at_least: int,
        at_most: int,
    ) -> list[str] | None:
        """A list of distinct codes, in the order given."""
        if value is None:
            return [] if at_least == 0 else None
        items = self.sequence(location, value, what=f"a list of {what} codes like [a, b]")
        if items is None:
            return None
        if len(items) < at_least:
            self.add(location, f"give at least {at_least} {what}")
            return None
        if len(items) > at_most:
            self.add(location, f"{len(items)} {what} codes, at most {at_most}")
            return None
        result: list[str] = []
        ok = True
        for index, item in enumerate(items):
            code = self.code(at(location, index), item, known=known, what=what)
            if code is None:
                ok = False
            elif code in result:
                self.add(at(location, index), f"'{code}' is listed twice")
                ok = False
            else:
                result.append(code)
        return result if ok else None


# --- the program parser ------------------------------------------------------------------------------

_TOP_REQUIRED: Final = ("name", "description", "difficulty", "categories", "schedule", "workouts")
_TOP_OPTIONAL: Final = ("notes", "visibility", "tags", "phases", "days", "cycle")
_WORKOUT_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_INSTRUCTION_FIELDS: Final = ("sets", "reps", "duration", "weight_kg", "rest", "notes")
DEFAULT_VISIBILITY: Final = VisibilityCode.PRIVATE

_Plan = dict[int, list[ScheduledWorkoutDoc]]


class _ProgramParser:
    def __init__(
        self,
        *,
        known_exercises: Mapping[str, str] | None,
        known_difficulties: Collection[str] | None,
        known_categories: Collection[str] | None,
        known_tags: Collection[str] | None,
    ) -> None:
        self.check = Checker()
        self.known_exercises = known_exercises
        self.known_difficulties = known_difficulties
        self.known_categories = known_categories
        self.known_tags = known_tags
        self.workout_keys: list[str] = []
        self.referenced: set[str] = set()  # keys used anywhere, even in entries with problems

    # The whole document ----------------------------------------------------------------------------

    def parse(self, data: object) -> ProgramDoc | None:
        check = self.check
        fields = check.mapping("", data, required=_TOP_REQUIRED, optional=_TOP_OPTIONAL, what="a program")
        if fields is None:
            return None
        name = check.text("name", fields.get("name"), max_length=PROGRAM_NAME_MAX, single_line=True)
        description = check.text("description", fields.get("description"), max_length=PROGRAM_DESCRIPTION_MAX)
        notes = check.text("notes", fields.get("notes"), max_length=PROGRAM_NOTES_MAX, required=False)
        difficulty = check.code(
            "difficulty", fields.get("difficulty"), known=self.known_difficulties, what="difficulty"
        )
        visibility = self._visibility(fields.get("visibility"))
        categories = check.codes(
            "categories",
            fields.get("categories"),
            known=self.known_categories,
            what="category",
            at_least=1,
            at_most=MAX_CATEGORIES,
        )
        tags = check.codes(
            "tags", fields.get("tags"), known=self.known_tags, what="tag", at_least=0, at_most=MAX_TAGS
        )
        schedule = self._schedule(fields.get("schedule"))
        length = schedule[0] if schedule else None
        workouts = self._workouts(fields.get("workouts"))
        plan: _Plan | None = {} if length is not None else None
        sources = 0
        if fields.get("cycle") is not None:
            sources += 1
            self._cycle("cycle", fields["cycle"], plan, start=1, end=length, span_name="the schedule")
        phases = self._phases(fields.get("phases"), length, plan)
        if any(phase.get("cycle") is not None for phase in _mappings(fields.get("phases"))):
            sources += 1
        if fields.get("days") is not None:
            sources += 1
            self._days(fields["days"], length, plan)
        if sources == 0:
            check.add("days", "the schedule is empty: give a `days` list, a `cycle`, or both")
        days = self._resolve(plan, workouts) if sources and plan is not None else None

        if check.problems:
            return None
        assert name and description and difficulty and categories is not None and tags is not None
        assert schedule is not None and length is not None and workouts is not None and days is not None
        assert phases is not None
        rest_days = schedule[1] if schedule[1] is not None else _rest_days_per_week(days, length)
        return ProgramDoc(
            name=name,
            description=description,
            notes=notes,
            difficulty=difficulty,
            visibility=visibility or DEFAULT_VISIBILITY,
            categories=(categories[0], *sorted(categories[1:])),
            tags=tuple(sorted(tags)),
            schedule=ScheduleDoc(length_days=length, rest_days_per_week=rest_days, notes=schedule[2]),
            workouts=tuple(workouts.values()),
            days=days,
            phases=tuple(phases),
        )

    def _visibility(self, value: object) -> VisibilityCode | None:
        if value is None:
            return None
        text = self.check.text("visibility", value, max_length=20, single_line=True)
        if text is None:
            return None
        try:
            return VisibilityCode(text.upper())
        except ValueError:
            choices = [v.value for v in VisibilityCode]
            hint = suggest(text.upper(), choices) or f" - expected one of: {', '.join(choices)}"
            self.check.add("visibility", f"unknown visibility '{text}'{hint}")
            return None

    def _schedule(self, value: object) -> tuple[int | None, int | None, str | None] | None:
        check = self.check
        if value is None:
            return None  # reported as missing
        fields = check.mapping(
            "schedule", value, required=("length_days",), optional=("rest_days_per_week", "notes")
        )
        if fields is None:
            return None
        length = check.integer(
            "schedule.length_days", fields.get("length_days"), minimum=1, maximum=LENGTH_DAYS_MAX
        )
        rest = check.integer(
            "schedule.rest_days_per_week",
            fields.get("rest_days_per_week"),
            minimum=0,
            maximum=REST_DAYS_PER_WEEK_MAX,
        )
        notes = check.text(
            "schedule.notes", fields.get("notes"), max_length=SCHEDULE_NOTES_MAX, required=False
        )
        return length, rest, notes

    # Workouts ----------------------------------------------------------------------------------------

    def _workouts(self, value: object) -> dict[str, WorkoutDoc] | None:
        check = self.check
        if value is None:
            return None  # reported as missing
        if not isinstance(value, Mapping):
            check.add("workouts", f"expected a mapping of workout keys to workouts, got {_kind(value)}")
            return None
        if not value:
            check.add("workouts", "define at least one workout")
            return None
        if len(value) > MAX_WORKOUTS:
            check.add("workouts", f"{len(value)} workouts, at most {MAX_WORKOUTS}")
            return None
        result: dict[str, WorkoutDoc] = {}
        names: dict[str, str] = {}
        ok = True
        for key, body in value.items():
            if not isinstance(key, str) or not _WORKOUT_KEY.fullmatch(key) or len(key) > WORKOUT_KEY_MAX:
                shown = key if isinstance(key, str) else _kind(key)
                check.add(
                    "workouts",
                    f"'{shown}' is not a usable workout key: use letters, digits, '-', '_' or '.'"
                    f" (at most {WORKOUT_KEY_MAX} characters), like A or upper-a",
                )
                ok = False
                continue
            self.workout_keys.append(key)
            workout = self._workout(at("workouts", key), key, body)
            if workout is None:
                ok = False
                continue
            folded = workout.name.casefold()
            if folded in names:
                check.add(
                    at(at("workouts", key), "name"),
                    f"'{workout.name}' is already the name of workout '{names[folded]}'",
                )
                ok = False
            names[folded] = key
            result[key] = workout
        return result if ok else None

    def _workout(self, location: str, key: str, value: object) -> WorkoutDoc | None:
        check = self.check
        fields = check.mapping(
            location,
            value,
            required=("name", "exercises"),
            optional=("description", "estimated_minutes"),
            what="a workout (name, exercises, ...)",
        )
        if fields is None:
            return None
        name = check.text(
            at(location, "name"), fields.get("name"), max_length=WORKOUT_NAME_MAX, single_line=True
        )
        description = check.text(
            at(location, "description"),
            fields.get("description"),
            max_length=WORKOUT_DESCRIPTION_MAX,
            required=False,
        )
        minutes = check.integer(
            at(location, "estimated_minutes"),
            fields.get("estimated_minutes"),
            minimum=1,
            maximum=ESTIMATED_MINUTES_MAX,
        )
        exercises = self._instructions(at(location, "exercises"), fields.get("exercises"))
        if name is None or exercises is None:
            return None
        return WorkoutDoc(
            key=key, name=name, description=description, estimated_minutes=minutes, exercises=exercises
        )

    def _instructions(self, location: str, value: object) -> tuple[InstructionDoc, ...] | None:
        if value is None:
            return None
        items = self.check.sequence(location, value, what="a list of exercises")
        if items is None:
            return None
        if not items:
            self.check.add(location, "a workout needs at least one exercise")
            return None
        if len(items) > MAX_EXERCISES_PER_WORKOUT:
            self.check.add(location, f"{len(items)} exercises, at most {MAX_EXERCISES_PER_WORKOUT}")
            return None
        parsed = [self._instruction(at(location, index), item) for index, item in enumerate(items)]
        if any(item is None for item in parsed):
            return None
        return tuple(item for item in parsed if item is not None)

    def _instruction(self, location: str, value: object) -> InstructionDoc | None:
        check = self.check
        before = len(check.problems)
        fields = check.mapping(
            location,
            value,
            required=("exercise",),
            optional=_INSTRUCTION_FIELDS,
            what="an exercise like {exercise: back-squat, sets: 3, reps: 5}",
        )
        if fields is None:
            return None
        tracking: str | None = None
        exercise = check.text(
            at(location, "exercise"), fields.get("exercise"), max_length=60, single_line=True
        )
        if exercise is not None:
            exercise = exercise.lower()
            if self.known_exercises is not None:
                tracking = self.known_exercises.get(exercise)
                if tracking is None:
                    check.add(
                        at(location, "exercise"),
                        f"unknown exercise '{exercise}'{suggest(exercise, self.known_exercises)}",
                    )
                    exercise = None
        raw_sets = fields.get("sets")
        sets = check.integer(
            at(location, "sets"), 1 if raw_sets is None else raw_sets, minimum=1, maximum=SETS_MAX
        )
        reps: tuple[int, int] | None = None
        if fields.get("reps") is not None:
            try:
                reps = parse_reps(fields["reps"])
            except ValueError as exc:
                check.add(at(location, "reps"), str(exc))
        duration: int | None = None
        if fields.get("duration") is not None:
            try:
                duration = parse_duration(fields["duration"])
            except ValueError as exc:
                check.add(at(location, "duration"), str(exc))
        rest: int | None = None
        if fields.get("rest") is not None:
            try:
                rest = parse_duration(fields["rest"], minimum=0, maximum=REST_SECONDS_MAX)
            except ValueError as exc:
                check.add(at(location, "rest"), str(exc).replace(DURATION_HELP, "expected seconds of rest"))
        weight = check.decimal(
            at(location, "weight_kg"),
            fields.get("weight_kg"),
            minimum=Decimal(0),
            maximum=WEIGHT_KG_MAX,
            exclusive=True,
            places=2,
        )
        notes = check.text(
            at(location, "notes"), fields.get("notes"), max_length=INSTRUCTION_NOTES_MAX, required=False
        )
        self._check_tracking(location, exercise, tracking, fields)
        if len(check.problems) > before or exercise is None or sets is None:
            return None
        return InstructionDoc(
            exercise=exercise,
            sets=sets,
            reps_min=reps[0] if reps else None,
            reps_max=reps[1] if reps else None,
            duration_seconds=duration,
            rest_seconds=rest,
            weight_kg=weight,
            notes=notes,
        )

    def _check_tracking(
        self, location: str, exercise: str | None, tracking: str | None, fields: Mapping[str, Any]
    ) -> None:
        if exercise is None:
            return
        has_reps = fields.get("reps") is not None
        has_duration = fields.get("duration") is not None
        has_weight = fields.get("weight_kg") is not None
        if self.known_exercises is None and has_reps and has_duration:
            self.check.add(location, "give either reps or a duration, not both")
        elif self.known_exercises is None and not has_reps and not has_duration:
            self.check.add(location, "give reps (like 5 or 8-12) or a duration (like 45s)")
        elif tracking == TrackingType.DURATION:
            if has_reps:
                self.check.add(
                    at(location, "reps"),
                    f"'{exercise}' is tracked by duration: give a duration instead of reps",
                )
            elif not has_duration:
                self.check.add(location, f"'{exercise}' is tracked by duration: give a duration, like 45s")
        elif tracking in (TrackingType.REPS, TrackingType.WEIGHT_REPS):
            unit = "weight and reps" if tracking == TrackingType.WEIGHT_REPS else "reps"
            if has_duration:
                self.check.add(
                    at(location, "duration"),
                    f"'{exercise}' is tracked by {unit}: give reps instead of a duration",
                )
            elif not has_reps:
                self.check.add(location, f"'{exercise}' is tracked by {unit}: give reps, like 5 or 8-12")
            if tracking == TrackingType.REPS and has_weight:
                self.check.add(
                    at(location, "weight_kg"),
                    f"'{exercise}' is a bodyweight exercise tracked by reps: no weight",
                )

    # Schedule ----------------------------------------------------------------------------------------

    def _scheduled(self, location: str, value: object) -> ScheduledWorkoutDoc | None:
        """A workout reference: `A`, or `{workout: A, optional: true, notes: ...}`."""
        check = self.check
        if isinstance(value, str):
            key: object = value
            optional: bool | None = False
            notes: str | None = None
            key_location = location
        else:
            fields = check.mapping(
                location,
                value,
                required=("workout",),
                optional=("optional", "notes"),
                what="a workout key like A, or {workout: A, optional: true}",
            )
            if fields is None:
                return None
            key = fields.get("workout")
            key_location = at(location, "workout")
            raw_optional = fields.get("optional")
            optional = (
                False if raw_optional is None else check.boolean(at(location, "optional"), raw_optional)
            )
            notes = check.text(
                at(location, "notes"),
                fields.get("notes"),
                max_length=SCHEDULED_WORKOUT_NOTES_MAX,
                required=False,
            )
            if optional is None or (fields.get("notes") is not None and notes is None):
                return None
            if key is None:
                return None
        if not isinstance(key, str):
            check.add(key_location, f"expected a workout key, got {_kind(key)}")
            return None
        if optional is None:
            return None
        key = key.strip()
        self.referenced.add(key)
        if key not in self.workout_keys:
            hint = suggest(key, self.workout_keys)
            if not hint and self.workout_keys:
                hint = f" - defined workouts: {', '.join(self.workout_keys[:12])}"
            check.add(key_location, f"unknown workout '{key}'{hint}")
            return None
        return ScheduledWorkoutDoc(workout=key, optional=optional, notes=notes)

    def _day_workouts(self, location: str, value: object) -> list[ScheduledWorkoutDoc] | None:
        items = self.check.sequence(location, value, what="a list of workout keys like [A] ([] for rest)")
        if items is None:
            return None
        if len(items) > MAX_WORKOUTS_PER_DAY:
            self.check.add(location, f"{len(items)} workouts on one day, at most {MAX_WORKOUTS_PER_DAY}")
            return None
        result: list[ScheduledWorkoutDoc] = []
        ok = True
        for index, item in enumerate(items):
            scheduled = self._scheduled(at(location, index), item)
            if scheduled is None:
                ok = False
            elif any(other.workout == scheduled.workout for other in result):
                self.check.add(
                    at(location, index), f"workout '{scheduled.workout}' is already scheduled on this day"
                )
                ok = False
            else:
                result.append(scheduled)
        return result if ok else None

    def _cycle(
        self, location: str, value: object, plan: _Plan | None, *, start: int, end: int | None, span_name: str
    ) -> None:
        """A list of days ([A], [], [B], ...) repeated from `start` to fill up to `end`."""
        entries = self.check.sequence(location, value, what="a list of days like [[A], [], [B]]")
        if entries is None:
            return
        if not entries:
            self.check.add(location, "a cycle needs at least one day")
            return
        parsed = [self._day_workouts(at(location, index), entry) for index, entry in enumerate(entries)]
        if end is None or plan is None:
            return
        span = end - start + 1
        if len(entries) > span:
            self.check.add(location, f"{len(entries)} days long, longer than {span_name} ({span} days)")
            return
        if any(day is None for day in parsed):
            return
        for offset in range(span):
            workouts = parsed[offset % len(parsed)]
            plan[start + offset] = list(workouts or ())

    def _phases(self, value: object, length: int | None, plan: _Plan | None) -> list[PhaseDoc] | None:
        if value is None:
            return []
        check = self.check
        items = check.sequence("phases", value, what="a list of phases")
        if items is None:
            return None
        if len(items) > MAX_PHASES:
            check.add("phases", f"{len(items)} phases, at most {MAX_PHASES}")
            return None
        result: list[PhaseDoc] = []
        previous: PhaseDoc | None = None
        ok = True
        for index, item in enumerate(items):
            location = at("phases", index)
            fields = check.mapping(
                location,
                item,
                required=("name", "start_day", "end_day"),
                optional=("description", "cycle"),
                what="a phase {name, start_day, end_day}",
            )
            if fields is None:
                ok = False
                continue
            name = check.text(
                at(location, "name"), fields.get("name"), max_length=PHASE_NAME_MAX, single_line=True
            )
            description = check.text(
                at(location, "description"),
                fields.get("description"),
                max_length=PHASE_DESCRIPTION_MAX,
                required=False,
            )
            maximum = length if length is not None else LENGTH_DAYS_MAX
            start = self._day_number(at(location, "start_day"), fields.get("start_day"), maximum, length)
            end = self._day_number(at(location, "end_day"), fields.get("end_day"), maximum, length)
            if name is None or start is None or end is None:
                ok = False
                if fields.get("cycle") is not None:  # still report problems inside the cycle
                    self._cycle(at(location, "cycle"), fields["cycle"], None, start=1, end=None, span_name="")
                continue
            phase = PhaseDoc(name=name, start_day=start, end_day=end, description=description)
            if end < start:
                check.add(location, f"ends on day {end}, before it starts (day {start})")
                ok = False
            elif previous is not None and start <= previous.end_day:
                check.add(
                    location,
                    f"starts on day {start}, before phase '{previous.name}' ends (day {previous.end_day})",
                )
                ok = False
            else:
                previous = phase
            if fields.get("cycle") is not None:
                valid_span = end >= start and plan is not None
                self._cycle(
                    at(location, "cycle"),
                    fields["cycle"],
                    plan if valid_span else None,
                    start=start,
                    end=end if valid_span else None,
                    span_name=f"the phase ({start}..{end})",
                )
            result.append(phase)
        return result if ok else None

    def _day_number(self, location: str, value: object, maximum: int, length: int | None) -> int | None:
        if value is None:
            return None
        number = self.check.integer(location, value, minimum=-(10**9), maximum=10**9)
        if number is None:
            return None
        if not 1 <= number <= maximum:
            where = f"the schedule 1..{length}" if length is not None else f"1..{maximum}"
            self.check.add(location, f"{number} is outside {where}")
            return None
        return number

    def _days(self, value: object, length: int | None, plan: _Plan | None) -> None:
        check = self.check
        items = check.sequence("days", value, what="a list of days like {day: 1, workouts: [A]}")
        if items is None:
            return
        seen: dict[int, int] = {}
        maximum = length if length is not None else LENGTH_DAYS_MAX
        for index, item in enumerate(items):
            location = at("days", index)
            fields = check.mapping(
                location, item, required=("day", "workouts"), what="a day like {day: 1, workouts: [A]}"
            )
            if fields is None:
                continue
            day = self._day_number(at(location, "day"), fields.get("day"), maximum, length)
            workouts = (
                self._day_workouts(at(location, "workouts"), fields["workouts"])
                if fields.get("workouts") is not None
                else None
            )
            if day is None:
                continue
            if day in seen:
                check.add(at(location, "day"), f"day {day} is already listed in days[{seen[day]}]")
                continue
            seen[day] = index
            if workouts is not None and plan is not None:
                plan[day] = workouts

    def _resolve(self, plan: _Plan, workouts: Mapping[str, WorkoutDoc] | None) -> tuple[DayDoc, ...] | None:
        days = tuple(
            DayDoc(day=number, workouts=tuple(entries)) for number, entries in sorted(plan.items()) if entries
        )
        if not days:
            self.check.add("days", "no workout is scheduled on any day")
            return None
        used = {entry.workout for day in days for entry in day.workouts}
        clean = not self.check.problems
        for key in self.workout_keys:
            # With problems elsewhere a referenced workout may only look unused: do not pile on.
            if key not in used and (clean or key not in self.referenced):
                self.check.add(
                    at("workouts", key), "never scheduled - add it to `days` or a `cycle`, or remove it"
                )
        return days if workouts is not None else None


def _mappings(value: object) -> list[Mapping[Any, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _rest_days_per_week(days: Sequence[DayDoc], length: int) -> int:
    training = sum(1 for day in days if any(not entry.optional for entry in day.workouts))
    per_week = round(7 * training / length) if length else 0
    return max(0, min(7, 7 - per_week))


def parse_program(
    source: str | bytes | Mapping[str, Any],
    *,
    known_exercises: Mapping[str, str] | None = None,
    known_difficulties: Collection[str] | None = None,
    known_categories: Collection[str] | None = None,
    known_tags: Collection[str] | None = None,
) -> ProgramDoc:
    """Read and validate a whole program document; raise ProgramFormatError listing every problem.

    `source` is YAML text (or UTF-8 bytes) or an already loaded mapping. `known_exercises` maps each
    exercise code to its tracking type (a TrackingType value, e.g. "WEIGHT_REPS"); each `known_*` that is
    given restricts the codes the document may use, None skips that check.
    """
    data = load_yaml(source, error=ProgramFormatError) if isinstance(source, str | bytes) else source
    parser = _ProgramParser(
        known_exercises=known_exercises,
        known_difficulties=None if known_difficulties is None else frozenset(known_difficulties),
        known_categories=None if known_categories is None else frozenset(known_categories),
        known_tags=None if known_tags is None else frozenset(known_tags),
    )
    doc = parser.parse(data)
    if doc is None or parser.check.problems:
        raise ProgramFormatError(parser.check.problems or [Problem("", "the program is empty")])
    return doc


# --- keys of exported workouts -----------------------------------------------------------------------


def slugify(text: str, *, max_length: int = 60) -> str:
    """'Upper A (Strength)' -> 'upper-a-strength'."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:max_length].strip("-")
    return slug or "workout"


def with_canonical_keys(doc: ProgramDoc) -> ProgramDoc:
    """The document with workouts in order of first use, each keyed by the slug of its name.

    This is the form export_program produces (the database keeps no keys), so an imported document
    `doc` comes back as `with_canonical_keys(doc)`.
    """
    order: list[str] = []
    for day in doc.days:
        for entry in day.workouts:
            if entry.workout not in order:
                order.append(entry.workout)
    order += [workout.key for workout in doc.workouts if workout.key not in order]
    by_key = {workout.key: workout for workout in doc.workouts}
    renamed: dict[str, str] = {}
    taken: set[str] = set()
    for key in order:
        base = slugify(by_key[key].name)
        new, suffix = base, 2
        while new in taken:
            new, suffix = f"{base}-{suffix}", suffix + 1
        taken.add(new)
        renamed[key] = new
    return replace(
        doc,
        workouts=tuple(replace(by_key[key], key=renamed[key]) for key in order),
        days=tuple(
            replace(
                day, workouts=tuple(replace(entry, workout=renamed[entry.workout]) for entry in day.workouts)
            )
            for day in doc.days
        ),
    )


# --- dumping -----------------------------------------------------------------------------------------


class _FlowMap(dict[str, Any]):
    """A mapping written on one line: {day: 1, workouts: [A]}."""


class _FlowList(list[Any]):
    """A list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # indent lists under their key: easier to read


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_decimal(dumper: yaml.SafeDumper, data: Decimal) -> yaml.ScalarNode:
    if data == data.to_integral_value():
        return dumper.represent_int(int(data))
    return dumper.represent_scalar("tag:yaml.org,2002:float", format(data.normalize(), "f"))


def _represent_flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(data), flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(data), flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(_FlowMap, _represent_flow_map)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def _instruction_data(instruction: InstructionDoc) -> dict[str, Any]:
    data: dict[str, Any] = {"exercise": instruction.exercise, "sets": instruction.sets}
    if instruction.reps is not None:
        data["reps"] = instruction.reps
    if instruction.duration_seconds is not None:
        data["duration"] = format_duration(instruction.duration_seconds)
    if instruction.weight_kg is not None:
        data["weight_kg"] = instruction.weight_kg
    if instruction.rest_seconds is not None:
        data["rest"] = instruction.rest_seconds
    if instruction.notes is not None:
        data["notes"] = instruction.notes
        if len(instruction.notes) > 60 or "\n" in instruction.notes:
            return data  # long notes read better in block style
    return _FlowMap(data)


def _scheduled_data(entry: ScheduledWorkoutDoc) -> str | dict[str, Any]:
    if not entry.optional and entry.notes is None:
        return entry.workout
    data: dict[str, Any] = {"workout": entry.workout}
    if entry.optional:
        data["optional"] = True
    if entry.notes is not None:
        data["notes"] = entry.notes
    return _FlowMap(data)


def program_to_data(doc: ProgramDoc) -> dict[str, Any]:
    """The document as plain YAML-ready data (explicit `days`, no `cycle`)."""
    data: dict[str, Any] = {"name": doc.name, "description": doc.description}
    if doc.notes is not None:
        data["notes"] = doc.notes
    data["difficulty"] = doc.difficulty
    data["visibility"] = doc.visibility.value
    data["categories"] = _FlowList(doc.categories)
    data["tags"] = _FlowList(doc.tags)
    schedule: dict[str, Any] = {
        "length_days": doc.schedule.length_days,
        "rest_days_per_week": doc.schedule.rest_days_per_week,
    }
    if doc.schedule.notes is not None:
        schedule["notes"] = doc.schedule.notes
    data["schedule"] = schedule
    if doc.phases:
        phases = []
        for phase in doc.phases:
            item: dict[str, Any] = {
                "name": phase.name,
                "start_day": phase.start_day,
                "end_day": phase.end_day,
            }
            if phase.description is not None:
                item["description"] = phase.description
            phases.append(item)
        data["phases"] = phases
    workouts: dict[str, Any] = {}
    for workout in doc.workouts:
        body: dict[str, Any] = {"name": workout.name}
        if workout.description is not None:
            body["description"] = workout.description
        if workout.estimated_minutes is not None:
            body["estimated_minutes"] = workout.estimated_minutes
        body["exercises"] = [_instruction_data(instruction) for instruction in workout.exercises]
        workouts[workout.key] = body
    data["workouts"] = workouts
    data["days"] = [
        _FlowMap(day=day.day, workouts=_FlowList(_scheduled_data(entry) for entry in day.workouts))
        for day in doc.days
    ]
    return data


def dump_program(doc: ProgramDoc) -> str:
    """YAML text for the document, with an explicit `days` list; parse_program reads it back equal."""
    return yaml.dump(
        program_to_data(doc),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=110,
    )


__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Checker",
    "DataFormatError",
    "DayDoc",
    "InstructionDoc",
    "PhaseDoc",
    "Problem",
    "ProgramDoc",
    "ProgramFormatError",
    "ScheduleDoc",
    "ScheduledWorkoutDoc",
    "WorkoutDoc",
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
