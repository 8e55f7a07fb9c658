"""browse_programs' per-program schedule figures (a regression test for the subquery correlation)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.programs import ProgramFilters, browse_programs, program_card
from bot.services.seed import seed_reference_data
from bot.services.users import TelegramProfile, register_user


async def test_each_program_shows_its_own_schedule(seed_session: AsyncSession) -> None:
    """The length and workouts per week of every listed program are those of its own active schedule.

    The schedule subquery sits two levels deep; before it was correlated to the outer program
    explicitly, SQLite failed with "no such column: program_schedule.created_at" and PostgreSQL with
    "more than one row returned by a subquery used as an expression".
    """
    session = seed_session
    await seed_reference_data(session)
    user = (await register_user(session, TelegramProfile(telegram_id=42, chat_id=42, first_name="Ann"))).user
    items = [
        *(await browse_programs(session, user, ProgramFilters(), 0)).items,
        *(await browse_programs(session, user, ProgramFilters(), 1)).items,
    ]
    lengths = {item.name: item.length_days for item in items}
    assert lengths == {
        "Beginner Full-Body Linear Progression": 84,
        "Bodyweight at Home - 6 Weeks": 42,
        "Couch to 5K - 9 Weeks": 63,
        "5/3/1 Strength Waves": 84,
        "Hypertrophy Double Progression": 56,
        "Intermediate Upper/Lower Split": 56,
    }
    per_week = {item.name: item.workouts_per_week for item in items}
    assert per_week["Intermediate Upper/Lower Split"] == 4.0  # the optional Saturday is not counted
    for item in items:
        card = await program_card(session, user, item.id)
        assert (item.length_days, item.workouts_per_week) == (card.length_days, card.workouts_per_week)
