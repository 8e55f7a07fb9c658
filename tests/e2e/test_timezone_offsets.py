"""A typed UTC offset in the time zone step: the zones that have it now (by population), or a fixed one.

UTC+2 is Johannesburg and Cairo all year, Berlin only in summer; a fixed UTC+2 has no daylight saving.
The bot asks instead of guessing, and says why; nothing is saved until the user picks.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.models import User
from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock

SUMMER = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
def clock() -> Clock:
    return Clock(SUMMER)


async def zone_of(factory: Factory, telegram_id: int) -> str:
    async with factory() as session:
        zone = await session.scalar(select(User.timezone).where(User.telegram_id == telegram_id))
    assert zone is not None
    return zone


async def test_utc_plus_2_offers_the_zones_that_have_it_now(
    alice: SandboxUser, session_factory: Factory
) -> None:
    await alice.send("/start")
    before = await zone_of(session_factory, alice.user_id)
    await alice.send("UTC+2")
    text = alice.last_text
    assert "UTC+2 is the time right now in Berlin (summer time), Johannesburg, Madrid (summer time)" in text
    assert "follows daylight saving time" in text and "never changes" in text
    assert alice.buttons() == [
        ["Berlin · Europe/Berlin"],
        ["Johannesburg · Africa/Johannesburg"],
        ["Madrid · Europe/Madrid"],
        ["Rome · Europe/Rome"],
        ["Paris · Europe/Paris"],
        ["Fixed UTC+2 (no daylight saving)"],
    ]
    assert await zone_of(session_factory, alice.user_id) == before  # nothing saved yet
    await alice.press("Johannesburg · Africa/Johannesburg")
    assert "Time zone: Africa/Johannesburg (UTC+02:00)" in " ".join(m.content for m in alice.messages[-2:])
    assert await zone_of(session_factory, alice.user_id) == "Africa/Johannesburg"


async def test_the_fixed_offset_is_still_available(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    await alice.send("gmt-5")
    assert alice.buttons()[0] == ["Chicago · America/Chicago"]  # CDT in July
    await alice.press("Fixed UTC-5 (no daylight saving)")
    assert await zone_of(session_factory, alice.user_id) == "Etc/GMT+5"


async def test_a_half_hour_offset_has_no_fixed_zone(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    await alice.send("+5:30")
    assert "No fixed zone exists for UTC+5:30" in alice.last_text
    assert alice.buttons() == [["Mumbai · Asia/Kolkata"], ["Colombo · Asia/Colombo"]]
    await alice.send("Colombo")  # typing a city still works at this point
    assert await zone_of(session_factory, alice.user_id) == "Asia/Colombo"


async def test_impossible_offsets_are_refused(alice: SandboxUser, session_factory: Factory) -> None:
    await alice.send("/start")
    before = await zone_of(session_factory, alice.user_id)
    await alice.send("UTC+5:15")
    assert "No time zone is at UTC+5:15" in alice.last_text
    assert await zone_of(session_factory, alice.user_id) == before
    await alice.send("UTC+0")  # no daylight saving question for UTC itself
    assert "Time zone: UTC" in alice.last_text
