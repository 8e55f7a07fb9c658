"""Per-user facts about a workout's exercise that only change when the user's past changes, cached in
the process: the bests before this session (records and "did you mean" are checked against them), what
was done last time, and the user's sticky note on the exercise.

They are read for every set and every card of the workout otherwise, and stay the same from one set to
the next: only an edit of the user's history (bot.services.history), a set added to a finished workout,
or a note written or cleared changes them. Each of those calls `bump` in its own transaction, which
stores a new random token in the ``bot_persistence`` row (``history``, Telegram id). The workout's one
query (bot.services.workout_views.load_user_view) reads that token along with the user; `check` drops
the user's entries when it differs from the one they were cached under, so an edit made in another
process is seen at the user's next update. Outside a transaction that has checked the token, nothing is
served from the cache.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Final

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.base import utcnow
from bot.db.models import User
from bot.db.models.state import BotState

KIND: Final = "history"
MAX_USERS: Final = 10_000
"""Users whose entries are kept (least recently checked dropped first)."""
_CHECKED: Final = "history_cache_checked"
"""session.info: the user whose token this transaction has checked."""
_MISSING: Final = object()


@dataclass
class _UserEntries:
    token: object
    facts: dict[tuple[str, uuid.UUID, uuid.UUID | None], object] = field(default_factory=dict)


_USERS: OrderedDict[uuid.UUID, _UserEntries] = OrderedDict()


@cache
def token_column() -> Any:
    """The user's token as a scalar subquery (bind parameter ``history_key``: the Telegram id as text)."""
    return (
        select(BotState.data)
        .where(BotState.kind == KIND, BotState.key == bindparam("history_key"))
        .scalar_subquery()
        .label("history_token")
    )


def key_of(telegram_id: int) -> str:
    return str(telegram_id)


def check(session: AsyncSession, user_id: uuid.UUID, token: object) -> None:
    """The user's token as this transaction read it: entries cached under another one are dropped, and
    the cache serves this user for the rest of the transaction."""
    entries = _USERS.get(user_id)
    if entries is None or entries.token != token:
        _USERS[user_id] = _UserEntries(token)
    _USERS.move_to_end(user_id)
    while len(_USERS) > MAX_USERS:
        _USERS.popitem(last=False)
    session.info[_CHECKED] = user_id


def get(session: AsyncSession, user_id: uuid.UUID, kind: str, key: tuple[uuid.UUID, uuid.UUID | None]) -> Any:
    """The cached fact, or `MISSING` (also when this transaction has not checked the user's token)."""
    if session.info.get(_CHECKED) != user_id:
        return _MISSING
    entries = _USERS.get(user_id)
    if entries is None:
        return _MISSING
    return entries.facts.get((kind, *key), _MISSING)


def put(
    session: AsyncSession,
    user_id: uuid.UUID,
    kind: str,
    key: tuple[uuid.UUID, uuid.UUID | None],
    value: object,
) -> None:
    if session.info.get(_CHECKED) != user_id:
        return
    entries = _USERS.get(user_id)
    if entries is not None:
        entries.facts[(kind, *key)] = value


MISSING: Final = _MISSING


@cache
def _bump_statement(dialect: str) -> Any:
    native_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = native_insert(BotState).values(
        kind=KIND, key=bindparam("key"), data=bindparam("token"), updated_at=bindparam("now")
    )
    return statement.on_conflict_do_update(
        index_elements=[BotState.kind, BotState.key],
        set_={"data": statement.excluded["data"], "updated_at": statement.excluded["updated_at"]},
    )


async def bump(session: AsyncSession, user: User) -> None:
    """The user's history or notes changed (in the caller's transaction): every process drops what it
    cached for them at their next update."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    parameters = {"key": key_of(user.telegram_id), "token": uuid.uuid4().hex, "now": utcnow()}
    await session.execute(_bump_statement(dialect), parameters)
    _USERS.pop(user.id, None)
    session.info.pop(_CHECKED, None)


def forget_all() -> None:
    """Drop every entry (tests)."""
    _USERS.clear()


__all__ = ["MISSING", "bump", "check", "get", "put", "token_column"]
