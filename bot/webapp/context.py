"""What an API handler reads from its request: the session, the signed-in user, whose data it asks for,
and its validated body; the app's keys and the JSON error shape."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final, TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import WeightUnit
from bot.db.models import User
from bot.services import coaching
from bot.services.units import to_unit

SESSION_FACTORY: Final = web.AppKey("session_factory", async_sessionmaker[AsyncSession])
BOT_TOKEN: Final = web.AppKey("bot_token", str)
CLOCK: Final = web.AppKey[Callable[[], datetime]]("clock")
SESSION: Final = web.RequestKey("session", AsyncSession)
USER: Final = web.RequestKey("user", User)

M = TypeVar("M", bound=BaseModel)


class ApiError(Exception):
    """An answer other than 2xx: `status` and a message (and more JSON fields in `extra`)."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def error_body(message: str, **extra: Any) -> dict[str, Any]:
    return {"error": message, **extra}


def db(request: web.Request) -> AsyncSession:
    return request[SESSION]


def me(request: web.Request) -> User:
    return request[USER]


def now(request: web.Request) -> datetime:
    return request.app[CLOCK]()


def parse_uuid(text: str, what: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise ApiError(404, f"no such {what}") from None


async def subject(request: web.Request) -> User:
    """Whose data a trainee endpoint reads: the signed-in user, or with ``?trainee=<user id>`` one of
    the coach's ACTIVE trainees. Any other id - someone else's trainee, a stranger, a non-coach asking -
    is 404, never told apart from an id that does not exist."""
    user = me(request)
    raw = request.query.get("trainee")
    if raw is None or raw == "":
        return user
    trainee_id = parse_uuid(raw, "trainee")
    if trainee_id == user.id:
        return user
    if not coaching.is_coach(user):
        raise ApiError(404, "no such trainee")
    trainee, _link = await coaching.own_trainee(db(request), user, trainee_id)
    return trainee


def require_coach(request: web.Request) -> User:
    user = me(request)
    if not coaching.is_coach(user):
        raise ApiError(403, "only coaches can use this")
    return user


def query_int(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ApiError(
            422,
            f"{name} must be a whole number from {low} to {high}",
            fields=[{"path": name, "message": f"a whole number from {low} to {high}"}],
        )
    return value


def query_date(request: web.Request, name: str) -> date | None:
    raw = request.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2999:  # far dates overflow in a zone's conversion
        raise ApiError(
            422, f"{name} must be a date YYYY-MM-DD", fields=[{"path": name, "message": "a date YYYY-MM-DD"}]
        )
    return day


async def json_body(request: web.Request, model: type[M]) -> M:
    """The body validated by `model`; 413 when too large, 422 (with each field's problem) when invalid."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "the request body is too large") from None
    try:
        return model.model_validate_json(raw or b"null")
    except ValidationError as error:
        fields = [
            {"path": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]}
            for e in error.errors(include_url=False, include_input=False)
        ]
        raise ApiError(422, "the request body is not valid", fields=fields) from None


def weight(kg: Decimal | None, unit: WeightUnit) -> float | None:
    """A stored kg weight in the user's unit, as a JSON number."""
    return None if kg is None else float(to_unit(kg, unit))


def unit_name(unit: WeightUnit) -> str:
    return "kg" if unit is WeightUnit.KG else "lb"
