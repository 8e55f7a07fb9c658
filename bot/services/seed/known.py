"""The codes the database knows (for validating program documents), and the system user."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
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
    """The codes a program document may use: exercise code -> tracking type, and the reference codes;
    `own_exercises`: the uploader's own exercises an instruction may name (casefolded name -> (name,
    tracking type))."""

    exercises: Mapping[str, str]
    difficulties: frozenset[str]
    categories: frozenset[str]
    tags: frozenset[str]
    own_exercises: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def parse(self, source: str | bytes | Mapping[str, Any]) -> ProgramDoc:
        """parse_program against these codes (what the coach upload does)."""
        return parse_program(
            source,
            known_exercises=self.exercises,
            known_difficulties=self.difficulties,
            known_categories=self.categories,
            known_tags=self.tags,
            own_exercises=self.own_exercises,
        )

    def merged(self, other: KnownCodes) -> KnownCodes:
        return KnownCodes(
            exercises={**self.exercises, **other.exercises},
            difficulties=self.difficulties | other.difficulties,
            categories=self.categories | other.categories,
            tags=self.tags | other.tags,
            own_exercises={**self.own_exercises, **other.own_exercises},
        )


async def load_known_codes(
    session: AsyncSession, *, active_only: bool = True, owner_id: uuid.UUID | None = None
) -> KnownCodes:
    """The codes in the database, in four queries; with `owner_id`, a fifth for that user's own
    exercises (what their program upload may name)."""

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
    own: dict[str, tuple[str, str]] = {}
    if owner_id is not None:
        rows = await session.execute(
            select(Exercise.name, Exercise.tracking_type).where(
                Exercise.owner_id == owner_id, Exercise.is_active.is_(True)
            )
        )
        own = {name.casefold(): (name, TrackingType(tracking).value) for name, tracking in rows}
    return KnownCodes(
        exercises={code: TrackingType(tracking).value for code, tracking in exercises},
        difficulties=frozenset(difficulties),
        categories=frozenset(categories),
        tags=frozenset(tags),
        own_exercises=own,
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
