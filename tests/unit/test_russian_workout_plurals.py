"""The workout screens' counts in Russian (three plural forms: 1, 2-4, 5-20 and 11-14, 21 again like 1) and
in English (unchanged, "1 set" / "2 sets")."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from bot.db.enums import SessionStatus, WeightUnit
from bot.i18n import use_locale
from bot.services.program_day import DayAdvance, ProgramStats
from bot.services.routines import Routine
from bot.services.workout_end import SessionSummary
from bot.ui import routines as routines_ui
from bot.ui import today as today_ui
from bot.ui import workout as ui
from tests.e2e.russian import assert_russian

COUNTS = (1, 2, 5, 11, 21)
SETS_RU = {1: "1 подход", 2: "2 подхода", 5: "5 подходов", 11: "11 подходов", 21: "21 подход"}
SETS_EN = {1: "1 set", 2: "2 sets", 5: "5 sets", 11: "11 sets", 21: "21 sets"}


@pytest.mark.parametrize("n", COUNTS)
def test_sets(n: int) -> None:
    with use_locale("ru"):
        assert ui.sets_count(n) == SETS_RU[n]
    assert ui.sets_count(n) == SETS_EN[n]


@pytest.mark.parametrize(
    ("n", "exercises", "trainees"),
    [
        (1, "1 упражнение", "1 подопечному"),
        (2, "2 упражнения", "2 подопечным"),
        (5, "5 упражнений", "5 подопечным"),
        (11, "11 упражнений", "11 подопечным"),
        (21, "21 упражнение", "21 подопечному"),
    ],
)
def test_routine_counts(n: int, exercises: str, trainees: str) -> None:
    with use_locale("ru"):
        saved = routines_ui.saved("Жим", n)
        assert f"({exercises})" in saved
        assert_russian(saved)
        shared = routines_ui.shared_toast(n, 0)
        assert shared == f"Теперь доступна: {trainees}."
    assert routines_ui.saved("Push", n).startswith(f"💾 Saved the routine <b>Push</b> ({n} exercise")


def summary(done: int, total: int) -> SessionSummary:
    return SessionSummary(
        session_id=uuid.uuid4(),
        workout_name="Тренировка",
        status=SessionStatus.COMPLETED,
        exercises_done=done,
        exercises_total=total,
        sets=0,
        reps=0,
        volume_kg=Decimal(0),
        duration_seconds=None,
        effort=None,
        soreness=None,
        records=(),
    )


@pytest.mark.parametrize(
    ("n", "ru", "en"),
    [
        (1, "1 из 1 упражнения", "1 of 1 exercise"),
        (2, "1 из 2 упражнений", "1 of 2 exercises"),
        (5, "1 из 5 упражнений", "1 of 5 exercises"),
        (11, "1 из 11 упражнений", "1 of 11 exercises"),
        (21, "1 из 21 упражнения", "1 of 21 exercises"),
    ],
)
def test_summary_exercises(n: int, ru: str, en: str) -> None:
    with use_locale("ru"):
        text = ui.summary_text(summary(1, n), WeightUnit.KG, None)
    assert text.startswith("🎉 Тренировка завершена: <b>Тренировка</b>\n" + ru + " · ")
    assert ui.summary_text(summary(1, n), WeightUnit.KG, None).split("\n")[1].startswith(en + " · ")


@pytest.mark.parametrize(
    ("n", "days", "workouts"),
    [
        (1, "1 день", "1 тренировка выполнена"),
        (2, "2 дня", "2 тренировки выполнено"),
        (5, "5 дней", "5 тренировок выполнено"),
        (11, "11 дней", "11 тренировок выполнено"),
        (21, "21 день", "21 тренировка выполнена"),
    ],
)
def test_program_finished(n: int, days: str, workouts: str) -> None:
    stats = ProgramStats("Сила", n, n, 0, n, 0.0, 3600)
    advance = DayAdvance(uuid.uuid4(), advanced=True, day_number=1, completed=stats)
    with use_locale("ru"):
        text = ui.advance_text(advance, WeightUnit.KG)
    assert text.startswith(
        f"🏆 <b>Вы прошли программу Сила!</b> {days}, {workouts}, пропущено: 0, {SETS_RU[n]}, "
    )
    assert "Выберите следующую программу в /programs." in text
    english = ui.advance_text(advance, WeightUnit.KG)
    assert english.startswith(f"🏆 <b>You finished Сила!</b> {n} day{'s' if n > 1 else ''}, ")


@pytest.mark.parametrize("n", COUNTS)
def test_shared_routine_and_weekdays(n: int) -> None:
    routine = Routine(uuid.uuid4(), "Жим", None, n)
    with use_locale("ru"):
        card, _keyboard = routines_ui.card(routine, WeightUnit.KG, coach=True)
        assert f"Доступна: {routines_ui.trainees_count(n)}." in card
        assert today_ui.weekday(date(2026, 3, 2)) == "Пн"
    assert today_ui.weekday(date(2026, 3, 2)) == "Mon"
