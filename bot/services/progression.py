"""Progression rules as pure functions: what a trainee should lift next on an exercise, and why.

A program's exercise may carry a rule (bot/data/README.md, "Progression"):

- LINEAR: after a session where every prescribed working set reached its reps at (at least) the target
  weight, the next target is the last one plus `increment_kg`; after `deload_after` missed sessions in a
  row it drops by `deload_percent`. A missed session before that repeats the target.
- DOUBLE: a rep range at one weight: each session the rep goal climbs (one more than the fewest reps of
  the sets, when every set reached the goal); once every set reaches the top of the range, the weight
  goes up by `increment_kg` and the goal starts again at the bottom.
- PERCENT: the weight is `percent` of the trainee's training max: one they set (/tm) or
  `training_max_percent` of their best estimated 1RM (Epley, sets of at most 12 reps).

Weights are rounded to what the trainee can load on the exercise: a `Scale` (bot.services.plates) from
their bar and plates for a barbell, 2.5 kg / 5 lb steps otherwise; the nearest loadable weight, and an
increase or a deload moves at least one loadable step. No database, no Telegram: the
service bot.services.targets reads and writes the rows and calls these.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from bot.db.enums import ProgressionKind, TargetReason, WeightUnit
from bot.services.plates import Scale, scale_of
from bot.services.records import e1rm

DEFAULT_TRAINING_MAX_PERCENT: Final = Decimal(90)
"""A percent rule without training_max_percent: the training max is 90% of the estimated 1RM."""
TOLERANCE_KG: Final = Decimal("0.05")
"""A set counts as at the target when it is at most this much lighter (lb typed, kg stored: 135 lb is
61.23 kg while the target 135 lb is kept as 61.23 kg, but rounding elsewhere may differ by 0.01)."""


def round_to_step(weight_kg: Decimal, unit: WeightUnit) -> Decimal:
    """`weight_kg` rounded to the nearest 2.5 kg, or 5 lb for a lb trainee (back in kg, 0.01): the
    scale of an exercise without a bar (bot.services.plates.Scale, which the rules use)."""
    return scale_of(unit, None, None).round(weight_kg)


def raised(weight_kg: Decimal, increment_kg: Decimal, scale: Scale) -> Decimal:
    """`weight_kg` + `increment_kg`, rounded to what can be loaded, and at least one loadable step up (a
    1 kg increment on 2.5 kg steps would otherwise round back to the same weight forever)."""
    new = scale.round(weight_kg + increment_kg)
    return new if new > weight_kg else scale.up(weight_kg)


def lowered(weight_kg: Decimal, percent: Decimal, scale: Scale) -> Decimal:
    """`weight_kg` less `percent`, rounded to what can be loaded, and at least one loadable step down
    (when there is a step below)."""
    new = scale.round(weight_kg * (100 - percent) / 100)
    if new >= weight_kg:
        new = scale.down(weight_kg) or new
    return new


@dataclass(frozen=True, slots=True)
class Rule:
    """A progression rule of one exercise of a workout, with its prescription."""

    kind: ProgressionKind
    sets: int
    reps_min: int | None
    reps_max: int | None
    increment_kg: Decimal | None = None
    deload_after: int | None = None
    deload_percent: Decimal | None = None
    percent: Decimal | None = None
    training_max_percent: Decimal | None = None

    @property
    def reps(self) -> int | None:
        """The reps every set must reach for LINEAR and PERCENT: the bottom of a range."""
        return self.reps_min


@dataclass(frozen=True, slots=True)
class Reason:
    """Why the target is what it is: "+2.5 kg: all sets done on Mon", "deload -10%: missed twice"."""

    kind: TargetReason
    on: date | None = None
    amount_kg: Decimal | None = None
    percent: Decimal | None = None
    reps: int | None = None
    missed: int | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """A trainee's current target on an exercise. `weight_kg` is None for PERCENT (it comes from the
    training max) and before the first weight is known; `reps` is the rep goal of DOUBLE."""

    weight_kg: Decimal | None
    reps: int | None
    reason: Reason
    fail_streak: int = 0
    training_max_kg: Decimal | None = None
    """A training max the trainee (or their coach) set."""
    e1rm_kg: Decimal | None = None
    """The best estimated 1RM known when the target was last updated."""


@dataclass(frozen=True, slots=True)
class Done:
    """A working set as logged."""

    weight_kg: Decimal | None
    reps: int | None


# ---------------------------------------------------------------------------------------------------------
# the rules

_SAME: Final = object()


def _moved(
    current: Target,
    *,
    weight_kg: Any = _SAME,
    reps: Any = _SAME,
    reason: Any = _SAME,
    fail_streak: Any = _SAME,
    e1rm_kg: Any = _SAME,
) -> Target:
    """`current` with some fields changed (dataclasses.replace, without its introspection: the batch
    of targets calls this tens of thousands of times)."""
    return Target(
        current.weight_kg if weight_kg is _SAME else weight_kg,
        current.reps if reps is _SAME else reps,
        current.reason if reason is _SAME else reason,
        current.fail_streak if fail_streak is _SAME else fail_streak,
        current.training_max_kg,
        current.e1rm_kg if e1rm_kg is _SAME else e1rm_kg,
    )


def _at_least(weight: Decimal | None, target: Decimal) -> bool:
    return weight is not None and weight >= target - TOLERANCE_KG


def sets_done(rule: Rule, weight_kg: Decimal, reps: int, sets: Sequence[Done]) -> bool:
    """Did every prescribed set reach `reps` at `weight_kg` or more (extra sets do not make up)?"""
    hits = sum(1 for s in sets if _at_least(s.weight_kg, weight_kg) and (s.reps or 0) >= reps)
    return hits >= rule.sets


def starting_weight(sets: Sequence[Done]) -> Decimal | None:
    """With no target yet, the session's weight is the first working set's (what the trainee chose)."""
    return next((s.weight_kg for s in sets if s.weight_kg is not None), None)


def linear(rule: Rule, current: Target, sets: Sequence[Done], on: date, scale: Scale) -> Target:
    weight = current.weight_kg
    if weight is None:
        weight = starting_weight(sets)
        if weight is None:
            return current
    reps = rule.reps or 1
    if sets_done(rule, weight, reps, sets):
        new = raised(weight, rule.increment_kg or Decimal(0), scale)
        return _moved(
            current,
            weight_kg=new,
            reason=Reason(TargetReason.INCREASE, on, amount_kg=new - weight),
            fail_streak=0,
        )
    streak = current.fail_streak + 1
    if rule.deload_after is not None and rule.deload_percent is not None and streak >= rule.deload_after:
        new = lowered(weight, rule.deload_percent, scale)
        return _moved(
            current,
            weight_kg=new,
            reason=Reason(
                TargetReason.DELOAD, on, amount_kg=new - weight, percent=rule.deload_percent, missed=streak
            ),
            fail_streak=0,
        )
    return _moved(
        current, weight_kg=weight, reason=Reason(TargetReason.HOLD, on, missed=streak), fail_streak=streak
    )


def double(rule: Rule, current: Target, sets: Sequence[Done], on: date, scale: Scale) -> Target:
    bottom = rule.reps_min or 1
    top = rule.reps_max or bottom
    weight = current.weight_kg
    if weight is None:
        weight = starting_weight(sets)
        if weight is None:
            return current
    goal = min(max(current.reps or bottom, bottom), top)
    at_weight = sorted(((s.reps or 0) for s in sets if _at_least(s.weight_kg, weight)), reverse=True)[
        : rule.sets
    ]
    fewest = at_weight[-1] if len(at_weight) >= rule.sets else 0
    if fewest >= top:
        new = raised(weight, rule.increment_kg or Decimal(0), scale)
        return _moved(
            current,
            weight_kg=new,
            reps=bottom,
            reason=Reason(TargetReason.INCREASE, on, amount_kg=new - weight),
            fail_streak=0,
        )
    if fewest >= goal:
        new_goal = min(fewest + 1, top)
        return _moved(
            current,
            weight_kg=weight,
            reps=new_goal,
            reason=Reason(TargetReason.REPS_UP, on, reps=new_goal - goal),
            fail_streak=0,
        )
    streak = current.fail_streak + 1
    return _moved(
        current,
        weight_kg=weight,
        reps=goal,
        reason=Reason(TargetReason.HOLD, on, missed=streak),
        fail_streak=streak,
    )


def best_e1rm(sets: Sequence[Done]) -> Decimal | None:
    """The best estimated 1RM of the sets (Epley, sets of 1 to 12 reps)."""
    estimates = [e for e in (e1rm(s.weight_kg, s.reps) for s in sets) if e is not None]
    return max(estimates, default=None)


def training_max(rule: Rule, target: Target | None) -> Decimal | None:
    """The training max a PERCENT rule works from: the one set, else training_max_percent of the best
    estimated 1RM (not rounded: the weight made from it is)."""
    if target is None:
        return None
    if target.training_max_kg is not None:
        return target.training_max_kg
    if target.e1rm_kg is None:
        return None
    share = rule.training_max_percent or DEFAULT_TRAINING_MAX_PERCENT
    return (target.e1rm_kg * share / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent_weight(rule: Rule, target: Target | None, scale: Scale) -> Decimal | None:
    """A PERCENT rule's weight: `percent` of the training max, rounded to what the trainee can load."""
    maximum = training_max(rule, target)
    if maximum is None or rule.percent is None:
        return None
    return scale.round(maximum * rule.percent / 100)


def percent(rule: Rule, current: Target, sets: Sequence[Done], on: date, scale: Scale) -> Target:
    """After a session: a better estimated 1RM raises the training max (unless one was set)."""
    best = best_e1rm(sets)
    if best is None or (current.e1rm_kg is not None and best <= current.e1rm_kg):
        return _moved(current, weight_kg=None)
    before = training_max(rule, current)
    updated = _moved(current, weight_kg=None, e1rm_kg=best)
    after = training_max(rule, updated)
    if current.training_max_kg is not None or before == after:
        return updated
    amount = after - before if after is not None and before is not None else None
    return _moved(updated, reason=Reason(TargetReason.TRAINING_MAX, on, amount_kg=amount))


def next_target(
    rule: Rule, current: Target | None, sets: Sequence[Done], on: date, scale: Scale
) -> Target | None:
    """The target after a session with these working sets (in the order logged), or None when there
    is nothing to go on (no target and no set). An exercise not done at all keeps its target."""
    if not sets:
        return current
    if current is None:
        current = Target(weight_kg=None, reps=None, reason=Reason(TargetReason.FIRST, on))
    if current.reason.kind is TargetReason.COACH and rule.kind is ProgressionKind.PERCENT:
        current = _moved(current, weight_kg=None)  # a coach's weight stood for one session
    if rule.kind is ProgressionKind.LINEAR:
        return linear(rule, current, sets, on, scale)
    if rule.kind is ProgressionKind.DOUBLE:
        return double(rule, current, sets, on, scale)
    return percent(rule, current, sets, on, scale)


def prescribed_weight(
    rule: Rule | None, target: Target | None, scale: Scale, program_kg: Decimal | None
) -> Decimal | None:
    """The weight to show and to log by default: the target's, a PERCENT rule's share of the training
    max, else the program's."""
    own = rule is None or rule.kind is not ProgressionKind.PERCENT
    if (
        target is not None
        and target.weight_kg is not None
        and (own or target.reason.kind is TargetReason.COACH)
    ):
        return target.weight_kg
    if rule is not None and rule.kind is ProgressionKind.PERCENT:
        return percent_weight(rule, target, scale)
    return program_kg
