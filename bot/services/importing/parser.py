"""Reading a CSV exported by Strong, Hevy or FitNotes into workouts (`parse_export`).

The app is recognised from the header row (its real column names, any order, extra columns ignored):

- Strong: ``Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,
  Workout Notes,RPE``; older exports are separated by semicolons and carry ``Weight Unit``, ``Distance
  Unit`` and ``Workout Duration``. Without a unit column the weights are read in the user's unit (the
  export does not say; km or miles alike). ``Set Order`` is a number, ``W`` (warm-up), ``D`` (drop set),
  ``F`` (failure); a rest timer's row is no set.
- Hevy: ``title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,
  set_type,weight_kg,reps,distance_km,duration_seconds,rpe`` (or ``weight_lbs``, ``distance_miles``);
  set_type ``normal``, ``warmup``, ``dropset``, ``failure``.
- FitNotes: ``Date,Exercise,Category,Weight (kgs),Reps,Distance,Distance Unit,Time,Comment`` (or
  ``Weight (lbs)``). It has no time of day: a day's sets are one workout at noon.

A workout is the rows sharing a start (and name); its key, the same in every export of the same history,
is what makes importing twice add nothing. Anything malformed (an unknown header, a missing column, a
row with the wrong number of columns, a bad date or number, a negative weight) is a `Problem` with its
line number, and the whole file is refused (`ImportFileError`). Rows with no reps and no time (an empty
set) are counted and left out. Pure and synchronous: the bot runs it in a worker thread.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Final

from bot.db.enums import ImportSource, SetType, WeightUnit
from bot.i18n import _
from bot.services.exercise_match import NAME_MAX
from bot.services.importing import values
from bot.services.importing.model import (
    MAX_FILE_BYTES,
    ImportFileError,
    ParsedExercise,
    ParsedFile,
    ParsedSet,
    ParsedWorkout,
    Problem,
)
from bot.services.importing.values import RowError, shown
from bot.services.text_hygiene import clean_text

WORKOUT_NAME_MAX: Final = 100
KEY_MAX: Final = 200
NOTES_MAX: Final = 2000
SETS_MAX: Final = 500
"""Sets of one exercise in one workout, at most."""
STRONG_DATES: Final = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %I:%M %p")
HEVY_DATES: Final = (
    "%d %b %Y, %H:%M",
    "%d %b %Y, %H:%M:%S",
    "%d %b %Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
)
FITNOTES_DATES: Final = ("%Y-%m-%d",)
FITNOTES_TIME: Final = time(12, 0)
"""FitNotes records the day only: its workouts start at noon, local time."""
HEVY_SET_TYPES: Final = {
    "": SetType.WORKING,
    "normal": SetType.WORKING,
    "warmup": SetType.WARMUP,
    "dropset": SetType.DROP,
    "failure": SetType.FAILURE,
}
STRONG_SET_KINDS: Final = {"w": SetType.WARMUP, "d": SetType.DROP, "f": SetType.FAILURE}
SOURCE_NAMES: Final = {
    ImportSource.STRONG: "Strong",
    ImportSource.HEVY: "Hevy",
    ImportSource.FITNOTES: "FitNotes",
}
_FITNOTES_WEIGHT = re.compile(r"weight \((kgs?|lbs?)\)")


@dataclass(frozen=True, slots=True)
class Row:
    """One data row, read: which workout and exercise it belongs to, and its set (None: no work)."""

    start: datetime
    workout: str
    exercise: str
    set: ParsedSet | None
    order: int | None = None
    duration_seconds: int | None = None
    workout_notes: str = ""
    note: str = ""
    category: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """What every row of the file is read with."""

    unit: WeightUnit
    """The weights' unit: the file's, or the user's when the file does not say."""
    distance_unit: str
    today: date
    decimal_comma: bool


class Cells:
    """One data row's cells by (lower-case) column name; "" for a column the file does not have."""

    def __init__(self, columns: dict[str, int], row: list[str], line: int) -> None:
        self._columns, self._row, self.line = columns, row, line

    def __call__(self, column: str) -> str:
        at = self._columns.get(column)
        return self._row[at].strip() if at is not None else ""


Reader = Callable[[Cells, Context], Row | None]


# --- the three formats -----------------------------------------------------------------------------------


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise RowError(_("the exercise name is empty"))
    if len(name) > NAME_MAX:
        raise RowError(
            _("the exercise name {cell} is longer than {limit} characters").format(
                cell=shown(name), limit=NAME_MAX
            )
        )
    return name


def _set(cells: Cells, context: Context, *, kind: SetType, reps: str, weight: str, secs: int | None,
         distance: str, distance_unit: str, rpe: str) -> ParsedSet | None:  # fmt: skip
    comma = context.decimal_comma
    found = ParsedSet(
        line=cells.line,
        reps=values.reps(reps, decimal_comma=comma),
        weight_kg=values.weight(weight, context.unit, decimal_comma=comma),
        duration_seconds=secs,
        distance_m=values.distance(distance, distance_unit or context.distance_unit, decimal_comma=comma),
        set_type=kind,
        rpe=values.rpe(rpe, decimal_comma=comma),
    )
    return found if found.reps is not None or found.duration_seconds is not None else None


def read_strong(cells: Cells, context: Context) -> Row | None:
    order_text = cells("set order")
    if order_text.lower().replace(" ", "") == "resttimer":
        return None
    kind = STRONG_SET_KINDS.get(order_text.lower())
    order: int | None = None
    if kind is None:
        if not order_text.isdigit():
            raise RowError(
                _("the set order {cell} is not a number, W, D or F").format(cell=shown(order_text))
            )
        kind, order = SetType.WORKING, int(order_text)
    unit_text = cells("weight unit").lower()
    unit = values.WEIGHT_UNITS.get(unit_text) if unit_text else context.unit
    if unit is None:
        raise RowError(_("the weight unit {cell} is not kg or lbs").format(cell=shown(unit_text)))
    start = values.moment(cells("date"), STRONG_DATES, "2026-03-01 17:30:00", context.today)
    context = Context(unit, context.distance_unit, context.today, context.decimal_comma)
    comma = context.decimal_comma
    return Row(
        start=start,
        workout=cells("workout name"),
        exercise=_name(cells("exercise name")),
        set=_set(
            cells,
            context,
            kind=kind,
            reps=cells("reps"),
            weight=cells("weight"),
            secs=values.seconds(cells("seconds"), decimal_comma=comma),
            distance=cells("distance"),
            distance_unit=cells("distance unit"),
            rpe=cells("rpe"),
        ),
        order=order,
        duration_seconds=values.duration(cells("duration") or cells("workout duration")),
        workout_notes=cells("workout notes"),
        note=cells("notes"),
    )


def read_hevy(cells: Cells, context: Context) -> Row | None:
    kind_text = cells("set_type").lower()
    kind = HEVY_SET_TYPES.get(kind_text)
    if kind is None:
        raise RowError(
            _("the set type {cell} is not normal, warmup, dropset or failure").format(cell=shown(kind_text))
        )
    start = values.moment(cells("start_time"), HEVY_DATES, "1 Mar 2026, 17:30", context.today)
    end_text = cells("end_time")
    end = values.moment(end_text, HEVY_DATES, "1 Mar 2026, 18:45", context.today) if end_text else None
    length = int((end - start).total_seconds()) if end is not None and end > start else None
    index = cells("set_index")
    comma = context.decimal_comma
    return Row(
        start=start,
        workout=cells("title"),
        exercise=_name(cells("exercise_title")),
        set=_set(
            cells,
            context,
            kind=kind,
            reps=cells("reps"),
            weight=cells("weight_kg") or cells("weight_lbs"),
            secs=values.seconds(cells("duration_seconds"), decimal_comma=comma),
            distance=cells("distance_km") or cells("distance_miles"),
            distance_unit="",
            rpe=cells("rpe"),
        ),
        order=int(index) if index.isdigit() else None,
        duration_seconds=length,
        workout_notes=cells("description"),
        note=cells("exercise_notes"),
    )


def read_fitnotes(cells: Cells, context: Context) -> Row | None:
    day = values.moment(cells("date"), FITNOTES_DATES, "2026-03-01", context.today)
    return Row(
        start=datetime.combine(day.date(), FITNOTES_TIME),
        workout="",
        exercise=_name(cells("exercise")),
        set=_set(
            cells,
            context,
            kind=SetType.WORKING,
            reps=cells("reps"),
            weight=cells("weight"),
            secs=values.clock(cells("time")),
            distance=cells("distance"),
            distance_unit=cells("distance unit"),
            rpe="",
        ),
        note=cells("comment"),
        category=cells("category") or None,
    )


# --- recognising the app ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Format:
    source: ImportSource
    columns: dict[str, int]
    read: Reader
    unit: WeightUnit | None
    """The weights' unit the header says, or None (the user's)."""
    distance_unit: str


def _column(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").strip().strip('"').lower().split())


def detect(header: list[str]) -> Format:
    """The app whose export has this header row; ImportFileError (line 1) when none has."""
    names = [_column(cell) for cell in header]
    required: tuple[str, ...]
    weights: tuple[str, ...]
    columns = {name: at for at, name in reversed(list(enumerate(names))) if name}
    have = set(columns)
    if {"title", "start_time", "exercise_title"} <= have:
        source, required = ImportSource.HEVY, ("title", "start_time", "exercise_title", "reps")
        unit = WeightUnit.LB if "weight_lbs" in have else WeightUnit.KG
        distance = "mi" if "distance_miles" in have else "km"
        weights = ("weight_kg", "weight_lbs")
        read: Reader = read_hevy
    elif {"date", "workout name", "exercise name", "set order"} <= have:
        source, required = ImportSource.STRONG, ("date", "workout name", "exercise name", "reps", "weight")
        unit, distance, weights, read = None, "", ("weight",), read_strong
    elif {"date", "exercise"} <= have and any(_FITNOTES_WEIGHT.fullmatch(n) for n in have):
        weight_column = next(n for n in names if _FITNOTES_WEIGHT.fullmatch(n))
        source, required = ImportSource.FITNOTES, ("date", "exercise", "reps")
        unit = WeightUnit.LB if "lb" in weight_column else WeightUnit.KG
        columns["weight"] = columns[weight_column]
        distance, weights, read = "km", ("weight",), read_fitnotes
    else:
        listed = ", ".join(cell.strip() for cell in header[:8] if cell.strip())[:120] or "none"
        raise ImportFileError(
            [
                Problem(
                    1,
                    _("the columns ({columns}) are not those of a Strong, Hevy or FitNotes export").format(
                        columns=listed
                    ),
                )
            ]
        )
    missing = [name for name in required if name not in have]
    if not any(w in columns for w in weights):
        missing.append(weights[0])
    if missing:
        app = SOURCE_NAMES[source]
        raise ImportFileError(
            [
                Problem(
                    1,
                    _("this looks like a {app} export, but the column “{column}” is missing").format(
                        app=app, column=m
                    ),
                )
                for m in missing
            ]
        )
    return Format(source, columns, read, unit, distance)


# --- the file ------------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The file's text (UTF-8, with or without a BOM; else Windows-1252, as spreadsheets save it)."""
    if b"\x00" in data:
        raise ImportFileError([Problem(1, _("this is not a text file"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise ImportFileError([Problem(1, _("this is not a text file in UTF-8"))]) from None
    return clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=header.count)


def _rows(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row starts, its cells): a quoted cell may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportFileError(
                [Problem(line, _("the row cannot be read as CSV ({error})").format(error=error))]
            ) from None
        yield line, row
        line = reader.line_num + 1


def _workout_key(source: ImportSource, row: Row) -> tuple[str, str]:
    """The workout's key in its app, and its name."""
    name = " ".join(row.workout.split())[:WORKOUT_NAME_MAX] or f"{SOURCE_NAMES[source]} workout"
    if source is ImportSource.FITNOTES:
        return f"{row.start:%Y-%m-%d}", name
    return f"{row.start:%Y-%m-%d %H:%M:%S}|{' '.join(row.workout.split())}"[:KEY_MAX], name


def parse_export(data: bytes, *, unit: WeightUnit, today: date) -> ParsedFile:
    """Every workout of a Strong, Hevy or FitNotes CSV; ImportFileError with the first problems (line
    numbers) when anything is wrong. `unit`: the user's weight unit (for a Strong file, which does not
    say its own); `today`: the user's local date (later dates are refused)."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            [
                Problem(
                    1, _("the file is larger than {limit} MB").format(limit=MAX_FILE_BYTES // (1024 * 1024))
                )
            ]
        )
    text = decode(data)
    delimiter = _delimiter(text)
    rows = _rows(text, delimiter)
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first[1]):
        raise ImportFileError([Problem(1, _("the file is empty"))])
    form = detect(first[1])
    own_unit = form.unit is not None or "weight unit" in form.columns
    distance_unit = form.distance_unit or ("km" if unit is WeightUnit.KG else "mi")
    context = Context(form.unit or unit, distance_unit, today, decimal_comma=delimiter == ";")
    width = len(first[1])
    problems: list[Problem] = []
    total = 0
    workouts: dict[str, ParsedWorkout] = {}
    skipped = 0
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) != width:
            total += 1
            if len(problems) < 50:
                problems.append(
                    Problem(
                        line,
                        _("{count} columns where the header has {width}").format(
                            count=len(cells), width=width
                        ),
                    )
                )
            continue
        try:
            row = form.read(Cells(form.columns, cells, line), context)
        except RowError as error:
            total += 1
            if len(problems) < 50:
                problems.append(Problem(line, str(error)))
            continue
        if row is None or problems:
            continue
        if row.set is None:
            skipped += 1
            continue
        trouble = _add(workouts, form.source, row, line)
        if trouble is not None:
            total += 1
            problems.append(Problem(line, trouble))
    if problems:
        raise ImportFileError(problems, total)
    if not workouts:
        raise ImportFileError([Problem(2, _("there is no set with reps or a time in the file"))])
    ordered = sorted(workouts.values(), key=lambda w: (w.start, w.key))
    return ParsedFile(form.source, tuple(ordered), context.unit, unit_from_file=own_unit, skipped=skipped)


def _add(workouts: dict[str, ParsedWorkout], source: ImportSource, row: Row, line: int) -> str | None:
    """Add the row's set to its workout and exercise; what is wrong when it cannot be added."""
    assert row.set is not None
    key, name = _workout_key(source, row)
    workout = workouts.get(key)
    if workout is None:
        workout = workouts[key] = ParsedWorkout(key=key, name=name, start=row.start, line=line)
    if workout.duration_seconds is None and row.duration_seconds:
        workout.duration_seconds = row.duration_seconds
    if workout.notes is None and row.workout_notes:
        workout.notes = row.workout_notes[:NOTES_MAX]
    exercise = workout.exercises.get(row.exercise.casefold())
    if exercise is None:
        exercise = workout.exercises[row.exercise.casefold()] = ParsedExercise(row.exercise)
    if len(exercise.sets) >= SETS_MAX:
        return _("more than {limit} sets of {exercise} in one workout").format(
            limit=SETS_MAX, exercise=shown(row.exercise)
        )
    exercise.sets.append(row.set)
    exercise.orders.append(row.order)
    if row.note and row.note not in exercise.notes:
        exercise.notes.append(row.note)
    if exercise.category is None and row.category:
        exercise.category = row.category
    return None


__all__ = ["SOURCE_NAMES", "decode", "detect", "parse_export"]
