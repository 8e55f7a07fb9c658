"""The program parser, schedule: scheduled workouts, the cycle, phases and explicit days."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import N_, _
from bot.services.program_format.checks import at, suggest
from bot.services.program_format.document import DayDoc, PhaseDoc, ScheduledWorkoutDoc, WorkoutDoc
from bot.services.program_format.errors import _kind
from bot.services.program_format.limits import (
    LENGTH_DAYS_MAX,
    MAX_PHASES,
    MAX_WORKOUTS_PER_DAY,
    PHASE_DESCRIPTION_MAX,
    PHASE_NAME_MAX,
    SCHEDULED_WORKOUT_NOTES_MAX,
)
from bot.services.program_format.parser_base import _ParserBase, _Plan


class _ScheduleParser(_ParserBase):
    """`cycle`, `phases` and `days`, resolved into the day plan."""

    def _scheduled(self, location: str, value: object) -> ScheduledWorkoutDoc | None:
        """A workout reference: `A`, or `{workout: A, optional: true, notes: ...}`."""
        check = self.check
        if isinstance(value, str):
            key: object = value
            optional: bool | None = False
            notes: str | None = None
            key_location = location
        else:
            fields = check.mapping(
                location,
                value,
                required=("workout",),
                optional=("optional", "notes"),
                what=N_("a workout key like A, or {workout: A, optional: true}"),
            )
            if fields is None:
                return None
            key = fields.get("workout")
            key_location = at(location, "workout")
            raw_optional = fields.get("optional")
            optional = (
                False if raw_optional is None else check.boolean(at(location, "optional"), raw_optional)
            )
            notes = check.text(
                at(location, "notes"),
                fields.get("notes"),
                max_length=SCHEDULED_WORKOUT_NOTES_MAX,
                required=False,
            )
            if optional is None or (fields.get("notes") is not None and notes is None):
                return None
            if key is None:
                return None
        if not isinstance(key, str):
            check.add(key_location, _("expected a workout key, got {kind}").format(kind=_kind(key)))
            return None
        if optional is None:
            return None
        key = key.strip()
        self.referenced.add(key)
        if key not in self.workout_keys:
            hint = suggest(key, self.workout_keys)
            if not hint and self.workout_keys:
                hint = _(" - defined workouts: {keys}").format(keys=", ".join(self.workout_keys[:12]))
            check.add(key_location, _("unknown workout '{key}'{hint}").format(key=key, hint=hint))
            return None
        return ScheduledWorkoutDoc(workout=key, optional=optional, notes=notes)

    def _day_workouts(self, location: str, value: object) -> list[ScheduledWorkoutDoc] | None:
        items = self.check.sequence(location, value, what=N_("a list of workout keys like [A] ([] for rest)"))
        if items is None:
            return None
        if len(items) > MAX_WORKOUTS_PER_DAY:
            self.check.add(
                location,
                _("{n} workouts on one day, at most {max}").format(n=len(items), max=MAX_WORKOUTS_PER_DAY),
            )
            return None
        result: list[ScheduledWorkoutDoc] = []
        ok = True
        for index, item in enumerate(items):
            scheduled = self._scheduled(at(location, index), item)
            if scheduled is None:
                ok = False
            elif any(other.workout == scheduled.workout for other in result):
                self.check.add(
                    at(location, index),
                    _("workout '{key}' is already scheduled on this day").format(key=scheduled.workout),
                )
                ok = False
            else:
                result.append(scheduled)
        return result if ok else None

    def _cycle(
        self, location: str, value: object, plan: _Plan | None, *, start: int, end: int | None, span_name: str
    ) -> None:
        """A list of days ([A], [], [B], ...) repeated from `start` to fill up to `end`."""
        entries = self.check.sequence(location, value, what=N_("a list of days like [[A], [], [B]]"))
        if entries is None:
            return
        if not entries:
            self.check.add(location, _("a cycle needs at least one day"))
            return
        parsed = [self._day_workouts(at(location, index), entry) for index, entry in enumerate(entries)]
        if end is None or plan is None:
            return
        span = end - start + 1
        if len(entries) > span:
            self.check.add(
                location,
                _("{n} days long, longer than {span_name} ({span} days)").format(
                    n=len(entries), span_name=_(span_name), span=span
                ),
            )
            return
        if any(day is None for day in parsed):
            return
        for offset in range(span):
            workouts = parsed[offset % len(parsed)]
            plan[start + offset] = list(workouts or ())

    def _phases(self, value: object, length: int | None, plan: _Plan | None) -> list[PhaseDoc] | None:
        if value is None:
            return []
        check = self.check
        items = check.sequence("phases", value, what=N_("a list of phases"))
        if items is None:
            return None
        if len(items) > MAX_PHASES:
            check.add("phases", _("{n} phases, at most {max}").format(n=len(items), max=MAX_PHASES))
            return None
        result: list[PhaseDoc] = []
        previous: PhaseDoc | None = None
        ok = True
        for index, item in enumerate(items):
            location = at("phases", index)
            fields = check.mapping(
                location,
                item,
                required=("name", "start_day", "end_day"),
                optional=("description", "cycle"),
                what=N_("a phase {name, start_day, end_day}"),
            )
            if fields is None:
                ok = False
                continue
            name = check.text(
                at(location, "name"), fields.get("name"), max_length=PHASE_NAME_MAX, single_line=True
            )
            description = check.text(
                at(location, "description"),
                fields.get("description"),
                max_length=PHASE_DESCRIPTION_MAX,
                required=False,
            )
            maximum = length if length is not None else LENGTH_DAYS_MAX
            start = self._day_number(at(location, "start_day"), fields.get("start_day"), maximum, length)
            end = self._day_number(at(location, "end_day"), fields.get("end_day"), maximum, length)
            if name is None or start is None or end is None:
                ok = False
                if fields.get("cycle") is not None:  # still report problems inside the cycle
                    self._cycle(at(location, "cycle"), fields["cycle"], None, start=1, end=None, span_name="")
                continue
            phase = PhaseDoc(name=name, start_day=start, end_day=end, description=description)
            if end < start:
                check.add(
                    location,
                    _("ends on day {end}, before it starts (day {start})").format(end=end, start=start),
                )
                ok = False
            elif previous is not None and start <= previous.end_day:
                check.add(
                    location,
                    _("starts on day {start}, before phase '{phase}' ends (day {end})").format(
                        start=start, phase=previous.name, end=previous.end_day
                    ),
                )
                ok = False
            else:
                previous = phase
            if fields.get("cycle") is not None:
                valid_span = end >= start and plan is not None
                self._cycle(
                    at(location, "cycle"),
                    fields["cycle"],
                    plan if valid_span else None,
                    start=start,
                    end=end if valid_span else None,
                    span_name=_("the phase ({start}..{end})").format(start=start, end=end),
                )
            result.append(phase)
        return result if ok else None

    def _day_number(self, location: str, value: object, maximum: int, length: int | None) -> int | None:
        if value is None:
            return None
        number = self.check.integer(location, value, minimum=-(10**9), maximum=10**9)
        if number is None:
            return None
        if not 1 <= number <= maximum:
            if length is not None:
                problem = _("{n} is outside the schedule 1..{max}").format(n=number, max=length)
            else:
                problem = _("{n} is outside {min}..{max}").format(n=number, min=1, max=maximum)
            self.check.add(location, problem)
            return None
        return number

    def _days(self, value: object, length: int | None, plan: _Plan | None) -> None:
        check = self.check
        items = check.sequence("days", value, what=N_("a list of days like {day: 1, workouts: [A]}"))
        if items is None:
            return
        seen: dict[int, int] = {}
        maximum = length if length is not None else LENGTH_DAYS_MAX
        for index, item in enumerate(items):
            location = at("days", index)
            fields = check.mapping(
                location, item, required=("day", "workouts"), what=N_("a day like {day: 1, workouts: [A]}")
            )
            if fields is None:
                continue
            day = self._day_number(at(location, "day"), fields.get("day"), maximum, length)
            workouts = (
                self._day_workouts(at(location, "workouts"), fields["workouts"])
                if fields.get("workouts") is not None
                else None
            )
            if day is None:
                continue
            if day in seen:
                check.add(
                    at(location, "day"),
                    _("day {day} is already listed in days[{index}]").format(day=day, index=seen[day]),
                )
                continue
            seen[day] = index
            if workouts is not None and plan is not None:
                plan[day] = workouts

    def _resolve(self, plan: _Plan, workouts: Mapping[str, WorkoutDoc] | None) -> tuple[DayDoc, ...] | None:
        days = tuple(
            DayDoc(day=number, workouts=tuple(entries)) for number, entries in sorted(plan.items()) if entries
        )
        if not days:
            self.check.add("days", _("no workout is scheduled on any day"))
            return None
        used = {entry.workout for day in days for entry in day.workouts}
        clean = not self.check.problems
        for key in self.workout_keys:
            # With problems elsewhere a referenced workout may only look unused: do not pile on.
            if key not in used and (clean or key not in self.referenced):
                self.check.add(
                    at("workouts", key), _("never scheduled - add it to `days` or a `cycle`, or remove it")
                )
        return days if workouts is not None else None
