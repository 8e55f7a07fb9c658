"""bot.ui.formatting in Russian (issue #15): plural forms for 1, 2, 5, 11, 21, Babel's dates and weekdays,
the decimal comma, units and durations - and English unchanged outside `use_locale("ru")`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.db.enums import TrackingType, WeightUnit
from bot.i18n import use_locale
from bot.services.set_input import parse_sets
from bot.ui import formatting as f

TODAY = date(2026, 12, 10)  # a Thursday


@pytest.mark.parametrize(
    ("n", "sets", "workouts", "days"),
    [
        (1, "1 подход", "1 тренировка", "1 день"),
        (2, "2 подхода", "2 тренировки", "2 дня"),
        (5, "5 подходов", "5 тренировок", "5 дней"),
        (11, "11 подходов", "11 тренировок", "11 дней"),
        (21, "21 подход", "21 тренировка", "21 день"),
        (22, "22 подхода", "22 тренировки", "22 дня"),
        (0, "0 подходов", "0 тренировок", "0 дней"),
    ],
)
def test_russian_plurals(n: int, sets: str, workouts: str, days: str) -> None:
    with use_locale("ru"):
        assert f.count_sets(n) == sets
        assert f.format_count(n, "set") == sets
        assert f.count_workouts(n) == workouts
        assert f.format_count(n, "workout") == workouts
        assert f.count_days(n) == days


@pytest.mark.parametrize(("n", "english"), [(1, "1 set"), (2, "2 sets"), (5, "5 sets"), (21, "21 sets")])
def test_english_plurals_unchanged(n: int, english: str) -> None:
    assert f.count_sets(n) == english
    assert f.format_count(n, "set") == english
    assert f.format_count(2, "person", "people") == "2 people"
    assert f.format_count(3, "more problem") == "3 more problems"  # a noun without a catalog entry
    assert f.format_count_of(1, 3, "set") == "1 of 3 sets"
    assert f.format_count_of(1, 1, "set") == "1 of 1 set"


def test_other_counts_in_russian() -> None:
    with use_locale("ru"):
        assert f.format_count(2, "person", "people") == "2 человека"
        assert f.format_count(5, "new record") == "5 новых рекордов"
        assert f.format_count(1, "rep") == "1 повтор"
        assert f.format_count_of(1, 3, "set") == "1 из 3 подходов"
        assert f.format_count_of(1, 21, "set") == "1 из 21 подхода"
        assert f.format_count_of(0, 1, "set") == "0 из 1 подхода"
        assert f.count_weeks(4) == "4 недели"


def test_dates_weekdays_and_months_in_russian() -> None:
    with use_locale("ru"):
        assert f.format_date(date(2026, 12, 7), TODAY) == "7 дек"
        assert f.format_date(date(2025, 5, 7), TODAY) == "7 мая 2025"
        assert f.format_recent_day(TODAY, TODAY) == "сегодня"
        assert f.format_recent_day(date(2026, 12, 9), TODAY) == "вчера"
        assert f.format_recent_day(date(2026, 12, 7), TODAY) == "пн"
        assert f.format_weekday(date(2026, 12, 11)) == "пт"
        assert f.format_month(12) == "дек"
    assert f.format_date(date(2026, 12, 7), TODAY) == "7 Dec"
    assert f.format_recent_day(date(2026, 12, 7), TODAY) == "Mon"
    assert f.format_month(12) == "Dec"


def test_numbers_units_and_durations_in_russian() -> None:
    with use_locale("ru"):
        assert f.format_weight(Decimal("62.5"), WeightUnit.KG) == "62,5 кг"
        assert f.format_weight(None, WeightUnit.KG) == "свой вес"
        assert f.unit_label(WeightUnit.LB) == "фнт"
        assert f.format_volume(Decimal(4320), WeightUnit.KG) == "4\xa0320 кг"
        assert f.format_duration(45) == "45 с"
        assert f.format_duration(3900) == "1 ч 5 мин"
        assert f.format_duration(322) == "5 мин 22 с"
        assert f.format_distance(Decimal(5200)) == "5,2 км"
        assert f.format_pace(1500, Decimal(5000)) == "5:00 /км"
        assert (
            f.format_work(5, 15, Decimal(900), 0, WeightUnit.KG) == "5 подходов · 15 повторов · объём 900 кг"
        )
        assert f.format_day_of_program(15, 84) == "день 15 из 84"
    assert f.format_weight(Decimal("62.5"), WeightUnit.KG) == "62.5 kg"
    assert f.format_volume(Decimal(4320), WeightUnit.KG) == "4,320 kg"
    assert f.format_duration(3900) == "1 h 5 min"


def test_a_russian_set_with_a_decimal_comma_reads_back() -> None:
    """What the bot writes in Russian ('62,5×8, 60×8×2') is what the set language reads."""

    class Set:
        def __init__(self, kg: str, reps: int) -> None:
            self.weight_kg, self.reps, self.duration_seconds, self.is_warmup = Decimal(kg), reps, None, False

    sets = [Set("62.5", 8), Set("60", 8), Set("60", 8)]
    with use_locale("ru"):
        text = f.format_sets_compact(sets, WeightUnit.KG, TrackingType.WEIGHT_REPS)
    assert text == "62,5×8, 60×8×2"
    parsed = parse_sets(text, tracking=TrackingType.WEIGHT_REPS, unit=WeightUnit.KG)
    assert [(s.weight_kg, s.reps) for s in parsed] == [
        (Decimal("62.5"), 8),
        (Decimal(60), 8),
        (Decimal(60), 8),
    ]
