"""Rendering numbers for messages: weights, sets, durations, dates, prescriptions, volumes, ratings.

Pure functions returning plain text (no user-provided text passes through here, so nothing needs
HTML-escaping). Weights arrive in kg and are shown in the user's unit. A set is written the way
`bot.services.set_input.parse_sets` reads it back - "60×8", "BW×12", "+10×8", "45 s", "1:30",
"w 40×10" - so a trainee can copy what the bot shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Protocol

from bot.db.enums import TrackingType, WeightUnit
from bot.services.units import from_kg, to_unit

MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BODYWEIGHT: Final = "bodyweight"
BW: Final = "BW"
TIMES: Final = "×"
WARMUP_MARK: Final = "w"
NO_VALUE: Final = "–"


class SetLike(Protocol):
    """Anything with a set's four fields: a SetInput, a UserExerciseSet row, a test double."""

    @property
    def reps(self) -> int | None: ...

    @property
    def weight_kg(self) -> Decimal | None: ...

    @property
    def duration_seconds(self) -> int | None: ...

    @property
    def is_warmup(self) -> bool: ...


def unit_label(unit: WeightUnit) -> str:
    """'kg' or 'lb'."""
    return "kg" if unit is WeightUnit.KG else "lb"


def format_decimal(value: Decimal) -> str:
    """A plain number without trailing zeros or exponent: 60.00 -> '60', 62.50 -> '62.5', 1E+2 -> '100'."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def format_weight_number(kg: Decimal, unit: WeightUnit) -> str:
    """The number only, in the user's unit: 60.00 kg -> '60' (KG), 61.23 kg -> '135' (LB)."""
    return format_decimal(to_unit(kg, unit))


def format_weight(kg: Decimal | None, unit: WeightUnit) -> str:
    """'60 kg', '62.5 kg', '135 lb'; None is 'bodyweight'."""
    if kg is None:
        return BODYWEIGHT
    return f"{format_weight_number(kg, unit)} {unit_label(unit)}"


def format_duration(seconds: int) -> str:
    """'45 s', '2 min', '1:30', '1 h', '1 h 05 min', '1:05:30' - all read back by parse_duration."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    if seconds < 60:
        return f"{seconds} s"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours == 0:
        return f"{minutes} min" if secs == 0 else f"{minutes}:{secs:02d}"
    if rest == 0:
        return f"{hours} h"
    if secs == 0:
        return f"{hours} h {minutes:02d} min"
    return f"{hours}:{minutes:02d}:{secs:02d}"


def _is_timed(s: SetLike, tracking: TrackingType) -> bool:
    return s.duration_seconds is not None and (tracking is TrackingType.DURATION or s.reps is None)


def _work(s: SetLike, unit: WeightUnit, tracking: TrackingType) -> str:
    """One set without its warm-up mark."""
    if _is_timed(s, tracking) and s.duration_seconds is not None:
        return format_duration(s.duration_seconds)
    if s.reps is None:
        return format_weight(s.weight_kg, unit) if s.weight_kg is not None else NO_VALUE
    if s.weight_kg is None:
        return f"{BW}{TIMES}{s.reps}"
    plus = "+" if tracking is TrackingType.REPS else ""
    return f"{plus}{format_weight_number(s.weight_kg, unit)}{TIMES}{s.reps}"


def format_set(s: SetLike, unit: WeightUnit, tracking: TrackingType) -> str:
    """One set: '60×8', 'BW×12' (no weight), '+10×8' (added load on a REPS exercise), '45 s', '1:30';
    a warm-up is marked 'w 40×10'. The weight's unit is left out (say it once around the list)."""
    work = _work(s, unit, tracking)
    return f"{WARMUP_MARK} {work}" if s.is_warmup else work


def format_sets_compact(sets: Iterable[SetLike], unit: WeightUnit, tracking: TrackingType) -> str:
    """Sets in order, comma-separated, a run of identical sets written once with its count:
    '60×8×3, 60×7' (weight × reps × sets), '3×45 s' (sets × time), 'w 40×10, 60×8'.

    Every form is one parse_sets reads back. An empty list is '–'.
    """
    runs: list[tuple[str, bool, bool, int]] = []  # (work, timed, warm-up, count)
    for s in sets:
        work, timed = _work(s, unit, tracking), _is_timed(s, tracking)
        if runs and runs[-1][:3] == (work, timed, s.is_warmup):
            runs[-1] = (work, timed, s.is_warmup, runs[-1][3] + 1)
        else:
            runs.append((work, timed, s.is_warmup, 1))
    if not runs:
        return NO_VALUE
    parts = []
    for work, timed, warmup, count in runs:
        text = work
        if count > 1:
            text = f"{count}{TIMES}{work}" if timed else f"{work}{TIMES}{count}"
        parts.append(f"{WARMUP_MARK} {text}" if warmup else text)
    return ", ".join(parts)


def format_reps_range(reps_min: int, reps_max: int | None) -> str:
    """'5' or '8-12'."""
    return str(reps_min) if reps_max is None or reps_max == reps_min else f"{reps_min}-{reps_max}"


def format_prescription(
    sets: int,
    reps_min: int | None,
    reps_max: int | None,
    weight_kg: Decimal | None,
    duration_seconds: int | None,
    rest_seconds: int | None,
    unit: WeightUnit,
    tracking: TrackingType,
) -> str:
    """A target: '3 × 5 @ 60 kg · rest 3 min', '3 × 8-12', '3 × 45 s', '3 × 8 @ +10 kg' (REPS: added load).

    Pass the arguments by keyword. Without reps or a duration it is '3 sets'.
    """
    work: str | None = None
    if duration_seconds is not None and (tracking is TrackingType.DURATION or reps_min is None):
        work = format_duration(duration_seconds)
    elif reps_min is not None:
        work = format_reps_range(reps_min, reps_max)
    text = f"{sets} × {work}" if work is not None else f"{sets} set" + ("" if sets == 1 else "s")
    if weight_kg is not None:
        plus = "+" if tracking is TrackingType.REPS else ""
        text += f" @ {plus}{format_weight(weight_kg, unit)}"
    if rest_seconds:
        text += f" · rest {format_duration(rest_seconds)}"
    return text


def format_date(d: date, today: date) -> str:
    """'12 Nov', or '12 Nov 2025' when `d` is not in `today`'s year (pass the user's local today)."""
    text = f"{d.day} {MONTHS[d.month - 1]}"
    return text if d.year == today.year else f"{text} {d.year}"


def format_day_of_program(day: int, length: int | None) -> str:
    """'day 15 of 84'; 'day 15' when the length is unknown."""
    return f"day {day}" if length is None else f"day {day} of {length}"


def format_volume(kg: Decimal, unit: WeightUnit) -> str:
    """Total load lifted, whole numbers with thousands separators: '4,320 kg', '9,524 lb'."""
    value = int(from_kg(kg, unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{value:,} {unit_label(unit)}"


def format_work(sets: int, reps: int, volume_kg: Decimal, seconds: int, unit: WeightUnit) -> str:
    """The work of a workout or a week, only what applies: '5 sets · 15 reps · volume 900 kg', '3 sets ·
    time 2:30' (timed sets: a plank, a run), '4 sets · 40 reps · volume 1,200 kg · time 10 min'."""
    parts = [f"{sets} set" + ("" if sets == 1 else "s")]
    if reps:
        parts.append(f"{reps} rep" + ("" if reps == 1 else "s"))
    if volume_kg > 0:
        parts.append(f"volume {format_volume(volume_kg, unit)}")
    if seconds:
        parts.append(f"time {format_duration(seconds)}")
    return " · ".join(parts)


def format_rating(value: int | None, scale: int = 10) -> str:
    """'8/10' (effort, soreness, difficulty on a 0..scale or 1..scale scale); None is '–'."""
    return NO_VALUE if value is None else f"{value}/{scale}"


__all__ = [
    "BODYWEIGHT",
    "MONTHS",
    "SetLike",
    "format_date",
    "format_day_of_program",
    "format_decimal",
    "format_duration",
    "format_prescription",
    "format_rating",
    "format_reps_range",
    "format_set",
    "format_sets_compact",
    "format_volume",
    "format_weight",
    "format_weight_number",
    "format_work",
    "unit_label",
]
