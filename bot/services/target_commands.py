"""Typed target commands: an exercise name and a weight (`/tm squat 140`, `/target alice bench 82.5 kg`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType, WeightUnit
from bot.db.models import User
from bot.i18n import _
from bot.services.errors import DomainError
from bot.services.exercise_match import Candidate
from bot.services.quick_workouts import exercise_index
from bot.services.set_input import parse_weight
from bot.services.targets import check_weight

_NAME_WEIGHT: Final = re.compile(
    r"^(?P<name>.+?)\s+(?P<weight>\d{1,4}(?:[.,]\d{1,2})?\s*(?:kg|kgs|kilos?|lb|lbs|кг|фунт(?:а|ов)?)?)$",
    re.IGNORECASE,
)
NAME_MAX: Final = 100


@dataclass(frozen=True, slots=True)
class NamedWeight:
    """An exercise (as matched) and a weight in kg, typed as 'squat 140'."""

    exercise: Candidate | None
    choices: tuple[Candidate, ...]
    name: str
    weight_kg: Decimal


def split_name_weight(text: str) -> tuple[str, str] | None:
    """('bench press', '82.5 kg') for 'bench press 82.5 kg'; None when the text does not end in a weight."""
    found = _NAME_WEIGHT.match(" ".join(text.split())[: NAME_MAX + 20])
    if found is None:
        return None
    return found["name"], found["weight"]


async def read_named_weight(session: AsyncSession, user: User, text: str, *, unit: WeightUnit) -> NamedWeight:
    """An exercise name and a weight typed in `unit` (a typed unit wins), the name matched like a named
    set (catalog, aliases, the user's own, typos). Raises DomainError with an example when unreadable."""
    parts = split_name_weight(text)
    if parts is None:
        raise DomainError(_("I need an exercise and a weight, like “squat 140”."))
    name, weight_text = parts
    weight_kg = check_weight(parse_weight(weight_text, unit=unit))
    match = (await exercise_index(session, user)).match(name)
    weighted = [c for c in match.choices if c.tracking == TrackingType.WEIGHT_REPS]
    return NamedWeight(match.exercise, tuple(weighted or match.choices), name, weight_kg)
