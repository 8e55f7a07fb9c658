"""kill -9 under load, bounded: the bot in its own process, killed 5 times while trainees type sets.

Every update acknowledged to the emulator is handled exactly once: each set typed is stored once, none
is lost, none stored twice, nothing is left unacknowledged or unhandled. The long form (40 kills, both
databases, and the bot without its inbox for comparison) is `python -m bench.kill_loop`.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.kill_loop import run_kill_loop


async def test_sets_typed_while_the_bot_is_killed_are_stored_exactly_once(
    database_url: str, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    result = await run_kill_loop(database_url, trainees=3, kills=5, seed=5)
    assert result.inputs >= 30  # the load went on across the kills
    assert (result.lost, result.twice) == (0, 0)
    assert (result.unacknowledged, result.unhandled_inbox) == (0, 0)
