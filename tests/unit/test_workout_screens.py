"""The workout screens' pure parts: plate-friendly lb, kg with one decimal, last time's values on the
"done" button, a coach's note in lb, and what the rest ping says."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from bot.db.enums import SessionStatus, TrackingType, WeightUnit
from bot.services.units import plate_friendly, plate_lb, shown_kg
from bot.services.workouts import ExerciseView, LastTime, SessionView, SetView
from bot.ui import workout as ui

KG, LB = WeightUnit.KG, WeightUnit.LB


@pytest.mark.parametrize(
    ("kg", "lb"),
    [("60", "130"), ("20", "45"), ("100", "220"), ("2.5", "5"), ("5", "10"), ("1", "2.5"), ("0.5", "2.5")],
)
def test_plate_lb(kg: str, lb: str) -> None:
    assert plate_lb(D(kg)) == D(lb)


def test_plate_friendly_converts_back_to_kg_for_lb_only() -> None:
    assert plate_friendly(D("60"), LB) == D("58.97")  # 130 lb
    assert plate_friendly(D("60"), KG) == D("60")


@pytest.mark.parametrize(
    ("kg", "shown"),
    [("61.23", "61.2"), ("61.25", "61.25"), ("62.50", "62.50"), ("83.33", "83.3"), ("60.00", "60.00")],
)
def test_shown_kg(kg: str, shown: str) -> None:
    assert str(shown_kg(D(kg))) == shown


def test_notes_in_the_users_unit() -> None:
    note = "Add 2.5 kg next session; 5kg if easy"
    assert ui.in_unit(note, LB) == "Add 5 lb next session; 10 lb if easy"
    assert ui.in_unit(note, KG) == note


def exercise(
    index: int = 0,
    *,
    name: str = "Squat",
    sets: tuple[SetView, ...] = (),
    target_sets: int = 3,
    weight: str | None = "60",
    tracking: TrackingType = TrackingType.WEIGHT_REPS,
) -> ExerciseView:
    return ExerciseView(
        index=index,
        instruction_id=uuid.uuid4(),
        exercise_id=uuid.uuid4(),
        name=name,
        tracking=tracking,
        target_sets=target_sets,
        reps_min=5,
        reps_max=5,
        target_weight_kg=D(weight) if weight else None,
        target_duration_seconds=None,
        rest_seconds=120,
        notes=None,
        adhoc=False,
        sets=sets,
        difficulty=None,
    )


def done(n: int, reps: int = 5, kg: str = "60") -> SetView:
    return SetView(n, reps, D(kg), None, False)


def test_the_done_button_takes_last_times_values() -> None:
    last = LastTime(datetime(2026, 3, 1, tzinfo=UTC), (done(1, 5, "62.5"), done(2, 4, "62.5")))
    assert ui.next_set(exercise(), KG, None) == (5, D("60"), None)
    assert ui.next_set(exercise(), KG, last) == (5, D("62.5"), None)
    assert ui.next_set(exercise(sets=(done(1, 5, "62.5"),)), KG, last) == (4, D("62.5"), None)
    assert ui.next_set(exercise(), LB, None) == (5, D("58.97"), None)  # 130 lb
    keyboard = ui.exercise_keyboard(uuid.uuid4(), exercise(), KG, last)
    assert keyboard.inline_keyboard[0][0].text == "✓ 62.5×5"


def view(*exercises: ExerciseView) -> SessionView:
    return SessionView(uuid.uuid4(), "A", SessionStatus.IN_PROGRESS, None, None, None, exercises)


def test_the_rest_ping_names_what_comes_next() -> None:
    squat = exercise(0, sets=(done(1), done(2)))
    bench = exercise(1, name="Bench")
    assert ui.rest_over(view(squat, bench), squat) == "⏱ Rest is over - time for set 3 of <b>Squat</b>."
    squat = exercise(0, sets=(done(1), done(2), done(3)))
    assert ui.rest_over(view(squat, bench), squat) == "⏱ Rest is over - next up: <b>Bench</b>."
    bench = exercise(1, name="Bench", sets=(done(1), done(2), done(3)))
    squat = exercise(0, sets=(done(1),))
    assert "next up: <b>Squat</b>" in ui.rest_over(view(squat, bench), bench)  # an earlier one is open
    squat = exercise(0, sets=(done(1), done(2), done(3)))
    assert "last set of the workout" in ui.rest_over(view(squat, bench), bench)


def test_outliers_against_the_trainees_history() -> None:
    from bot.services.records import Bests
    from bot.services.set_input import SetInput
    from bot.services.workouts import outlier

    squat = exercise(sets=(done(1, 5, "70"),))
    none = Bests()
    best_60 = Bests(weight_kg=D("60"))
    assert outlier(squat, [SetInput(reps=30, weight_kg=D("60"))], none) is None  # 30 reps is fine
    found = outlier(squat, [SetInput(reps=31, weight_kg=D("60"))], none)
    assert found is not None and found.reps == 31
    assert outlier(squat, [SetInput(reps=40)], Bests(reps=45)) is None  # done before: not odd
    assert outlier(squat, [SetInput(reps=5, weight_kg=D("105"))], best_60) is None  # 70 today: 105 = 150%
    found = outlier(squat, [SetInput(reps=5, weight_kg=D("105.01"))], best_60)
    assert found is not None and (found.weight_kg, found.best_kg) == (D("105.01"), D("70"))
    assert outlier(exercise(), [SetInput(reps=5, weight_kg=D("500"))], none) is None  # no history at all
