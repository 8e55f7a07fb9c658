"""Fixtures of the database tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.session import create_engine


@pytest.fixture
async def scratch_engine(database_url: str, tmp_path: Any) -> AsyncIterator[AsyncEngine]:
    """An empty database of the same kind as the test database: a new file or a new schema."""
    if database_url.startswith("sqlite"):
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/scratch.db")
        yield engine
        await engine.dispose()
        return
    schema = f"migr_{uuid.uuid4().hex[:10]}"
    admin = create_engine(database_url)
    async with admin.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = create_engine(database_url, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        await admin.dispose()
