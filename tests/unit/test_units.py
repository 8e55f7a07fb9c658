"""Weight and measurement conversions (bot.services.units)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.db.enums import WeightUnit
from bot.services.errors import DomainError
from bot.services.units import (
    KG_PER_LB,
    LB_PER_KG,
    UnitError,
    convert,
    convert_length,
    from_kg,
    kg_from,
    normalize_unit,
    to_unit,
)

KG, LB = WeightUnit.KG, WeightUnit.LB
D = Decimal


def test_factors_are_exact_inverses() -> None:
    assert D("0.45359237") == KG_PER_LB
    assert abs(LB_PER_KG * KG_PER_LB - 1) < D("1e-26")


@pytest.mark.parametrize(
    ("value", "unit", "kg"),
    [
        ("60", KG, "60.00"),
        ("62.5", KG, "62.50"),
        ("61.255", KG, "61.26"),  # half up
        ("135", LB, "61.23"),
        ("225", LB, "102.06"),
        ("45", LB, "20.41"),
        ("2.5", LB, "1.13"),
        ("0.1", LB, "0.05"),
        ("1", LB, "0.45"),
    ],
)
def test_kg_from(value: str, unit: WeightUnit, kg: str) -> None:
    result = kg_from(D(value), unit)
    assert result == D(kg)
    assert result.as_tuple().exponent == -2  # NUMERIC(8,2)


@pytest.mark.parametrize(
    ("kg", "unit", "shown"),
    [
        ("61.23", LB, "135.0"),
        ("60", LB, "132.3"),
        ("100", LB, "220.5"),
        ("20", LB, "44.1"),
        ("60.00", KG, "60.00"),
        ("61.25", KG, "61.25"),  # kg shows as stored: a 1.25 kg plate is not rounded away
        ("83.3333", KG, "83.33"),
    ],
)
def test_to_unit(kg: str, unit: WeightUnit, shown: str) -> None:
    result = to_unit(D(kg), unit)
    assert result == D(shown)
    assert str(result) == shown


def test_to_unit_custom_step() -> None:
    assert to_unit(D("61.23"), LB, step=D(1)) == D(135)
    assert to_unit(D("62.5"), KG, step=D("0.1")) == D("62.5")
    assert to_unit(D("62.55"), KG, step=D("0.1")) == D("62.6")


def test_from_kg_is_not_rounded() -> None:
    assert from_kg(D("100"), KG) == D("100")
    assert from_kg(D("100"), LB) == D(100) * LB_PER_KG


def test_every_tenth_of_a_pound_round_trips() -> None:
    """Exhaustive: every lb value with one decimal in 0.1..2200 comes back as typed."""
    for tenths in range(1, 22_001):
        lb = D(tenths) / 10
        assert to_unit(kg_from(lb, LB), LB) == lb, lb


@given(st.integers(min_value=10, max_value=22_000).map(lambda tenths: D(tenths) / 10))
def test_lb_round_trip_property(lb: Decimal) -> None:
    assert to_unit(kg_from(lb, LB), LB) == lb


@given(st.integers(min_value=1, max_value=100_000).map(lambda hundredths: D(hundredths) / 100))
def test_kg_round_trip_property(kg: Decimal) -> None:
    assert to_unit(kg_from(kg, KG), KG) == kg


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        ("10", "in", "cm", "25.4"),
        ("254", "cm", "in", "100"),
        ("1.8", "m", "cm", "180"),
        ("55", "mm", "cm", "5.5"),
        ("100", "lb", "kg", "45.359237"),
        ("12.5", "%", "%", "12.5"),
        ("62", "bpm", "BPM", "62"),
        ("70", "KG", "kg", "70"),
        ("135", "lbs", "kg", "61.23496995"),
        ("135", WeightUnit.LB, WeightUnit.KG, "61.23496995"),
        ("2", "inches", "mm", "50.8"),
    ],
)
def test_convert(value: str, source: str, target: str, expected: str) -> None:
    assert convert(D(value), source, target) == D(expected)


def test_convert_kg_to_lb_and_back() -> None:
    lb = convert(D("100"), "kg", "lb")
    assert lb.quantize(D("0.001")) == D("220.462")
    assert convert(lb, "lb", "kg").quantize(D("0.000001")) == D("100.000000")


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [
        ("kg", "cm", "I can't convert kg (mass) to cm (length)."),
        ("%", "bpm", "I can't convert % (percent) to bpm (heart rate)."),
        ("cm", "%", "I can't convert cm (length) to % (percent)."),
        ("st", "kg", "I don't know the unit 'st'. Use one of kg, lb, mm, cm, m, in, %, bpm."),
        ("kg", "", "I don't know the unit ''. Use one of kg, lb, mm, cm, m, in, %, bpm."),
    ],
)
def test_convert_errors(source: str, target: str, message: str) -> None:
    with pytest.raises(UnitError) as error:
        convert(D(1), source, target)
    assert error.value.reason == message
    assert isinstance(error.value, DomainError)


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [("10", "in", "cm", "25.4"), ("100", "cm", "m", "1"), ("25.4", "mm", "in", "1")],
)
def test_convert_length(value: str, source: str, target: str, expected: str) -> None:
    assert convert_length(D(value), source, target) == D(expected)


@pytest.mark.parametrize(("source", "target"), [("kg", "lb"), ("cm", "kg"), ("%", "%")])
def test_convert_length_refuses_other_units(source: str, target: str) -> None:
    with pytest.raises(UnitError, match="is not a length"):
        convert_length(D(1), source, target)


@pytest.mark.parametrize(
    ("unit", "canonical"),
    [
        ("KG", "kg"),
        ("Lbs", "lb"),
        ("pounds", "lb"),
        ('"', "in"),
        ("Inches", "in"),
        (" cm ", "cm"),
        ("%", "%"),
    ],
)
def test_normalize_unit(unit: str, canonical: str) -> None:
    assert normalize_unit(unit) == canonical
