"""Body measurements (user_measurement): reading what the user types, saving it, listing it.

`parse_measurement` is pure. What it reads: a value with or without a unit, then optionally a date and a
note, separated by a comma and a space, ``;`` or a new line: ``82.5``, ``182 lb``, ``31 in``, ``82,5 kg``
(decimal comma), ``82.5, yesterday``, ``82.5 kg, 3 Mar, after breakfast``. Without a unit the value is in
the metric's canonical unit (body weight: the user's weight unit). The value is converted to the
canonical unit, rounded to 0.001 (the column's precision) and must lie within the metric's min..max.
The date defaults to today (the user's local today); it may not be in the future nor before 1900 (a
text that looks like a date but is not an acceptable one is an error, not a note).

`/measure weight 182 lb, yesterday` names the metric first: `split_metric` and `match_metrics` read it.
A measurement can be corrected (`correct_measurement`: the same typed form, the date and the note kept
unless given) and deleted (`delete_measurement`); both check that it is the user's own.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final, Protocol, TypeVar

from babel import numbers
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MeasurementSource, WeightUnit
from bot.db.models import Metric, User, UserMeasurement
from bot.i18n import N_, _, current_locale, ngettext, pgettext
from bot.services.dates import ImpossibleDate, InvalidDate, check_bounds, parse_date
from bot.services.errors import DomainError, NotFound
from bot.services.units import UnitError, convert, normalize_unit

STEP: Final = Decimal("0.001")
MAX_TEXT: Final = 1200
NOTE_LIMIT: Final = 1000
_VALUE = re.compile(r"^\s*(\d{1,6}(?:[.,]\d{1,3})?)\s*(\S.*?)?\s*$")
_SPLIT = re.compile(r";|\n|,(?=\s)")


class MeasurementError(DomainError):
    """The text is not a value this metric accepts; the reason says why, with an example."""


@dataclass(frozen=True, slots=True)
class MetricInfo:
    """What the parser needs of a metric (a Metric row, or a test double)."""

    name: str
    canonical_unit: str
    accepted_units: tuple[str, ...]
    min_value: Decimal | None
    max_value: Decimal | None

    @classmethod
    def of(cls, metric: Metric) -> MetricInfo:
        return cls(
            metric.name,
            metric.canonical_unit,
            tuple(metric.accepted_units or (metric.canonical_unit,)),
            metric.min_value,
            metric.max_value,
        )


@dataclass(frozen=True, slots=True)
class MeasurementInput:
    value: Decimal  # in the metric's canonical unit, to 0.001
    unit: str  # the canonical unit
    day: date
    note: str | None


def _fmt(value: Decimal) -> str:
    """A value as the reader writes numbers ('82.5'; Russian '82,5', which the parser reads back)."""
    text = format(value.normalize(), "f")
    if text in ("-0", "0"):
        return "0"
    if current_locale() == "en":
        return text
    return str(numbers.format_decimal(Decimal(text), "0.###", locale=current_locale()))


def unit_name(unit: str) -> str:
    """A unit as the reader reads and types it: 'kg' ('кг'), 'cm' ('см'), '%'."""
    words = {
        "kg": pgettext("unit", "kg"),
        "lb": pgettext("unit", "lb"),
        "cm": pgettext("unit", "cm"),
        "in": pgettext("unit", "in"),
        "bpm": pgettext("unit", "bpm"),
    }
    return words.get(unit, unit)


def default_unit(metric: MetricInfo, weight_unit: WeightUnit) -> str:
    """The unit a bare number is in: the canonical one, or lb for a mass metric of an lb user."""
    if weight_unit is WeightUnit.LB and "lb" in metric.accepted_units and metric.canonical_unit == "kg":
        return "lb"
    return metric.canonical_unit


def example(metric: MetricInfo, weight_unit: WeightUnit = WeightUnit.KG) -> str:
    """A value to show in help texts, e.g. '82.5' or '82.5 kg, yesterday'."""
    low = metric.min_value if metric.min_value is not None else Decimal(0)
    high = metric.max_value if metric.max_value is not None else low + 100
    middle = ((low + high) / 4 + low).quantize(Decimal(1 if metric.canonical_unit == "bpm" else "0.1"))
    return f"{_fmt(middle)} {unit_name(metric.canonical_unit)}".replace(" %", "%")


def convert_value(value: Decimal, unit: str, metric: MetricInfo) -> Decimal:
    """`value` typed in `unit` in the metric's canonical unit (rounded to 0.001), range-checked.

    Raises MeasurementError for a unit the metric does not accept or a value out of range.
    """
    accepted = ", ".join(unit_name(u) for u in metric.accepted_units)
    unit = RUSSIAN_UNITS.get(unit.strip().lower().rstrip("."), unit)
    try:
        source = normalize_unit(unit)
    except UnitError:
        raise MeasurementError(
            _("I don't know the unit “{unit}”. {metric} takes {accepted}.").format(
                unit=unit.strip()[:20], metric=metric_name(metric.name), accepted=accepted
            )
        ) from None
    if source not in {normalize_unit(u) for u in metric.accepted_units}:
        raise MeasurementError(
            _("{metric} is measured in {accepted}, not {unit}.").format(
                metric=metric_name(metric.name), accepted=accepted, unit=unit_name(source)
            )
        )
    try:
        canonical = convert(value, source, metric.canonical_unit).quantize(STEP, rounding=ROUND_HALF_UP)
    except UnitError as error:
        raise MeasurementError(error.reason) from None
    low, high = metric.min_value, metric.max_value
    if (low is not None and canonical < low) or (high is not None and canonical > high):
        span = (
            f"{_fmt(low or Decimal(0))}-{_fmt(high)}"
            if high is not None
            else _("at least {low}").format(low=_fmt(low or Decimal(0)))
        )
        raise MeasurementError(
            _(
                "{value} {unit} is out of range for {metric} ({span} {unit}). Check the value and its unit."
            ).format(
                value=_fmt(canonical),
                unit=unit_name(metric.canonical_unit),
                metric=metric_name(metric.name).lower(),
                span=span,
            )
        )
    return canonical


def parse_measurement(
    text: str,
    metric: MetricInfo,
    *,
    today: date,
    weight_unit: WeightUnit = WeightUnit.KG,
    day: date | None = None,
    note: str | None = None,
) -> MeasurementInput:
    """Read '82.5', '182 lb', '31 in', '82.5 kg, yesterday, after breakfast' (see the module doc).

    `day` and `note` are what an untyped date and note stay (a correction keeps the original ones).
    Raises MeasurementError (never anything else) with a reason and an example.
    """
    hint = _("Send a number like {example}, optionally a date and a note: 82.5, yesterday, morning.").format(
        example=example(metric, weight_unit)
    )
    if len(text) > MAX_TEXT:
        raise MeasurementError(_("That is too long.") + " " + hint)
    parts = [p.strip() for p in _SPLIT.split(text.strip())]
    match = _VALUE.match(parts[0]) if parts else None
    if match is None:
        typed = parts[0][:30] if parts else ""
        raise MeasurementError(_("I can't read “{text}” as a value.").format(text=typed) + " " + hint)
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise MeasurementError(hint) from None
    unit = match.group(2) or default_unit(metric, weight_unit)
    canonical = convert_value(value, unit, metric)
    day = today if day is None else day
    rest = [p for p in parts[1:] if p]
    if rest:
        try:
            day = parse_date(RUSSIAN_DAYS.get(rest[0].strip().lower(), rest[0]), today)
            rest = rest[1:]
        except ImpossibleDate as error:
            raise MeasurementError(f"{error.reason} {_(DATE_RULE)}") from None
        except InvalidDate:
            pass
    if day > today:
        raise MeasurementError(_("That date is in the future.") + " " + _(DATE_RULE))
    try:
        check_bounds(day, today, days_ahead=0)
    except ImpossibleDate as error:
        raise MeasurementError(f"{error.reason} {_(DATE_RULE)}") from None
    typed_note = ", ".join(rest).strip() or None
    note = typed_note if typed_note is not None else note
    if note is not None and len(note) > NOTE_LIMIT:
        raise MeasurementError(
            ngettext(
                "The note has {n} character; the limit is {limit}.",
                "The note has {n} characters; the limit is {limit}.",
                len(note),
            ).format(n=len(note), limit=NOTE_LIMIT)
        )
    return MeasurementInput(canonical, metric.canonical_unit, day, note)


METRIC_NAMES = frozenset(
    {
        N_("Body weight"),
        N_("Body fat"),
        N_("Waist circumference"),
        N_("Chest circumference"),
        N_("Hip circumference"),
        N_("Upper arm circumference"),
        N_("Thigh circumference"),
        N_("Resting heart rate"),
    }
)
"""The bundled metrics' names (bot/data/reference.yaml), translated where shown."""


def metric_name(name: str) -> str:
    """A measurement kind's name in the reader's language (the bundled ones are translated)."""
    return _(name) if name in METRIC_NAMES else name


RUSSIAN_UNITS: Final = {
    "кг": "kg",
    "фнт": "lb",
    "фунт": "lb",
    "фунта": "lb",
    "фунтов": "lb",
    "см": "cm",
    "мм": "mm",
    "дюйм": "in",
    "дюйма": "in",
    "дюймов": "in",
    "уд/мин": "bpm",
}
"""Units as a Russian reader types them (and as the bot shows them to them)."""

RUSSIAN_DAYS: Final = {"сегодня": "today", "вчера": "yesterday"}
"""The day words of the Russian examples ("82,5, вчера, после завтрака")."""

DATE_RULE: Final = N_("A measurement is dated today or earlier (not before 1900).")


# ---------------------------------------------------------------------------------------------------------
# naming the metric in the command: /measure weight 182 lb, yesterday

_FIRST_NUMBER = re.compile(r"(?:^|\s)(?=[-+]?[\d.,])")


class Named(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...


def split_metric(text: str) -> tuple[str, str]:
    """'weight 182 lb, yesterday' -> ('weight', '182 lb, yesterday'): the words before the first number."""
    text = text.strip()
    match = _FIRST_NUMBER.search(text)
    if match is None:
        return text, ""
    return text[: match.start()].strip(), text[match.start() :].strip()


N = TypeVar("N", bound=Named)


def _words(text: str) -> list[str]:
    return [w.rstrip("s") or w for w in re.split(r"[\s_-]+", text.lower()) if w]


def match_metrics(query: str, metrics: Sequence[N]) -> list[N]:
    """The metrics `query` names: its code or name exactly (any case, '_' or ' '), else those whose name
    or code has a word starting with each query word ('weight', 'heart rate', 'hips', 'arm')."""
    wanted = _words(query)
    if not wanted:
        return []
    exact = [m for m in metrics if wanted in (_words(m.code), _words(m.name), _words(metric_name(m.name)))]
    if exact:
        return exact[:1]
    return [
        m
        for m in metrics
        if all(
            any(word.startswith(w) for word in _words(m.name) + _words(m.code) + _words(metric_name(m.name)))
            for w in wanted
        )
    ]


# ---------------------------------------------------------------------------------------------------------
# database


async def metrics(session: AsyncSession) -> list[Metric]:
    """The active metrics, in their display order."""
    return list(
        (
            await session.scalars(
                select(Metric).where(Metric.is_active.is_(True)).order_by(Metric.sort_order, Metric.name)
            )
        ).all()
    )


async def metric_by_id(session: AsyncSession, metric_id: uuid.UUID) -> Metric:
    metric = await session.get(Metric, metric_id)
    if metric is None or not metric.is_active:
        raise NotFound(_("That measurement kind does not exist."))
    return metric


async def add_measurement(
    session: AsyncSession, user: User, metric: Metric, value: MeasurementInput
) -> UserMeasurement:
    """Save one MANUAL measurement (value already in the canonical unit)."""
    row = UserMeasurement(
        user_id=user.id,
        metric_id=metric.id,
        measured_value=value.value,
        unit=value.unit,
        measurement_date=value.day,
        measurement_notes=value.note,
        measurement_source=MeasurementSource.MANUAL,
        created_by=user.id,
    )
    session.add(row)
    await session.flush()
    return row


async def own_measurement(
    session: AsyncSession, user: User, measurement_id: uuid.UUID
) -> tuple[UserMeasurement, Metric]:
    """The user's own active measurement and its metric; NotFound for anyone else's (or none)."""
    row = (
        await session.execute(
            select(UserMeasurement, Metric)
            .join(Metric, Metric.id == UserMeasurement.metric_id)
            .where(
                UserMeasurement.id == measurement_id,
                UserMeasurement.user_id == user.id,
                UserMeasurement.is_active.is_(True),
            )
        )
    ).first()
    if row is None:
        raise NotFound(_("That measurement is not available."))
    return row[0], row[1]


async def correct_measurement(
    session: AsyncSession, user: User, measurement_id: uuid.UUID, value: MeasurementInput
) -> UserMeasurement:
    """Replace the value, date and note of the user's own measurement (NotFound otherwise)."""
    row, _metric = await own_measurement(session, user, measurement_id)
    row.measured_value = value.value
    row.unit = value.unit
    row.measurement_date = value.day
    row.measurement_notes = value.note
    row.updated_by = user.id
    await session.flush()
    return row


async def delete_measurement(session: AsyncSession, user: User, measurement_id: uuid.UUID) -> Metric:
    """Delete the user's own measurement (NotFound otherwise); its metric, for the reply."""
    row, metric = await own_measurement(session, user, measurement_id)
    await session.delete(row)
    await session.flush()
    return metric


@dataclass(frozen=True, slots=True)
class MeasurementPoint:
    day: date
    value: Decimal
    note: str | None
    id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class MetricSeries:
    metric_id: uuid.UUID
    name: str
    unit: str
    points: tuple[MeasurementPoint, ...]  # oldest first


async def measurement_series(
    session: AsyncSession, user: User, metric_id: uuid.UUID | None = None, *, limit: int = 1000
) -> list[MetricSeries]:
    """The user's measurements per metric (one metric, or every metric they have measured)."""
    query = (
        select(UserMeasurement, Metric)
        .join(Metric, Metric.id == UserMeasurement.metric_id)
        .where(UserMeasurement.user_id == user.id, UserMeasurement.is_active.is_(True))
        .order_by(
            Metric.sort_order, UserMeasurement.measurement_date.desc(), UserMeasurement.created_at.desc()
        )
    )
    if metric_id is not None:
        query = query.where(UserMeasurement.metric_id == metric_id)
    grouped: dict[uuid.UUID, tuple[Metric, list[MeasurementPoint]]] = {}
    for row, metric in await session.execute(query):
        points = grouped.setdefault(metric.id, (metric, []))[1]
        if len(points) < limit:
            points.append(
                MeasurementPoint(
                    row.measurement_date, Decimal(row.measured_value), row.measurement_notes, row.id
                )
            )
    return [
        MetricSeries(metric.id, metric.name, metric.canonical_unit, tuple(reversed(points)))
        for metric, points in grouped.values()
    ]
