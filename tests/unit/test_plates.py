"""bot.services.plates: plates per side, loadable weights and the warm-up ramp, in kg and lb."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.db.enums import WeightUnit
from bot.services.plates import (
    PlateLoad,
    WarmupStep,
    default_bar_kg,
    default_plates_kg,
    loadable_weight,
    plates_per_side,
    warmup_ramp,
)
from bot.services.units import kg_from, to_unit

KG, LB = WeightUnit.KG, WeightUnit.LB
D = Decimal
KG_PLATES = default_plates_kg(KG)
LB_PLATES = default_plates_kg(LB)
BAR = default_bar_kg(KG)
LB_BAR = default_bar_kg(LB)


def lb(value: str) -> Decimal:
    """A lb weight as stored (kg, 0.01)."""
    return kg_from(D(value), LB)


def in_lb(values: tuple[Decimal, ...]) -> list[Decimal]:
    return [to_unit(v, LB).normalize() for v in values]


def test_defaults() -> None:
    assert (D(20), D("20.41")) == (BAR, LB_BAR)
    assert list(KG_PLATES) == [D(p) for p in ("25", "20", "15", "10", "5", "2.5", "1.25")]
    assert in_lb(LB_PLATES) == [D(p) for p in ("45", "35", "25", "10", "5", "2.5")]


@pytest.mark.parametrize(
    ("total", "per_side"),
    [
        ("102.5", ("25", "15", "1.25")),
        ("140", ("25", "25", "10")),
        ("60", ("20",)),
        ("22.5", ("1.25",)),
        ("100", ("25", "15")),
        ("20", ()),
        ("197.5", ("25", "25", "25", "10", "2.5", "1.25")),
    ],
)
def test_kg_plates_per_side(total: str, per_side: tuple[str, ...]) -> None:
    load = plates_per_side(D(total), BAR, KG_PLATES, KG)
    assert load == PlateLoad(tuple(D(p) for p in per_side), D(total), D(0))
    assert load.exact


def test_bar_only_and_below_the_bar() -> None:
    load = plates_per_side(D(20), BAR, KG_PLATES, KG)
    assert load is not None and load.per_side == () and load.exact
    assert plates_per_side(D("19.99"), BAR, KG_PLATES, KG) is None
    assert plates_per_side(D(10), BAR, KG_PLATES, KG) is None


def test_unreachable_weight_reports_the_remainder() -> None:
    load = plates_per_side(D("101"), BAR, KG_PLATES, KG)
    assert load is not None and not load.exact
    assert load.per_side == (D(25), D(15)) and load.loaded_kg == D(100) and load.remainder_kg == D(1)
    # only 20s: 150 kg is 65 a side -> 3 x 20, 10 kg left over in all
    load = plates_per_side(D(150), BAR, (D(20),), KG)
    assert load == PlateLoad((D(20), D(20), D(20)), D(140), D(10))


def test_no_plates_at_all_loads_the_bar() -> None:
    assert plates_per_side(D(60), BAR, (), KG) == PlateLoad((), D(20), D(40))


def test_a_set_greedy_gets_wrong() -> None:
    """With 15 and 10 kg plates, 20 kg a side is two 10s (greedy would take 15 and leave 5)."""
    load = plates_per_side(D(60), BAR, (D(15), D(10)), KG)
    assert load == PlateLoad((D(10), D(10)), D(60), D(0))
    assert loadable_weight(D(60), BAR, (D(15), D(10)), KG) == D(60)
    assert loadable_weight(D(59), BAR, (D(15), D(10)), KG) == D(50)


@pytest.mark.parametrize(
    ("total", "per_side"),
    [
        ("225", ("45", "45")),
        ("315", ("45", "45", "45")),
        ("135", ("45",)),
        ("185", ("45", "25")),
        ("155", ("45", "10")),
        ("165", ("35", "25")),  # fewest plates: not 45 + 10 + 5
        ("50", ("2.5",)),
        ("45", ()),
    ],
)
def test_lb_plates_per_side(total: str, per_side: tuple[str, ...]) -> None:
    load = plates_per_side(lb(total), LB_BAR, LB_PLATES, LB)
    assert load is not None and load.exact, load
    assert in_lb(load.per_side) == [D(p) for p in per_side]
    assert to_unit(load.loaded_kg, LB) == D(total)


def test_lb_unreachable_and_below_the_bar() -> None:
    load = plates_per_side(lb("227"), LB_BAR, LB_PLATES, LB)
    assert load is not None and not load.exact
    assert in_lb(load.per_side) == [D(45), D(45)] and to_unit(load.remainder_kg, LB) == D(2)
    assert plates_per_side(lb("40"), LB_BAR, LB_PLATES, LB) is None


@pytest.mark.parametrize(
    ("target", "expected"),
    [("102.5", "102.5"), ("103", "102.5"), ("101.2", "100"), ("62.4", "60"), ("20", "20"), ("5", "20")],
)
def test_loadable_weight_kg(target: str, expected: str) -> None:
    assert loadable_weight(D(target), BAR, KG_PLATES, KG) == D(expected)


@pytest.mark.parametrize(
    ("target", "expected"),
    [("225", "225"), ("229", "225"), ("132.3", "130"), ("50", "50"), ("30", "45")],
)
def test_loadable_weight_lb(target: str, expected: str) -> None:
    assert to_unit(loadable_weight(lb(target), LB_BAR, LB_PLATES, LB), LB) == D(expected)
    assert loadable_weight(lb(target), LB_BAR, LB_PLATES, LB) == lb(expected)


def test_loadable_weight_a_kg_target_for_a_lb_trainee() -> None:
    """60 kg is 132.3 lb: the nearest the lb plates load at or below is 130 lb."""
    assert to_unit(loadable_weight(D(60), LB_BAR, LB_PLATES, LB), LB) == D(130)


def test_loadable_weight_without_a_plate_set() -> None:
    assert loadable_weight(D("63.9"), BAR, None, KG) == D("62.5")
    assert loadable_weight(D("63.9"), None, (), KG) == D("62.5")
    assert loadable_weight(D("1"), None, None, KG) == D("2.5")  # never 0
    assert loadable_weight(D("12"), BAR, None, KG) == D(20)  # not under the bar
    assert to_unit(loadable_weight(lb("137"), None, None, LB), LB) == D(135)


def test_micro_plates_and_odd_bars() -> None:
    plates = (*KG_PLATES, D("0.5"), D("0.25"))
    assert loadable_weight(D("101.9"), BAR, plates, KG) == D("101.5")
    load = plates_per_side(D("101.5"), BAR, plates, KG)
    assert load is not None and load.per_side == (D(25), D(15), D("0.5"), D("0.25"))
    # a 15 kg bar
    assert plates_per_side(D(55), D(15), KG_PLATES, KG) == PlateLoad((D(20),), D(55), D(0))


def test_heavy_weights_use_many_plates() -> None:
    load = plates_per_side(D(420), BAR, KG_PLATES, KG)
    assert load is not None and load.exact and load.per_side == (D(25),) * 8


def test_warmup_ramp_kg() -> None:
    assert warmup_ramp(D(100), BAR, KG_PLATES, KG) == (
        WarmupStep(D(20), 10, None),
        WarmupStep(D(40), 5, 40),
        WarmupStep(D(60), 3, 60),
        WarmupStep(D(80), 2, 80),
    )
    # 67.5 kg: 27 -> 25, 40.5 -> 40, 54 -> 52.5
    assert [(s.weight_kg, s.reps) for s in warmup_ramp(D("67.5"), BAR, KG_PLATES, KG)] == [
        (D(20), 10),
        (D(25), 5),
        (D(40), 3),
        (D("52.5"), 2),
    ]
    # 62.5 kg: 25, 37.5 and 50 load exactly
    assert [(s.weight_kg, s.reps) for s in warmup_ramp(D("62.5"), BAR, KG_PLATES, KG)] == [
        (D(20), 10),
        (D(25), 5),
        (D("37.5"), 3),
        (D(50), 2),
    ]


def test_warmup_ramp_skips_steps_under_the_bar_and_duplicates() -> None:
    # 40 kg: 16 (under the bar), 24 -> 22.5, 32 -> 30
    assert [(s.weight_kg, s.percent) for s in warmup_ramp(D(40), BAR, KG_PLATES, KG)] == [
        (D(20), None),
        (D("22.5"), 60),
        (D(30), 80),
    ]
    # with 5 kg plates only, 40 kg: 24 -> 20 (the bar again), 32 -> 30
    assert [(s.weight_kg, s.percent) for s in warmup_ramp(D(40), BAR, (D(5),), KG)] == [
        (D(20), None),
        (D(30), 80),
    ]
    assert warmup_ramp(D(20), BAR, KG_PLATES, KG) == ()  # the bar is the working weight
    assert warmup_ramp(D(15), BAR, KG_PLATES, KG) == ()


def test_warmup_ramp_lb() -> None:
    ramp = warmup_ramp(lb("225"), LB_BAR, LB_PLATES, LB)
    assert [(to_unit(s.weight_kg, LB), s.reps) for s in ramp] == [
        (D(45), 10),
        (D(90), 5),  # 90 lb
        (D(135), 3),
        (D(180), 2),
    ]


def test_warmup_ramp_without_a_bar() -> None:
    """Dumbbells: no bar set, 2.5 kg steps."""
    assert [(s.weight_kg, s.reps) for s in warmup_ramp(D(30), None, KG_PLATES, KG)] == [
        (D(10), 5),
        (D("17.5"), 3),
        (D("22.5"), 2),
    ]
    assert [s.weight_kg for s in warmup_ramp(D(5), None, None, KG)] == [D("2.5")]  # 2, 3, 4 -> 2.5 once
