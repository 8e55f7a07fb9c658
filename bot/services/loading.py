"""A trainee's loading settings: their bar, the plates they own and what the Warm-up button does.

No Telegram, never commits. Stored in `user_loading` (bar, warm-up mode) and `user_plate` (plate sizes),
in kg; no row means the defaults of the user's unit (bot.services.plates). Setters validate first and
raise LoadingError with a reason a user can read, changing nothing.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy import Select, String, bindparam, delete, insert, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import WarmupMode, WeightUnit
from bot.db.models import User, UserLoading, UserPlate
from bot.i18n import N_, _, current_locale, pgettext
from bot.services import history_cache
from bot.services.errors import DomainError
from bot.services.plates import (
    BARBELL,
    DEFAULT_BAR,
    DEFAULT_PLATES,
    Scale,
    default_bar_kg,
    default_plates_kg,
    scale_for,
)
from bot.services.set_input import SetInputError, parse_weight
from bot.services.units import kg_from, to_unit

BAR_LIMITS: Final[dict[WeightUnit, tuple[Decimal, Decimal]]] = {
    WeightUnit.KG: (Decimal(1), Decimal(60)),
    WeightUnit.LB: (Decimal(2), Decimal(130)),
}
"""The lightest and heaviest bar, in each unit (an EZ bar to a heavy specialty bar)."""
PLATE_LIMITS: Final[dict[WeightUnit, tuple[Decimal, Decimal]]] = {
    WeightUnit.KG: (Decimal("0.25"), Decimal(50)),
    WeightUnit.LB: (Decimal("0.25"), Decimal(100)),
}
"""The lightest and heaviest plate, in each unit."""
_BAR_HELP: Final = {
    WeightUnit.KG: N_("Send the bar's weight, like 20 or 15."),
    WeightUnit.LB: N_("Send the bar's weight, like 45 or 35."),
}
MAX_PLATE_SIZES: Final = 12
MAX_TEXT: Final = 200
_SEPARATORS: Final = re.compile(r"[\s;]+")
_UNIT_WORD: Final = re.compile(r"(?:kgs?|kilos?|kilograms?|lbs?|pounds?)\.?", re.IGNORECASE)


class LoadingError(DomainError):
    """A bar weight or plate set that cannot be used."""


@dataclass(frozen=True, slots=True)
class Loading:
    """What the trainee loads: the bar and plate sizes (kg, heaviest first), and the warm-up mode.
    `custom_bar` / `custom_plates` say whether they changed the defaults of their unit."""

    bar_kg: Decimal
    plates_kg: tuple[Decimal, ...]
    warmup_mode: WarmupMode
    custom_bar: bool = False
    custom_plates: bool = False

    def scale(self, equipment: str, unit: WeightUnit) -> Scale:
        """What can be loaded on an exercise with this equipment (bot.services.plates.Scale): the one
        rounding of every weight the bot computes (targets, percent shares, readiness reductions)."""
        return scale_for(equipment, unit, self.bar_kg, self.plates_kg)


@functools.cache
def default_loading(unit: WeightUnit) -> Loading:
    return Loading(default_bar_kg(unit), default_plates_kg(unit), WarmupMode.SHOW)


def _hex(value: object) -> str:
    """A user id read as text (32 hex digits on SQLite, a UUID from asyncpg) as `uuid.UUID.hex`."""
    return value.hex if isinstance(value, uuid.UUID) else str(value).replace("-", "").lower()


async def loadings_of(
    session: AsyncSession, units: Mapping[uuid.UUID, WeightUnit]
) -> dict[uuid.UUID, Loading]:
    """Many users' bars and plates in two queries (the batch of targets): `units` maps each user to
    their unit; users who changed nothing get their unit's defaults. The warm-up mode is not read."""
    if not units:
        return {}
    ids = list(units)
    bars: dict[str, Decimal | None] = {
        _hex(user): bar
        for user, bar in await session.execute(
            select(type_coerce(UserLoading.user_id, String), UserLoading.bar_weight_kg).where(
                UserLoading.user_id.in_(ids), UserLoading.bar_weight_kg.is_not(None)
            )
        )
    }
    plates: dict[str, list[Decimal]] = {}
    for user, size in await session.execute(
        select(type_coerce(UserPlate.user_id, String), UserPlate.weight_kg).where(UserPlate.user_id.in_(ids))
    ):
        plates.setdefault(_hex(user), []).append(size)
    if not bars and not plates:
        return {user: default_loading(unit) for user, unit in units.items()}
    found: dict[uuid.UUID, Loading] = {}
    for user_id, unit in units.items():
        key = user_id.hex
        bar, own = bars.get(key), plates.get(key)
        if bar is None and own is None:
            found[user_id] = default_loading(unit)
            continue
        found[user_id] = Loading(
            bar_kg=bar if bar is not None else default_bar_kg(unit),
            plates_kg=tuple(sorted(own, reverse=True)) if own else default_plates_kg(unit),
            warmup_mode=WarmupMode.SHOW,
            custom_bar=bar is not None,
            custom_plates=bool(own),
        )
    return found


async def loading_of(session: AsyncSession, user: User) -> Loading:
    """The user's loading settings, the defaults of their unit filled in."""
    row = await session.get(UserLoading, user.id)
    plates = tuple((await session.scalars(own_plates_query(), {"user_id": user.id})).all())
    unit = user.weight_unit
    bar = row.bar_weight_kg if row is not None else None
    return Loading(
        bar_kg=bar if bar is not None else default_bar_kg(unit),
        plates_kg=plates or default_plates_kg(unit),
        warmup_mode=row.warmup_mode if row is not None else WarmupMode.SHOW,
        custom_bar=bar is not None,
        custom_plates=bool(plates),
    )


async def _row(session: AsyncSession, user: User) -> UserLoading:
    row = await session.get(UserLoading, user.id)
    if row is None:
        row = UserLoading(user_id=user.id, warmup_mode=WarmupMode.SHOW)
        session.add(row)
    return row


def _in_unit(kg: Decimal, unit: WeightUnit) -> str:
    """A limit as the user reads it ('60 kg'); plain text for a reason (formatting is the ui's)."""
    return _limit_text(to_unit(kg, unit), unit)


def _limit_text(value: Decimal, unit: WeightUnit) -> str:
    number = format(value.normalize(), "f")
    if current_locale() != "en":
        number = number.replace(".", ",")
    return f"{number} {pgettext('unit', 'kg') if unit is WeightUnit.KG else pgettext('unit', 'lb')}"


def parse_bar_weight(text: str, unit: WeightUnit) -> Decimal:
    """A typed bar weight ('15', '15 kg', '35lb') in kg (0.01). Raises LoadingError."""
    try:
        kg = parse_weight(text, unit=unit)
    except SetInputError:
        body = " ".join(text.split()) if isinstance(text, str) else ""
        shown = body if len(body) <= 20 else body[:19] + "…"
        help_text = _(_BAR_HELP[unit])
        raise LoadingError(
            _("“{text}” isn't a bar weight. {help}").format(text=shown, help=help_text)
            if shown
            else help_text
        ) from None
    return check_bar(kg, unit)


def check_bar(kg: Decimal, unit: WeightUnit) -> Decimal:
    low, high = BAR_LIMITS[unit]
    if not kg_from(low, unit) <= kg <= kg_from(high, unit):
        raise LoadingError(
            _("A bar weighs from {low} to {high} - {weight} can't be right. {help}").format(
                low=_limit_text(low, unit),
                high=_limit_text(high, unit),
                weight=_in_unit(kg, unit),
                help=_(_BAR_HELP[unit]),
            )
        )
    return kg


def parse_plates(text: str, unit: WeightUnit) -> tuple[Decimal, ...]:
    """Typed plate sizes ('25 20 15 10 5 2.5 1.25', '45, 35, 25, 10, 5, 2.5 lb', '2,5 1,25') in kg,
    heaviest first, without repeats. Commas separate sizes, except one between digits in a text with
    spaces ('2,5 1,25': decimal commas). A unit on its own applies to every size. Raises LoadingError."""
    example = "25 20 15 10 5 2.5 1.25" if unit is WeightUnit.KG else "45 35 25 10 5 2.5"
    help_text = _("Send the plate sizes you have, heaviest first, like {example}.").format(example=example)
    body = text.strip() if isinstance(text, str) else ""
    if not body or len(body) > MAX_TEXT:
        raise LoadingError(_("That is too long. {help}").format(help=help_text) if body else help_text)
    if re.search(r"\s", body):
        tokens = [t.strip(",") for t in _SEPARATORS.split(body.replace(", ", " "))]
    else:
        tokens = re.split(r"[,;]", body)
    tokens = [t for t in tokens if t]
    unit_words = [t for t in tokens if _UNIT_WORD.fullmatch(t)]
    list_unit = unit_words[-1] if unit_words else ""
    sizes: set[Decimal] = set()
    for token in tokens:
        if _UNIT_WORD.fullmatch(token):
            continue
        has_unit = bool(re.search(r"[a-z]", token, re.IGNORECASE))
        try:
            kg = parse_weight(token if has_unit else f"{token} {list_unit}".strip(), unit=unit)
        except SetInputError:
            shown = token if len(token) <= 20 else token[:19] + "…"
            reason = _("I couldn't read “{text}” as a plate. {help}").format(text=shown, help=help_text)
            raise LoadingError(reason) from None
        sizes.add(check_plate(kg, unit))
    if not sizes:
        raise LoadingError(help_text)
    if len(sizes) > MAX_PLATE_SIZES:
        raise LoadingError(
            _("That's more than {count} plate sizes. {help}").format(count=MAX_PLATE_SIZES, help=help_text)
        )
    return tuple(sorted(sizes, reverse=True))


def check_plate(kg: Decimal, unit: WeightUnit) -> Decimal:
    low, high = PLATE_LIMITS[unit]
    if not kg_from(low, unit) <= kg <= kg_from(high, unit):
        raise LoadingError(
            _("A plate weighs from {low} to {high} - {weight} can't be right.").format(
                low=_limit_text(low, unit), high=_limit_text(high, unit), weight=_in_unit(kg, unit)
            )
        )
    return kg


async def set_bar_weight(session: AsyncSession, user: User, kg: Decimal | None) -> None:
    """The user's bar in kg (checked against BAR_LIMITS); None: the standard bar of their unit."""
    if kg is not None:
        kg = check_bar(kg, user.weight_unit)
        if kg == default_bar_kg(user.weight_unit):
            kg = None
    row = await _row(session, user)
    row.bar_weight_kg = kg
    await session.flush()


async def set_plates(session: AsyncSession, user: User, plates: Sequence[Decimal] | None) -> None:
    """The plate sizes the user owns (kg, checked); None or the defaults: the default set."""
    sizes = sorted({check_plate(p, user.weight_unit) for p in plates or ()}, reverse=True)
    if tuple(sizes) == default_plates_kg(user.weight_unit):
        sizes = []
    if len(sizes) > MAX_PLATE_SIZES:
        raise LoadingError(_("That's more than {count} plate sizes.").format(count=MAX_PLATE_SIZES))
    await session.execute(delete(UserPlate).where(UserPlate.user_id == user.id))
    if sizes:
        await session.execute(insert(UserPlate), [{"user_id": user.id, "weight_kg": size} for size in sizes])
    await session.flush()
    await history_cache.bump(session, user)  # the workout view keeps the plates in the history cache


async def set_warmup_mode(session: AsyncSession, user: User, mode: WarmupMode) -> None:
    """LOG: the Warm-up button logs the ramp in one tap; SHOW: it shows the ramp first."""
    row = await _row(session, user)
    row.warmup_mode = WarmupMode(mode)
    await session.flush()


async def reset_bar_and_plates(session: AsyncSession, user: User) -> bool:
    """Back to the defaults of the user's unit; True when there was something to reset."""
    current = await loading_of(session, user)
    if not (current.custom_bar or current.custom_plates):
        return False
    await set_bar_weight(session, user, None)
    await set_plates(session, user, None)
    return True


class Scales:
    """The trainee's scales per equipment for one view: their bar comes with the session's head, their
    plates are read (one query, then kept in the history cache: /settings bumps it) only when a barbell
    exercise has a weight to round."""

    def __init__(self, session: AsyncSession, user: User, bar_kg: Decimal | None) -> None:
        self._session, self._user, self._bar = session, user, bar_kg
        self._plates: tuple[Decimal, ...] | None = None

    async def of(self, equipment: str) -> Scale:
        unit = self._user.weight_unit
        if equipment != BARBELL:
            return scale_for(equipment, unit, None, None)
        if self._plates is None:
            key = (self._user.id, None)
            cached = history_cache.get(self._session, self._user.id, "plates", key)
            if cached is history_cache.MISSING:
                own = await self._session.scalars(own_plates_query(), {"user_id": self._user.id})
                cached = tuple(own.all())
                history_cache.put(self._session, self._user.id, "plates", key, cached)
            self._plates = cached or default_plates_kg(unit)
        bar = self._bar if self._bar is not None else default_bar_kg(unit)
        return scale_for(equipment, unit, bar, self._plates)


@functools.cache
def own_plates_query() -> Select[Decimal]:
    """The plate sizes a user owns, heaviest first (bind parameter `user_id`), built once."""
    return (
        select(UserPlate.weight_kg)
        .where(UserPlate.user_id == bindparam("user_id"))
        .order_by(UserPlate.weight_kg.desc())
    )


__all__ = [
    "BAR_LIMITS",
    "DEFAULT_BAR",
    "DEFAULT_PLATES",
    "PLATE_LIMITS",
    "Loading",
    "LoadingError",
    "Scales",
    "default_loading",
    "loading_of",
    "loadings_of",
    "own_plates_query",
    "parse_bar_weight",
    "parse_plates",
    "reset_bar_and_plates",
    "set_bar_weight",
    "set_plates",
    "set_warmup_mode",
]
