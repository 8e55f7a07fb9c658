"""What one update of the workout costs the database, counted (not timed): a typed set and a tapped ✓.

Issue #14 asks for at most 5 SQL statements for each, counting the update's inbox row (admission and
"handled" mark) and its persisted state; transaction control (SQLite's BEGIN IMMEDIATE, savepoints) is
not counted, as PostgreSQL's driver sends it outside the cursor. The five: the inbox's admission, one
query for the user and the workout (bot.services.workout_views.load_user_view), the set's INSERT, its
summary's UPDATE, the inbox's "handled" mark. The conversation state is not read again in polling
(bot.persistence: exclusive mode) and not written when it did not change; catalog and history facts
come from the process's caches (bot.services.catalog_cache, bot.services.history_cache).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.sandbox import SandboxUser
from bot.update_processor import PerChatUpdateProcessor
from tests.e2e.test_workout import clock, offer, sets_of, trainee  # noqa: F401 - fixtures

TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
TYPED_SET_MAX = 5
BUTTON_MAX = 5


@contextmanager
def counted(engine: AsyncEngine) -> Iterator[list[str]]:
    """The SQL statements the engine runs meanwhile (transaction control left out)."""
    seen: list[str] = []

    def listen(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip()[:9].upper().startswith(TRANSACTION_CONTROL):
            seen.append(" ".join(statement.split())[:120])

    event.listen(engine.sync_engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", listen)


async def quiet(bot_app: BotApplication) -> None:
    """Until the update is done with: handled, its state written, its inbox row marked."""
    processor = bot_app.update_processor
    assert isinstance(processor, PerChatUpdateProcessor)
    await processor.wait_quiet()


async def test_a_typed_set_and_a_tapped_set_cost_few_statements(
    alice: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],  # noqa: F811
    engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    sid = trainee["session_id"]
    await offer(bot_app, alice, sid)
    await alice.press("▶ Start")
    await alice.send("w 40x10")  # the exercise's first set creates its summary row: not the steady state
    await quiet(bot_app)

    with counted(engine) as typed:
        replies = await alice.send("60x5")
        await quiet(bot_app)
    assert len(replies) == 1 and replies[0].text.startswith("✅ Logged 60×5")
    assert len(typed) <= TYPED_SET_MAX, typed
    assert any(s.startswith("INSERT INTO user_exercise_set") for s in typed)

    with counted(engine) as tapped:
        await alice.press("✓ 60×5")
        await quiet(bot_app)
    assert alice.callback_answers[-1].text == "✅ Logged"
    assert len(tapped) <= BUTTON_MAX, tapped

    # what the user saw is what the database holds
    logged = [
        (number, reps, str(weight), warm)
        for number, reps, weight, _, warm in await sets_of(session_factory, sid)
    ]
    assert logged == [(1, 10, "40.00", True), (2, 5, "60.00", False), (3, 5, "60.00", False)]
    # the steady state reads the user, the workout and the state in one query each update
    assert sum(s.startswith("SELECT app_user.") for s in typed) == 1
    assert not any(s.startswith("SELECT bot_persistence") for s in typed)
