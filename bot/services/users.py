"""Users: registration from Telegram's user data, idempotent and safe under concurrent /start."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User
from bot.services.admins import grant_admin


@dataclass(frozen=True, slots=True)
class TelegramProfile:
    """What Telegram tells us about a user, as plain values."""

    telegram_id: int
    chat_id: int | None
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    user: User
    created: bool


def _clip(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else value


@cache
def _by_telegram_id() -> Select[User]:
    return select(User).where(User.telegram_id == bindparam("telegram_id"))  # built once: every update


async def get_user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(_by_telegram_id(), {"telegram_id": telegram_id})


async def register_user(
    session: AsyncSession,
    profile: TelegramProfile,
    *,
    default_timezone: str = "UTC",
    default_reminder_time: time = time(7, 0),
    admin_ids: frozenset[int] = frozenset(),
    start_payload: str | None = None,
) -> Registration:
    """Create the user or refresh their Telegram details; never duplicates a Telegram id."""
    user = await get_user_by_telegram_id(session, profile.telegram_id)
    created = user is None
    if user is None:
        user = User(
            telegram_id=profile.telegram_id,
            first_name=_clip(profile.first_name, 64) or "Trainee",
            timezone=default_timezone,
            reminder_time=default_reminder_time,
        )
        try:
            async with session.begin_nested():
                session.add(user)
                _apply_profile(user, profile, start_payload)
        except IntegrityError:  # a concurrent /start of the same user won the race
            user = await get_user_by_telegram_id(session, profile.telegram_id)
            if user is None:
                raise
            created = False
    if not created:
        _apply_profile(user, profile, start_payload)
    await session.flush()
    if profile.telegram_id in admin_ids:  # ADMIN_TELEGRAM_IDS: rights from the first update on
        await grant_admin(session, user)
    return Registration(user=user, created=created)


def _apply_profile(user: User, profile: TelegramProfile, start_payload: str | None) -> None:
    user.first_name = _clip(profile.first_name, 64) or user.first_name or "Trainee"
    user.last_name = _clip(profile.last_name, 64)
    user.username = _clip(profile.username, 32)
    user.language_code = _clip(profile.language_code, 10)
    if profile.chat_id is not None:
        user.chat_id = profile.chat_id
    if start_payload:
        user.start_payload = start_payload[:64]
    user.is_active = True
