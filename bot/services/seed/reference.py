"""Reference data and the exercise catalog, as documents: parsed and validated before anything is written."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Final, TypeVar

from bot.db.enums import TrackingType, VisibilityCode
from bot.i18n import DEFAULT_LOCALE, LOCALES
from bot.services.program_format import Checker, at, load_yaml
from bot.services.seed.errors import SeedDataError

MUSCLE_GROUPS: Final = (
    "chest",
    "back",
    "shoulders",
    "biceps",
    "triceps",
    "forearms",
    "quads",
    "hamstrings",
    "glutes",
    "calves",
    "core",
    "full_body",
    "cardio",
    "mobility",
)
EQUIPMENT: Final = (
    "barbell",
    "dumbbell",
    "kettlebell",
    "machine",
    "cable",
    "band",
    "pull_up_bar",
    "bodyweight",
    "none",
    "other",
)
TRACKING: Final = {
    "weight_reps": TrackingType.WEIGHT_REPS,
    "reps": TrackingType.REPS,
    "duration": TrackingType.DURATION,
}
_CODE = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_MEASURE_LIMIT: Final = Decimal(10_000_000)  # NUMERIC(10, 3)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class DifficultyDoc:
    code: str
    name: str
    rank: int
    description: str | None = None


@dataclass(frozen=True, slots=True)
class VisibilityDoc:
    code: VisibilityCode
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class CategoryDoc:
    code: str
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TagDoc:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class MetricDoc:
    code: str
    name: str
    canonical_unit: str
    accepted_units: tuple[str, ...]
    min_value: Decimal | None
    max_value: Decimal | None
    sort_order: int


@dataclass(frozen=True, slots=True)
class ReferenceDoc:
    difficulty_levels: tuple[DifficultyDoc, ...]
    visibilities: tuple[VisibilityDoc, ...]
    categories: tuple[CategoryDoc, ...]
    tags: tuple[TagDoc, ...]
    metrics: tuple[MetricDoc, ...]


@dataclass(frozen=True, slots=True)
class ExerciseDoc:
    code: str
    name: str
    muscle_group: str
    equipment: str
    tracking: TrackingType
    description: str | None = None
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Language -> the exercise's names there: the display name first, then aliases (`names: {ru: [...]}`)."""


def _code(check: Checker, location: str, value: object, max_length: int) -> str | None:
    text = check.text(location, value, max_length=max_length, single_line=True)
    if text is not None and not _CODE.fullmatch(text):
        check.add(location, f"'{text}' is not a code: use lower-case letters, digits, '-' or '_'")
        return None
    return text


def _records(
    check: Checker,
    location: str,
    value: object,
    parse_one: Callable[[str, dict[str, Any], int], T | None],
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    unique: Sequence[str] = ("code",),
) -> tuple[T, ...]:
    """A list of records; each record parsed by parse_one; fields in `unique` may not repeat."""
    if value is None:
        return ()
    items = check.sequence(location, value, what="a list of entries")
    result: list[T] = []
    seen: dict[str, dict[object, int]] = {name: {} for name in unique}
    for index, item in enumerate(items or ()):
        where = at(location, index)
        fields_ = check.mapping(where, item, required=required, optional=optional)
        if fields_ is None:
            continue
        record = parse_one(where, fields_, index)
        if record is None:
            continue
        clash = False
        for name in unique:
            key = getattr(record, name)
            folded = key.casefold() if isinstance(key, str) else key
            if folded in seen[name]:
                shown = f"'{key}'" if isinstance(key, str) else str(key)
                check.add(at(where, name), f"{shown} is already used by {location}[{seen[name][folded]}]")
                clash = True
            else:
                seen[name][folded] = index
        if not clash:
            result.append(record)
    return tuple(result)


def parse_reference(source: str | bytes | Mapping[str, Any]) -> ReferenceDoc:
    """Read reference.yaml; raise SeedDataError listing every problem."""
    data = load_yaml(source, error=SeedDataError) if isinstance(source, str | bytes) else source
    check = Checker()
    kinds = ("difficulty_levels", "visibilities", "categories", "tags", "metrics")
    top = check.mapping("", data, required=kinds, what="reference data")
    if top is None:
        raise SeedDataError(check.problems)

    def difficulty(where: str, f: dict[str, Any], _index: int) -> DifficultyDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 30)
        name = check.text(at(where, "name"), f.get("name"), max_length=50, single_line=True)
        rank = check.integer(at(where, "rank"), f.get("rank"), minimum=1, maximum=1000)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if code is None or name is None or rank is None:
            return None
        return DifficultyDoc(code=code, name=name, rank=rank, description=description)

    def visibility(where: str, f: dict[str, Any], _index: int) -> VisibilityDoc | None:
        text = check.text(at(where, "code"), f.get("code"), max_length=20, single_line=True)
        name = check.text(at(where, "name"), f.get("name"), max_length=50, single_line=True)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if text is None or name is None:
            return None
        if text not in set(VisibilityCode):
            choices = ", ".join(VisibilityCode)
            check.add(at(where, "code"), f"unknown visibility '{text}' - expected one of: {choices}")
            return None
        return VisibilityDoc(code=VisibilityCode(text), name=name, description=description)

    def category(where: str, f: dict[str, Any], _index: int) -> CategoryDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 50)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        description = check.text(
            at(where, "description"), f.get("description"), max_length=1000, required=False
        )
        if code is None or name is None:
            return None
        return CategoryDoc(code=code, name=name, description=description)

    def tag(where: str, f: dict[str, Any], _index: int) -> TagDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 50)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        if code is None or name is None:
            return None
        return TagDoc(code=code, name=name)

    def metric(where: str, f: dict[str, Any], index: int) -> MetricDoc | None:
        before = len(check.problems)
        code = _code(check, at(where, "code"), f.get("code"), 40)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        unit = check.text(
            at(where, "canonical_unit"), f.get("canonical_unit"), max_length=20, single_line=True
        )
        units: list[str] = []
        raw_units = f.get("accepted_units")
        if raw_units is not None:
            for position, item in enumerate(check.sequence(at(where, "accepted_units"), raw_units) or ()):
                accepted = check.text(
                    at(at(where, "accepted_units"), position), item, max_length=20, single_line=True
                )
                if accepted is not None and accepted not in units:
                    units.append(accepted)
        if unit is not None and raw_units is None:
            units = [unit]
        elif unit is not None and unit not in units:
            check.add(at(where, "accepted_units"), f"must include the canonical unit '{unit}'")
        low, high = (
            check.decimal(
                at(where, key), f.get(key), minimum=-_MEASURE_LIMIT, maximum=_MEASURE_LIMIT, exclusive=True
            )
            for key in ("min_value", "max_value")
        )
        if low is not None and high is not None and low >= high:
            check.add(where, f"min_value {low} must be less than max_value {high}")
        raw_order = f.get("sort_order")
        order = check.integer(
            at(where, "sort_order"),
            (index + 1) * 10 if raw_order is None else raw_order,
            minimum=0,
            maximum=32767,
        )
        if len(check.problems) > before or code is None or name is None or unit is None or order is None:
            return None
        return MetricDoc(
            code=code,
            name=name,
            canonical_unit=unit,
            accepted_units=tuple(units),
            min_value=low,
            max_value=high,
            sort_order=order,
        )

    reference = ReferenceDoc(
        difficulty_levels=_records(
            check,
            "difficulty_levels",
            top.get("difficulty_levels"),
            difficulty,
            required=("code", "name", "rank"),
            optional=("description",),
            unique=("code", "rank"),
        ),
        visibilities=_records(
            check,
            "visibilities",
            top.get("visibilities"),
            visibility,
            required=("code", "name"),
            optional=("description",),
        ),
        categories=_records(
            check,
            "categories",
            top.get("categories"),
            category,
            required=("code", "name"),
            optional=("description",),
            unique=("code", "name"),
        ),
        tags=_records(
            check, "tags", top.get("tags"), tag, required=("code", "name"), unique=("code", "name")
        ),
        metrics=_records(
            check,
            "metrics",
            top.get("metrics"),
            metric,
            required=("code", "name", "canonical_unit"),
            optional=("accepted_units", "min_value", "max_value", "sort_order"),
        ),
    )
    present = {item.code for item in reference.visibilities}
    if isinstance(top.get("visibilities"), list):
        for code in VisibilityCode:
            if code not in present and not check.problems:
                check.add("visibilities", f"{code.value} is missing: every visibility must be listed")
    if check.problems:
        raise SeedDataError(check.problems)
    return reference


def _names(check: Checker, where: str, value: object) -> dict[str, tuple[str, ...]]:
    """`names: {ru: ["Display name", "alias", ...]}`: a language the bot speaks -> one name or more."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.add(where, "expected a mapping of language to names, like {ru: [Приседания, присед]}")
        return {}
    found: dict[str, tuple[str, ...]] = {}
    for language, names in value.items():
        location = at(where, str(language))
        if language not in LOCALES or language == DEFAULT_LOCALE:
            check.add(location, f"unknown language '{language}' - expected one of: {', '.join(LOCALES[1:])}")
            continue
        items = names if isinstance(names, list) else [names]
        texts = [
            check.text(f"{location}[{i}]", n, max_length=100, single_line=True) for i, n in enumerate(items)
        ]
        if not items:
            check.add(location, "expected at least one name")
        found[str(language)] = tuple(t for t in texts if t)
    return found


def parse_exercises(source: str | bytes | Mapping[str, Any]) -> tuple[ExerciseDoc, ...]:
    """Read exercises.yaml (`exercises:` a list); raise SeedDataError listing every problem."""
    data = load_yaml(source, error=SeedDataError) if isinstance(source, str | bytes) else source
    check = Checker()
    top = check.mapping("", data, required=("exercises",), what="an exercise catalog")
    if top is None:
        raise SeedDataError(check.problems)

    def choice(where: str, value: object, choices: Iterable[str], what: str) -> str | None:
        return check.code(where, value, known=frozenset(choices), what=what, max_length=50)

    def exercise(where: str, f: dict[str, Any], _index: int) -> ExerciseDoc | None:
        code = _code(check, at(where, "code"), f.get("code"), 60)
        name = check.text(at(where, "name"), f.get("name"), max_length=100, single_line=True)
        muscle = choice(at(where, "muscle_group"), f.get("muscle_group"), MUSCLE_GROUPS, "muscle group")
        equipment = choice(at(where, "equipment"), f.get("equipment"), EQUIPMENT, "equipment")
        tracking = choice(at(where, "tracking"), f.get("tracking"), TRACKING, "tracking")
        description = check.text(
            at(where, "description"), f.get("description"), max_length=2000, required=False
        )
        names = _names(check, at(where, "names"), f.get("names"))
        if None in (code, name, muscle, equipment, tracking):
            return None
        assert code and name and muscle and equipment and tracking
        return ExerciseDoc(
            names=names,
            code=code,
            name=name,
            muscle_group=muscle,
            equipment=equipment,
            tracking=TRACKING[tracking],
            description=description,
        )

    result = _records(
        check,
        "exercises",
        top.get("exercises"),
        exercise,
        required=("code", "name", "muscle_group", "equipment", "tracking"),
        optional=("description", "names"),
        unique=("code", "name"),
    )
    if check.problems:
        raise SeedDataError(check.problems)
    return result
