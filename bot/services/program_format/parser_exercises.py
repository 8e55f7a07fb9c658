"""The program parser, own exercises: the optional top-level `exercises` list (the author's own exercises
the program uses), and how an instruction's `exercise` is resolved - a catalog code, else the name of an
exercise in that list or of one the uploader already has (`own_exercises`)."""

from __future__ import annotations

from typing import Final

from bot.db.enums import TrackingType
from bot.i18n import N_, _
from bot.services.program_format.checks import at, suggest
from bot.services.program_format.document import CustomExerciseDoc
from bot.services.program_format.parser_base import _ParserBase

CUSTOM_NAME_MAX: Final = 100
MAX_CUSTOM_EXERCISES: Final = 100
CUSTOM_DESCRIPTION_MAX: Final = 2000
MUSCLE_GROUPS: Final = (
    "chest", "back", "shoulders", "biceps", "triceps", "forearms", "quads", "hamstrings", "glutes",
    "calves", "core", "full_body", "cardio", "mobility",
)  # fmt: skip
"""The same as the catalog's (bot/data/README.md, bot.services.custom_exercises)."""
EQUIPMENT: Final = (
    "barbell", "dumbbell", "kettlebell", "machine", "cable", "band", "pull_up_bar", "bodyweight", "none",
    "other",
)  # fmt: skip
TRACKING: Final = {t.value.lower(): t for t in TrackingType}
_FIELDS: Final = ("name", "muscle_group", "equipment", "tracking")


class _ExercisesParser(_ParserBase):
    """The `exercises` list, and resolving instruction references against it."""

    def _custom_exercises(self, value: object) -> tuple[CustomExerciseDoc, ...] | None:
        check = self.check
        if value is None:
            return ()
        items = check.sequence("exercises", value, what=N_("a list of your own exercises"))
        if items is None:
            return None
        if len(items) > MAX_CUSTOM_EXERCISES:
            check.add(
                "exercises", _("{n} exercises, at most {max}").format(n=len(items), max=MAX_CUSTOM_EXERCISES)
            )
            return None
        result: list[CustomExerciseDoc] = []
        ok = True
        for index, item in enumerate(items):
            parsed = self._custom_exercise(at("exercises", index), item)
            if parsed is None:
                ok = False
                continue
            folded = parsed.name.casefold()
            if folded in self.custom:
                check.add(
                    at(at("exercises", index), "name"), _("'{code}' is listed twice").format(code=parsed.name)
                )
                ok = False
                continue
            self.custom[folded] = parsed
            result.append(parsed)
        return tuple(result) if ok else None

    def _custom_exercise(self, location: str, value: object) -> CustomExerciseDoc | None:
        check = self.check
        before = len(check.problems)
        fields = check.mapping(
            location,
            value,
            required=_FIELDS,
            optional=("description",),
            what=N_(
                "an exercise like {name: Sled Push, muscle_group: quads, equipment: other, tracking: reps}"
            ),
        )
        if fields is None:
            return None
        name = check.text(
            at(location, "name"), fields.get("name"), max_length=CUSTOM_NAME_MAX, single_line=True
        )
        if name is not None:
            name = " ".join(name.split())
            if self.known_exercises is not None and name.lower() in self.known_exercises:
                check.add(
                    at(location, "name"),
                    _(
                        "'{name}' is the code of a catalog exercise: refer to that one by its code, or give "
                        "yours another name"
                    ).format(name=name),
                )
        group = check.code(at(location, "muscle_group"), fields.get("muscle_group"), known=MUSCLE_GROUPS,
                           what=N_("muscle group"))  # fmt: skip
        equipment = check.code(at(location, "equipment"), fields.get("equipment"), known=EQUIPMENT,
                               what=N_("equipment"))  # fmt: skip
        tracking = check.code(at(location, "tracking"), fields.get("tracking"), known=tuple(TRACKING),
                              what=N_("tracking"))  # fmt: skip
        description = check.text(
            at(location, "description"),
            fields.get("description"),
            max_length=CUSTOM_DESCRIPTION_MAX,
            required=False,
        )
        if name is not None and tracking is not None and self.own_exercises is not None:
            own = self.own_exercises.get(name.casefold())
            if own is not None and own[1] != TRACKING[tracking].value:
                check.add(
                    at(location, "tracking"),
                    _("your exercise '{name}' is tracked by {tracking}, not {other}").format(
                        name=own[0], tracking=own[1].lower(), other=tracking
                    ),
                )
        if len(check.problems) > before or None in (name, group, equipment, tracking):
            return None
        assert name is not None and group is not None and equipment is not None and tracking is not None
        return CustomExerciseDoc(
            name=name,
            muscle_group=group,
            equipment=equipment,
            tracking=TRACKING[tracking],
            description=description,
        )

    def _resolve_exercise(self, location: str, text: str) -> tuple[str | None, str | None]:
        """(the reference as the document keeps it, the exercise's tracking value): a catalog code
        (lower case), else the name of an exercise of the `exercises` list or of the uploader's own."""
        code = text.lower()
        custom = self.custom
        if self.known_exercises is not None and code in self.known_exercises:
            return code, self.known_exercises[code]
        listed = custom.get(" ".join(text.split()).casefold())
        if listed is not None:
            return listed.name, listed.tracking.value
        own = self.own_exercises.get(" ".join(text.split()).casefold()) if self.own_exercises else None
        if own is not None:
            return own
        if self.known_exercises is None:
            return code, None
        names = [doc.name for doc in custom.values()]
        names += [name for name, _tracking in (self.own_exercises or {}).values()]
        hint = suggest(code, self.known_exercises) or suggest(text, names)
        self.check.add(location, _("unknown exercise '{name}'{hint}").format(name=text, hint=hint))
        return None, None
