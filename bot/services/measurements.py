"""Body measurements (user_measurement): reading what the user types, saving it, listing it.

`parse_measurement` is pure. What it reads: a value with or without a unit, then optionally a date and a
note, separated by a comma and a space, ``;`` or a new line: ``82.5``, ``182 lb``, ``31 in``, ``82,5 kg``
(decimal comma), ``82.5, yesterday``, ``82.5 kg, 3 Mar, after breakfast``. Without a unit the value is in
the metric's canonical unit (body weight: the user's weight unit). The value is converted to the
canonical unit, rounded to 0.001 (the column's precision) and must lie within the metric's min..max.
The date defaults to today (the user's local today); it may not be in the future.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import MeasurementSource, WeightUnit
from bot.db.models import Metric, User, UserMeasurement
from bot.services.dates import InvalidDate, parse_date
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
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0") else text


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
    return f"{_fmt(middle)} {metric.canonical_unit}".replace(" %", "%")


def convert_value(value: Decimal, unit: str, metric: MetricInfo) -> Decimal:
    """`value` typed in `unit` in the metric's canonical unit (rounded to 0.001), range-checked.

    Raises MeasurementError for a unit the metric does not accept or a value out of range.
    """
    accepted = ", ".join(metric.accepted_units)
    try:
        source = normalize_unit(unit)
    except UnitError:
        raise MeasurementError(
            f"I don't know the unit “{unit.strip()[:20]}”. {metric.name} takes {accepted}."
        ) from None
    if source not in {normalize_unit(u) for u in metric.accepted_units}:
        raise MeasurementError(f"{metric.name} is measured in {accepted}, not {source}.")
    try:
        canonical = convert(value, source, metric.canonical_unit).quantize(STEP, rounding=ROUND_HALF_UP)
    except UnitError as error:
        raise MeasurementError(error.reason) from None
    low, high = metric.min_value, metric.max_value
    if (low is not None and canonical < low) or (high is not None and canonical > high):
        span = (
            f"{_fmt(low or Decimal(0))}-{_fmt(high)}"
            if high is not None
            else f"at least {_fmt(low or Decimal(0))}"
        )
        raise MeasurementError(
            f"{_fmt(canonical)} {metric.canonical_unit} is out of range for {metric.name.lower()} "
            f"({span} {metric.canonical_unit}). Check the value and its unit."
        )
    return canonical


def parse_measurement(
    text: str, metric: MetricInfo, *, today: date, weight_unit: WeightUnit = WeightUnit.KG
) -> MeasurementInput:
    """Read '82.5', '182 lb', '31 in', '82.5 kg, yesterday, after breakfast' (see the module doc).

    Raises MeasurementError (never anything else) with a reason and an example.
    """
    hint = (
        f"Send a number like {example(metric, weight_unit)}, "
        "optionally a date and a note: 82.5, yesterday, morning."
    )
    if len(text) > MAX_TEXT:
        raise MeasurementError("That is too long. " + hint)
    parts = [p.strip() for p in _SPLIT.split(text.strip())]
    match = _VALUE.match(parts[0]) if parts else None
    if match is None:
        raise MeasurementError(f"I can't read “{parts[0][:30] if parts else ''}” as a value. {hint}")
    try:
        value = Decimal(match.group(1).replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise MeasurementError(hint) from None
    unit = match.group(2) or default_unit(metric, weight_unit)
    canonical = convert_value(value, unit, metric)
    day = today
    rest = [p for p in parts[1:] if p]
    if rest:
        try:
            day = parse_date(rest[0], today)
            rest = rest[1:]
        except InvalidDate:
            pass
    if day > today:
        raise MeasurementError("That date is in the future: a measurement is dated today or earlier.")
    note = ", ".join(rest).strip() or None
    if note is not None and len(note) > NOTE_LIMIT:
        raise MeasurementError(f"The note has {len(note)} characters; the limit is {NOTE_LIMIT}.")
    return MeasurementInput(canonical, metric.canonical_unit, day, note)


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
        raise NotFound("That measurement kind does not exist.")
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


@dataclass(frozen=True, slots=True)
class MeasurementPoint:
    day: date
    value: Decimal
    note: str | None


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
                MeasurementPoint(row.measurement_date, Decimal(row.measured_value), row.measurement_notes)
            )
    return [
        MetricSeries(metric.id, metric.name, metric.canonical_unit, tuple(reversed(points)))
        for metric, points in grouped.values()
    ]
