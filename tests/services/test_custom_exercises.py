"""Exercises of one's own at the service level: the catalog's seeding and coaches' programs keep using the
catalog only, and a user's own names are checked per user."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import TrackingType
from bot.db.models import Exercise
from bot.services import custom_exercises as custom
from bot.services.program_format import parse_program
from bot.services.seed import import_program, seed_reference_data
from bot.services.seed.errors import UnknownReferenceError
from tests.factories import MINI_PROGRAM, make_user, seed_catalog


async def test_a_program_cannot_use_someones_own_exercise(session: AsyncSession) -> None:
    await seed_catalog(session)
    coach = await make_user(session, 2001, first_name="Coach")
    own = await custom.create_exercise(
        session,
        coach,
        "Sled push",
        muscle_group="quads",
        equipment="other",
        tracking=TrackingType.WEIGHT_REPS,
    )
    text = MINI_PROGRAM.format(name="Sled program", visibility="PUBLIC").replace("back-squat", own.code)
    with pytest.raises(UnknownReferenceError, match=own.code):
        await import_program(session, parse_program(text), owner=coach)


async def test_seeding_again_ignores_users_own_names(session: AsyncSession) -> None:
    await seed_catalog(session)
    user = await make_user(session, 2002)
    await custom.create_exercise(
        session,
        user,
        "Zercher squat",
        muscle_group="quads",
        equipment="barbell",
        tracking=TrackingType.WEIGHT_REPS,
    )
    await seed_reference_data(session)  # runs again without a conflict
    await session.flush()
    names = (await session.scalars(select(Exercise.name).where(Exercise.owner_id == user.id))).all()
    assert names == ["Zercher squat"]


async def test_names_are_unique_per_user_in_the_database(session: AsyncSession) -> None:
    await seed_catalog(session)
    alice = await make_user(session, 2003)
    bob = await make_user(session, 2004, first_name="Bob")
    for user in (alice, bob):
        await custom.create_exercise(
            session, user, "Cable fly 2", muscle_group="chest", equipment="cable", tracking=TrackingType.REPS
        )
    with pytest.raises(custom.ExerciseNameError):
        await custom.check_name(session, alice, "cable FLY 2")
    session.add(
        Exercise(
            code="u-twin", name="CABLE FLY 2", muscle_group="chest", equipment="cable",
            tracking_type=TrackingType.REPS, owner_id=alice.id,
        )
    )  # fmt: skip
    with pytest.raises(IntegrityError):
        await session.flush()
