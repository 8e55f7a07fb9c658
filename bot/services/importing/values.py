"""Reading one cell of an export: numbers, weights, reps, times, distances, RPE, dates.

Every reader raises `RowError` with a message that says which value is wrong and what was expected;
the parser adds the line number. Limits are the typed set's (bot.services.set_input), so an imported
set is one the bot could have logged.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Final

from bot.db.enums import WeightUnit
from bot.i18n import N_, _
from bot.services.set_input import (
    DISTANCE_M_MAX,
    DURATION_SECONDS_MAX,
    METRES_PER_MILE,
    REPS_MAX,
    RPE_MAX,
    RPE_MIN,
    WEIGHT_KG_MAX,
)
from bot.services.units import kg_from

OLDEST: Final = date(1970, 1, 1)
SHOWN: Final = 30
"""Characters of a cell quoted back in a problem."""
DISTANCE_UNITS: Final = {
    "m": Decimal(1),
    "km": Decimal(1000),
    "mi": METRES_PER_MILE,
    "mi.": METRES_PER_MILE,
    "mile": METRES_PER_MILE,
    "miles": METRES_PER_MILE,
    "ft": Decimal("0.3048"),
    "yd": Decimal("0.9144"),
}
WEIGHT_UNITS: Final = {"kg": WeightUnit.KG, "kgs": WeightUnit.KG, "lb": WeightUnit.LB, "lbs": WeightUnit.LB}
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})(?:\.\d+)?")
_SPACES = re.compile(r"[\s\u202f\u00a0]+")


class RowError(ValueError):
    """A cell the parser cannot read: `args[0]` says which and why."""


def shown(text: str) -> str:
    """A cell quoted in a problem: one line, at most SHOWN characters."""
    flat = " ".join(text.split())
    return _("“{text}”").format(text=flat if len(flat) <= SHOWN else f"{flat[: SHOWN - 1]}…")


def number(text: str, what: str, *, decimal_comma: bool = False) -> Decimal | None:
    """A number of at least 0; None for an empty cell."""
    text = text.strip()
    if not text:
        return None
    raw = text.replace(",", ".") if decimal_comma else text
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowError(
            _("the {what} {cell} is not a number").format(what=_(what), cell=shown(text))
        ) from None
    if not value.is_finite():
        raise RowError(_("the {what} {cell} is not a number").format(what=_(what), cell=shown(text)))
    if value < 0:
        raise RowError(_("the {what} {cell} is negative").format(what=_(what), cell=shown(text)))
    return value


def whole(value: Decimal | None, what: str, text: str) -> int | None:
    """A whole number (apps write reps as "8.0"); 0 and None are None (nothing recorded)."""
    if value is None or value == 0:
        return None
    if value != value.to_integral_value():
        raise RowError(_("the {what} {cell} is not a whole number").format(what=_(what), cell=shown(text)))
    return int(value)


def reps(text: str, *, decimal_comma: bool = False) -> int | None:
    found = whole(number(text, N_("reps"), decimal_comma=decimal_comma), N_("reps"), text)
    if found is not None and found > REPS_MAX:
        raise RowError(
            _("{reps} reps is more than a set can have (at most {limit})").format(reps=found, limit=REPS_MAX)
        )
    return found


def weight(text: str, unit: WeightUnit, *, decimal_comma: bool = False) -> Decimal | None:
    """The weight in kg (0.01); 0 or empty is None (bodyweight)."""
    value = number(text, N_("weight"), decimal_comma=decimal_comma)
    if value is None or value == 0:
        return None
    if value > WEIGHT_KG_MAX * 3:  # before converting: keeps huge numbers out of the arithmetic
        raise RowError(
            _("the weight {cell} is more than {limit} kg").format(cell=shown(text), limit=WEIGHT_KG_MAX)
        )
    kg = kg_from(value, unit)
    if kg > WEIGHT_KG_MAX:
        raise RowError(
            _("the weight {cell} is more than {limit} kg").format(cell=shown(text), limit=WEIGHT_KG_MAX)
        )
    if kg == 0:
        raise RowError(
            _("the weight {cell} is too small to record (0.01 kg at least)").format(cell=shown(text))
        )
    return kg


def seconds(text: str, *, decimal_comma: bool = False) -> int | None:
    """A time in seconds ("90", "90.0"); 0 or empty is None."""
    value = number(text, N_("time in seconds"), decimal_comma=decimal_comma)
    if value is None:
        return None
    return _seconds(value.quantize(Decimal(1), rounding=ROUND_HALF_UP), text)


def clock(text: str) -> int | None:
    """A time written h:mm:ss or mm:ss (FitNotes' Time); 0 or empty is None."""
    text = text.strip()
    if not text:
        return None
    found = _CLOCK.fullmatch(text)
    if found is None:
        raise RowError(_("the time {cell} is not a time like 0:01:30").format(cell=shown(text)))
    hours, minutes, secs = (int(part) if part else 0 for part in found.groups())
    if secs >= 60 or (hours and minutes >= 60):
        raise RowError(_("the time {cell} is not a time like 0:01:30").format(cell=shown(text)))
    return _seconds(Decimal(hours * 3600 + minutes * 60 + secs), text)


def _seconds(value: Decimal, text: str) -> int | None:
    if value == 0:
        return None
    if value > DURATION_SECONDS_MAX:
        raise RowError(
            _("the time {cell} is longer than {hours} hours").format(
                cell=shown(text), hours=DURATION_SECONDS_MAX // 3600
            )
        )
    return int(value)


def distance(text: str, unit_text: str, *, decimal_comma: bool = False) -> Decimal | None:
    """The distance in metres (0.1); 0 or empty is None. `unit_text`: km, m, mi, ft, yd."""
    value = number(text, N_("distance"), decimal_comma=decimal_comma)
    if value is None or value == 0:
        return None
    factor = DISTANCE_UNITS.get(unit_text.strip().lower())
    if factor is None:
        raise RowError(
            _("the distance unit {cell} is not one I know (km, m, mi, ft)").format(cell=shown(unit_text))
        )
    if value > DISTANCE_M_MAX:
        raise RowError(_("the distance {cell} is too long").format(cell=shown(text)))
    metres = (value * factor).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if metres > DISTANCE_M_MAX:
        raise RowError(_("the distance {cell} is too long").format(cell=shown(text)))
    return metres if metres > 0 else None


def rpe(text: str, *, decimal_comma: bool = False) -> Decimal | None:
    """RPE from 1 to 10 (to 0.1); 0 or empty is None."""
    value = number(text, N_("RPE"), decimal_comma=decimal_comma)
    if value is None or value == 0:
        return None
    if not RPE_MIN <= value <= RPE_MAX:
        raise RowError(_("the RPE {cell} is not between 1 and 10").format(cell=shown(text)))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@lru_cache(maxsize=4096)  # every row of a workout repeats its date
def moment(text: str, formats: tuple[str, ...], example: str, today: date) -> datetime:
    """A naive local date and time in one of `formats`, from 1970 to `today` (the user's, plus a day
    for zones ahead of theirs)."""
    cleaned = _SPACES.sub(" ", text).strip()
    for pattern in formats:
        try:
            found = datetime.strptime(cleaned, pattern)  # noqa: DTZ007 - the app's local time: no zone
        except ValueError:
            continue
        if found.date() > today + timedelta(days=1):
            raise RowError(_("the date {cell} is in the future").format(cell=shown(text)))
        if found.date() < OLDEST:
            raise RowError(_("the date {cell} is before 1970").format(cell=shown(text)))
        return found
    raise RowError(
        _("the date {cell} is not a date I can read (like {example})").format(
            cell=shown(text), example=example
        )
    )


@lru_cache(maxsize=4096)
def duration(text: str) -> int | None:
    """A workout's length as Strong writes it: "45m", "1h 5m", "1h", "30s"; empty is None."""
    text = text.strip().lower()
    if not text:
        return None
    found = re.fullmatch(r"(?:(\d{1,3})\s*h)?\s*(?:(\d{1,4})\s*m(?:in)?)?\s*(?:(\d{1,5})\s*s)?", text)
    if found is None or not any(found.groups()):
        if text.isdigit():  # plain seconds
            return int(text) or None
        raise RowError(_("the duration {cell} is not a duration like 1h 5m").format(cell=shown(text)))
    hours, minutes, secs = (int(part) if part else 0 for part in found.groups())
    return hours * 3600 + minutes * 60 + secs or None


__all__ = [
    "DISTANCE_UNITS",
    "WEIGHT_UNITS",
    "RowError",
    "clock",
    "distance",
    "duration",
    "moment",
    "number",
    "reps",
    "rpe",
    "seconds",
    "shown",
    "weight",
]
