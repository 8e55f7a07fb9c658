"""Rounding targets to what a trainee can load: `loadable_weight` (and `plates_per_side`) per call.

The progression rules round every target of every trainee with `bot.services.plates.loadable_weight`
(10,000 trainees' targets in under a second is issue #13's bench), so a call must cost microseconds.
Trainees get kg or lb, the default plate set or one of a few custom sets (micro plates, only 20s and
10s, a home gym's odd set); targets from 20 to 250 kg. Prints the time per call of `loadable_weight`,
`plates_per_side` and `warmup_ramp`, against the baseline of plain 2.5 kg rounding with Decimal
(`to 2.5 kg steps`), measured in the same run. Figures, never asserted.

    .venv/bin/python -m bench.plates [--quick]
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from decimal import ROUND_FLOOR, Decimal

from bot.db.enums import WeightUnit
from bot.services.plates import (
    default_bar_kg,
    default_plates_kg,
    loadable_weight,
    plates_per_side,
    warmup_ramp,
)

D = Decimal
SETS: tuple[tuple[WeightUnit, Decimal, tuple[Decimal, ...]], ...] = (
    (WeightUnit.KG, default_bar_kg(WeightUnit.KG), default_plates_kg(WeightUnit.KG)),
    (WeightUnit.LB, default_bar_kg(WeightUnit.LB), default_plates_kg(WeightUnit.LB)),
    (WeightUnit.KG, D(20), (*default_plates_kg(WeightUnit.KG), D("0.5"), D("0.25"))),
    (WeightUnit.KG, D(15), (D(20), D(10))),
    (WeightUnit.KG, D(20), (D(15), D(10), D("2.5"))),
    (WeightUnit.LB, D("15.88"), (D("20.41"), D("11.34"), D("4.54"), D("1.13"))),
)


def timed(
    label: str,
    calls: list[tuple[Decimal, Decimal, tuple[Decimal, ...], WeightUnit]],
    fn: Callable[..., object],
) -> float:
    started = time.perf_counter()
    for target, bar, plates, unit in calls:
        fn(target, bar, plates, unit)
    per_call = (time.perf_counter() - started) / len(calls) * 1e6
    print(f"{label:<32} {per_call:8.2f} µs per call ({len(calls):,} calls)")
    return per_call


def steps_of_2_5(target: Decimal, bar: Decimal, plates: tuple[Decimal, ...], unit: WeightUnit) -> Decimal:
    return (target / D("2.5")).to_integral_value(ROUND_FLOOR) * D("2.5")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 calls instead of 200,000")
    args = parser.parse_args()
    count = 20_000 if args.quick else 200_000
    rng = random.Random(13)
    calls = []
    for _ in range(count):
        unit, bar, plates = rng.choice(SETS)
        target = D(rng.randrange(2000, 25000)) / 100
        calls.append((target, bar, plates, unit))
    print(f"bench.plates: {count:,} targets from 20 to 250 kg over {len(SETS)} plate sets (kg and lb)")
    baseline = timed("to 2.5 kg steps (baseline)", calls, steps_of_2_5)
    loadable = timed("loadable_weight", calls, loadable_weight)
    timed("plates_per_side", calls, plates_per_side)
    timed("warmup_ramp", calls[: count // 10], warmup_ramp)
    print(f"loadable_weight / baseline: {loadable / baseline:.1f}x")
    print(f"10,000 trainees x 5 targets: {loadable * 50_000 / 1e6 * 1000:.0f} ms of loadable_weight")


if __name__ == "__main__":
    main()
