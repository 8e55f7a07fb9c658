"""Loading a barbell: the plates on each side for a weight, the heaviest weight a plate set can load at
or below a target, and the warm-up ramp up to a working weight. Pure functions, no database, no Telegram.

Weights come and go in kg (as stored); the arithmetic is done in the trainee's unit, on a grid of
0.01 kg or 0.05 lb, because a lb trainee's plates are lb plates: 45 lb is stored as 20.41 kg, and
20.41 kg is 44.996 lb, which the grid reads back as exactly 45 lb (storing loses at most 0.005 kg =
0.011 lb, under half a grid step). Plates come in pairs, as many pairs of each size as needed.

`plates_per_side` finds the fewest plates per side (heaviest first among equals) with a small dynamic
programme over the plate set, built once per plate set and reused (`_table`), so it is right for any
set - with 15 and 10 kg plates, 20 kg per side is 10 + 10, not 15 and a remainder - and `loadable_weight`,
which the progression rules call for every target, costs a few microseconds.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Final

from bot.db.enums import WeightUnit
from bot.services.units import from_kg, kg_from

GRID: Final[dict[WeightUnit, Decimal]] = {WeightUnit.KG: Decimal("0.01"), WeightUnit.LB: Decimal("0.05")}
"""The arithmetic's step in each unit (see the module's docstring)."""
NO_PLATES_STEP: Final[dict[WeightUnit, Decimal]] = {WeightUnit.KG: Decimal("2.5"), WeightUnit.LB: Decimal(5)}
"""Rounding without a plate set: 2.5 kg or 5 lb steps."""
DEFAULT_BAR: Final[dict[WeightUnit, Decimal]] = {WeightUnit.KG: Decimal(20), WeightUnit.LB: Decimal(45)}
"""A standard barbell, in each unit."""
DEFAULT_PLATES: Final[dict[WeightUnit, tuple[Decimal, ...]]] = {
    WeightUnit.KG: tuple(Decimal(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")),
    WeightUnit.LB: tuple(Decimal(p) for p in ("45", "35", "25", "10", "5", "2.5")),
}
"""A commercial gym's plates, in each unit."""
RAMP: Final[tuple[tuple[int | None, int], ...]] = ((None, 10), (40, 5), (60, 3), (80, 2))
"""The warm-up: the empty bar × 10, then 40% × 5, 60% × 3 and 80% × 2 of the working weight."""
BARBELL: Final = "barbell"
"""The catalog's equipment that takes a bar and plates (the Plates button, a ramp from the empty bar)."""
LOADED_EQUIPMENT: Final = frozenset({"barbell", "dumbbell", "kettlebell", "cable", "machine"})
"""Equipment lifted with a weight: the Warm-up button (without a bar, in 2.5 kg / 5 lb steps)."""
_DP_LIMIT: Final = 200_000
"""Per-side amounts (in the plate set's own steps) beyond this are loaded greedily (no table)."""
_NONE: Final = 1 << 30


@functools.cache
def default_bar_kg(unit: WeightUnit) -> Decimal:
    """20 kg, or 45 lb (20.41 kg)."""
    return kg_from(DEFAULT_BAR[unit], unit)


@functools.cache
def default_plates_kg(unit: WeightUnit) -> tuple[Decimal, ...]:
    """The default plate set in kg, heaviest first (lb plates converted: 45 lb -> 20.41 kg)."""
    return tuple(kg_from(p, unit) for p in DEFAULT_PLATES[unit])


_STEPS_PER_KG: Final = {unit: from_kg(Decimal(1), unit) / GRID[unit] for unit in WeightUnit}


def _grid(kg: Decimal, unit: WeightUnit) -> int:
    """`kg` in steps of the unit's grid, to the nearest step."""
    return int((kg * _STEPS_PER_KG[unit]).to_integral_value(ROUND_HALF_UP))


def _kg(steps: int, unit: WeightUnit) -> Decimal:
    """A number of grid steps back in kg (0.01)."""
    if unit is WeightUnit.KG:
        return Decimal(steps).scaleb(-2)  # the kg grid is the storage precision: exact
    return kg_from(steps * GRID[unit], unit)


class _Table:
    """The fewest plates per side for every amount up to the largest asked so far, in units of the
    plates' greatest common divisor. `first[n]` is the heaviest plate that starts a fewest-plates
    loading of n (0 when n cannot be loaded)."""

    def __init__(self, plates: tuple[int, ...]) -> None:
        self.divisor = math.gcd(*plates)
        self.sizes = tuple(sorted({p // self.divisor for p in plates}, reverse=True))
        self.fewest = [0]
        self.first = [0]
        self._best: dict[int, int] = {}

    def _extend(self, n: int) -> None:
        fewest, first, sizes = self.fewest, self.first, self.sizes
        for amount in range(len(fewest), n + 1):
            best, pick = _NONE, 0
            for size in sizes:
                if size <= amount and fewest[amount - size] + 1 < best:
                    best, pick = fewest[amount - size] + 1, size
            fewest.append(best)
            first.append(pick)

    def best(self, n: int) -> int:
        """The heaviest loadable amount of at most `n` grid steps (remembered per amount)."""
        found = self._best.get(n)
        if found is None:
            found = self._best[n] = sum(self.load(n))
        return found

    def load(self, n: int) -> list[int]:
        """The plates (in grid steps, heaviest first) of the heaviest loading of at most `n` steps."""
        units = n // self.divisor
        if units > _DP_LIMIT:
            return self._greedy(units)
        if units >= len(self.fewest):
            self._extend(units)
        while units > 0 and self.fewest[units] >= _NONE:
            units -= 1
        plates: list[int] = []
        while units > 0:
            size = self.first[units]
            plates.append(size)
            units -= size
        plates.sort(reverse=True)
        return [size * self.divisor for size in plates]

    def can(self, units: int) -> bool:
        """Whether exactly `units` (in the divisor's units) can go on one side."""
        if units > _DP_LIMIT:
            return True  # far beyond any real weight: the smallest plate fills in
        if units >= len(self.fewest):
            self._extend(units)
        return self.fewest[units] < _NONE

    def _greedy(self, units: int) -> list[int]:
        plates: list[int] = []
        for size in self.sizes:
            count, units = divmod(units, size)
            plates += [size * self.divisor] * count
        return plates


@functools.lru_cache(maxsize=1024)
def _table(plates: tuple[int, ...]) -> _Table:
    return _Table(plates)


@functools.lru_cache(maxsize=4096)
def _cached_table_for(plates: tuple[Decimal, ...], unit: WeightUnit) -> _Table | None:
    sizes = tuple(sorted({size for size in (_grid(p, unit) for p in plates) if size > 0}, reverse=True))
    return _table(sizes) if sizes else None


def _table_for(plates: Sequence[Decimal], unit: WeightUnit) -> _Table | None:
    """The plate set's table; a set seen before costs a dictionary lookup."""
    return _cached_table_for(plates if isinstance(plates, tuple) else tuple(plates), unit)


@functools.lru_cache(maxsize=4096)
def _bar_grid(bar_kg: Decimal | None, unit: WeightUnit) -> int:
    return _grid(bar_kg, unit) if bar_kg is not None else 0


@dataclass(frozen=True, slots=True)
class PlateLoad:
    """How a weight goes on the bar: the plates on each side (kg, heaviest first), what that loads in
    all (the bar included) and what is left over when the weight cannot be loaded exactly."""

    per_side: tuple[Decimal, ...]
    loaded_kg: Decimal
    remainder_kg: Decimal

    @property
    def exact(self) -> bool:
        return self.remainder_kg == 0


def plates_per_side(
    total_kg: Decimal,
    bar_kg: Decimal,
    plates: Sequence[Decimal],
    unit: WeightUnit = WeightUnit.KG,
) -> PlateLoad | None:
    """The plates on each side of the bar for `total_kg` (fewest plates, heaviest first), or the
    heaviest loading under it with the remainder when the plate set cannot make it exactly. None when
    `total_kg` is less than the bar. `plates` are the sizes owned (kg), pairs of each in any number;
    `unit` is the one they are marked in (see the module's docstring)."""
    total, bar = _grid(total_kg, unit), _bar_grid(bar_kg, unit)
    if total < bar:
        return None
    table = _table_for(plates, unit)
    side = table.load((total - bar) // 2) if table is not None else []
    loaded = bar + 2 * sum(side)
    return PlateLoad(
        per_side=tuple(_kg(size, unit) for size in side),
        loaded_kg=_kg(loaded, unit),
        remainder_kg=_kg(total - loaded, unit),
    )


def loadable_weight(
    target_kg: Decimal,
    bar_kg: Decimal | None,
    plates: Sequence[Decimal] | None,
    unit: WeightUnit,
) -> Decimal:
    """The heaviest weight (kg, 0.01) at or below `target_kg` that the bar and plate set can load.

    Without a plate set (None or empty), steps of 2.5 kg or 5 lb. A target under the lightest loadable
    weight gives that lightest weight: the bar, or one step (a weight is never 0).
    """
    bar = _bar_grid(bar_kg, unit)
    target = _grid(target_kg, unit)
    if not plates:
        step = int(NO_PLATES_STEP[unit] / GRID[unit])
        steps = (target // step) * step
        return _kg(max(steps, bar, step if bar == 0 else 0), unit)
    table = _table_for(plates, unit)
    if table is None:
        return _kg(max(bar, 1), unit)
    loaded = bar if target <= bar else bar + 2 * table.best((target - bar) // 2)
    if loaded == 0:  # no bar, and the target is under the lightest pair
        loaded = 2 * min(table.sizes) * table.divisor
    return _kg(loaded, unit)


class Scale:
    """The weights a trainee can load on one exercise, and the app's one rounding rule for the weights it
    computes (progression targets, percent shares, deloads, the day's readiness reduction, first
    targets): the NEAREST loadable weight, halves going to the lighter one.

    A barbell exercise loads the trainee's bar and pairs of their plates (`scale_for`); anything else
    (dumbbells, kettlebells, cables, machines, added weight) moves in steps of 2.5 kg or 5 lb
    (NO_PLATES_STEP), the issue's default, as the Warm-up ramp of those exercises does. `up` and `down`
    are one loadable step above or below a weight: an increment or a deload always moves at least that.
    Works in the unit's grid (see the module's docstring); a scale is cached per loading (`scale_of`).
    """

    __slots__ = ("_bar", "_lightest", "_step", "_table", "unit")

    def __init__(
        self, unit: WeightUnit, bar_kg: Decimal | None = None, plates: Sequence[Decimal] | None = None
    ) -> None:
        self.unit = unit
        self._table = _table_for(plates, unit) if plates else None
        self._bar = _bar_grid(bar_kg, unit) if self._table is not None else 0
        self._step = int(NO_PLATES_STEP[unit] / GRID[unit])
        table = self._table
        if table is None:
            self._lightest = self._step
        else:
            self._lightest = self._bar or 2 * min(table.sizes) * table.divisor

    # --- on the grid (ints) ---

    def floor_grid(self, g: int) -> int:
        """The heaviest loadable at or below `g`, or the lightest loadable when none is."""
        table = self._table
        if table is None:
            return max((g // self._step) * self._step, self._step)
        if g <= self._bar:
            return self._lightest
        loaded = self._bar + 2 * table.best((g - self._bar) // 2)
        return loaded if loaded >= self._lightest else self._lightest

    def above_grid(self, g: int) -> int:
        """The lightest loadable strictly above `g`."""
        table = self._table
        if g < self._lightest:
            return self._lightest
        if table is None:
            return (g // self._step + 1) * self._step
        pair = 2 * table.divisor
        units = (g - self._bar) // pair + 1
        while not table.can(units):
            units += 1
        return self._bar + pair * units

    def below_grid(self, g: int) -> int | None:
        """The heaviest loadable strictly below `g`, or None when there is none."""
        found = self.floor_grid(g - 1)
        return found if found < g else None

    def nearest_grid(self, g: int) -> int:
        low = self.floor_grid(g)
        if low >= g:
            return low
        high = self.above_grid(g)
        return low if g - low <= high - g else high

    # --- in kg (Decimal, 0.01) ---

    def grid(self, kg: Decimal) -> int:
        return _grid(kg, self.unit)

    def kg(self, g: int) -> Decimal:
        return _kg(g, self.unit)

    def round(self, kg: Decimal) -> Decimal:
        """The nearest loadable weight to `kg` (halves down; at least the lightest loadable)."""
        return _kg(self.nearest_grid(_grid(kg, self.unit)), self.unit)

    def up(self, kg: Decimal) -> Decimal:
        """The lightest loadable weight above `kg`."""
        return _kg(self.above_grid(_grid(kg, self.unit)), self.unit)

    def down(self, kg: Decimal) -> Decimal | None:
        """The heaviest loadable weight below `kg`; None when `kg` is at or under the lightest."""
        found = self.below_grid(_grid(kg, self.unit))
        return None if found is None else _kg(found, self.unit)

    def __repr__(self) -> str:
        return f"Scale({self.unit.value}, bar={self._bar}, table={self._table is not None})"


@functools.lru_cache(maxsize=4096)
def scale_of(unit: WeightUnit, bar_kg: Decimal | None, plates: tuple[Decimal, ...] | None) -> Scale:
    """The (cached) scale of a loading: a bar and plates, or (None, None) for 2.5 kg / 5 lb steps."""
    return Scale(unit, bar_kg, plates)


def scale_for(
    equipment: str, unit: WeightUnit, bar_kg: Decimal | None, plates: Sequence[Decimal] | None
) -> Scale:
    """The scale of an exercise with this equipment, for a trainee with this bar and plate set: the bar
    and plates for a barbell, steps of 2.5 kg / 5 lb for everything else."""
    if equipment == BARBELL and plates:
        return scale_of(unit, bar_kg, plates if isinstance(plates, tuple) else tuple(plates))
    return scale_of(unit, None, None)


@dataclass(frozen=True, slots=True)
class WarmupStep:
    """One warm-up set: its weight (kg) and reps, and the share of the working weight it stands for
    (None for the empty bar)."""

    weight_kg: Decimal
    reps: int
    percent: int | None


def warmup_ramp(
    working_kg: Decimal,
    bar_kg: Decimal | None,
    plates: Sequence[Decimal] | None,
    unit: WeightUnit,
) -> tuple[WarmupStep, ...]:
    """The warm-up sets before `working_kg` (RAMP), each rounded down to a loadable weight.

    With a bar (`bar_kg`), the first set is the empty bar; steps at or under the bar, at or over the
    working weight, or equal to the step before are left out, so the ramp only ever climbs and may be
    short (or empty: a working weight of the bar alone needs none). Without a bar (dumbbells, a
    machine) the percentages are rounded to 2.5 kg / 5 lb steps and `plates` is not used.
    """
    if bar_kg is None:
        plates = None
    work = _grid(working_kg, unit)
    steps: list[WarmupStep] = []
    floor = _grid(bar_kg, unit) if bar_kg is not None else 0
    for percent, reps in RAMP:
        if percent is None:
            if bar_kg is not None and floor < work:
                steps.append(WarmupStep(_kg(floor, unit), reps, None))
            continue
        share = (working_kg * percent / 100).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
        weight = loadable_weight(share, bar_kg, plates, unit)
        size = _grid(weight, unit)
        if size <= floor or size >= work:
            continue
        steps.append(WarmupStep(weight, reps, percent))
        floor = size
    return tuple(steps)


__all__ = [
    "BARBELL",
    "DEFAULT_BAR",
    "DEFAULT_PLATES",
    "LOADED_EQUIPMENT",
    "NO_PLATES_STEP",
    "RAMP",
    "PlateLoad",
    "Scale",
    "WarmupStep",
    "default_bar_kg",
    "default_plates_kg",
    "loadable_weight",
    "plates_per_side",
    "scale_for",
    "scale_of",
    "warmup_ramp",
]
