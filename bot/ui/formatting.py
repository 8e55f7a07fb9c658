"""THE formatting module: counts, durations, weights, distances, sets, dates, prescriptions, labels.

Every number the bot shows goes through here, so it is written one way everywhere:

- counts with their noun, singular or plural: "1 set", "2 sets", "0 records" (`format_count`);
  never "set(s)" or "(1 sets)"; "1 of 3 sets", "1 of 1 set" (`format_count_of`);
- durations in one style: "45 s", "2 min", "5 min 22 s", "1 h", "1 h 10 min", "1 h 0 min 5 s"
  (`format_duration`) - never "5:22" - and `parse_duration` reads every form back;
- weights in the user's unit: "60 kg", "135 lb", "+10 kg" for added load (`format_weight`,
  `format_added_weight`); distances "800 m", "5.2 km" (`format_distance`);
- button labels shortened at a word boundary with an ellipsis, never mid-word (`format_label`).

Pure functions returning plain text (no user-provided text passes through here, except
`format_label`'s, which the caller escapes where the label goes into HTML; button labels are not
HTML). Weights arrive in kg and are shown in the user's unit. A set is written the way
`bot.services.set_input.parse_sets` reads it back - "60×8", "BW×12", "+10×8", "45 s", "5 min 22 s",
"w 40×10", "d 40×10", "60×8+ @9", "-20×8", "5 km in 25 min", "10 cal", "20 min 250 cal" - so a trainee
can copy what the bot shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final, Protocol

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal as babel_format_decimal
from babel.numbers import get_decimal_symbol

from bot.db.enums import TrackingType, WeightUnit
from bot.i18n import N_, _, current_locale, ngettext, pgettext
from bot.services.units import from_kg, to_unit

MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English month abbreviations (what bot.services.dates reads); show a month with `format_month`."""
BODYWEIGHT: Final = N_("bodyweight")
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
    """'kg' or 'lb' (Russian 'кг', 'фнт')."""
    return pgettext("unit", "kg") if unit is WeightUnit.KG else pgettext("unit", "lb")


def format_decimal(value: Decimal) -> str:
    """A plain number without trailing zeros or exponent: 60.00 -> '60', 62.50 -> '62.5', 1E+2 -> '100';
    with the locale's decimal separator (Russian '62,5', which bot.services.set_input reads back)."""
    text = format(value.normalize(), "f")
    if text in ("-0", "0"):
        return "0"
    locale = current_locale()
    return text if locale == "en" else text.replace(".", get_decimal_symbol(locale))


def format_integer(value: int) -> str:
    """A whole number with the locale's thousands separator: '4,320' (Russian '4 320')."""
    return babel_format_decimal(value, locale=current_locale())


def format_weight_number(kg: Decimal, unit: WeightUnit) -> str:
    """The number only, in the user's unit: 60.00 kg -> '60' (KG), 61.23 kg -> '135' (LB)."""
    return format_decimal(to_unit(kg, unit))


def format_weight(kg: Decimal | None, unit: WeightUnit) -> str:
    """'60 kg', '62.5 kg', '135 lb'; None is 'bodyweight'."""
    if kg is None:
        return _(BODYWEIGHT)
    return f"{format_weight_number(kg, unit)} {unit_label(unit)}"


def format_weights(kgs: Iterable[Decimal], unit: WeightUnit, separator: str = ", ") -> str:
    """Several weights with the unit once: '25, 20, 15 kg', '45 + 45 lb' (separator ' + '); '–' for none."""
    numbers = [format_weight_number(kg, unit) for kg in kgs]
    return f"{separator.join(numbers)} {unit_label(unit)}" if numbers else NO_VALUE


# The nouns the bot counts, each with its plural forms in the catalog (Russian has three): format_count
# of one of them speaks the current locale. New code writes ngettext where it counts (see count_sets).
_COUNTED: Final[dict[str, Callable[[int], str]]] = {
    "set": lambda n: ngettext("{n} set", "{n} sets", n),
    "rep": lambda n: ngettext("{n} rep", "{n} reps", n),
    "day": lambda n: ngettext("{n} day", "{n} days", n),
    "week": lambda n: ngettext("{n} week", "{n} weeks", n),
    "workout": lambda n: ngettext("{n} workout", "{n} workouts", n),
    "exercise": lambda n: ngettext("{n} exercise", "{n} exercises", n),
    "program": lambda n: ngettext("{n} program", "{n} programs", n),
    "trainee": lambda n: ngettext("{n} trainee", "{n} trainees", n),
    "time": lambda n: ngettext("{n} time", "{n} times", n),
    "record": lambda n: ngettext("{n} record", "{n} records", n),
    "new record": lambda n: ngettext("{n} new record", "{n} new records", n),
    "new exercise": lambda n: ngettext("{n} new exercise", "{n} new exercises", n),
    "invitation link": lambda n: ngettext("{n} invitation link", "{n} invitation links", n),
    "warm-up": lambda n: ngettext("{n} warm-up", "{n} warm-ups", n),
    "row": lambda n: ngettext("{n} row", "{n} rows", n),
    "person": lambda n: ngettext("{n} person", "{n} people", n),
    "minute": lambda n: ngettext("{n} minute", "{n} minutes", n),
    "hour": lambda n: ngettext("{n} hour", "{n} hours", n),
    "match": lambda n: ngettext("{n} match", "{n} matches", n),
}


def format_count(count: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun: '1 set', '0 sets', '2 sets', '21 sets', '1 new record', '3 matches';
    `plural` for irregular nouns: format_count(2, "person", "people") -> '2 people'.

    The nouns of `_COUNTED` are translated with the locale's plural forms ('1 подход', '2 подхода',
    '5 подходов'); any other noun is English (write ngettext for it instead)."""
    counted = _COUNTED.get(noun)
    if counted is not None and (plural is None or noun == "person"):
        return counted(count).format(n=count)
    word = noun if count == 1 else (plural if plural is not None else _plural(noun))
    return f"{count} {word}"


def count_sets(n: int) -> str:
    """'1 set', '2 sets' ('1 подход', '2 подхода', '5 подходов')."""
    return ngettext("{n} set", "{n} sets", n).format(n=n)


def count_reps(n: int) -> str:
    """'1 rep', '8 reps' ('1 повтор', '2 повтора', '5 повторов')."""
    return ngettext("{n} rep", "{n} reps", n).format(n=n)


def count_workouts(n: int) -> str:
    """'1 workout', '3 workouts' ('1 тренировка', '2 тренировки', '5 тренировок')."""
    return ngettext("{n} workout", "{n} workouts", n).format(n=n)


def count_days(n: int) -> str:
    """'1 day', '3 days' ('1 день', '2 дня', '5 дней')."""
    return ngettext("{n} day", "{n} days", n).format(n=n)


def count_weeks(n: int) -> str:
    """'1 week', '8 weeks' ('1 неделя', '2 недели', '5 недель')."""
    return ngettext("{n} week", "{n} weeks", n).format(n=n)


def _plural(noun: str) -> str:
    """The regular English plural of a noun (or of a phrase's last word): set -> sets, match ->
    matches, entry -> entries."""
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    return noun + "s"


def format_count_of(done: int, total: int, noun: str, plural: str | None = None) -> str:
    """Progress against a target, the noun agreeing with the total: '1 of 3 sets', '1 of 1 set'
    (Russian '1 из 3 подходов', '1 из 21 подхода': the noun's case after 'из')."""
    if noun == "set" and plural is None:
        return ngettext("{done} of {n} set", "{done} of {n} sets", total).format(done=done, n=total)
    return _("{done} of {total}").format(done=done, total=format_count(total, noun, plural))


def format_duration(seconds: int) -> str:
    """One style everywhere: '45 s', '2 min', '5 min 22 s', '1 h', '1 h 10 min', '1 h 0 min 5 s' -
    every form read back by parse_duration (and by parse_sets, also as '3×5 min 22 s')."""
    if seconds < 0:
        return "-" + format_duration(-seconds)
    if seconds < 60:
        return _("{seconds} s").format(seconds=seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [_("{hours} h").format(hours=hours)] if hours else []
    if minutes or (hours and secs):
        parts.append(_("{minutes} min").format(minutes=minutes))
    if secs:
        parts.append(_("{seconds} s").format(seconds=secs))
    return " ".join(parts)


def format_minutes(seconds: int) -> str:
    """A workout's length to the minute (at least 1 min), in format_duration's style: '1 min',
    '45 min', '1 h 10 min'."""
    return format_duration(max(1, (seconds + 30) // 60) * 60)


def format_added_weight(kg: Decimal, unit: WeightUnit) -> str:
    """Load added to a bodyweight exercise: '+10 kg', '+22 lb'."""
    return f"+{format_weight(kg, unit)}"


def format_distance(meters: Decimal | int) -> str:
    """'800 m', '1 km', '5.2 km', '42.2 km' (to 0.1 km from 1 km up; whole metres below)."""
    value = Decimal(meters)
    if abs(value) < 1000:
        metres = format_decimal(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return _("{distance} m").format(distance=metres)
    km = (value / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return _("{distance} km").format(distance=format_decimal(km))


def format_label(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with '…' when cut: a button
    reads 'Barbell Back…' rather than 'Barbell Back S'. A single over-long word is cut inside."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    cut = head.rfind(" ")
    if cut >= max(1, (limit - 1) // 2):
        head = head[:cut]
    return head.rstrip(" -·,:;") + "…"


def _is_timed(s: SetLike, tracking: TrackingType) -> bool:
    """A set measured by time (or calories, on a machine): a run of them is written count first."""
    measured = s.duration_seconds is not None or getattr(s, "calories", None) is not None
    return measured and (tracking is TrackingType.DURATION or s.reps is None)


_KIND_MARKS: Final = {"DROP": "d", "FAILURE": "f"}


def _kind(s: SetLike) -> str:
    """The set's type as text ('WORKING', 'WARMUP', 'DROP', 'FAILURE', 'AMRAP'); a value without a
    set_type (a test double, a prescription) is a warm-up or a working set."""
    kind = getattr(s, "set_type", None)
    if kind is None:
        return "WARMUP" if s.is_warmup else "WORKING"
    return str(kind)


def format_set_distance(meters: Decimal) -> str:
    """A set's distance exactly, as parse_sets reads it back: '400 m', '5 km', '4.023 km'."""
    if meters < 1000:
        return _("{distance} m").format(distance=format_decimal(meters))
    return _("{distance} km").format(distance=format_decimal(meters / 1000))


def format_pace(seconds: int, meters: Decimal) -> str:
    """Time per kilometre: '5:00 /km' (minutes:seconds, the way runners read a pace)."""
    if meters <= 0:
        return NO_VALUE
    per_km = int((Decimal(seconds) * 1000 / meters).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    minutes, secs = divmod(per_km, 60)
    return _("{minutes}:{seconds} /km").format(minutes=minutes, seconds=f"{secs:02d}")


def _work(s: SetLike, unit: WeightUnit, tracking: TrackingType) -> str:
    """One set without its kind mark and effort."""
    distance: Decimal | None = getattr(s, "distance_m", None)
    calories: int | None = getattr(s, "calories", None)
    if _is_timed(s, tracking):
        timed = None if s.duration_seconds is None else format_duration(s.duration_seconds)
        if timed is not None and distance is not None:
            timed = _("{distance} in {time}").format(distance=format_set_distance(distance), time=timed)
        if calories is not None:
            burnt = _("{calories} cal").format(calories=calories)
            return f"{timed} {burnt}" if timed else burnt
        assert timed is not None
        return timed
    if s.reps is None:
        return format_weight(s.weight_kg, unit) if s.weight_kg is not None else NO_VALUE
    assistance: Decimal | None = getattr(s, "assistance_kg", None)
    if assistance is not None and s.weight_kg is None:
        return f"-{format_weight_number(assistance, unit)}{TIMES}{s.reps}"
    if s.weight_kg is None:
        bodyweight = pgettext("set notation", "BW")
        return f"{bodyweight}{TIMES}{s.reps}"
    plus = "+" if tracking is TrackingType.REPS else ""
    return f"{plus}{format_weight_number(s.weight_kg, unit)}{TIMES}{s.reps}"


def _effort(s: SetLike) -> str:
    """' @8', ' @7.5 rir2', ' rir0' or ''."""
    rpe: Decimal | None = getattr(s, "rpe", None)
    rir: int | None = getattr(s, "rir", None)
    text = f" @{format_decimal(rpe)}" if rpe is not None else ""
    if rir is None:
        return text
    reps_in_reserve = pgettext("set notation", "rir")
    return f"{text} {reps_in_reserve}{rir}"


def _dressed(work: str, kind: str, effort: str) -> str:
    mark = WARMUP_MARK if kind == "WARMUP" else _KIND_MARKS.get(kind)
    text = f"{work}+" if kind == "AMRAP" else work
    return f"{mark} {text}{effort}" if mark else f"{text}{effort}"


def format_set(s: SetLike, unit: WeightUnit, tracking: TrackingType) -> str:
    """One set: '60×8', 'BW×12' (no weight), '+10×8' (added load on a REPS exercise), '-20×8' (assisted:
    the weight taken off), '45 s', '1 min 30 s', '5 km in 25 min'; a warm-up is marked 'w 40×10', a drop
    set 'd 40×10', a set to failure 'f 60×6', as many reps as possible '60×8+'; then the effort:
    '60×8 @8', '60×8 rir2'; calories on a machine '10 cal', '20 min 250 cal', '2 km in 8 min 150 cal'.
    The weight's unit is left out (say it once around the list)."""
    return _dressed(_work(s, unit, tracking), _kind(s), _effort(s))


def format_sets_compact(sets: Iterable[SetLike], unit: WeightUnit, tracking: TrackingType) -> str:
    """Sets in order, comma-separated, a run of identical sets written once with its count:
    '60×8×3, 60×7' (weight × reps × sets), '3×45 s' (sets × time), 'w 40×10, 60×8', '60×8×3 @8',
    '3×400 m in 1 min 30 s'; AMRAP sets are written one by one ('60×8+, 60×9+').

    Every form is one parse_sets reads back. An empty list is '–'.
    """
    runs: list[tuple[str, bool, str, str, int]] = []  # (work, timed, kind, effort, count)
    for s in sets:
        key = (_work(s, unit, tracking), _is_timed(s, tracking), _kind(s), _effort(s))
        if runs and runs[-1][:4] == key and key[2] != "AMRAP":
            runs[-1] = (*key, runs[-1][4] + 1)
        else:
            runs.append((*key, 1))
    if not runs:
        return NO_VALUE
    parts = []
    for work, timed, kind, effort, count in runs:
        text = work
        if count > 1:
            text = f"{count}{TIMES}{work}" if timed else f"{work}{TIMES}{count}"
        parts.append(_dressed(text, kind, effort))
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
    distance_m: Decimal | None = None,
) -> str:
    """A target: '3 × 5 @ 60 kg · rest 3 min', '3 × 8-12', '3 × 45 s', '3 × 8 @ +10 kg' (REPS: added load),
    '1 × 5 km in 25 min' (a distance in a time).

    Pass the arguments by keyword. Without reps or a duration it is '3 sets'.
    """
    work: str | None = None
    if duration_seconds is not None and (tracking is TrackingType.DURATION or reps_min is None):
        work = format_duration(duration_seconds)
        if distance_m is not None:
            work = _("{distance} in {time}").format(distance=format_set_distance(distance_m), time=work)
    elif reps_min is not None:
        work = format_reps_range(reps_min, reps_max)
    text = f"{sets} × {work}" if work is not None else count_sets(sets)
    if weight_kg is not None:
        plus = "+" if tracking is TrackingType.REPS else ""
        text += f" @ {plus}{format_weight(weight_kg, unit)}"
    if rest_seconds:
        text += " · " + _("rest {duration}").format(duration=format_duration(rest_seconds))
    return text


def format_date(d: date, today: date) -> str:
    """'12 Nov', or '12 Nov 2025' when `d` is not in `today`'s year (pass the user's local today);
    Russian '12 нояб', '7 мая 2025' (Babel's month names, the abbreviation's dot left out)."""
    locale = current_locale()
    if locale == "en":
        text = f"{d.day} {MONTHS[d.month - 1]}"
        return text if d.year == today.year else f"{text} {d.year}"
    text = babel_format_date(d, "d MMM", locale=locale).replace(".", "")
    return text if d.year == today.year else f"{text} {d.year}"


WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""English weekday abbreviations; show a weekday with `format_weekday`."""


def format_weekday(d: date) -> str:
    """The weekday, abbreviated: 'Mon' (Russian 'пн')."""
    locale = current_locale()
    if locale == "en":
        return WEEKDAYS[d.weekday()]
    return babel_format_date(d, "EEE", locale=locale).replace(".", "")


def format_month(month: int) -> str:
    """A month (1-12), abbreviated: 'Dec' (Russian 'дек')."""
    locale = current_locale()
    if locale == "en":
        return MONTHS[month - 1]
    return babel_format_date(date(2000, month, 1), "LLL", locale=locale).replace(".", "")


def format_recent_day(d: date, today: date) -> str:
    """'today', 'yesterday', a weekday within the last week ('Mon'), else as format_date ('12 Nov')."""
    days = (today - d).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    if 1 < days < 7:
        return format_weekday(d)
    return format_date(d, today)


def format_weight_change(kg: Decimal, unit: WeightUnit) -> str:
    """A signed change in the user's unit: '+2.5 kg', '-5 lb'."""
    sign = "-" if kg < 0 else "+"
    return f"{sign}{format_weight(abs(kg), unit)}"


def format_percent(value: Decimal) -> str:
    """'85%', '92.5%'."""
    return f"{format_decimal(value)}%"


def format_day_of_program(day: int, length: int | None) -> str:
    """'day 15 of 84'; 'day 15' when the length is unknown."""
    if length is None:
        return _("day {day}").format(day=day)
    return _("day {day} of {length}").format(day=day, length=length)


def format_volume(kg: Decimal, unit: WeightUnit) -> str:
    """Total load lifted, whole numbers with thousands separators: '4,320 kg', '9,524 lb'."""
    value = int(from_kg(kg, unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return f"{format_integer(value)} {unit_label(unit)}"


def format_work(
    sets: int,
    reps: int,
    volume_kg: Decimal,
    seconds: int,
    unit: WeightUnit,
    *,
    distance_m: Decimal | None = None,
    distance_seconds: int | None = None,
    calories: int = 0,
) -> str:
    """The work of a workout or a week, only what applies: '5 sets · 15 reps · volume 900 kg', '3 sets ·
    time 2 min 30 s' (timed sets: a plank), '4 sets · 40 reps · volume 1,200 kg · time 10 min';
    with a distance '1 set · distance 5 km · time 25 min · pace 5:00 /km' - the pace over the sets that
    have a distance (`distance_seconds`, their time; all of `seconds` when not given); calories burnt on
    a machine last: '2 sets · time 20 min · 250 cal'."""
    parts = [count_sets(sets)]
    if reps:
        parts.append(count_reps(reps))
    if volume_kg > 0:
        parts.append(_("volume {volume}").format(volume=format_volume(volume_kg, unit)))
    if distance_m:
        parts.append(_("distance {distance}").format(distance=format_distance(distance_m)))
    if seconds:
        parts.append(_("time {duration}").format(duration=format_duration(seconds)))
    if distance_m and (distance_seconds if distance_seconds is not None else seconds):
        pace = format_pace(distance_seconds or seconds, distance_m)
        parts.append(_("pace {pace}").format(pace=pace))
    if calories:
        parts.append(_("{calories} cal").format(calories=format_integer(calories)))
    return " · ".join(parts)


def format_rating(value: int | None, scale: int = 10) -> str:
    """'8/10' (effort, soreness, difficulty on a 0..scale or 1..scale scale); None is '–'."""
    return NO_VALUE if value is None else f"{value}/{scale}"


__all__ = [
    "BODYWEIGHT",
    "MONTHS",
    "WEEKDAYS",
    "SetLike",
    "count_days",
    "count_reps",
    "count_sets",
    "count_weeks",
    "count_workouts",
    "format_added_weight",
    "format_count",
    "format_count_of",
    "format_date",
    "format_day_of_program",
    "format_decimal",
    "format_distance",
    "format_duration",
    "format_integer",
    "format_label",
    "format_minutes",
    "format_month",
    "format_pace",
    "format_prescription",
    "format_rating",
    "format_reps_range",
    "format_set",
    "format_set_distance",
    "format_sets_compact",
    "format_volume",
    "format_weekday",
    "format_weight",
    "format_weight_number",
    "format_weights",
    "format_work",
    "unit_label",
]
