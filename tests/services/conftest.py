"""Fixtures for the seed and program-format tests.

`seed_session` is an AsyncSession on an empty database with every table: by default a throwaway SQLite
file per test (created with Base.metadata.create_all); when TEST_DATABASE_URL is set, the shared
migrated database of tests/conftest.py instead, so CI runs these tests on PostgreSQL too. Named
`seed_*` so they never clash with the shared fixtures.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

import bot.db.models  # noqa: F401 - registers every table on Base.metadata
from bot.db.base import Base
from bot.db.session import create_engine, create_sessionmaker

if os.environ.get("TEST_DATABASE_URL"):

    @pytest.fixture
    def seed_engine(engine: AsyncEngine) -> AsyncEngine:
        return engine

    @pytest.fixture
    def seed_session(session: AsyncSession) -> AsyncSession:
        return session  # emptied after each test by the shared fixtures

else:

    @pytest.fixture
    async def seed_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/t.db")  # foreign keys on, see create_engine
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        yield engine
        await engine.dispose()

    @pytest.fixture
    async def seed_session(seed_engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
        async with create_sessionmaker(seed_engine)() as session:
            yield session
