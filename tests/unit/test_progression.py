"""The progression rules (bot.services.progression): pure functions, one behaviour each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bot.db.enums import ProgressionKind, TargetReason, WeightUnit
from bot.services.plates import Scale, scale_for
from bot.services.progression import (
    Done,
    Reason,
    Rule,
    Target,
    next_target,
    percent_weight,
    prescribed_weight,
    round_to_step,
    training_max,
)
from bot.services.readiness import prescribed_weight as readiness_weight

MON = date(2026, 3, 2)
KG = Scale(WeightUnit.KG)
"""2.5 kg steps (no bar): the rules' default scale."""
LB = Scale(WeightUnit.LB)
D = Decimal

LINEAR = Rule(ProgressionKind.LINEAR, sets=3, reps_min=5, reps_max=5, increment_kg=D("2.5"))
LINEAR_DELOAD = Rule(
    ProgressionKind.LINEAR,
    sets=3,
    reps_min=5,
    reps_max=5,
    increment_kg=D("2.5"),
    deload_after=2,
    deload_percent=D(10),
)
DOUBLE = Rule(ProgressionKind.DOUBLE, sets=3, reps_min=8, reps_max=12, increment_kg=D(2))
PERCENT = Rule(
    ProgressionKind.PERCENT, sets=3, reps_min=5, reps_max=5, percent=D(85), training_max_percent=D(90)
)


def at(weight: str, reps: int = 5, fail_streak: int = 0, goal: int | None = None) -> Target:
    return Target(D(weight), goal, Reason(TargetReason.PROGRAM, MON), fail_streak=fail_streak)


def sets(*typed: str) -> list[Done]:
    """'60x5' -> Done(60, 5)."""
    return [Done(D(t.split("x")[0]), int(t.split("x")[1])) for t in typed]


# --- rounding --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kg", "expected"),
    [
        ("60", "60.00"),
        ("61", "60.00"),
        ("61.25", "60.00"),
        ("61.26", "62.50"),
        ("56.25", "55.00"),
        ("1", "2.50"),
        ("0.2", "2.50"),
    ],
)
def test_round_to_step_in_kg_is_the_nearest_2_5_kg_halves_down(kg: str, expected: str) -> None:
    assert round_to_step(D(kg), WeightUnit.KG) == D(expected)


@pytest.mark.parametrize(
    ("kg", "lb"),
    [("60", 130), ("62.5", 140), ("61.23", 135), ("20", 45), ("1", 5)],
)
def test_round_to_step_in_lb_is_the_nearest_5_lb_back_in_kg(kg: str, lb: int) -> None:
    rounded = round_to_step(D(kg), WeightUnit.LB)
    assert rounded == (D(lb) * D("0.45359237")).quantize(D("0.01"))
    assert round(rounded / D("0.45359237")) == lb


# --- linear ----------------------------------------------------------------------------------------------


def test_linear_all_sets_done_adds_the_increment() -> None:
    after = next_target(LINEAR, at("60"), sets("60x5", "60x5", "60x5"), MON, KG)
    assert after is not None
    assert (after.weight_kg, after.reason.kind, after.reason.amount_kg, after.reason.on) == (
        D("62.50"),
        TargetReason.INCREASE,
        D("2.50"),
        MON,
    )


def test_linear_heavier_sets_and_extra_reps_count_as_done() -> None:
    after = next_target(LINEAR, at("60"), sets("62.5x5", "60x6", "60x5"), MON, KG)
    assert after is not None and after.weight_kg == D("62.50")


def test_linear_a_missed_rep_holds_the_weight_and_counts_the_miss() -> None:
    after = next_target(LINEAR, at("60"), sets("60x5", "60x5", "60x4"), MON, KG)
    assert after is not None
    assert (after.weight_kg, after.reason.kind, after.fail_streak) == (D(60), TargetReason.HOLD, 1)


def test_linear_extra_sets_do_not_make_up_for_missing_ones() -> None:
    after = next_target(LINEAR, at("60"), sets("60x5", "60x5"), MON, KG)  # 2 of 3 sets
    assert after is not None and after.reason.kind is TargetReason.HOLD
    lighter = next_target(LINEAR, at("60"), sets("55x5", "55x5", "55x5", "55x5"), MON, KG)
    assert lighter is not None and lighter.reason.kind is TargetReason.HOLD


def test_linear_deloads_after_deload_after_misses_in_a_row() -> None:
    first = next_target(LINEAR_DELOAD, at("100"), sets("100x5", "100x3", "100x3"), MON, KG)
    assert first is not None and (first.weight_kg, first.fail_streak) == (D(100), 1)
    second = next_target(LINEAR_DELOAD, first, sets("100x5", "100x4", "100x2"), MON, KG)
    assert second is not None
    assert (second.weight_kg, second.reason.kind, second.reason.percent, second.fail_streak) == (
        D("90.00"),
        TargetReason.DELOAD,
        D(10),
        0,
    )
    assert second.reason.amount_kg == D("-10.00") and second.reason.missed == 2


def test_linear_success_resets_the_miss_streak() -> None:
    missed = at("100", fail_streak=1)
    after = next_target(LINEAR_DELOAD, missed, sets("100x5", "100x5", "100x5"), MON, KG)
    assert after is not None and (after.fail_streak, after.weight_kg) == (0, D("102.50"))


def test_linear_without_deload_fields_holds_forever() -> None:
    target = at("100", fail_streak=5)
    after = next_target(LINEAR, target, sets("100x1", "100x1", "100x1"), MON, KG)
    assert after is not None and (after.weight_kg, after.fail_streak) == (D(100), 6)


def test_linear_in_lb_rounds_to_5_lb() -> None:
    start = at(str(round_to_step(D(60), WeightUnit.LB)))  # 130 lb
    after = next_target(LINEAR, start, sets("58.97x5", "58.97x5", "58.97x5"), MON, LB)
    # 130 lb + 2.5 kg (5.5 lb) = 135.5 lb -> 135 lb, stored as 61.23 kg
    assert after is not None and after.weight_kg == D("61.23")
    assert round(after.weight_kg / D("0.45359237")) == 135


def test_a_small_increment_still_moves_one_step() -> None:
    small = Rule(ProgressionKind.LINEAR, sets=1, reps_min=5, reps_max=5, increment_kg=D(1))
    after = next_target(small, at("7.5"), sets("7.5x5"), MON, KG)
    assert after is not None and after.weight_kg == D("10.00")


def test_with_no_target_the_first_sets_weight_is_the_start() -> None:
    after = next_target(LINEAR, None, sets("40x5", "40x5", "40x5"), MON, KG)
    assert after is not None and after.weight_kg == D("42.50")
    missed = next_target(LINEAR, None, sets("40x5", "40x2"), MON, KG)
    assert missed is not None and (missed.weight_kg, missed.reason.kind) == (D(40), TargetReason.HOLD)


def test_an_exercise_not_done_keeps_its_target() -> None:
    target = at("60")
    assert next_target(LINEAR, target, [], MON, KG) is target
    assert next_target(LINEAR, None, [], MON, KG) is None


# --- double ----------------------------------------------------------------------------------------------


def test_double_climbs_the_rep_goal_from_the_weakest_set() -> None:
    after = next_target(DOUBLE, at("20", goal=8), sets("20x10", "20x9", "20x9"), MON, KG)
    assert after is not None
    assert (after.weight_kg, after.reps, after.reason.kind, after.reason.reps) == (
        D(20),
        10,
        TargetReason.REPS_UP,
        2,
    )


def test_double_short_of_the_goal_holds_it() -> None:
    after = next_target(DOUBLE, at("20", goal=10), sets("20x10", "20x9", "20x8"), MON, KG)
    assert after is not None and (after.reps, after.reason.kind) == (10, TargetReason.HOLD)


def test_double_at_the_top_of_the_range_adds_weight_and_starts_at_the_bottom() -> None:
    after = next_target(DOUBLE, at("20", goal=12), sets("20x12", "20x12", "20x13"), MON, KG)
    assert after is not None
    assert (after.weight_kg, after.reps, after.reason.kind) == (D("22.50"), 8, TargetReason.INCREASE)


def test_double_needs_every_prescribed_set_at_the_top() -> None:
    after = next_target(DOUBLE, at("20", goal=12), sets("20x12", "20x12"), MON, KG)
    assert after is not None and (after.weight_kg, after.reason.kind) == (D(20), TargetReason.HOLD)


# --- percent ---------------------------------------------------------------------------------------------


def test_percent_from_a_set_training_max() -> None:
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), training_max_kg=D(140))
    assert training_max(PERCENT, target) == D(140)
    assert percent_weight(PERCENT, target, KG) == D("120.00")  # 85% of 140 = 119 -> 120


def test_percent_from_the_estimated_1rm() -> None:
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), e1rm_kg=D(100))
    assert training_max(PERCENT, target) == D("90.00")  # 90% of the e1RM
    assert percent_weight(PERCENT, target, KG) == D("77.50")  # 85% of 90 = 76.5 -> 77.5
    assert percent_weight(PERCENT, target, LB) == round_to_step(D("76.5"), WeightUnit.LB)


def test_percent_a_better_set_raises_the_estimated_1rm() -> None:
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), e1rm_kg=D(100))
    after = next_target(PERCENT, target, sets("90x5"), MON, KG)  # Epley: 90 x (1 + 5/30) = 105
    assert after is not None
    assert (after.e1rm_kg, training_max(PERCENT, after), after.reason.amount_kg) == (
        D("105.00"),
        D("94.50"),
        D("4.50"),
    )
    worse = next_target(PERCENT, after, sets("80x5"), MON, KG)
    assert worse is not None and worse.e1rm_kg == D("105.00")


def test_percent_ignores_sets_of_more_than_12_reps() -> None:
    after = next_target(PERCENT, None, sets("60x15"), MON, KG)
    assert after is not None and after.e1rm_kg is None and training_max(PERCENT, after) is None


def test_percent_keeps_a_set_training_max() -> None:
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), training_max_kg=D(100))
    after = next_target(PERCENT, target, sets("100x5"), MON, KG)
    assert after is not None and training_max(PERCENT, after) == D(100) and after.e1rm_kg == D("116.67")


def test_a_coach_weight_stands_for_one_percent_session() -> None:
    coach = Target(D(80), None, Reason(TargetReason.COACH, MON), training_max_kg=D(100))
    assert prescribed_weight(PERCENT, coach, KG, None) == D(80)
    after = next_target(PERCENT, coach, sets("80x5"), MON, KG)
    assert after is not None and prescribed_weight(PERCENT, after, KG, None) == D("85.00")


def test_prescribed_weight_falls_back_to_the_program() -> None:
    assert prescribed_weight(LINEAR, None, KG, D(60)) == D(60)
    assert prescribed_weight(LINEAR, at("62.5"), KG, D(60)) == D("62.5")
    assert prescribed_weight(PERCENT, None, KG, D(60)) is None


# --- rounding to the trainee's bar and plates -------------------------------------------------------------

KG_15_NO_SMALL = scale_for(
    "barbell", WeightUnit.KG, D(15), tuple(D(p) for p in ("25", "20", "15", "10", "5", "2.5"))
)
"""A 15 kg bar and no 1.25 kg plates: 15 + 5 kg steps."""
LB_WITH_MICRO = scale_for(
    "barbell",
    WeightUnit.LB,
    D("20.41"),
    tuple(D(p) for p in ("20.41", "11.34", "4.54", "2.27", "1.13", "0.57")),
)
"""45 lb bar, 45/25/10/5/2.5/1.25 lb plates: 2.5 lb steps."""
ODD_PLATES = scale_for("barbell", WeightUnit.KG, D(20), (D(15), D(10)))
"""Only 15 and 10 kg plates: 20, 40, 50, 60, 70 ... (no 30: one pair is at least 20)."""


def lb(kg: Decimal) -> Decimal:
    return (kg / D("0.45359237")).quantize(D("0.1"))


def test_an_increase_on_a_15_kg_bar_without_small_plates_moves_5_kg() -> None:
    after = next_target(LINEAR, at("60"), sets("60x5", "60x5", "60x5"), MON, KG_15_NO_SMALL)
    assert after is not None and after.weight_kg == D("65.00")
    assert after.reason.amount_kg == D("5.00")


def test_a_deload_rounds_to_the_plates_and_moves_at_least_a_step() -> None:
    missed = at("65", fail_streak=1)
    after = next_target(LINEAR_DELOAD, missed, sets("65x3"), MON, KG_15_NO_SMALL)
    assert after is not None and after.weight_kg == D("60.00")  # 58.5 -> 60 is nearest, and lighter
    tiny = Rule(ProgressionKind.LINEAR, 3, 5, 5, increment_kg=D("2.5"), deload_after=1, deload_percent=D(1))
    after = next_target(tiny, at("65"), sets("65x3"), MON, KG_15_NO_SMALL)
    assert after is not None and after.weight_kg == D("60.00")  # 1% rounds back to 65: one step down


def test_odd_plate_sets_skip_what_cannot_be_loaded() -> None:
    after = next_target(LINEAR, at("40"), sets("40x5", "40x5", "40x5"), MON, ODD_PLATES)
    assert after is not None and after.weight_kg == D("50.00")  # 42.5 -> 40 nearest; a step up is 50
    assert ODD_PLATES.round(D(29)) == D("20.00") and ODD_PLATES.round(D(31)) == D("40.00")
    assert ODD_PLATES.down(D(40)) == D("20.00") and ODD_PLATES.down(D(20)) is None


def test_lb_micro_plates_climb_in_2_5_lb() -> None:
    start = D("61.23")  # 135 lb
    after = next_target(LINEAR, at(str(start)), sets("61.23x5", "61.23x5", "61.23x5"), MON, LB_WITH_MICRO)
    assert after is not None and lb(after.weight_kg or D(0)) == D("140.0")  # +2.5 kg = 140.5 lb -> 140
    small = Rule(ProgressionKind.LINEAR, 3, 5, 5, increment_kg=D("0.5"))
    after = next_target(small, at(str(start)), sets("61.23x5", "61.23x5", "61.23x5"), MON, LB_WITH_MICRO)
    assert after is not None and lb(after.weight_kg or D(0)) == D("137.5")  # one 1.25 lb pair
    after = next_target(small, at(str(start)), sets("61.23x5", "61.23x5", "61.23x5"), MON, LB)
    assert after is not None and lb(after.weight_kg or D(0)) == D("140.0")  # default lb steps: 5 lb


def test_percent_weights_round_to_the_plates() -> None:
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), training_max_kg=D(100))
    assert percent_weight(PERCENT, target, KG_15_NO_SMALL) == D("85.00")  # 85 = 15 + 2 x 35
    target = Target(None, None, Reason(TargetReason.TRAINING_MAX, MON), training_max_kg=D(90))
    assert percent_weight(PERCENT, target, KG_15_NO_SMALL) == D("75.00")  # 76.5 -> 75 (80 is farther)
    assert lb(percent_weight(PERCENT, target, LB_WITH_MICRO) or D(0)) == D("167.5")  # 168.7 lb


def test_dumbbells_and_machines_move_in_2_5_kg_or_5_lb() -> None:
    dumbbell = scale_for("dumbbell", WeightUnit.KG, D(15), (D(25),))  # a bar and plates do not apply
    assert dumbbell.round(D(22)) == D("22.50") and dumbbell.up(D("22.5")) == D("25.00")
    assert dumbbell.round(D(1)) == D("2.50")  # never 0
    machine = scale_for("machine", WeightUnit.LB, None, None)
    assert lb(machine.round(D(30))) == D("65.0")  # 66.1 lb -> 65


def test_readiness_reduces_on_the_same_scale() -> None:
    assert readiness_weight(D(65), 10, KG_15_NO_SMALL) == D("60.00")  # 58.5 -> 60
    assert readiness_weight(D(65), 3, KG_15_NO_SMALL) == D("60.00")  # 63.05 rounds back up: a step down
    assert readiness_weight(D(15), 10, KG_15_NO_SMALL) == D("15.00")  # the empty bar: nothing lighter
