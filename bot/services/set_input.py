"""Reading what a trainee types while logging a workout: sets, and typed ratings.

Pure: no database, no Telegram. `parse_sets` turns one message into one or more `SetInput`s (weights in
kg, whatever unit was typed) or raises `SetInputError`, whose `reason` says what was wrong and shows
examples for the exercise's tracking type. It never raises anything else, whatever the text.

What `parse_sets` reads (case-insensitive; ×, Cyrillic х and * work as x; 62,5 is 62.5):

- weight x reps (WEIGHT_REPS; on a REPS exercise the weight is an added load):
  ``60x8``, ``60 x 8``, ``60×8``, ``60kg 8``, ``60 kg x 8``, ``135lb x 5``, ``135 lbs x 5``, ``62,5x5``,
  ``+10kg x 8``, ``bw x 12`` (no weight). A unit typed with the weight (kg, kgs, kilo(s), lb(s),
  pound(s), кг) overrides the user's unit. Weight and reps need an ``x`` between them unless a unit
  or ``bw`` separates them: ``60 8`` is refused as ambiguous.
- several identical sets: ``60x8x3`` (weight x reps x sets), ``3x8 @ 60``, ``3x8@60kg`` (sets x reps @
  weight), ``8 @ 60`` (one set), ``bw x 12 x 3``. The total over the message is capped at `max_sets`.
- reps alone: ``8``, ``8 reps``. On a WEIGHT_REPS exercise the set gets `last_weight_kg` (the weight of
  the previous set or the prescription), or no weight (a bodyweight set) when that is None. On a REPS
  exercise reps alone are always without added load: `last_weight_kg` is ignored.
- a time (DURATION): ``45s``, ``45 s``, ``45 sec``, ``1:30``, ``2 min``, ``2m``, ``1m30s``, ``2 min 30 s``,
  ``1h``, ``90`` (a bare number is seconds); several sets ``3x45s``, ``3 x 1:30``, ``45s x 3``. With a
  set count the time needs its unit: ``3x45`` is refused (it could be read as weight x reps).
- a warm-up prefix on any of these: ``w 40x10``, ``w40x10``, ``wu 40x10``, ``warmup 40x10``,
  ``warm-up 40x10``.
- a kind of set, as a prefix: ``d 40x10`` (a drop set; ``drop 40x10``), ``f 60x6`` (to failure;
  ``fail 60x6``), or ``+`` after the reps: ``60x8+``, ``bw x 12+`` (as many reps as possible, AMRAP).
  A set is one kind only: ``w 60x8+`` is refused.
- effort after any set: ``60x8 @8``, ``60x8 @7.5``, ``60x8 rpe 8`` (RPE 1..10, one decimal at most),
  ``60x8 rir2`` (reps in reserve 0..10); both may be given. ``@`` after a bare number keeps its old
  meaning (``8 @ 60``, ``3x8 @ 60``: the weight), as does ``@`` with a unit or above 10 (``3x8 @ 8kg``);
  ``3x8 @ 8`` is 3 kg x 8 at RPE 8.
- assisted bodyweight work (a band, a machine's counterweight): ``-20kg x 8``, ``-20 x 8``, ``8 -20kg``
  (the weight taken off); weighted: ``+10kg x 8`` or ``8 +10kg`` (added; the weight of the set).
- a distance with its time (DURATION): ``5km 25:00``, ``5k 25:00``, ``400m 1:30``, ``2.5 mi 22:10``,
  ``5 km in 25 min`` (metres to 1 m; the pace is computed where shown); several: ``3x400m 1:30``.
  ``2m 30s`` stays a time (2 min 30 s); ``400m 30s`` and ``400 m in 30 s`` are the distance (60 m or
  more before a time is a distance, less is minutes unless ``in`` follows).
- calories (DURATION exercises: a rower, a bike, a ski erg), alone or after a time or a distance with its
  time: ``10 cal``, ``3x10 cal``, ``20 min 250 cal``, ``20:00 250 kcal``, ``2km 8:00 150 cal``, or first:
  ``250 cal in 20 min``, ``250 cal 20:00``. Counted exercises refuse them.
- several sets in one message, separated by a comma and a space, ``;`` or a new line:
  ``60x8, 60x8, 60x7`` (what `bot.ui.formatting.format_sets_compact` writes: ``60×8×2, 60×7``).
  A comma between two digits is a decimal comma, so ``60x8,60x7`` is refused.

- Russian, whatever the user's language (bot.services.set_words `english` reads it as English): units
  ``60кг 8``, ``60 кг х 8``, ``135 фунтов х 5``, ``8 повторов``/``8 повт``/``8 раз``, ``3 подхода``, ``45с``,
  ``45 сек``, ``2 мин``, ``1 ч``, ``5км 25:00``, ``500 м 2:00``, ``5 км за 25 мин``, ``10 кал``/``ккал``,
  ``св х 12`` (bodyweight), prefixes ``разминка``/``разм``, ``дроп``, ``отказ``, ``рпе 8``, ``рир 2``.

Limits: reps 1..1000 (a failed attempt is not logged as 0 reps), weight above 0 and at most 1000 kg
after conversion and rounding to 0.01 kg, time 1 s..10 h, distance 1 m..1000 km, calories 1..10000, at
most 100 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from bot.db.enums import SetType, TrackingType, WeightUnit
from bot.i18n import _, ngettext
from bot.services.errors import DomainError
from bot.services.program_format import parse_duration
from bot.services.set_words import KIND_CLASHES, english, set_input_help
from bot.services.units import LB_PER_KG, kg_from

MAX_TEXT_LENGTH: Final = 100
REPS_MIN: Final = 1
REPS_MAX: Final = 1000
WEIGHT_KG_MAX: Final = Decimal(1000)  # inclusive
DURATION_SECONDS_MIN: Final = 1
DURATION_SECONDS_MAX: Final = 36_000
DEFAULT_MAX_SETS: Final = 20
RPE_MIN: Final = Decimal(1)
RPE_MAX: Final = Decimal(10)
RIR_MAX: Final = 10
DISTANCE_M_MAX: Final = Decimal(1_000_000)
CALORIES_MAX: Final = 10_000
METRES_PER_MILE: Final = Decimal("1609.344")
_SHOWN_MAX: Final = 30  # characters of the user's text echoed back in an error


@dataclass(frozen=True, slots=True)
class SetInput:
    """One set as typed: reps and/or a weight in kg (0.01 kg) and/or a duration; None when not given.

    `set_type` is WARMUP exactly when `is_warmup` (either may be given; the other follows). `rpe`
    (1..10, 0.1), `rir` (0..10), `distance_m` (whole metres, with a duration) and `assistance_kg` (the
    weight taken off an assisted bodyweight set; never with `weight_kg`) and `calories` (kcal burnt, on
    a timed exercise; the set's only measure or with its time) are None when not given.
    """

    reps: int | None = None
    weight_kg: Decimal | None = None
    duration_seconds: int | None = None
    is_warmup: bool = False
    set_type: SetType = SetType.WORKING
    rpe: Decimal | None = None
    rir: int | None = None
    distance_m: Decimal | None = None
    assistance_kg: Decimal | None = None
    calories: int | None = None

    def __post_init__(self) -> None:
        if self.is_warmup and self.set_type is SetType.WORKING:
            object.__setattr__(self, "set_type", SetType.WARMUP)
        elif self.set_type is SetType.WARMUP:
            object.__setattr__(self, "is_warmup", True)
        elif self.is_warmup:
            raise ValueError(f"a warm-up cannot be a {self.set_type.value} set")


class SetInputError(DomainError):
    """The text is not a set this exercise can log; `reason` explains why, with examples."""


class RatingError(SetInputError):
    """A typed rating (effort, soreness, difficulty) is not a whole number in range."""


def _shown(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOWN_MAX else flat[: _SHOWN_MAX - 1] + "…"


# --- the grammar (applied to normalized text: lower case, x for ×, . for a decimal comma) -------------

_TIMES_SIGNS = re.compile("[×х✕✖⨯*]")  # multiplication signs, Cyrillic х (lower-cased first), *
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)", re.ASCII)
_SEPARATORS = re.compile(r"[;,\n]")
_WEIGHT = (
    r"(?:(?P<bw>bw|bodyweight|body weight)"
    r"|(?P<plus>\+ ?)?(?P<w>\d+(?:\.\d+)?) ?(?P<wu>kgs?|kilograms?|kilos?|lbs?|pounds?|кг)?)"
)
_REPS = r"(?P<r>\d+)(?: ?reps?)?"
# weight x reps [x sets]: a plain number needs an x before the reps; after a unit or bw a space will do.
_WEIGHT_FIRST = re.compile(
    rf"{_WEIGHT}(?: ?x ?|(?<=[a-zг]) ?){_REPS}(?: ?x ?(?P<n>\d+)(?: ?sets?)?)?", re.ASCII
)
# [sets x] reps @ weight
_REPS_AT = re.compile(rf"(?:(?P<n>\d+) ?x ?)?{_REPS} ?@ ?{_WEIGHT}", re.ASCII)
_REPS_ONLY = re.compile(_REPS, re.ASCII)
_WEIGHT_ONLY = re.compile(_WEIGHT, re.ASCII)
_SETS_FIRST = re.compile(r"(?P<n>\d+) ?x ?(?P<d>.+)", re.ASCII)
_SETS_LAST = re.compile(r"(?P<d>.+?) ?x ?(?P<n>\d+)(?: ?sets?)?", re.ASCII)
_BARE_PAIR = re.compile(r"(\d+) ?x ?\d+", re.ASCII)
_WEIGHT_HINT = re.compile(r"kg|kilo|lb|pound|кг|@|\+|bw|body ?weight")
_PREFIX_END = r"(?: ?: ?| |(?=[\d+-]))"
_KIND_PREFIXES: Final = (
    (SetType.WARMUP, re.compile(rf"(?:warm ?-? ?ups?|wu|w){_PREFIX_END}", re.ASCII)),
    (SetType.DROP, re.compile(rf"(?:drop ?-? ?sets?|drop|d){_PREFIX_END}", re.ASCII)),
    (SetType.FAILURE, re.compile(rf"(?:to failure|failure|fail|f){_PREFIX_END}", re.ASCII)),
)
_AMRAP = re.compile(r" ?\+$", re.ASCII)
_RPE = re.compile(r" ?(?P<at>@ ?|rpe ?)(?P<v>\d+(?:\.\d+)?)$", re.ASCII)
_RIR = re.compile(r" ?rir ?(?P<v>\d+)$", re.ASCII)
_UNIT = r"(?P<wu>kgs?|kilograms?|kilos?|lbs?|pounds?|кг)"
# assisted or weighted bodyweight work: -20kg x 8 [x 3], -20 x 8; 8 -20kg, 8 +10kg
_SIGNED_FIRST = re.compile(
    rf"(?P<sign>-) ?(?P<w>\d+(?:\.\d+)?) ?{_UNIT}?(?: ?x ?|(?<=[a-zг]) ){_REPS}"
    r"(?: ?x ?(?P<n>\d+)(?: ?sets?)?)?",
    re.ASCII,
)
# (no space after the sign: '12 - 15' reads like a rep range, not 12 reps with 15 kg taken off)
_REPS_SIGNED = re.compile(rf"(?P<r>\d+)(?: ?reps?)? (?P<sign>[+-])(?P<w>\d+(?:\.\d+)?) ?{_UNIT}?", re.ASCII)
_DISTANCE_UNITS: Final = {"km": Decimal(1000), "m": Decimal(1), "mi": METRES_PER_MILE}
_DISTANCE = re.compile(
    r"(?P<d>\d+(?:\.\d+)?) ?(?P<du>km|kms|kilomet(?:er|re)s?|k|m|met(?:er|re)s?|mi|miles?)"
    r"(?: in | |(?=\d))(?P<t>.+)",
    re.ASCII,
)
_DISTANCE_ALONE = re.compile(r"\d+(?:\.\d+)? ?(?:km|kms|kilomet(?:er|re)s?|k|m|met(?:er|re)s?|mi|miles?)")
_CALORIES = re.compile(r"(?:\d+ ?x ?)?\d+ ?(?:k?cals?|calories)\b.*", re.ASCII)
_CAL_UNIT = r"(?:k?cals?|kilocalories|calories)"
_CALORIES_ALONE = re.compile(rf"(?:(?P<n>\d+) ?x ?)?(?P<c>\d+) ?{_CAL_UNIT}", re.ASCII)
_CALORIES_AFTER = re.compile(rf"(?P<t>.+) (?P<c>\d+) ?{_CAL_UNIT}", re.ASCII)
_CALORIES_FIRST = re.compile(rf"(?P<c>\d+) ?{_CAL_UNIT}(?: in | )(?P<t>.+)", re.ASCII)


@dataclass(frozen=True, slots=True)
class _Context:
    tracking: TrackingType
    unit: WeightUnit
    last_weight_kg: Decimal | None
    help: str | None = None  # instead of set_input_help(tracking, unit)

    def fail(self, lead: str) -> SetInputError:
        help_text = self.help or set_input_help(self.tracking, self.unit)
        return SetInputError(
            _("{problem} {help}").format(problem=lead, help=help_text) if lead else help_text
        )

    def unreadable(self, chunk: str) -> SetInputError:
        return self.fail(_("I couldn't read “{text}”.").format(text=_shown(chunk)))


def _normalize(text: str) -> str:
    """Lower case, x for every times sign, . for a decimal comma - keeping every character's position
    (a character whose lower case is longer, like İ, stays as it is), so errors can quote the original."""
    text = "".join(lower if len(lower := char.lower()) == 1 else char for char in text)
    return _DECIMAL_COMMA.sub(".", _TIMES_SIGNS.sub("x", text))


def _count(value: str, ctx: _Context, max_sets: int) -> int:
    count = int(value)
    if count > max_sets:
        raise SetInputError(
            ngettext(
                "That's {n} set - I can take at most {max} at once.",
                "That's {n} sets - I can take at most {max} at once.",
                count,
            ).format(n=count, max=max_sets)
        )
    if count < 1:
        raise ctx.fail(_("The number of sets must be at least 1."))
    return count


def _reps(value: str, ctx: _Context) -> int:
    reps = int(value)
    if reps < REPS_MIN:
        raise ctx.fail(_("A set needs at least {n} rep.").format(n=REPS_MIN))
    if reps > REPS_MAX:
        raise ctx.fail(
            ngettext(
                "{n} rep is more than I can log - at most {max}.",
                "{n} reps is more than I can log - at most {max}.",
                reps,
            ).format(n=reps, max=REPS_MAX)
        )
    return reps


def _weight_limit(unit: WeightUnit) -> str:
    if unit is WeightUnit.KG:
        return _("{n} kg").format(n=WEIGHT_KG_MAX)
    return _("{n} lb").format(n=int(WEIGHT_KG_MAX * LB_PER_KG))


def _weight(match: re.Match[str], ctx: _Context) -> Decimal | None:
    if match["bw"]:
        return None
    return _weight_value(match["w"], match["wu"], ctx)


def _weight_value(number: str, unit_text: str | None, ctx: _Context, *, assisted: bool = False) -> Decimal:
    unit = ctx.unit
    if unit_text:
        unit = WeightUnit.KG if unit_text[0] in "kк" else WeightUnit.LB
    value = Decimal(number)
    typed = (_("{n} kg") if unit is WeightUnit.KG else _("{n} lb")).format(n=number)
    too_heavy = ctx.fail(
        _("{weight} is too heavy - at most {limit}.").format(weight=typed, limit=_weight_limit(unit))
    )
    if value > 10 * WEIGHT_KG_MAX * LB_PER_KG:  # before converting: keeps huge numbers out of Decimal
        raise too_heavy
    kg = kg_from(value, unit)
    if kg <= 0:
        if ctx.help is not None:
            raise ctx.fail(_("The weight must be more than 0."))
        if assisted:
            raise ctx.fail(
                _("The assistance must be more than 0 - for an unassisted set send just the reps.")
            )
        if ctx.tracking is TrackingType.REPS:
            raise ctx.fail(
                _("The added weight must be more than 0 - for no added weight send just the reps.")
            )
        raise ctx.fail(_("The weight must be more than 0 - for a bodyweight set send bw x 12."))
    if kg > WEIGHT_KG_MAX:
        raise too_heavy
    return kg


def _seconds(text: str, ctx: _Context) -> int | None:
    """Seconds if `text` is a duration, else None; raises when it is one but out of range."""
    try:
        seconds = parse_duration(text, minimum=0, maximum=10**12)
    except ValueError:
        return None
    if seconds < DURATION_SECONDS_MIN:
        raise ctx.fail(_("A set must last at least 1 second."))
    if seconds > DURATION_SECONDS_MAX:
        raise ctx.fail(_("A set can last at most {n} hours.").format(n=DURATION_SECONDS_MAX // 3600))
    return seconds


def _timed_sets(body: str, ctx: _Context, max_sets: int) -> tuple[int, int] | None:
    """(count, seconds) when `body` is a time with an optional set count, else None."""
    seconds = _seconds(body, ctx)
    if seconds is not None:
        return 1, seconds
    for pattern in (_SETS_FIRST, _SETS_LAST):
        match = pattern.fullmatch(body)
        if match and not match["d"].isdigit():
            seconds = _seconds(match["d"], ctx)
            if seconds is not None:
                return _count(match["n"], ctx, max_sets), seconds
    return None


def _is_time(body: str) -> bool:
    """Whether `body` is written as a time (with a unit or a clock), for a clear wrong-type error."""
    probe = _Context(TrackingType.DURATION, WeightUnit.KG, None)
    try:
        return not body.isdigit() and _timed_sets(body, probe, 10**4) is not None
    except SetInputError:
        return True


def _kind_prefix(body: str, chunk: str, ctx: _Context) -> tuple[SetType, str]:
    """The kind a prefix names (w, d, f) and the rest of `body`."""
    for kind, pattern in _KIND_PREFIXES:
        if match := pattern.match(body):
            rest = body[match.end() :].strip()
            if not rest:
                raise ctx.unreadable(chunk)
            return kind, rest
    return SetType.WORKING, body


def _rpe(value: str, ctx: _Context) -> Decimal:
    try:
        rpe = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        raise ctx.fail(_("RPE goes from 1 to 10, like @8 or @7.5.")) from None
    if not RPE_MIN <= rpe <= RPE_MAX or rpe != rpe.quantize(Decimal("0.1")):
        raise ctx.fail(
            _("RPE {value} is out of range: it goes from 1 to 10, like 60x8 @8 or @7.5.").format(value=value)
        )
    return rpe.quantize(Decimal("0.1"))


def _effort(body: str, ctx: _Context) -> tuple[str, Decimal | None, int | None]:
    """`body` without a trailing RPE (@8, rpe 8) and RIR (rir 2), and those values."""
    rpe: Decimal | None = None
    rir: int | None = None
    for _attempt in range(2):
        if rir is None and (match := _RIR.search(body)):
            rir = int(match["v"])
            if rir > RIR_MAX:
                raise ctx.fail(
                    _(
                        "RIR {value} is out of range: reps in reserve go from 0 to {max}, like 60x8 rir2."
                    ).format(value=rir, max=RIR_MAX)
                )
            body = body[: match.start()].strip()
        elif rpe is None and (match := _RPE.search(body)):
            core = body[: match.start()].strip()
            by_at = match["at"].startswith("@")
            # '8 @ 60' and '3x8 @ 60' keep meaning reps at a weight
            value = Decimal(match["v"])
            pair = _WEIGHT_FIRST.fullmatch(core) if by_at and RPE_MAX < value < DEFAULT_MAX_SETS else None
            if pair and pair["w"] and Decimal(pair["w"]) > DEFAULT_MAX_SETS:  # not sets x reps @ weight
                raise ctx.fail(
                    _("RPE {value} is out of range: it goes from 1 to 10, like 60x8 @8.").format(
                        value=match["v"]
                    )
                )
            if by_at and (
                (core.isdigit() and ctx.tracking is not TrackingType.DURATION)
                or Decimal(match["v"]) > RPE_MAX
            ):
                break
            if not core:
                break
            rpe, body = _rpe(match["v"], ctx), core
        else:
            break
    return body, rpe, rir


def _metres(match: re.Match[str], ctx: _Context) -> Decimal:
    unit = match["du"]
    factor = _DISTANCE_UNITS["mi" if unit.startswith("mi") else "km" if unit.startswith("k") else "m"]
    metres = (Decimal(match["d"]) * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if metres < 1:
        raise ctx.fail(_("The distance must be at least 1 m."))
    if metres > DISTANCE_M_MAX:
        raise ctx.fail(_("The distance can be at most 1000 km."))
    return metres


def _distance_sets(body: str, ctx: _Context, max_sets: int) -> tuple[int, Decimal, int] | None:
    """(count, metres, seconds) when `body` is a distance with its time, optionally N x first."""
    count, text = "1", body
    if (match := _SETS_FIRST.fullmatch(body)) and not _DISTANCE.fullmatch(body):
        count, text = match["n"], match["d"]
    found = _DISTANCE.fullmatch(text)
    if found is None or len(found["d"]) > 9:
        return None
    seconds = _seconds(found["t"], ctx)
    if seconds is None:
        return None
    return _count(count, ctx, max_sets), _metres(found, ctx), seconds


def _is_distance_first(body: str) -> bool:
    """Whether a text both forms read is rather a distance: '5 km in 25 min' (with 'in'), or metres that
    are no minutes with seconds after them ('400m 30s'; '2m 30s' stays 2 min 30 s)."""
    if " in " in body:
        return True
    found = _DISTANCE.fullmatch(
        _SETS_FIRST.sub(r"\g<d>", body, count=1) if _SETS_FIRST.fullmatch(body) else body
    )
    return found is not None and found["du"] == "m" and len(found["d"]) <= 9 and Decimal(found["d"]) >= 60


def _calories(value: str, ctx: _Context) -> int:
    if len(value) > 6 or int(value) > CALORIES_MAX:
        raise ctx.fail(_("{n} cal is more than I can log - at most {max}.").format(n=value, max=CALORIES_MAX))
    if int(value) < 1:
        raise ctx.fail(_("A set needs at least 1 cal - or send the time, like 10 min."))
    return int(value)


def _timed(body: str, chunk: str, ctx: _Context, max_sets: int) -> list[SetInput]:
    """The sets of a DURATION exercise: times, distances with their time, calories alone or with them."""
    if match := _CALORIES_ALONE.fullmatch(body):
        count = _count(match["n"], ctx, max_sets) if match["n"] is not None else 1
        return [SetInput(calories=_calories(match["c"], ctx))] * count
    if match := (_CALORIES_FIRST.fullmatch(body) or _CALORIES_AFTER.fullmatch(body)):
        calories = _calories(match["c"], ctx)
        rest = match["t"].strip()
        if _CALORIES.search(rest):  # calories twice
            raise ctx.unreadable(chunk)
        return [replace(s, calories=calories) for s in _timed(rest, chunk, ctx, max_sets)]
    distance = _distance_sets(body, ctx, max_sets) if _is_distance_first(body) else None
    timed = _timed_sets(body, ctx, max_sets) if distance is None else None
    if timed is not None:
        count, seconds = timed
        return [SetInput(duration_seconds=seconds)] * count
    distance = distance or _distance_sets(body, ctx, max_sets)
    if distance is not None:
        count, metres, seconds = distance
        return [SetInput(duration_seconds=seconds, distance_m=metres)] * count
    if _DISTANCE_ALONE.fullmatch(body) and not _is_time(body):
        raise ctx.fail(
            _("How long did “{text}” take? Add the time, like 5km 25:00 or 400m 1:30.").format(
                text=_shown(chunk)
            )
        )
    if (pair := _BARE_PAIR.fullmatch(body)) and 1 <= int(pair[1]) <= max_sets:
        raise ctx.fail(_("For “{text}” write the time with its unit, like 3x45s.").format(text=_shown(chunk)))
    if _WEIGHT_HINT.search(body) or _WEIGHT_FIRST.fullmatch(body):
        raise ctx.fail(
            _("“{text}” looks like weight and reps, but this exercise is timed.").format(text=_shown(chunk))
        )
    raise ctx.unreadable(chunk)


def _counted(body: str, chunk: str, ctx: _Context, max_sets: int) -> list[SetInput]:
    """The sets of a REPS or WEIGHT_REPS exercise."""
    count = 1
    assistance: Decimal | None = None
    if (match := _WEIGHT_FIRST.fullmatch(body)) or (match := _REPS_AT.fullmatch(body)):
        reps = _reps(match["r"], ctx)
        weight = _weight(match, ctx)
        if match["n"] is not None:
            count = _count(match["n"], ctx, max_sets)
    elif (match := _SIGNED_FIRST.fullmatch(body)) or (match := _REPS_SIGNED.fullmatch(body)):
        reps = _reps(match["r"], ctx)
        assisted = match["sign"] == "-"
        amount = _weight_value(match["w"], match["wu"], ctx, assisted=assisted)
        weight, assistance = (None, amount) if assisted else (amount, None)
        if "n" in match.re.groupindex and match["n"] is not None:
            count = _count(match["n"], ctx, max_sets)
    elif match := _REPS_ONLY.fullmatch(body):
        reps = _reps(match["r"], ctx)
        weight = ctx.last_weight_kg if ctx.tracking is TrackingType.WEIGHT_REPS else None
    elif _is_time(body):
        raise ctx.fail(
            _("“{text}” is a time, but this exercise is counted in reps.").format(text=_shown(chunk))
        )
    elif _DISTANCE.fullmatch(body) or _DISTANCE_ALONE.fullmatch(body):
        raise ctx.fail(
            _("“{text}” is a distance, but this exercise is counted in reps.").format(text=_shown(chunk))
        )
    elif _CALORIES.fullmatch(body):
        raise ctx.fail(
            _("“{text}” is calories, but this exercise is counted in reps.").format(text=_shown(chunk))
        )
    elif _WEIGHT_ONLY.fullmatch(body):
        raise ctx.fail(_("How many reps with “{text}”?").format(text=_shown(chunk)))
    else:
        raise ctx.unreadable(chunk)
    return [SetInput(reps=reps, weight_kg=weight, assistance_kg=assistance)] * count


def _parse_chunk(body: str, chunk: str, ctx: _Context, max_sets: int) -> list[SetInput]:
    """The sets in `body` (normalized, single-spaced); `chunk` is the text as typed, for errors."""
    kind, body = _kind_prefix(body, chunk, ctx)
    body, rpe, rir = _effort(body, ctx)
    if match := _AMRAP.search(body):
        if kind is not SetType.WORKING:
            raise ctx.fail(_(KIND_CLASHES[kind]).format(text=_shown(chunk)))
        if ctx.tracking is TrackingType.DURATION:
            raise ctx.fail(_("As many reps as possible (60x8+) is for exercises counted in reps."))
        kind, body = SetType.AMRAP, body[: match.start()].strip()
    if not body:
        raise ctx.unreadable(chunk)
    if ctx.tracking is TrackingType.DURATION:
        sets = _timed(body, chunk, ctx, max_sets)
    else:
        sets = _counted(body, chunk, ctx, max_sets)
    return [replace(s, set_type=kind, is_warmup=kind is SetType.WARMUP, rpe=rpe, rir=rir) for s in sets]


def parse_sets(
    text: str,
    *,
    tracking: TrackingType,
    unit: WeightUnit,
    last_weight_kg: Decimal | None = None,
    max_sets: int = DEFAULT_MAX_SETS,
) -> list[SetInput]:
    """The sets in one message, in order (see the module docstring for every accepted form).

    `unit` is the user's weight unit, used when no unit is typed. `last_weight_kg` is the weight that
    reps alone mean on a WEIGHT_REPS exercise. Raises SetInputError - and nothing else - with a reason
    to show the user.
    """
    ctx = _Context(tracking, unit, last_weight_kg)
    if not isinstance(text, str) or not text.strip():
        raise ctx.fail("")
    text = text.strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise ctx.fail(_("That's too long - send at most {n} characters.").format(n=MAX_TEXT_LENGTH))
    normalized = _normalize(text)
    result: list[SetInput] = []
    start = 0
    for end in [match.start() for match in _SEPARATORS.finditer(normalized)] + [len(text)]:
        body, chunk = english(normalized[start:end]), text[start:end]
        start = end + 1
        if not body:
            continue
        result += _parse_chunk(body, chunk, ctx, max_sets)
        if len(result) > max_sets:
            raise SetInputError(
                _("That's more than {max} sets - I can take at most {max} at once.").format(max=max_sets)
            )
    if not result:
        raise ctx.unreadable(text)
    return result


def parse_weight(text: str, *, unit: WeightUnit) -> Decimal:
    """A weight alone in kg (0.01 kg): '60', '62,5', '60kg', '135 lb' (a typed unit overrides `unit`).

    Raises SetInputError unless it is above 0 and at most 1000 kg.
    """
    example = (
        _("Send a weight like 60, 62.5 or 135lb.")
        if unit is WeightUnit.KG
        else _("Send a weight like 135, 132.5 or 60kg.")
    )
    ctx = _Context(TrackingType.WEIGHT_REPS, unit, None, help=example)
    body = english(_normalize(text)) if isinstance(text, str) else ""
    match = _WEIGHT_ONLY.fullmatch(body) if len(body) <= MAX_TEXT_LENGTH else None
    if match is None or match["bw"] or match["plus"]:
        raise ctx.fail(
            _("I couldn't read “{text}” as a weight.").format(text=_shown(str(text))) if body else ""
        )
    weight = _weight(match, ctx)
    assert weight is not None  # not bw
    return weight


__all__ = [
    "CALORIES_MAX",
    "DEFAULT_MAX_SETS",
    "DISTANCE_M_MAX",
    "DURATION_SECONDS_MAX",
    "DURATION_SECONDS_MIN",
    "MAX_TEXT_LENGTH",
    "REPS_MAX",
    "REPS_MIN",
    "RIR_MAX",
    "RPE_MAX",
    "RPE_MIN",
    "WEIGHT_KG_MAX",
    "RatingError",
    "SetInput",
    "SetInputError",
    "parse_sets",
    "parse_weight",
    "set_input_help",
]
