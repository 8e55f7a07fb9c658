"""The program parser, workouts: each workout and its exercise instructions."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from bot.db.enums import TrackingType
from bot.i18n import N_, _
from bot.services.program_format.checks import at
from bot.services.program_format.document import InstructionDoc, WorkoutDoc
from bot.services.program_format.errors import _kind
from bot.services.program_format.limits import (
    ESTIMATED_MINUTES_MAX,
    INSTRUCTION_NOTES_MAX,
    MAX_EXERCISES_PER_WORKOUT,
    MAX_WORKOUTS,
    REST_SECONDS_MAX,
    SETS_MAX,
    WEIGHT_KG_MAX,
    WORKOUT_DESCRIPTION_MAX,
    WORKOUT_KEY_MAX,
    WORKOUT_NAME_MAX,
)
from bot.services.program_format.parser_base import _INSTRUCTION_FIELDS, _WORKOUT_KEY
from bot.services.program_format.parser_exercises import CUSTOM_NAME_MAX, _ExercisesParser
from bot.services.program_format.parser_progression import parse_progression
from bot.services.program_format.values import DURATION_HELP, parse_duration, parse_reps


class _WorkoutsParser(_ExercisesParser):
    """The `workouts` mapping."""

    def _workouts(self, value: object) -> dict[str, WorkoutDoc] | None:
        check = self.check
        if value is None:
            return None  # reported as missing
        if not isinstance(value, Mapping):
            check.add(
                "workouts",
                _("expected a mapping of workout keys to workouts, got {kind}").format(kind=_kind(value)),
            )
            return None
        if not value:
            check.add("workouts", _("define at least one workout"))
            return None
        if len(value) > MAX_WORKOUTS:
            check.add("workouts", _("{n} workouts, at most {max}").format(n=len(value), max=MAX_WORKOUTS))
            return None
        result: dict[str, WorkoutDoc] = {}
        names: dict[str, str] = {}
        ok = True
        for key, body in value.items():
            if not isinstance(key, str) or not _WORKOUT_KEY.fullmatch(key) or len(key) > WORKOUT_KEY_MAX:
                shown = key if isinstance(key, str) else _kind(key)
                check.add(
                    "workouts",
                    _(
                        "'{key}' is not a usable workout key: use letters, digits, '-', '_' or '.'"
                        " (at most {max} characters), like A or upper-a"
                    ).format(key=shown, max=WORKOUT_KEY_MAX),
                )
                ok = False
                continue
            self.workout_keys.append(key)
            workout = self._workout(at("workouts", key), key, body)
            if workout is None:
                ok = False
                continue
            folded = workout.name.casefold()
            if folded in names:
                check.add(
                    at(at("workouts", key), "name"),
                    _("'{name}' is already the name of workout '{key}'").format(
                        name=workout.name, key=names[folded]
                    ),
                )
                ok = False
            names[folded] = key
            result[key] = workout
        return result if ok else None

    def _workout(self, location: str, key: str, value: object) -> WorkoutDoc | None:
        check = self.check
        fields = check.mapping(
            location,
            value,
            required=("name", "exercises"),
            optional=("description", "estimated_minutes"),
            what=N_("a workout (name, exercises, ...)"),
        )
        if fields is None:
            return None
        name = check.text(
            at(location, "name"), fields.get("name"), max_length=WORKOUT_NAME_MAX, single_line=True
        )
        description = check.text(
            at(location, "description"),
            fields.get("description"),
            max_length=WORKOUT_DESCRIPTION_MAX,
            required=False,
        )
        minutes = check.integer(
            at(location, "estimated_minutes"),
            fields.get("estimated_minutes"),
            minimum=1,
            maximum=ESTIMATED_MINUTES_MAX,
        )
        exercises = self._instructions(at(location, "exercises"), fields.get("exercises"))
        if name is None or exercises is None:
            return None
        return WorkoutDoc(
            key=key, name=name, description=description, estimated_minutes=minutes, exercises=exercises
        )

    def _instructions(self, location: str, value: object) -> tuple[InstructionDoc, ...] | None:
        if value is None:
            return None
        items = self.check.sequence(location, value, what=N_("a list of exercises"))
        if items is None:
            return None
        if not items:
            self.check.add(location, _("a workout needs at least one exercise"))
            return None
        if len(items) > MAX_EXERCISES_PER_WORKOUT:
            self.check.add(
                location,
                _("{n} exercises, at most {max}").format(n=len(items), max=MAX_EXERCISES_PER_WORKOUT),
            )
            return None
        parsed = [self._instruction(at(location, index), item) for index, item in enumerate(items)]
        if any(item is None for item in parsed):
            return None
        return tuple(item for item in parsed if item is not None)

    def _instruction(self, location: str, value: object) -> InstructionDoc | None:
        check = self.check
        before = len(check.problems)
        fields = check.mapping(
            location,
            value,
            required=("exercise",),
            optional=_INSTRUCTION_FIELDS,
            what=N_("an exercise like {exercise: back-squat, sets: 3, reps: 5}"),
        )
        if fields is None:
            return None
        tracking: str | None = None
        exercise = check.text(
            at(location, "exercise"), fields.get("exercise"), max_length=CUSTOM_NAME_MAX, single_line=True
        )
        if exercise is not None:
            exercise, tracking = self._resolve_exercise(at(location, "exercise"), exercise)
        raw_sets = fields.get("sets")
        sets = check.integer(
            at(location, "sets"), 1 if raw_sets is None else raw_sets, minimum=1, maximum=SETS_MAX
        )
        reps: tuple[int, int] | None = None
        if fields.get("reps") is not None:
            try:
                reps = parse_reps(fields["reps"])
            except ValueError as exc:
                check.add(at(location, "reps"), str(exc))
        duration: int | None = None
        if fields.get("duration") is not None:
            try:
                duration = parse_duration(fields["duration"])
            except ValueError as exc:
                check.add(at(location, "duration"), str(exc))
        rest: int | None = None
        if fields.get("rest") is not None:
            try:
                rest = parse_duration(fields["rest"], minimum=0, maximum=REST_SECONDS_MAX)
            except ValueError as exc:
                check.add(
                    at(location, "rest"), str(exc).replace(_(DURATION_HELP), _("expected seconds of rest"))
                )
        weight = check.decimal(
            at(location, "weight_kg"),
            fields.get("weight_kg"),
            minimum=Decimal(0),
            maximum=WEIGHT_KG_MAX,
            exclusive=True,
            places=2,
        )
        notes = check.text(
            at(location, "notes"), fields.get("notes"), max_length=INSTRUCTION_NOTES_MAX, required=False
        )
        self._check_tracking(location, exercise, tracking, fields)
        progression = parse_progression(
            check,
            at(location, "progression"),
            fields.get("progression"),
            tracking=tracking,
            reps=reps,
            has_weight=weight is not None,
        )
        if len(check.problems) > before or exercise is None or sets is None:
            return None
        return InstructionDoc(
            exercise=exercise,
            sets=sets,
            reps_min=reps[0] if reps else None,
            reps_max=reps[1] if reps else None,
            duration_seconds=duration,
            rest_seconds=rest,
            weight_kg=weight,
            notes=notes,
            progression=progression,
        )

    def _check_tracking(
        self, location: str, exercise: str | None, tracking: str | None, fields: Mapping[str, Any]
    ) -> None:
        if exercise is None:
            return
        has_reps = fields.get("reps") is not None
        has_duration = fields.get("duration") is not None
        has_weight = fields.get("weight_kg") is not None
        if tracking is None and has_reps and has_duration:
            self.check.add(location, _("give either reps or a duration, not both"))
        elif tracking is None and not has_reps and not has_duration:
            self.check.add(location, _("give reps (like 5 or 8-12) or a duration (like 45s)"))
        elif tracking == TrackingType.DURATION:
            if has_reps:
                self.check.add(
                    at(location, "reps"),
                    _("'{exercise}' is tracked by duration: give a duration instead of reps").format(
                        exercise=exercise
                    ),
                )
            elif not has_duration:
                self.check.add(
                    location,
                    _("'{exercise}' is tracked by duration: give a duration, like 45s").format(
                        exercise=exercise
                    ),
                )
        elif tracking in (TrackingType.REPS, TrackingType.WEIGHT_REPS):
            unit = _("weight and reps") if tracking == TrackingType.WEIGHT_REPS else _("reps")
            if has_duration:
                self.check.add(
                    at(location, "duration"),
                    _("'{exercise}' is tracked by {unit}: give reps instead of a duration").format(
                        exercise=exercise, unit=unit
                    ),
                )
            elif not has_reps:
                self.check.add(
                    location,
                    _("'{exercise}' is tracked by {unit}: give reps, like 5 or 8-12").format(
                        exercise=exercise, unit=unit
                    ),
                )
            if tracking == TrackingType.REPS and has_weight:
                self.check.add(
                    at(location, "weight_kg"),
                    _("'{exercise}' is a bodyweight exercise tracked by reps: no weight").format(
                        exercise=exercise
                    ),
                )
