"""Parsing what a trainee types while logging (bot.services.set_input)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.enums import TrackingType, WeightUnit
from bot.services.errors import DomainError
from bot.services.rating_input import RatingError, parse_rating
from bot.services.set_input import SetInput, SetInputError, parse_sets, parse_weight, set_input_help
from bot.services.units import kg_from
from bot.ui.formatting import format_set, format_sets_compact

KG, LB = WeightUnit.KG, WeightUnit.LB
WR, REPS, DUR = TrackingType.WEIGHT_REPS, TrackingType.REPS, TrackingType.DURATION
D = Decimal

HELP_WR_KG = (
    "Send weight x reps like 60x8, 60 x 8, 60kg 8 or 135lb x 5; 60x8x3 for three sets; w 40x10 for a warm-up."
)
HELP_WR_LB = "Send weight x reps like 135x5, 135 x 5, 135lb 5 or 60kg x 8; 135x5x3 for three sets; w 95x10 for a warm-up."
HELP_REPS_KG = (
    "Send the reps like 12; bw x 12 x 3 for three sets; +10kg x 8 with added weight; w 5 for a warm-up."
)
HELP_DUR = (
    "Send the time like 45s, 1:30, 2 min or just 90 (seconds); 3x45s for three sets; "
    "5km 25:00 with a distance; w 30s for a warm-up."
)


def lifts(weight: str | None, reps: int, count: int = 1, warmup: bool = False) -> list[SetInput]:
    kg = None if weight is None else D(weight)
    return [SetInput(reps=reps, weight_kg=kg, is_warmup=warmup)] * count


def holds(seconds: int, count: int = 1, warmup: bool = False) -> list[SetInput]:
    return [SetInput(duration_seconds=seconds, is_warmup=warmup)] * count


# --- accepted forms ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60x8", lifts("60", 8)),
        ("60 x 8", lifts("60", 8)),
        ("60X8", lifts("60", 8)),
        ("60×8", lifts("60", 8)),
        ("60 × 8", lifts("60", 8)),
        ("60х8", lifts("60", 8)),  # Cyrillic х
        ("60 Х 8", lifts("60", 8)),  # Cyrillic Х
        ("60*8", lifts("60", 8)),
        ("  60   x   8  ", lifts("60", 8)),
        ("60kg 8", lifts("60", 8)),
        ("60 kg 8", lifts("60", 8)),
        ("60 kg x 8", lifts("60", 8)),
        ("60kg x 8", lifts("60", 8)),
        ("60KG×8", lifts("60", 8)),
        ("60 kgs x 8", lifts("60", 8)),
        ("60 kilos x 8", lifts("60", 8)),
        ("60кг 8", lifts("60", 8)),
        ("60 x 8 reps", lifts("60", 8)),
        ("135lb x 5", lifts("61.23", 5)),  # an explicit unit overrides the user's kg
        ("135 lbs x 5", lifts("61.23", 5)),
        ("135 pounds 5", lifts("61.23", 5)),
        ("62.5x5", lifts("62.5", 5)),
        ("62,5x5", lifts("62.5", 5)),
        ("62,5 x 5", lifts("62.5", 5)),
        ("102.25x3", lifts("102.25", 3)),
        ("0.5x10", lifts("0.5", 10)),
        ("1000x1", lifts("1000", 1)),
        ("60x8x3", lifts("60", 8, 3)),
        ("60 x 8 x 3", lifts("60", 8, 3)),
        ("60kg x 8 x 3", lifts("60", 8, 3)),
        ("60×8×3", lifts("60", 8, 3)),
        ("60 x 8 reps x 3 sets", lifts("60", 8, 3)),
        ("3x8 @ 60", lifts("60", 8, 3)),
        ("3x8@60", lifts("60", 8, 3)),
        ("3x8@60kg", lifts("60", 8, 3)),
        ("3 x 8 @ 135 lb", lifts("61.23", 8, 3)),
        ("8 @ 60", lifts("60", 8)),
        ("8 reps @ 60kg", lifts("60", 8)),
        ("8", lifts(None, 8)),  # reps alone without a last weight: a bodyweight set
        ("8 reps", lifts(None, 8)),
        ("bw x 12", lifts(None, 12)),
        ("BW×12", lifts(None, 12)),
        ("bodyweight 12", lifts(None, 12)),
        ("bw x 12 x 3", lifts(None, 12, 3)),
        ("3x12 @ bw", lifts(None, 12, 3)),
        ("+20 x 5", lifts("20", 5)),
        ("w 40x10", lifts("40", 10, warmup=True)),
        ("w40x10", lifts("40", 10, warmup=True)),
        ("W 40x10", lifts("40", 10, warmup=True)),
        ("wu 40x10", lifts("40", 10, warmup=True)),
        ("warmup 40x10", lifts("40", 10, warmup=True)),
        ("warm-up 40x10", lifts("40", 10, warmup=True)),
        ("Warm up: 40x10", lifts("40", 10, warmup=True)),
        ("w 40x10x2", lifts("40", 10, 2, warmup=True)),
        ("w 3x10 @ 40", lifts("40", 10, 3, warmup=True)),
        ("w bw x 10", lifts(None, 10, warmup=True)),
        ("w 10", lifts(None, 10, warmup=True)),
        ("60x8, 60x8, 60x7", lifts("60", 8, 2) + lifts("60", 7)),
        ("60x8; 60x7", lifts("60", 8) + lifts("60", 7)),
        ("60x8\n62,5x6", lifts("60", 8) + lifts("62.5", 6)),
        ("w 40x10, 60x8x2, 60x7", lifts("40", 10, warmup=True) + lifts("60", 8, 2) + lifts("60", 7)),
        ("60x8,", lifts("60", 8)),
        ("60x1x20", lifts("60", 1, 20)),
    ],
)
def test_weight_reps_forms(text: str, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=WR, unit=KG) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("135x5", lifts("61.23", 5)),
        ("135 x 5", lifts("61.23", 5)),
        ("135lb 5", lifts("61.23", 5)),
        ("60kg x 8", lifts("60", 8)),  # an explicit kg overrides the user's lb
        ("135x5x3", lifts("61.23", 5, 3)),
        ("w 95x10", lifts("43.09", 10, warmup=True)),
        ("132,5x5", lifts("60.10", 5)),
        ("45x10", lifts("20.41", 10)),
    ],
)
def test_weight_reps_forms_in_lb(text: str, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=WR, unit=LB) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", lifts("100", 8)),
        ("8 reps", lifts("100", 8)),
        ("w 8", lifts("100", 8, warmup=True)),
        ("bw x 8", lifts(None, 8)),  # bodyweight is still available explicitly
        ("90x8", lifts("90", 8)),
    ],
)
def test_reps_alone_take_the_last_weight(text: str, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=WR, unit=KG, last_weight_kg=D("100.00")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", lifts(None, 12)),
        ("12 reps", lifts(None, 12)),
        ("+10kg x 8", lifts("10", 8)),
        ("+10 kg x 8", lifts("10", 8)),
        ("+10x8", lifts("10", 8)),
        ("10x8", lifts("10", 8)),  # weight x reps: an added load
        ("+25lb x 8", lifts("11.34", 8)),
        ("bw x 12 x 3", lifts(None, 12, 3)),
        ("BW×12×3", lifts(None, 12, 3)),
        ("3x12 @ bw", lifts(None, 12, 3)),
        ("3x8 @ +10", lifts("10", 8, 3)),
        ("+10×8×3", lifts("10", 8, 3)),
        ("w 5", lifts(None, 5, warmup=True)),
        ("12, 10, 8", lifts(None, 12) + lifts(None, 10) + lifts(None, 8)),
    ],
)
def test_reps_forms(text: str, expected: list[SetInput]) -> None:
    # REPS: reps alone never take the last weight (it would be an added load nobody typed)
    assert parse_sets(text, tracking=REPS, unit=KG, last_weight_kg=D("20")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("45s", holds(45)),
        ("45 s", holds(45)),
        ("45 sec", holds(45)),
        ("45 seconds", holds(45)),
        ("45S", holds(45)),
        ("1:30", holds(90)),
        ("01:30", holds(90)),
        ("2 min", holds(120)),
        ("2min", holds(120)),
        ("2m", holds(120)),
        ("2 minutes", holds(120)),
        ("1m30s", holds(90)),
        ("1m 30s", holds(90)),
        ("2 min 30 s", holds(150)),
        ("90", holds(90)),
        ("1", holds(1)),
        ("1h", holds(3600)),
        ("1 h 05 min", holds(3900)),
        ("1:05:30", holds(3930)),
        ("10h", holds(36_000)),
        ("36000", holds(36_000)),
        ("3x45s", holds(45, 3)),
        ("3 x 45 s", holds(45, 3)),
        ("3×45 s", holds(45, 3)),
        ("3x1:30", holds(90, 3)),
        ("3 x 2 min", holds(120, 3)),
        ("45s x 3", holds(45, 3)),
        ("1:30 x 2 sets", holds(90, 2)),
        ("w 30s", holds(30, warmup=True)),
        ("w30s", holds(30, warmup=True)),
        ("warmup 2x30s", holds(30, 2, warmup=True)),
        ("w 60", holds(60, warmup=True)),
        ("45s, 40s; 30s", holds(45) + holds(40) + holds(30)),
        ("20x1s", holds(1, 20)),
    ],
)
def test_duration_forms(text: str, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=DUR, unit=KG) == expected


def test_sets_are_frozen() -> None:
    (s,) = parse_sets("60x8", tracking=WR, unit=KG)
    with pytest.raises(AttributeError):
        s.reps = 9  # type: ignore[misc]


def test_max_sets_is_configurable() -> None:
    assert len(parse_sets("60x8x5", tracking=WR, unit=KG, max_sets=5)) == 5
    with pytest.raises(SetInputError, match="at most 4 at once"):
        parse_sets("60x8x5", tracking=WR, unit=KG, max_sets=4)


# --- rejections --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tracking", "unit", "reason"),
    [
        ("", WR, KG, HELP_WR_KG),
        ("   ", WR, KG, HELP_WR_KG),
        ("", DUR, KG, HELP_DUR),
        ("60xx8", WR, KG, f"I couldn't read “60xx8”. {HELP_WR_KG}"),
        ("60xx8", WR, LB, f"I couldn't read “60xx8”. {HELP_WR_LB}"),
        ("hello", WR, KG, f"I couldn't read “hello”. {HELP_WR_KG}"),
        ("💪", WR, KG, f"I couldn't read “💪”. {HELP_WR_KG}"),
        ("💪", REPS, KG, f"I couldn't read “💪”. {HELP_REPS_KG}"),
        ("💪", DUR, KG, f"I couldn't read “💪”. {HELP_DUR}"),
        ("ХХХ", WR, KG, f"I couldn't read “ХХХ”. {HELP_WR_KG}"),  # quoted as typed
        ("60 8", WR, KG, f"I couldn't read “60 8”. {HELP_WR_KG}"),  # ambiguous without x or a unit
        ("60x-8", WR, KG, f"I couldn't read “60x-8”. {HELP_WR_KG}"),
        ("-8", WR, KG, f"I couldn't read “-8”. {HELP_WR_KG}"),
        ("60x8.5", WR, KG, f"I couldn't read “60x8.5”. {HELP_WR_KG}"),
        ("60x8,60x7", WR, KG, f"I couldn't read “60x8,60x7”. {HELP_WR_KG}"),  # 8,60 is a decimal comma
        ("w", WR, KG, f"I couldn't read “w”. {HELP_WR_KG}"),
        (",,;", WR, KG, f"I couldn't read “,,;”. {HELP_WR_KG}"),
        ("60x8, oops", WR, KG, f"I couldn't read “oops”. {HELP_WR_KG}"),
        ("60kg", WR, KG, f"How many reps with “60kg”? {HELP_WR_KG}"),
        ("60x0", WR, KG, f"A set needs at least 1 rep. {HELP_WR_KG}"),
        ("0", WR, KG, f"A set needs at least 1 rep. {HELP_WR_KG}"),
        ("0", REPS, KG, f"A set needs at least 1 rep. {HELP_REPS_KG}"),
        ("60x1001", WR, KG, f"1001 reps is more than I can log - at most 1000. {HELP_WR_KG}"),
        ("1001", REPS, KG, f"1001 reps is more than I can log - at most 1000. {HELP_REPS_KG}"),
        (
            "0x8",
            WR,
            KG,
            f"The weight must be more than 0 - for a bodyweight set send bw x 12. {HELP_WR_KG}",
        ),
        (
            "0.001x8",
            WR,
            KG,
            f"The weight must be more than 0 - for a bodyweight set send bw x 12. {HELP_WR_KG}",
        ),
        (
            "0.01lb x 8",
            WR,
            KG,
            f"The weight must be more than 0 - for a bodyweight set send bw x 12. {HELP_WR_KG}",
        ),
        (
            "+0 x 8",
            REPS,
            KG,
            f"The added weight must be more than 0 - for no added weight send just the reps. {HELP_REPS_KG}",
        ),
        ("1000.01x1", WR, KG, f"1000.01 kg is too heavy - at most 1000 kg. {HELP_WR_KG}"),
        ("1500x8", WR, KG, f"1500 kg is too heavy - at most 1000 kg. {HELP_WR_KG}"),
        ("2205x1", WR, LB, f"2205 lb is too heavy - at most 2204 lb. {HELP_WR_LB}"),
        ("2205lb x 1", WR, KG, f"2205 lb is too heavy - at most 2204 lb. {HELP_WR_KG}"),
        ("9" * 60 + "x8", WR, KG, f"{'9' * 60} kg is too heavy - at most 1000 kg. {HELP_WR_KG}"),
        ("60x8x21", WR, KG, "That's 21 sets - I can take at most 20 at once."),
        ("30x8 @ 60", WR, KG, "That's 30 sets - I can take at most 20 at once."),
        ("60x8x0", WR, KG, f"The number of sets must be at least 1. {HELP_WR_KG}"),
        ("60x8x15, 60x8x6", WR, KG, "That's more than 20 sets - I can take at most 20 at once."),
        ("21x45s", DUR, KG, "That's 21 sets - I can take at most 20 at once."),
        ("x" * 101, WR, KG, f"That's too long - send at most 100 characters. {HELP_WR_KG}"),
        # the wrong form for the tracking type
        ("45s", WR, KG, f"“45s” is a time, but this exercise is counted in reps. {HELP_WR_KG}"),
        ("1:30", WR, KG, f"“1:30” is a time, but this exercise is counted in reps. {HELP_WR_KG}"),
        ("3x45s", REPS, KG, f"“3x45s” is a time, but this exercise is counted in reps. {HELP_REPS_KG}"),
        ("2 min", REPS, KG, f"“2 min” is a time, but this exercise is counted in reps. {HELP_REPS_KG}"),
        ("20h", WR, KG, f"“20h” is a time, but this exercise is counted in reps. {HELP_WR_KG}"),
        (
            "60x8",
            DUR,
            KG,
            f"“60x8” looks like weight and reps, but this exercise is timed. {HELP_DUR}",
        ),
        (
            "20kg 45s",
            DUR,
            KG,
            f"“20kg 45s” looks like weight and reps, but this exercise is timed. {HELP_DUR}",
        ),
        (
            "3x8 @ 60",
            DUR,
            KG,
            f"“3x8 @ 60” looks like weight and reps, but this exercise is timed. {HELP_DUR}",
        ),
        ("3x45", DUR, KG, f"For “3x45” write the time with its unit, like 3x45s. {HELP_DUR}"),
        ("0", DUR, KG, f"A set must last at least 1 second. {HELP_DUR}"),
        ("0s", DUR, KG, f"A set must last at least 1 second. {HELP_DUR}"),
        ("36001", DUR, KG, f"A set can last at most 10 hours. {HELP_DUR}"),
        ("11h", DUR, KG, f"A set can last at most 10 hours. {HELP_DUR}"),
        ("3x0s", DUR, KG, f"A set must last at least 1 second. {HELP_DUR}"),
        ("1.5 min", DUR, KG, f"I couldn't read “1.5 min”. {HELP_DUR}"),
        ("-45s", DUR, KG, f"I couldn't read “-45s”. {HELP_DUR}"),
        ("45s x 0", DUR, KG, f"The number of sets must be at least 1. {HELP_DUR}"),
    ],
)
def test_rejections(text: str, tracking: TrackingType, unit: WeightUnit, reason: str) -> None:
    with pytest.raises(SetInputError) as error:
        parse_sets(text, tracking=tracking, unit=unit)
    assert error.value.reason == reason
    assert isinstance(error.value, DomainError)


def test_a_long_echo_is_shortened() -> None:
    with pytest.raises(SetInputError) as error:
        parse_sets("this is not a set at all, not even close", tracking=WR, unit=KG)
    assert error.value.reason.startswith("I couldn't read “this is not a set at all”.")
    with pytest.raises(SetInputError) as error:
        parse_sets("abcdefghijklmnopqrstuvwxyz0123456789", tracking=WR, unit=KG)
    assert error.value.reason.startswith("I couldn't read “abcdefghijklmnopqrstuvwxyz012…”.")


@pytest.mark.parametrize(
    ("tracking", "unit", "examples"),
    [
        (WR, KG, ["60x8", "60 x 8", "60kg 8", "135lb x 5", "60x8x3", "w 40x10"]),
        (WR, LB, ["135x5", "135 x 5", "135lb 5", "60kg x 8", "135x5x3", "w 95x10"]),
        (REPS, KG, ["12", "bw x 12 x 3", "+10kg x 8", "w 5"]),
        (REPS, LB, ["12", "bw x 12 x 3", "+25lb x 8", "w 5"]),
        (DUR, KG, ["45s", "1:30", "2 min", "90", "3x45s", "5km 25:00", "w 30s"]),
    ],
)
def test_every_example_in_the_help_is_accepted(
    tracking: TrackingType, unit: WeightUnit, examples: list[str]
) -> None:
    help_text = set_input_help(tracking, unit)
    for example in examples:
        assert re.search(rf"(like|,|;|or|just) {re.escape(example)}( |,|;|$)", help_text), example
        assert parse_sets(example, tracking=tracking, unit=unit), example


# --- properties --------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list("0123456789 xX×х*.,:;+@-/wkglbsmhrep\n💪Ё²٣")) | st.characters()


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(_ALPHABET, max_size=40)
    | st.from_regex(r"[wW]?\s?\d{1,4}([.,]\d{1,3})?\s?(kg|lb)?\s?[x×]\s?\d{1,5}"),
    tracking=st.sampled_from(TrackingType),
    unit=st.sampled_from(WeightUnit),
)
def test_never_raises_anything_but_set_input_error(
    text: str, tracking: TrackingType, unit: WeightUnit
) -> None:
    try:
        sets = parse_sets(text, tracking=tracking, unit=unit, last_weight_kg=D("50"))
    except SetInputError as error:
        assert error.reason
        return
    assert 1 <= len(sets) <= 20
    for s in sets:
        if tracking is TrackingType.DURATION:
            assert s.duration_seconds is not None and 1 <= s.duration_seconds <= 36_000
            assert s.reps is None and s.weight_kg is None
        else:
            assert s.reps is not None and 1 <= s.reps <= 1000
            assert s.duration_seconds is None
            assert s.weight_kg is None or D(0) < s.weight_kg <= D(1000)


_REPS = st.integers(min_value=1, max_value=1000)
_KG = st.integers(min_value=1, max_value=100_000).map(lambda hundredths: D(hundredths) / 100)
_LB_KG = st.integers(min_value=1, max_value=22_046).map(lambda tenths: kg_from(D(tenths) / 10, LB))


@st.composite
def typed_sets(draw: st.DrawFn, tracking: TrackingType, unit: WeightUnit) -> SetInput:
    """A set as parse_sets could return it for a user of `unit` (a weight typed in that unit)."""
    warmup = draw(st.booleans())
    if tracking is TrackingType.DURATION:
        return SetInput(duration_seconds=draw(st.integers(min_value=1, max_value=36_000)), is_warmup=warmup)
    weight = draw(st.none() | (_KG if unit is WeightUnit.KG else _LB_KG))
    return SetInput(reps=draw(_REPS), weight_kg=weight, is_warmup=warmup)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), tracking=st.sampled_from(TrackingType), unit=st.sampled_from(WeightUnit))
def test_a_formatted_set_parses_back_the_same(
    data: st.DataObject, tracking: TrackingType, unit: WeightUnit
) -> None:
    s = data.draw(typed_sets(tracking, unit))
    assert parse_sets(format_set(s, unit, tracking), tracking=tracking, unit=unit) == [s]


@settings(max_examples=200, deadline=None)
@given(kg=st.integers(min_value=5, max_value=100_000).map(lambda hundredths: D(hundredths) / 100), reps=_REPS)
def test_any_kg_weight_shown_in_lb_parses_back_within_rounding(kg: Decimal, reps: int) -> None:
    s = SetInput(reps=reps, weight_kg=kg)
    (back,) = parse_sets(format_set(s, LB, WR), tracking=WR, unit=LB)
    assert back.reps == reps
    assert back.weight_kg is not None
    assert abs(back.weight_kg - kg) <= D("0.03")  # 0.05 lb of display rounding + 0.005 kg of storage


@settings(max_examples=200, deadline=None)
@given(data=st.data(), tracking=st.sampled_from(TrackingType), unit=st.sampled_from(WeightUnit))
def test_compact_sets_parse_back_the_same(
    data: st.DataObject, tracking: TrackingType, unit: WeightUnit
) -> None:
    one = typed_sets(tracking, unit)
    runs = data.draw(st.lists(st.tuples(one, st.integers(min_value=1, max_value=4)), min_size=1, max_size=3))
    sets = [s for s, count in runs for _ in range(count)]
    text = format_sets_compact(sets, unit, tracking)
    assert parse_sets(text, tracking=tracking, unit=unit) == sets


# --- parse_weight and parse_rating --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "kg"),
    [
        ("60", KG, "60"),
        ("62,5", KG, "62.5"),
        ("62.5 kg", KG, "62.5"),
        ("135", LB, "61.23"),
        ("135 lbs", KG, "61.23"),
        (" 60KG ", LB, "60"),
    ],
)
def test_parse_weight(text: str, unit: WeightUnit, kg: str) -> None:
    assert parse_weight(text, unit=unit) == D(kg)


@pytest.mark.parametrize(
    ("text", "unit", "reason"),
    [
        ("", KG, "Send a weight like 60, 62.5 or 135lb."),
        ("abc", KG, "I couldn't read “abc” as a weight. Send a weight like 60, 62.5 or 135lb."),
        ("bw", KG, "I couldn't read “bw” as a weight. Send a weight like 60, 62.5 or 135lb."),
        ("60x8", LB, "I couldn't read “60x8” as a weight. Send a weight like 135, 132.5 or 60kg."),
        ("0", KG, "The weight must be more than 0. Send a weight like 60, 62.5 or 135lb."),
        ("5000 lb", KG, "5000 lb is too heavy - at most 2204 lb. Send a weight like 60, 62.5 or 135lb."),
    ],
)
def test_parse_weight_rejections(text: str, unit: WeightUnit, reason: str) -> None:
    with pytest.raises(SetInputError) as error:
        parse_weight(text, unit=unit)
    assert error.value.reason == reason


@pytest.mark.parametrize(
    ("text", "low", "high", "value"),
    [
        ("7", 1, 10, 7),
        (" 10 ", 1, 10, 10),
        ("1", 1, 10, 1),
        ("0", 0, 10, 0),
        ("7/10", 1, 10, 7),
        ("3 / 10", 0, 10, 3),
    ],
)
def test_parse_rating(text: str, low: int, high: int, value: int) -> None:
    assert parse_rating(text, low, high) == value


@pytest.mark.parametrize(
    ("text", "low", "high", "reason"),
    [
        ("11", 1, 10, "11 is out of range. Send a whole number from 1 to 10, like 6."),
        ("0", 1, 10, "0 is out of range. Send a whole number from 1 to 10, like 6."),
        ("-1", 0, 10, "-1 is out of range. Send a whole number from 0 to 10, like 5."),
        ("7.5", 1, 10, "“7.5” is not a rating. Send a whole number from 1 to 10, like 6."),
        ("seven", 1, 10, "“seven” is not a rating. Send a whole number from 1 to 10, like 6."),
        ("7/5", 1, 10, "“7/5” is not a rating. Send a whole number from 1 to 10, like 6."),
        ("", 1, 10, "That is not a rating. Send a whole number from 1 to 10, like 6."),
        ("💪", 0, 10, "“💪” is not a rating. Send a whole number from 0 to 10, like 5."),
    ],
)
def test_parse_rating_rejections(text: str, low: int, high: int, reason: str) -> None:
    with pytest.raises(RatingError) as error:
        parse_rating(text, low, high)
    assert error.value.reason == reason
    assert isinstance(error.value, SetInputError)
