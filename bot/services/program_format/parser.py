"""The program parser: a whole document, every problem reported at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from bot.db.enums import VisibilityCode
from bot.i18n import N_, _
from bot.services.program_format.checks import suggest
from bot.services.program_format.document import DayDoc, ProgramDoc, ReadinessDoc, ScheduleDoc
from bot.services.program_format.errors import Problem, ProgramFormatError
from bot.services.program_format.limits import (
    LENGTH_DAYS_MAX,
    MAX_CATEGORIES,
    MAX_TAGS,
    PROGRAM_DESCRIPTION_MAX,
    PROGRAM_NAME_MAX,
    PROGRAM_NOTES_MAX,
    READINESS_LOW_BELOW,
    READINESS_REDUCE_PERCENT,
    REST_DAYS_PER_WEEK_MAX,
    SCHEDULE_NOTES_MAX,
    STALL_REMEDY_MAX,
)
from bot.services.program_format.loading import load_yaml
from bot.services.program_format.parser_base import _TOP_OPTIONAL, _TOP_REQUIRED, DEFAULT_VISIBILITY, _Plan
from bot.services.program_format.parser_schedule import _ScheduleParser
from bot.services.program_format.parser_translations import _TranslationsParser
from bot.services.program_format.parser_workouts import _WorkoutsParser


def _mappings(value: object) -> list[Mapping[Any, Any]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _rest_days_per_week(days: Sequence[DayDoc], length: int) -> int:
    training = sum(1 for day in days if any(not entry.optional for entry in day.workouts))
    per_week = round(7 * training / length) if length else 0
    return max(0, min(7, 7 - per_week))


class _ProgramParser(_WorkoutsParser, _ScheduleParser, _TranslationsParser):
    """A whole program document."""

    def parse(self, data: object) -> ProgramDoc | None:
        check = self.check
        fields = check.mapping("", data, required=_TOP_REQUIRED, optional=_TOP_OPTIONAL, what=N_("a program"))
        if fields is None:
            return None
        name = check.text("name", fields.get("name"), max_length=PROGRAM_NAME_MAX, single_line=True)
        description = check.text("description", fields.get("description"), max_length=PROGRAM_DESCRIPTION_MAX)
        notes = check.text("notes", fields.get("notes"), max_length=PROGRAM_NOTES_MAX, required=False)
        difficulty = check.code(
            "difficulty", fields.get("difficulty"), known=self.known_difficulties, what=N_("difficulty")
        )
        visibility = self._visibility(fields.get("visibility"))
        categories = check.codes(
            "categories",
            fields.get("categories"),
            known=self.known_categories,
            what=N_("category"),
            at_least=1,
            at_most=MAX_CATEGORIES,
        )
        tags = check.codes(
            "tags", fields.get("tags"), known=self.known_tags, what=N_("tag"), at_least=0, at_most=MAX_TAGS
        )
        readiness = self._readiness(fields.get("readiness"))
        stall_remedy = check.text(
            "stall_remedy", fields.get("stall_remedy"), max_length=STALL_REMEDY_MAX, required=False
        )
        schedule = self._schedule(fields.get("schedule"))
        length = schedule[0] if schedule else None
        custom = self._custom_exercises(fields.get("exercises"))
        workouts = self._workouts(fields.get("workouts"))
        plan: _Plan | None = {} if length is not None else None
        sources = 0
        if fields.get("cycle") is not None:
            sources += 1
            self._cycle("cycle", fields["cycle"], plan, start=1, end=length, span_name=N_("the schedule"))
        phases = self._phases(fields.get("phases"), length, plan)
        if any(phase.get("cycle") is not None for phase in _mappings(fields.get("phases"))):
            sources += 1
        if fields.get("days") is not None:
            sources += 1
            self._days(fields["days"], length, plan)
        if sources == 0:
            check.add("days", "the schedule is empty: give a `days` list, a `cycle`, or both")
        days = self._resolve(plan, workouts) if sources and plan is not None else None
        translations = self._translations(
            fields.get("translations"), workouts, None if phases is None else len(phases)
        )

        if check.problems:
            return None
        assert name and description and difficulty and categories is not None and tags is not None
        assert schedule is not None and length is not None and workouts is not None and days is not None
        assert phases is not None and custom is not None and translations is not None
        rest_days = schedule[1] if schedule[1] is not None else _rest_days_per_week(days, length)
        return ProgramDoc(
            name=name,
            description=description,
            notes=notes,
            difficulty=difficulty,
            visibility=visibility or DEFAULT_VISIBILITY,
            categories=(categories[0], *sorted(categories[1:])),
            tags=tuple(sorted(tags)),
            schedule=ScheduleDoc(length_days=length, rest_days_per_week=rest_days, notes=schedule[2]),
            workouts=tuple(workouts.values()),
            days=days,
            phases=tuple(phases),
            readiness=readiness,
            stall_remedy=stall_remedy,
            custom_exercises=custom,
            translations=translations,
        )

    def _visibility(self, value: object) -> VisibilityCode | None:
        if value is None:
            return None
        text = self.check.text("visibility", value, max_length=20, single_line=True)
        if text is None:
            return None
        try:
            return VisibilityCode(text.upper())
        except ValueError:
            choices = [v.value for v in VisibilityCode]
            hint = suggest(text.upper(), choices) or _(" - expected one of: {options}").format(
                options=", ".join(choices)
            )
            self.check.add(
                "visibility",
                _("unknown {what} '{code}'{hint}").format(what=_("visibility"), code=text, hint=hint),
            )
            return None

    def _readiness(self, value: object) -> ReadinessDoc | None:
        """`readiness: {low_below: 2, reduce_percent: 10}` (both optional: 2 and 10 by default)."""
        if value is None:
            return None
        fields = self.check.mapping(
            "readiness",
            value,
            optional=("low_below", "reduce_percent"),
            what=N_("a mapping like {low_below: 2}"),
        )
        if fields is None:
            return None
        low = self.check.integer(
            "readiness.low_below",
            fields.get("low_below"),
            minimum=READINESS_LOW_BELOW[0],
            maximum=READINESS_LOW_BELOW[1],
        )
        reduce = self.check.integer(
            "readiness.reduce_percent",
            fields.get("reduce_percent"),
            minimum=READINESS_REDUCE_PERCENT[0],
            maximum=READINESS_REDUCE_PERCENT[1],
        )
        default = ReadinessDoc()
        return ReadinessDoc(
            low_below=default.low_below if low is None else low,
            reduce_percent=default.reduce_percent if reduce is None else reduce,
        )

    def _schedule(self, value: object) -> tuple[int | None, int | None, str | None] | None:
        check = self.check
        if value is None:
            return None  # reported as missing
        fields = check.mapping(
            "schedule", value, required=("length_days",), optional=("rest_days_per_week", "notes")
        )
        if fields is None:
            return None
        length = check.integer(
            "schedule.length_days", fields.get("length_days"), minimum=1, maximum=LENGTH_DAYS_MAX
        )
        rest = check.integer(
            "schedule.rest_days_per_week",
            fields.get("rest_days_per_week"),
            minimum=0,
            maximum=REST_DAYS_PER_WEEK_MAX,
        )
        notes = check.text(
            "schedule.notes", fields.get("notes"), max_length=SCHEDULE_NOTES_MAX, required=False
        )
        return length, rest, notes


def parse_program(
    source: str | bytes | Mapping[str, Any],
    *,
    known_exercises: Mapping[str, str] | None = None,
    known_difficulties: Collection[str] | None = None,
    known_categories: Collection[str] | None = None,
    known_tags: Collection[str] | None = None,
    own_exercises: Mapping[str, tuple[str, str]] | None = None,
) -> ProgramDoc:
    """Read and validate a whole program document; raise ProgramFormatError listing every problem.

    `source` is YAML text (or UTF-8 bytes) or an already loaded mapping. `known_exercises` maps each
    exercise code to its tracking type (a TrackingType value, e.g. "WEIGHT_REPS"); each `known_*` that is
    given restricts the codes the document may use, None skips that check. `own_exercises` are the
    uploader's own exercises an instruction may name (casefolded name -> (name, tracking value)), besides
    those the document's `exercises` list defines.
    """
    data = load_yaml(source, error=ProgramFormatError) if isinstance(source, str | bytes) else source
    parser = _ProgramParser(
        known_exercises=known_exercises,
        known_difficulties=None if known_difficulties is None else frozenset(known_difficulties),
        known_categories=None if known_categories is None else frozenset(known_categories),
        known_tags=None if known_tags is None else frozenset(known_tags),
        own_exercises=own_exercises,
    )
    doc = parser.parse(data)
    if doc is None or parser.check.problems:
        raise ProgramFormatError(parser.check.problems or [Problem("", "the program is empty")])
    return doc
