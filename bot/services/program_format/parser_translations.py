"""The `translations` of a program document: its texts in the bot's other languages."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import DEFAULT_LOCALE, LOCALES, N_, _
from bot.services.program_format.checks import at
from bot.services.program_format.document import (
    PhaseTranslationDoc,
    TranslationDoc,
    WorkoutDoc,
    WorkoutTranslationDoc,
)
from bot.services.program_format.limits import (
    INSTRUCTION_NOTES_MAX,
    PHASE_DESCRIPTION_MAX,
    PHASE_NAME_MAX,
    PROGRAM_DESCRIPTION_MAX,
    PROGRAM_NAME_MAX,
    PROGRAM_NOTES_MAX,
    SCHEDULE_NOTES_MAX,
    STALL_REMEDY_MAX,
    WORKOUT_DESCRIPTION_MAX,
    WORKOUT_NAME_MAX,
)
from bot.services.program_format.parser_base import _ParserBase

TRANSLATION_FIELDS = ("name", "description", "notes", "stall_remedy", "schedule_notes", "workouts", "phases")
LANGUAGES = tuple(locale for locale in LOCALES if locale != DEFAULT_LOCALE)


class _TranslationsParser(_ParserBase):
    def _translations(
        self, value: object, workouts: Mapping[str, WorkoutDoc] | None, phases: int | None
    ) -> tuple[TranslationDoc, ...] | None:
        """`translations: {ru: {...}}`; workouts are named by the document's keys."""
        check = self.check
        if value is None:
            return ()
        languages = check.mapping(
            "translations", value, optional=LANGUAGES, what=N_("a mapping like {ru: {name: ...}}")
        )
        if languages is None:
            return None
        found: list[TranslationDoc] = []
        for language in sorted(languages):
            where = at("translations", language)
            fields = check.mapping(where, languages[language], optional=TRANSLATION_FIELDS)
            if fields is None:
                continue
            if not fields:
                check.add(where, "empty: give at least a name or a description")
            name = check.text(
                at(where, "name"), fields.get("name"), max_length=PROGRAM_NAME_MAX, single_line=True
            )
            description = check.text(
                at(where, "description"), fields.get("description"), max_length=PROGRAM_DESCRIPTION_MAX
            )
            notes = check.text(at(where, "notes"), fields.get("notes"), max_length=PROGRAM_NOTES_MAX)
            remedy = check.text(
                at(where, "stall_remedy"), fields.get("stall_remedy"), max_length=STALL_REMEDY_MAX
            )
            schedule_notes = check.text(
                at(where, "schedule_notes"), fields.get("schedule_notes"), max_length=SCHEDULE_NOTES_MAX
            )
            found.append(
                TranslationDoc(
                    language=language,
                    name=name,
                    description=description,
                    notes=notes,
                    stall_remedy=remedy,
                    schedule_notes=schedule_notes,
                    workouts=self._workout_translations(
                        at(where, "workouts"), fields.get("workouts"), workouts
                    ),
                    phases=self._phase_translations(at(where, "phases"), fields.get("phases"), phases),
                )
            )
        return tuple(found)

    def _workout_translations(
        self, where: str, value: object, workouts: Mapping[str, WorkoutDoc] | None
    ) -> tuple[WorkoutTranslationDoc, ...]:
        check = self.check
        if value is None:
            return ()
        keys = list(workouts) if workouts is not None else []
        fields = check.mapping(where, value, optional=keys, what=N_("a mapping of workout keys"))
        if fields is None:
            return ()
        found: dict[str, WorkoutTranslationDoc] = {}
        for key, item in fields.items():
            place = at(where, key)
            if isinstance(item, str):
                item = {"name": item}
            body = check.mapping(place, item, required=("name",), optional=("description", "exercises"))
            if body is None:
                continue
            name = check.text(
                at(place, "name"), body.get("name"), max_length=WORKOUT_NAME_MAX, single_line=True
            )
            description = check.text(
                at(place, "description"), body.get("description"), max_length=WORKOUT_DESCRIPTION_MAX
            )
            exercises = self._exercise_notes(
                at(place, "exercises"), body.get("exercises"), workouts[key] if workouts else None
            )
            if name is not None:
                found[key] = WorkoutTranslationDoc(
                    key=key, name=name, description=description, exercises=exercises
                )
        return tuple(found[key] for key in keys if key in found)

    def _exercise_notes(
        self, where: str, value: object, workout: WorkoutDoc | None
    ) -> tuple[str | None, ...]:
        """`exercises: [note or null, ...]`: the notes of the workout's exercises, in their order."""
        check = self.check
        if value is None:
            return ()
        items = check.sequence(where, value, what=N_("a list of notes: [note or null, ...]"))
        if items is None:
            return ()
        if workout is not None and len(items) > len(workout.exercises):
            message = _("more notes ({count}) than the workout has exercises ({exercises}): one per exercise")
            check.add(where, message.format(count=len(items), exercises=len(workout.exercises)))
            return ()
        notes = [
            check.text(f"{where}[{index}]", item, max_length=INSTRUCTION_NOTES_MAX, required=False)
            for index, item in enumerate(items)
        ]
        while notes and notes[-1] is None:
            notes.pop()
        return tuple(notes)

    def _phase_translations(
        self, where: str, value: object, count: int | None
    ) -> tuple[PhaseTranslationDoc, ...]:
        check = self.check
        if value is None:
            return ()
        items = check.sequence(where, value, what=N_("a list of phases, like [{name: ...}]"))
        if items is None:
            return ()
        if count is not None and len(items) != count:
            check.add(where, f"{len(items)} phases, but the program has {count}: translate each, in order")
        found: list[PhaseTranslationDoc] = []
        for index, item in enumerate(items):
            place = f"{where}[{index}]"
            body = check.mapping(place, item, required=("name",), optional=("description",))
            if body is None:
                continue
            name = check.text(
                at(place, "name"), body.get("name"), max_length=PHASE_NAME_MAX, single_line=True
            )
            description = check.text(
                at(place, "description"), body.get("description"), max_length=PHASE_DESCRIPTION_MAX
            )
            if name is not None:
                found.append(PhaseTranslationDoc(name=name, description=description))
        return tuple(found)
