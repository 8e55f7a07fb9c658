"""The progress area's texts in Russian (#15): plural forms for 1, 2, 5, 11 and 21 (sessions, workouts, sets,
warm-ups, rows, problems, reps, times), the same texts in English unchanged, and a chart's words - title,
legends, axis labels and month ticks - in Russian.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from matplotlib.figure import Figure

from bot import charts
from bot.db.enums import ImportSource, ProgressionKind, TargetReason, TrackingType, WeightUnit
from bot.handlers.progress import exercise_chart_args
from bot.i18n import exercise_name, use_locale
from bot.services.importing import ImportFileError, ImportPlan, ImportResult, Problem
from bot.services.progress import ExerciseProgress, SessionPoint
from bot.services.progression import Reason, Rule, Target
from bot.ui import importing, progress, progression
from bot.ui.formatting import format_date, unit_label
from tests.e2e.russian import assert_russian

TODAY = date(2026, 3, 2)
COUNTS = (1, 2, 5, 11, 21)


def forms(one: str, few: str, many: str) -> dict[int, str]:
    """The Russian form for each of COUNTS: 1 and 21 `one`, 2 `few`, 5 and 11 `many`."""
    return {1: one, 2: few, 5: many, 11: many, 21: one}


def squat_progress(sessions: int) -> ExerciseProgress:
    start = TODAY - timedelta(days=7 * sessions)
    points = tuple(
        SessionPoint(
            day=start + timedelta(days=7 * n),
            top_kg=Decimal(60 + n),
            top_reps=5,
            e1rm_kg=Decimal(70 + n),
            max_reps=5,
            longest_seconds=None,
            volume_kg=Decimal(900),
            total_reps=15,
            total_seconds=0,
        )
        for n in range(sessions)
    )
    weekly = tuple((p.day - timedelta(days=p.day.weekday()), Decimal(900)) for p in points)
    return ExerciseProgress(uuid.uuid4(), "Barbell Back Squat", TrackingType.WEIGHT_REPS, points, weekly)


def plan(workouts: int, sets: int = 3, warmups: int = 0, skipped: int = 0) -> ImportPlan:
    return ImportPlan(
        source=ImportSource.STRONG,
        workouts=workouts,
        first=date(2026, 2, 2),
        last=date(2026, 2, 23),
        already=0,
        new_workouts=workouts,
        new_sets=sets,
        new_warmups=warmups,
        mappings=(),
        unit=WeightUnit.KG,
        unit_from_file=True,
        skipped_rows=skipped,
        timezone="Europe/Berlin",
    )


@pytest.mark.parametrize("n", COUNTS)
def test_sessions_since_in_a_progress_caption(n: int) -> None:
    data = squat_progress(max(n, 2))
    with use_locale("ru"):
        caption = progress.exercise_caption(data, WeightUnit.KG, TODAY)
    if n >= 2:
        expected = forms("тренировка", "тренировки", "тренировок")[n]
        assert f": {n} {expected} с " in caption
    assert "Последний рабочий подход:" in caption and "Лучший e1RM:" in caption
    with use_locale("en"):
        english = progress.exercise_caption(data, WeightUnit.KG, TODAY)
    assert f": {max(n, 2)} sessions since " in english


@pytest.mark.parametrize("n", COUNTS)
def test_workouts_sets_warmups_and_rows_of_an_import(n: int) -> None:
    dry = plan(n, sets=n, warmups=n, skipped=n)
    with use_locale("ru"):
        text = importing.dry_run(dry, TODAY)
        done = importing.imported(ImportResult(dry, n, n, ()), TODAY)
    with use_locale("ru"):  # dates and units: bot/ui/formatting.py's (English until i18n-core's change)
        elsewhere = (unit_label(WeightUnit.KG), format_date(dry.first, TODAY), format_date(dry.last, TODAY))
    workouts = forms("тренировка", "тренировки", "тренировок")[n]
    sets = forms("подход", "подхода", "подходов")[n]
    warmups = forms("разминочный", "разминочных", "разминочных")[n]
    rows = forms("строка без повторов и времени пропущена", "строки без повторов и времени пропущены",
                 "строк без повторов и времени пропущено")[n]  # fmt: skip
    assert f"К импорту: <b>{n} {workouts}</b>, {n} {sets} ({n} {warmups})." in text
    assert f"{n} {rows}." in text
    assert f"Импортировать {n} {workouts}?" in text
    assert done.startswith(f"✅ Импортировано из Strong: {n} {workouts}, {n} {sets} (")
    for message in (text, done):
        assert_russian(message, "Europe/Berlin", *elsewhere)
    with use_locale("en"):
        english = importing.dry_run(dry, TODAY)
    assert (
        f"To import: <b>{n} workout{'s' if n > 1 else ''}</b> with {n} set{'s' if n > 1 else ''}" in english
    )


@pytest.mark.parametrize("n", COUNTS)
def test_more_problems_of_a_refused_file(n: int) -> None:
    error = ImportFileError([Problem(2, "x")], total=n + 1)
    with use_locale("ru"):
        text = importing.malformed(error)
    assert f"…и ещё {n} {forms('ошибка', 'ошибки', 'ошибок')[n]}." in text
    assert text.startswith("❌ Не могу импортировать этот файл: ничего не сохранено.")


@pytest.mark.parametrize("n", COUNTS)
def test_reps_up_and_missed_times_of_a_target_reason(n: int) -> None:
    rule = Rule(ProgressionKind.DOUBLE, 3, 8, 12)
    up = Target(Decimal(60), 10, Reason(TargetReason.REPS_UP, on=TODAY, reps=n))
    held = Target(Decimal(60), 10, Reason(TargetReason.HOLD, on=TODAY, missed=n))
    with use_locale("ru"):
        reps = progression.reason_text(rule, up, WeightUnit.KG, TODAY)
        times = progression.reason_text(rule, held, WeightUnit.KG, TODAY)
    assert reps == f"+{n} {forms('повтор', 'повтора', 'повторов')[n]}: все подходы выполнены сегодня"
    expected = {1: "то же самое: не выполнено сегодня", 2: "то же самое: не выполнено дважды"}
    assert times == expected.get(n, f"то же самое: не выполнено {n} {forms('раз', 'раза', 'раз')[n]}")
    with use_locale("en"):
        assert progression.reason_text(rule, up, WeightUnit.KG, TODAY) == (
            f"+{n} rep{'s' if n > 1 else ''}: all sets done today"
        )


def texts_of(figure: Figure) -> list[str]:
    """Every word drawn on the figure: titles, axis labels, legends and the date ticks."""
    figure.canvas.draw()
    found = []
    for axes in figure.axes:
        found += [axes.get_title(), axes.get_ylabel()]
        found += [label.get_text() for label in axes.get_xticklabels()]
        legend = axes.get_legend()
        if legend is not None:
            found += [text.get_text() for text in legend.get_texts()]
    return [text for text in found if text]


def test_a_chart_in_russian_has_russian_words_and_months() -> None:
    data = squat_progress(3)  # 9, 16 and 23 February
    with use_locale("ru"):
        figure = charts.exercise_figure(*exercise_chart_args(data, WeightUnit.KG))
        words = texts_of(figure)
        kg = unit_label(WeightUnit.KG)  # bot/ui/formatting.py's (Russian "кг" with i18n-core)
        squat = exercise_name("Barbell Back Squat")  # the catalog's name, Russian once it has one
    assert {"Рабочий подход", "Расчётный 1RM", f"объём ({kg}/неделя)", kg, squat} <= set(words)
    assert any("февр." in word for word in words)  # Babel's month names, not the C locale's
    for word in words:
        assert_russian(word, squat, "1RM", kg)
    with use_locale("en"):
        english = texts_of(charts.exercise_figure(*exercise_chart_args(data, WeightUnit.KG)))
    assert {"Top set", "Estimated 1RM", "volume (kg/week)", "kg", "Barbell Back Squat"} <= set(english)
    assert any("Feb" in word for word in english)


def test_a_long_chart_marks_months_and_years_in_russian() -> None:
    days = [date(2025, 10, 6) + timedelta(days=14 * n) for n in range(12)]  # October to March
    series = [charts.Series("Вес тела", days, [80.0 + n / 2 for n in range(12)])]
    with use_locale("ru"):
        words = texts_of(charts.line_figure("Вес тела", series, "кг"))
    months = {"нояб.", "дек.", "февр.", "март"}
    assert months & set(words) and "2026" in words
