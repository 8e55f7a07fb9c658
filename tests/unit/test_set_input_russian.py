"""The set language in Russian (bot.services.set_input): units and words as Russians type them, and the
parser's errors in Russian for a Russian reader."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.db.enums import SetType, TrackingType, WeightUnit
from bot.i18n import use_locale
from bot.services.rating_input import parse_rating
from bot.services.set_input import SetInput, SetInputError, parse_sets, parse_weight
from tests.e2e.russian import assert_russian

KG, LB = WeightUnit.KG, WeightUnit.LB
WR, REPS, DUR = TrackingType.WEIGHT_REPS, TrackingType.REPS, TrackingType.DURATION
D = Decimal


@pytest.mark.parametrize(
    ("text", "tracking", "expected"),
    [
        ("60кг 8", WR, [SetInput(reps=8, weight_kg=D(60))]),
        ("60 кг х 8", WR, [SetInput(reps=8, weight_kg=D(60))]),
        ("60 КГ Х 8", WR, [SetInput(reps=8, weight_kg=D(60))]),
        ("62,5 кг х 5", WR, [SetInput(reps=5, weight_kg=D("62.5"))]),
        ("62,5х5", WR, [SetInput(reps=5, weight_kg=D("62.5"))]),
        ("135 фунтов х 5", WR, [SetInput(reps=5, weight_kg=D("61.23"))]),
        ("135 lb х 5", WR, [SetInput(reps=5, weight_kg=D("61.23"))]),
        ("60х8х3", WR, [SetInput(reps=8, weight_kg=D(60))] * 3),
        ("60 кг х 8 х 3 подхода", WR, [SetInput(reps=8, weight_kg=D(60))] * 3),
        ("8 повторов", REPS, [SetInput(reps=8)]),
        ("8 повт", REPS, [SetInput(reps=8)]),
        ("8 раз", REPS, [SetInput(reps=8)]),
        ("св х 12", REPS, [SetInput(reps=12)]),
        ("разминка 40х10", WR, [SetInput(reps=10, weight_kg=D(40), is_warmup=True)]),
        ("разм 40х10", WR, [SetInput(reps=10, weight_kg=D(40), is_warmup=True)]),
        ("дроп 40х10", WR, [SetInput(reps=10, weight_kg=D(40), set_type=SetType.DROP)]),
        ("отказ 60х6", WR, [SetInput(reps=6, weight_kg=D(60), set_type=SetType.FAILURE)]),
        ("60х8 рпе 8", WR, [SetInput(reps=8, weight_kg=D(60), rpe=D("8.0"))]),
        ("-20кг х 8", REPS, [SetInput(reps=8, assistance_kg=D(20))]),
        ("45с", DUR, [SetInput(duration_seconds=45)]),
        ("45 сек", DUR, [SetInput(duration_seconds=45)]),
        ("45 секунд", DUR, [SetInput(duration_seconds=45)]),
        ("2 мин", DUR, [SetInput(duration_seconds=120)]),
        ("2 минуты 30 секунд", DUR, [SetInput(duration_seconds=150)]),
        ("2 мин 30 с", DUR, [SetInput(duration_seconds=150)]),
        ("1 ч", DUR, [SetInput(duration_seconds=3600)]),
        ("1 час", DUR, [SetInput(duration_seconds=3600)]),
        ("3х45с", DUR, [SetInput(duration_seconds=45)] * 3),
        ("5км 25:00", DUR, [SetInput(duration_seconds=1500, distance_m=D(5000))]),
        ("5 км за 25 мин", DUR, [SetInput(duration_seconds=1500, distance_m=D(5000))]),
        ("500 м 2:00", DUR, [SetInput(duration_seconds=120, distance_m=D(500))]),
        ("10 кал", DUR, [SetInput(calories=10)]),
        ("20 мин 250 ккал", DUR, [SetInput(duration_seconds=1200, calories=250)]),
        ("1\u00a0400 кал", DUR, [SetInput(calories=1400)]),
        ("60кг 8, 60кг 7", WR, [SetInput(reps=8, weight_kg=D(60)), SetInput(reps=7, weight_kg=D(60))]),
    ],
)
def test_russian_spellings(text: str, tracking: TrackingType, expected: list[SetInput]) -> None:
    assert parse_sets(text, tracking=tracking, unit=KG) == expected


def test_russian_is_read_for_an_english_reader_too_and_english_for_a_russian() -> None:
    with use_locale("en"):
        assert parse_sets("60кг 8", tracking=WR, unit=LB) == [SetInput(reps=8, weight_kg=D(60))]
    with use_locale("ru"):
        assert parse_sets("60kg x 8", tracking=WR, unit=KG) == [SetInput(reps=8, weight_kg=D(60))]
        assert parse_weight("62,5 кг", unit=LB) == D("62.5")


@pytest.mark.parametrize(
    ("text", "tracking", "phrase"),
    [
        ("", WR, "вес × повторы"),
        ("абв", WR, "Не удалось разобрать «абв»"),
        ("60 8", WR, "Не удалось разобрать «60 8»"),
        ("45с", WR, "это время"),
        ("60кг 8", DUR, "похоже на вес и повторы"),
        ("5 км", DUR, "Сколько времени"),
        ("2000 х 8", WR, "слишком тяжело"),
        ("60х8х25", WR, "25 подходов"),
        ("60х8х21", WR, "21 подход -"),
        ("60х8х22", WR, "22 подхода"),
        ("60 х 1001", WR, "1001 повтор"),
        ("60x8 @11", WR, "RPE 11"),
    ],
)
def test_errors_in_russian(text: str, tracking: TrackingType, phrase: str) -> None:
    with use_locale("ru"), pytest.raises(SetInputError) as error:
        parse_sets(text, tracking=tracking, unit=KG)
    assert phrase in error.value.reason
    assert_russian(error.value.reason, text)


def test_rating_and_weight_errors_in_russian() -> None:
    with use_locale("ru"):
        with pytest.raises(SetInputError) as error:
            parse_rating("seven", 1, 10)
        assert_russian(error.value.reason, "seven")
        assert "от 1 до 10" in error.value.reason
        with pytest.raises(SetInputError) as error:
            parse_weight("тяжело", unit=KG)
        assert_russian(error.value.reason)


# --- the English spelling and the Russian one read the same sets ------------------------------------

_RU_KG = st.sampled_from(["кг", " кг", "кило", " килограммов"])
_RU_X = st.sampled_from(["х", " х ", "Х", " x "])
_RU_REPS = st.sampled_from(["", " повторов", " повт", " раз"])


@st.composite
def russian_lift(draw: st.DrawFn) -> tuple[str, str]:
    """(Russian text, English text) of one weight x reps set."""
    weight = draw(st.integers(1, 9999)) / Decimal(10)
    reps = draw(st.integers(1, 1000))
    shown = format(weight.normalize(), "f")
    text = f"{shown.replace('.', ',')}{draw(_RU_KG)}{draw(_RU_X)}{reps}{draw(_RU_REPS)}"
    return text, f"{shown}kg x {reps}"


@st.composite
def russian_time(draw: st.DrawFn) -> tuple[str, str]:
    """(Russian text, English text) of one timed set, with a distance or calories at times."""
    minutes, seconds = draw(st.integers(0, 59)), draw(st.integers(1, 59))
    ru_min = draw(st.sampled_from(["мин", " мин", " минут", " минуты"]))
    ru_sec = draw(st.sampled_from(["с", " с", "сек", " сек", " секунд"]))
    ru = f"{minutes}{ru_min} {seconds}{ru_sec}" if minutes else f"{seconds}{ru_sec}"
    en = f"{minutes}min {seconds}s" if minutes else f"{seconds}s"
    extra = draw(st.sampled_from(["", "km", "m", "cal"]))
    if extra == "km":
        km = draw(st.integers(1, 100))
        return f"{km}{draw(st.sampled_from(['км', ' км', ' километров']))} {ru}", f"{km}km {en}"
    if extra == "m":
        metres = draw(st.integers(60, 5000))
        return f"{metres}{draw(st.sampled_from(['м', ' м', ' метров']))} {ru}", f"{metres}m {en}"
    if extra == "cal":
        cal = draw(st.integers(1, 9999))
        return f"{ru} {cal}{draw(st.sampled_from([' кал', 'ккал', ' калорий']))}", f"{en} {cal} cal"
    return ru, en


@settings(max_examples=300, deadline=None)
@given(pair=russian_lift(), warmup=st.booleans(), sets=st.integers(1, 3))
def test_a_russian_lift_reads_as_its_english_spelling(pair: tuple[str, str], warmup: bool, sets: int) -> None:
    ru, en = pair
    if sets > 1:
        ru, en = f"{ru} х {sets}", f"{en} x {sets}"
    if warmup:
        ru, en = f"разминка {ru}", f"w {en}"
    assert parse_sets(ru, tracking=WR, unit=LB) == parse_sets(en, tracking=WR, unit=LB)


@settings(max_examples=300, deadline=None)
@given(pair=russian_time())
def test_a_russian_time_reads_as_its_english_spelling(pair: tuple[str, str]) -> None:
    ru, en = pair
    assert parse_sets(ru, tracking=DUR, unit=KG) == parse_sets(en, tracking=DUR, unit=KG)


@settings(max_examples=300, deadline=None)
@given(text=st.text(st.sampled_from(list("0123456789 хХx,.:кгфунтповрзсекминчмалдотбщйыяё")), max_size=40))
def test_russian_letters_never_raise_anything_but_set_input_error(text: str) -> None:
    for tracking in TrackingType:
        try:
            parse_sets(text, tracking=tracking, unit=KG)
        except SetInputError as error:
            assert error.reason


@pytest.mark.parametrize(
    ("tracking", "unit", "examples"),
    [
        (WR, KG, ["60х8", "60 х 8", "60кг 8", "135 фунтов х 5", "60х8х3", "разминка 40х10"]),
        (WR, LB, ["135х5", "135 х 5", "135 фунтов 5", "60кг х 8", "135х5х3", "разминка 95х10"]),
        (REPS, KG, ["12", "св х 12 х 3", "+10кг х 8", "разминка 5"]),
        (REPS, LB, ["12", "св х 12 х 3", "+25 фунтов х 8", "разминка 5"]),
        (DUR, KG, ["45с", "1:30", "2 мин", "90", "3х45с", "5км 25:00", "разминка 30с"]),
    ],
)
def test_every_example_in_the_russian_help_is_accepted(
    tracking: TrackingType, unit: WeightUnit, examples: list[str]
) -> None:
    from bot.services.set_input import set_input_help

    with use_locale("ru"):
        help_text = set_input_help(tracking, unit)
    for example in examples:
        assert example in help_text, example
        assert parse_sets(example, tracking=tracking, unit=unit), example
