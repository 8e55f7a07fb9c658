"""bot.services.admins where the e2e tests cannot reach: two bot processes starting at the same moment.

In webhook mode several processes share one database and each syncs ADMIN_TELEGRAM_IDS at startup. On
PostgreSQL two of them can both see "no grant yet" and both insert one; the second must not fail (its
startup would crash). SQLite runs one writer at a time (BEGIN IMMEDIATE), so the race needs PostgreSQL.
"""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.db.enums import Role
from bot.db.models import AdminGrant, User
from bot.db.session import create_engine, create_sessionmaker
from bot.services.admins import sync_admin_ids
from bot.services.users import TelegramProfile, register_user

ADA = TelegramProfile(telegram_id=4242, chat_id=4242, first_name="Ada")


async def _waiting_for_a_lock(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        waiting = await connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        )
    return bool(waiting)


async def test_two_processes_granting_at_once(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers, there is no race to lose")
    async with session_factory() as session, session.begin():
        await register_user(session, ADA)  # a trainee, before ADMIN_TELEGRAM_IDS names her
    other = create_engine(database_url)  # a second process: its own pool
    try:
        async with session_factory() as first, create_sessionmaker(other)() as second:
            await first.begin()
            assert [c.role for c in await sync_admin_ids(first, {4242})] == [Role.ADMIN]  # not committed
            await second.begin()
            racing = asyncio.create_task(sync_admin_ids(second, {4242}))  # sees no grant, then waits
            for _ in range(500):
                if await _waiting_for_a_lock(engine):
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the second process never waited for the first one's lock")
            await first.commit()
            await racing  # no IntegrityError
            await second.commit()
    finally:
        await other.dispose()
    async with session_factory() as session:
        assert await session.scalar(select(User.role).where(User.telegram_id == 4242)) == Role.ADMIN
        grants = list(await session.scalars(select(AdminGrant.previous_role)))
        assert grants == [Role.TRAINEE]
        assert await session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.filterwarnings(
    "error::sqlalchemy.exc.SAWarning"
)  # "expected to delete 1 row(s); 0 were matched"
async def test_two_processes_withdrawing_at_once(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite serialises writers, there is no race to lose")
    async with session_factory() as session, session.begin():
        await register_user(session, ADA, admin_ids=frozenset({4242}))  # an admin, the grant kept
    other = create_engine(database_url)
    try:
        async with session_factory() as first, create_sessionmaker(other)() as second:
            await first.begin()
            assert [c.role for c in await sync_admin_ids(first, set())] == [Role.TRAINEE]
            await second.begin()
            racing = asyncio.create_task(sync_admin_ids(second, set()))
            for _ in range(500):
                if await _waiting_for_a_lock(engine):
                    break
                await asyncio.sleep(0.01)
            else:
                pytest.fail("the second process never waited for the first one's lock")
            await first.commit()
            await racing  # no "expected to delete 1 row(s)" error
            await second.commit()
    finally:
        await other.dispose()
    async with session_factory() as session:
        assert await session.scalar(select(User.role).where(User.telegram_id == 4242)) == Role.TRAINEE
        assert await session.scalar(select(func.count()).select_from(AdminGrant)) == 0
