"""The codes the database knows (for validating program documents), and the system user."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import Role, TrackingType
from bot.db.models import Category, DifficultyLevel, Exercise, Tag, User
from bot.services.program_format import ProgramDoc, parse_program

SYSTEM_TELEGRAM_ID: Final = 0
SYSTEM_USER_NAME: Final = "Workout Bot"


@dataclass(frozen=True, slots=True)
class KnownCodes:
    """The codes a program document may use: exercise code -> tracking type, and the reference codes."""

    exercises: Mapping[str, str]
    difficulties: frozenset[str]
    categories: frozenset[str]
    tags: frozenset[str]

    def parse(self, source: str | bytes | Mapping[str, Any]) -> ProgramDoc:
        """parse_program against these codes (what the coach upload does)."""
        return parse_program(
            source,
            known_exercises=self.exercises,
            known_difficulties=self.difficulties,
            known_categories=self.categories,
            known_tags=self.tags,
        )

    def merged(self, other: KnownCodes) -> KnownCodes:
        return KnownCodes(
            exercises={**self.exercises, **other.exercises},
            difficulties=self.difficulties | other.difficulties,
            categories=self.categories | other.categories,
            tags=self.tags | other.tags,
        )


async def load_known_codes(session: AsyncSession, *, active_only: bool = True) -> KnownCodes:
    """The codes in the database, in four queries."""

    def where_active(model: Any) -> Any:
        return model.is_active.is_(True) if active_only else True

    exercises = await session.execute(
        select(Exercise.code, Exercise.tracking_type).where(
            where_active(Exercise), Exercise.owner_id.is_(None)
        )
    )
    difficulties = await session.scalars(select(DifficultyLevel.code).where(where_active(DifficultyLevel)))
    categories = await session.scalars(select(Category.code).where(where_active(Category)))
    tags = await session.scalars(select(Tag.code).where(where_active(Tag)))
    return KnownCodes(
        exercises={code: TrackingType(tracking).value for code, tracking in exercises},
        difficulties=frozenset(difficulties),
        categories=frozenset(categories),
        tags=frozenset(tags),
    )


async def ensure_system_user(session: AsyncSession) -> User:
    """The owner of seeded rows (telegram_id 0, an admin that gets no reminders); created once."""
    user = await session.scalar(select(User).where(User.telegram_id == SYSTEM_TELEGRAM_ID))
    if user is None:
        user = User(
            telegram_id=SYSTEM_TELEGRAM_ID,
            first_name=SYSTEM_USER_NAME,
            role=Role.ADMIN,
            reminders_enabled=False,
            rest_timer_enabled=False,
            timezone="UTC",
        )
        session.add(user)
        await session.flush()
    return user
