"""Rendering for messages (bot.ui.formatting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from bot.db.enums import TrackingType, WeightUnit
from bot.services.program_format import parse_duration
from bot.services.set_input import parse_sets
from bot.ui.formatting import (
    format_added_weight,
    format_count,
    format_count_of,
    format_date,
    format_day_of_program,
    format_decimal,
    format_distance,
    format_duration,
    format_label,
    format_minutes,
    format_prescription,
    format_rating,
    format_set,
    format_sets_compact,
    format_volume,
    format_weight,
    format_weight_number,
)

KG, LB = WeightUnit.KG, WeightUnit.LB
WR, REPS, DUR = TrackingType.WEIGHT_REPS, TrackingType.REPS, TrackingType.DURATION
D = Decimal


@dataclass(frozen=True)
class FakeSet:
    """Any object with the four attributes will do (the SetLike protocol)."""

    reps: int | None = None
    weight_kg: Decimal | None = None
    duration_seconds: int | None = None
    is_warmup: bool = False


@pytest.mark.parametrize(
    ("value", "text"),
    [("60.00", "60"), ("62.50", "62.5"), ("1E+2", "100"), ("0.00", "0"), ("-0", "0"), ("135.0", "135")],
)
def test_format_decimal(value: str, text: str) -> None:
    assert format_decimal(D(value)) == text


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [
        (D("60.00"), KG, "60 kg"),
        (D("62.50"), KG, "62.5 kg"),
        (D("61.25"), KG, "61.25 kg"),
        (D("61.23"), LB, "135 lb"),
        (D("60"), LB, "132.3 lb"),
        (D("1000"), KG, "1000 kg"),
        (None, KG, "bodyweight"),
        (None, LB, "bodyweight"),
    ],
)
def test_format_weight(kg: Decimal | None, unit: WeightUnit, text: str) -> None:
    assert format_weight(kg, unit) == text


def test_format_weight_number() -> None:
    assert format_weight_number(D("61.23"), LB) == "135"
    assert format_weight_number(D("102.50"), KG) == "102.5"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (1, "1 s"),
        (10, "10 s"),
        (45, "45 s"),
        (59, "59 s"),
        (60, "1 min"),
        (90, "1 min 30 s"),
        (120, "2 min"),
        (322, "5 min 22 s"),
        (605, "10 min 5 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h"),
        (3605, "1 h 0 min 5 s"),
        (3900, "1 h 5 min"),
        (4200, "1 h 10 min"),
        (3930, "1 h 5 min 30 s"),
        (36_000, "10 h"),
        (-90, "-1 min 30 s"),
    ],
)
def test_format_duration(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


@pytest.mark.parametrize(
    "seconds", [1, 45, 60, 90, 120, 322, 605, 3599, 3600, 3605, 3900, 3930, 4200, 36_000, 86_399]
)
def test_format_duration_reads_back(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize("seconds", [45, 322, 4200])
def test_timed_sets_read_back_in_a_list(seconds: int) -> None:
    """What the bot shows for three timed sets ('3×5 min 22 s') is what a trainee may type."""
    sets = [FakeSet(duration_seconds=seconds)] * 3
    shown = format_sets_compact(sets, KG, DUR)
    parsed = parse_sets(shown, tracking=DUR, unit=KG)
    assert [s.duration_seconds for s in parsed] == [seconds] * 3


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "1 min"),
        (29, "1 min"),
        (60, "1 min"),
        (89, "1 min"),
        (90, "2 min"),
        (2700, "45 min"),
        (4200, "1 h 10 min"),
    ],
)
def test_format_minutes(seconds: int, text: str) -> None:
    assert format_minutes(seconds) == text


@pytest.mark.parametrize(
    ("count", "text"),
    [(0, "0 sets"), (1, "1 set"), (2, "2 sets"), (5, "5 sets"), (11, "11 sets"), (21, "21 sets")],
)
def test_format_count_plurals(count: int, text: str) -> None:
    assert format_count(count, "set") == text


@pytest.mark.parametrize(
    ("count", "noun", "plural", "text"),
    [
        (1, "invitation link", None, "1 invitation link"),
        (2, "invitation link", None, "2 invitation links"),
        (1, "new record", None, "1 new record"),
        (3, "new record", None, "3 new records"),
        (2, "match", None, "2 matches"),
        (2, "entry", None, "2 entries"),
        (2, "day", None, "2 days"),
        (2, "person", "people", "2 people"),
        (1, "person", "people", "1 person"),
        (1, "time", None, "1 time"),
        (11, "time", None, "11 times"),
    ],
)
def test_format_count_nouns(count: int, noun: str, plural: str | None, text: str) -> None:
    assert format_count(count, noun, plural) == text


@pytest.mark.parametrize(
    ("done", "total", "text"),
    [(0, 3, "0 of 3 sets"), (1, 1, "1 of 1 set"), (1, 3, "1 of 3 sets"), (4, 3, "4 of 3 sets")],
)
def test_format_count_of(done: int, total: int, text: str) -> None:
    assert format_count_of(done, total, "set") == text


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [(D("10"), KG, "+10 kg"), (D("2.5"), KG, "+2.5 kg"), (D("11.34"), LB, "+25 lb")],
)
def test_format_added_weight(kg: Decimal, unit: WeightUnit, text: str) -> None:
    assert format_added_weight(kg, unit) == text


@pytest.mark.parametrize(
    ("meters", "text"),
    [(0, "0 m"), (400, "400 m"), (D("799.6"), "800 m"), (1000, "1 km"), (5200, "5.2 km"), (42195, "42.2 km")],
)
def test_format_distance(meters: Decimal | int, text: str) -> None:
    assert format_distance(meters) == text


@pytest.mark.parametrize(
    ("text", "limit", "label"),
    [
        ("Squat", 14, "Squat"),
        ("Barbell Back Squat", 18, "Barbell Back Squat"),
        ("Barbell Back Squat", 14, "Barbell Back…"),
        ("Barbell  Back   Squat", 30, "Barbell Back Squat"),
        ("Supercalifragilistic", 10, "Supercali…"),
        ("Romanian Deadlift - Dumbbell", 20, "Romanian Deadlift…"),
    ],
)
def test_format_label(text: str, limit: int, label: str) -> None:
    assert format_label(text, limit) == label
    assert len(format_label(text, limit)) <= limit


@pytest.mark.parametrize(
    ("s", "unit", "tracking", "text"),
    [
        (FakeSet(reps=8, weight_kg=D("60.00")), KG, WR, "60×8"),
        (FakeSet(reps=5, weight_kg=D("62.50")), KG, WR, "62.5×5"),
        (FakeSet(reps=5, weight_kg=D("61.23")), LB, WR, "135×5"),
        (FakeSet(reps=12), KG, WR, "BW×12"),
        (FakeSet(reps=12), KG, REPS, "BW×12"),
        (FakeSet(reps=8, weight_kg=D("10")), KG, REPS, "+10×8"),
        (FakeSet(duration_seconds=45), KG, DUR, "45 s"),
        (FakeSet(duration_seconds=90), KG, DUR, "1 min 30 s"),
        (FakeSet(reps=10, weight_kg=D("40"), is_warmup=True), KG, WR, "w 40×10"),
        (FakeSet(duration_seconds=30, is_warmup=True), KG, DUR, "w 30 s"),
        # data that does not fit the tracking type still renders
        (FakeSet(duration_seconds=30), KG, WR, "30 s"),
        (FakeSet(reps=10), KG, DUR, "BW×10"),
        (FakeSet(weight_kg=D("20")), KG, WR, "20 kg"),
        (FakeSet(), KG, WR, "–"),
    ],
)
def test_format_set(s: FakeSet, unit: WeightUnit, tracking: TrackingType, text: str) -> None:
    assert format_set(s, unit, tracking) == text


@pytest.mark.parametrize(
    ("sets", "unit", "tracking", "text"),
    [
        ([], KG, WR, "–"),
        ([FakeSet(8, D(60))], KG, WR, "60×8"),
        ([FakeSet(8, D(60)), FakeSet(8, D(60)), FakeSet(7, D(60))], KG, WR, "60×8×2, 60×7"),
        ([FakeSet(5, D(100))] * 5, KG, WR, "100×5×5"),
        ([FakeSet(8, D(60)), FakeSet(7, D(60)), FakeSet(8, D(60))], KG, WR, "60×8, 60×7, 60×8"),
        (
            [FakeSet(10, D(40), is_warmup=True), FakeSet(10, D(40)), FakeSet(10, D(40))],
            KG,
            WR,
            "w 40×10, 40×10×2",
        ),
        ([FakeSet(10, D(40), is_warmup=True)] * 2 + [FakeSet(5, D(80))], KG, WR, "w 40×10×2, 80×5"),
        ([FakeSet(5, D("61.23"))] * 3, LB, WR, "135×5×3"),
        ([FakeSet(12)] * 3 + [FakeSet(10)], KG, REPS, "BW×12×3, BW×10"),
        ([FakeSet(8, D(10))] * 2, KG, REPS, "+10×8×2"),
        ([FakeSet(duration_seconds=45)] * 3, KG, DUR, "3×45 s"),
        ([FakeSet(duration_seconds=90)] * 2 + [FakeSet(duration_seconds=60)], KG, DUR, "2×1 min 30 s, 1 min"),
        ([FakeSet(duration_seconds=30, is_warmup=True)] * 2, KG, DUR, "w 2×30 s"),
    ],
)
def test_format_sets_compact(
    sets: list[FakeSet], unit: WeightUnit, tracking: TrackingType, text: str
) -> None:
    assert format_sets_compact(sets, unit, tracking) == text


def test_format_sets_compact_takes_any_iterable() -> None:
    assert format_sets_compact((s for s in [FakeSet(8, D(60))] * 2), KG, WR) == "60×8×2"


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        (
            {"sets": 3, "reps_min": 5, "reps_max": 5, "weight_kg": D(60), "rest_seconds": 180},
            "3 × 5 @ 60 kg · rest 3 min",
        ),
        ({"sets": 3, "reps_min": 8, "reps_max": 12}, "3 × 8-12"),
        ({"sets": 3, "reps_min": 8, "reps_max": None}, "3 × 8"),
        ({"sets": 3, "duration_seconds": 45, "tracking": DUR}, "3 × 45 s"),
        (
            {"sets": 2, "duration_seconds": 90, "rest_seconds": 60, "tracking": DUR},
            "2 × 1 min 30 s · rest 1 min",
        ),
        ({"sets": 3, "reps_min": 8, "reps_max": 8, "weight_kg": D(10), "tracking": REPS}, "3 × 8 @ +10 kg"),
        ({"sets": 5, "reps_min": 5, "reps_max": 5, "weight_kg": D("61.23"), "unit": LB}, "5 × 5 @ 135 lb"),
        ({"sets": 3, "reps_min": 10, "reps_max": 15, "rest_seconds": 90}, "3 × 10-15 · rest 1 min 30 s"),
        ({"sets": 3}, "3 sets"),
        ({"sets": 1}, "1 set"),
        ({"sets": 1, "reps_min": 1, "reps_max": 1, "weight_kg": D("102.5")}, "1 × 1 @ 102.5 kg"),
        ({"sets": 3, "reps_min": 8, "reps_max": 8, "rest_seconds": 0}, "3 × 8"),
    ],
)
def test_format_prescription(kwargs: dict[str, object], text: str) -> None:
    arguments: dict[str, object] = {
        "reps_min": None,
        "reps_max": None,
        "weight_kg": None,
        "duration_seconds": None,
        "rest_seconds": None,
        "unit": KG,
        "tracking": WR,
    }
    arguments.update(kwargs)
    assert format_prescription(**arguments) == text  # type: ignore[arg-type]


def test_format_prescription_positional() -> None:
    assert format_prescription(3, 5, 5, D(60), None, 180, KG, WR) == "3 × 5 @ 60 kg · rest 3 min"


@pytest.mark.parametrize(
    ("d", "today", "text"),
    [
        (date(2026, 11, 12), date(2026, 12, 1), "12 Nov"),
        (date(2026, 1, 1), date(2026, 12, 31), "1 Jan"),
        (date(2025, 11, 12), date(2026, 1, 2), "12 Nov 2025"),
        (date(2027, 3, 5), date(2026, 12, 31), "5 Mar 2027"),
    ],
)
def test_format_date(d: date, today: date, text: str) -> None:
    assert format_date(d, today) == text


@pytest.mark.parametrize(
    ("day", "length", "text"), [(15, 84, "day 15 of 84"), (1, 1, "day 1 of 1"), (3, None, "day 3")]
)
def test_format_day_of_program(day: int, length: int | None, text: str) -> None:
    assert format_day_of_program(day, length) == text


@pytest.mark.parametrize(
    ("kg", "unit", "text"),
    [
        (D("4320"), KG, "4,320 kg"),
        (D("4320.5"), KG, "4,321 kg"),
        (D("0"), KG, "0 kg"),
        (D("999"), KG, "999 kg"),
        (D("1234567.4"), KG, "1,234,567 kg"),
        (D("4320"), LB, "9,524 lb"),
    ],
)
def test_format_volume(kg: Decimal, unit: WeightUnit, text: str) -> None:
    assert format_volume(kg, unit) == text


@pytest.mark.parametrize(
    ("value", "scale", "text"), [(8, 10, "8/10"), (0, 10, "0/10"), (None, 10, "–"), (4, 5, "4/5")]
)
def test_format_rating(value: int | None, scale: int, text: str) -> None:
    assert format_rating(value, scale) == text


def test_format_rating_default_scale() -> None:
    assert format_rating(7) == "7/10"


def test_format_work_shows_only_what_applies() -> None:
    from bot.ui.formatting import format_work

    kg = WeightUnit.KG
    assert format_work(5, 15, Decimal(900), 0, kg) == "5 sets · 15 reps · volume 900 kg"
    assert format_work(2, 0, Decimal(0), 105, kg) == "2 sets · time 1 min 45 s"  # a plank: not "0 reps, 0 kg"
    assert format_work(1, 1, Decimal(0), 0, kg) == "1 set · 1 rep"  # bodyweight
    assert format_work(4, 20, Decimal(1200), 600, WeightUnit.LB) == (
        "4 sets · 20 reps · volume 2,646 lb · time 10 min"
    )
    assert format_work(0, 0, Decimal(0), 0, kg) == "0 sets"
