"""Unit conversion with Decimal: weights (kg/lb) and body measurements (cm/in/mm/m, %, bpm).

Pure, no database, no Telegram. Weight is stored in kg as NUMERIC(8,2); the user's unit is applied
only when parsing input (`kg_from`) and rendering output (`to_unit`). Rounding is ROUND_HALF_UP
everywhere (what people expect from a scale, unlike banker's rounding).

The round trip that matters: a weight typed in lb with at most one decimal, stored in kg (to 0.01 kg)
and shown in lb (to 0.1 lb) comes back as typed - 135 lb -> 61.23 kg -> 135.0 lb. It holds because
storing loses at most 0.005 kg = 0.011 lb, well under the 0.05 lb that rounding to 0.1 lb forgives.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from bot.db.enums import WeightUnit
from bot.i18n import N_, _
from bot.services.errors import DomainError

KG_PER_LB: Final = Decimal("0.45359237")  # exact, by definition of the international pound
LB_PER_KG: Final = 1 / KG_PER_LB  # 2.204622621848775807229338103 (28 significant digits)
KG_STEP: Final = Decimal("0.01")  # the storage precision: NUMERIC(8,2)
LB_DISPLAY_STEP: Final = Decimal("0.1")
KG_DISPLAY_STEP: Final = KG_STEP  # a kg value is shown as stored: 61.25 kg stays 61.25, not 61.3


class UnitError(DomainError):
    """An unknown unit, or two units that measure different things (kg -> cm)."""


def from_kg(kg: Decimal, unit: WeightUnit) -> Decimal:
    """`kg` expressed in `unit`, not rounded (lb values have up to 28 significant digits)."""
    return kg if unit is WeightUnit.KG else kg * LB_PER_KG


def kg_from(value: Decimal, unit: WeightUnit) -> Decimal:
    """A weight typed in `unit`, in kg quantized to 0.01 (the database precision): 135 lb -> 61.23."""
    kg = value if unit is WeightUnit.KG else value * KG_PER_LB
    return kg.quantize(KG_STEP, rounding=ROUND_HALF_UP)


def to_unit(kg: Decimal, unit: WeightUnit, *, step: Decimal | None = None) -> Decimal:
    """A stored kg weight in `unit`, rounded for display: 61.23 kg -> 135.0 lb.

    The default step is 0.1 lb for LB and 0.01 kg for KG (the storage precision, so a kg weight shows
    exactly as it was typed: 61.25 kg stays 61.25 rather than becoming 61.3). Pass `step` to round
    differently, e.g. Decimal(1) for whole numbers. The result may carry trailing zeros (135.0): the
    formatting layer strips them.
    """
    if step is None:
        step = KG_DISPLAY_STEP if unit is WeightUnit.KG else LB_DISPLAY_STEP
    return from_kg(kg, unit).quantize(step, rounding=ROUND_HALF_UP)


LB_PLATE_STEP: Final = Decimal("5")  # a barbell load: a pair of 2.5 lb plates
LB_SMALL_STEP: Final = Decimal("2.5")  # small loads and increments
KG_SHOWN_STEP: Final = Decimal("0.1")


def plate_friendly(kg: Decimal, unit: WeightUnit) -> Decimal:
    """A prescribed kg weight as a lb user can load it, back in kg (0.01): 60 kg -> 130 lb -> 58.97 kg,
    20 kg -> 45 lb, 2.5 kg -> 5 lb (steps of 5 lb, 2.5 lb under 20 lb). KG weights are left as they are."""
    if unit is WeightUnit.KG:
        return kg
    return kg_from(plate_lb(kg), WeightUnit.LB)


def plate_lb(kg: Decimal) -> Decimal:
    """`kg` in lb rounded to a plate-friendly step: 5 lb, or 2.5 lb under 20 lb (at least one step)."""
    lb = from_kg(kg, WeightUnit.LB)
    step = LB_PLATE_STEP if lb >= 20 else LB_SMALL_STEP
    return max((lb / step).quantize(Decimal(1), rounding=ROUND_HALF_UP), Decimal(1)) * step


def shown_kg(kg: Decimal) -> Decimal:
    """A kg weight with one decimal at most (61.23 -> 61.2, typed as 135 lb), except quarter kilos that
    micro-plates make (61.25, 62.75): those are shown as stored."""
    if (kg * 4) == (kg * 4).to_integral_value():
        return kg
    return kg.quantize(KG_SHOWN_STEP, rounding=ROUND_HALF_UP)


# --- generic conversions for body measurements --------------------------------------------------------

# Each unit maps to (dimension, factor to the dimension's base unit).
_UNITS: Final[dict[str, tuple[str, Decimal]]] = {
    "kg": ("mass", Decimal(1)),
    "lb": ("mass", KG_PER_LB),
    "mm": ("length", Decimal(1)),
    "cm": ("length", Decimal(10)),
    "m": ("length", Decimal(1000)),
    "in": ("length", Decimal("25.4")),  # exact, by definition of the international inch
    "%": ("percent", Decimal(1)),
    "bpm": ("heart rate", Decimal(1)),
}
_ALIASES: Final[dict[str, str]] = {
    "kgs": "kg",
    "kilo": "kg",
    "kilos": "kg",
    "kilogram": "kg",
    "kilograms": "kg",
    "lbs": "lb",
    "pound": "lb",
    "pounds": "lb",
    "inch": "in",
    "inches": "in",
    '"': "in",
    "″": "in",
    "centimetre": "cm",
    "centimetres": "cm",
    "centimeter": "cm",
    "centimeters": "cm",
    "millimetre": "mm",
    "millimetres": "mm",
    "millimeter": "mm",
    "millimeters": "mm",
    "metre": "m",
    "metres": "m",
    "meter": "m",
    "meters": "m",
    "percent": "%",
    "pct": "%",
}
_KNOWN: Final = ", ".join(_UNITS)
# The kinds of `_UNITS`, marked for translation (shown in UnitError's reasons).
KIND_NAMES: Final = (N_("mass"), N_("length"), N_("percent"), N_("heart rate"))


def normalize_unit(unit: str) -> str:
    """The canonical spelling of a unit ('KG', 'lbs', WeightUnit.LB, 'inches' -> 'kg', 'lb', 'lb', 'in').

    Raises UnitError for a unit it does not know.
    """
    key = str(unit).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _UNITS:
        raise UnitError(
            _("I don't know the unit '{unit}'. Use one of {known}.").format(
                unit=str(unit).strip()[:20], known=_KNOWN
            )
        )
    return key


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """`value` in `from_unit` expressed in `to_unit`, not rounded: kg/lb, mm/cm/m/in, % and bpm.

    Units are case-insensitive and may be a WeightUnit; % and bpm only convert to themselves. Raises
    UnitError for an unknown unit or units of different kinds (kg -> cm). Round the result yourself.
    """
    source, target = normalize_unit(from_unit), normalize_unit(to_unit)
    if source == target:
        return value
    (source_kind, source_factor), (target_kind, target_factor) = _UNITS[source], _UNITS[target]
    if source_kind != target_kind:
        raise UnitError(
            _("I can't convert {source} ({source_kind}) to {target} ({target_kind}).").format(
                source=source, source_kind=_(source_kind), target=target, target_kind=_(target_kind)
            )
        )
    return value * source_factor / target_factor


def convert_length(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """A length in `from_unit` expressed in `to_unit` (mm, cm, m, in), not rounded: 10 in -> 25.4 cm.

    Raises UnitError when either unit is not a length.
    """
    for unit in (from_unit, to_unit):
        key = normalize_unit(unit)
        if _UNITS[key][0] != "length":
            raise UnitError(_("{unit} is not a length. Use cm, in, mm or m.").format(unit=key))
    return convert(value, from_unit, to_unit)


__all__ = [
    "KG_DISPLAY_STEP",
    "KG_PER_LB",
    "KG_SHOWN_STEP",
    "KG_STEP",
    "LB_DISPLAY_STEP",
    "LB_PER_KG",
    "LB_PLATE_STEP",
    "LB_SMALL_STEP",
    "UnitError",
    "convert",
    "convert_length",
    "from_kg",
    "kg_from",
    "normalize_unit",
    "plate_friendly",
    "plate_lb",
    "shown_kg",
    "to_unit",
]
