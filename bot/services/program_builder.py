"""The Mini App's program builder, server side: the exercises a coach may build with, and a program
document (the YAML format's shape, as JSON) validated and saved exactly as a YAML upload is.

The document goes through the same parser as the upload (bot.services.seed.known.KnownCodes.parse,
bot.services.program_format), against the same codes, and is saved by the same service
(bot.services.coaching.save_upload: a PRIVATE program of the coach's). Domain only, never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Exercise, Program, User
from bot.services import coaching
from bot.services.program_format import ProgramDoc
from bot.services.seed import load_known_codes


@dataclass(frozen=True, slots=True)
class CatalogExercise:
    id: uuid.UUID
    code: str
    name: str
    tracking: str  # the program format's value: weight_reps, reps, duration
    equipment: str
    muscle: str
    own: bool  # the coach's own exercise (a document names it by name, not code)


async def builder_catalog(session: AsyncSession, coach: User) -> list[CatalogExercise]:
    """The active catalog exercises and the coach's own, by name."""
    coaching.require_coach(coach)
    rows = await session.scalars(
        select(Exercise)
        .where(Exercise.is_active.is_(True), or_(Exercise.owner_id.is_(None), Exercise.owner_id == coach.id))
        .order_by(Exercise.name, Exercise.id)
    )
    return [
        CatalogExercise(
            e.id,
            e.code,
            e.name,
            e.tracking_type.value.lower(),
            e.equipment,
            e.muscle_group,
            e.owner_id is not None,
        )
        for e in rows
    ]


async def parse_document(session: AsyncSession, coach: User, document: Mapping[str, Any]) -> ProgramDoc:
    """The document validated as the coach's upload would be; ProgramFormatError lists every problem."""
    coaching.require_coach(coach)
    known = await load_known_codes(session, owner_id=coach.id)
    return known.parse(document)


async def save_document(session: AsyncSession, coach: User, document: Mapping[str, Any]) -> Program:
    """Validate, then save as the coach's PRIVATE program (ProgramExistsError for a taken name)."""
    doc = await parse_document(session, coach, document)
    return await coaching.save_upload(session, coach, doc)


__all__ = ["CatalogExercise", "builder_catalog", "parse_document", "save_document"]
