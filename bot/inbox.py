"""The durable inbox: no update Telegram was told we have is lost, and none is handled twice.

Telegram forgets an update once the bot acknowledges it: polling acknowledges a batch with the next
getUpdates' ``offset``, a webhook with its 200 answer. Before either, the update is written to the
``update_inbox`` table (bot.db.models.InboxUpdate), keyed by ``update_id``:

* **Admission** (`Inbox.admit`): one ``INSERT ... ON CONFLICT (update_id) DO NOTHING RETURNING update_id``
  per polled batch (per webhook request), autocommitted (one statement needs no BEGIN/COMMIT). Only
  the updates it returns are new; the others are redeliveries (Telegram retries a webhook after a
  timeout; a restarted poller fetches again what it had not acknowledged) and are dropped: the dedup
  holds across restarts and processes. (A digest of the content tells a redelivery from a new update
  that reuses an old, handled id.)
* **Handled** (`mark_handled`): the handler's own transaction sets ``handled_at`` (and drops the
  payload) as its last statement, so "the set is stored" and "the update is handled" commit together.
  An update whose handlers wrote nothing (or failed) is marked right after it was handled
  (`Inbox.finish`, one autocommitted UPDATE). Either way one statement per update.
* **Restart** (`Inbox.pending`): the rows without ``handled_at`` - taken but not handled when the
  process died - are handled first, in update_id order, before new updates are fetched.
* **Several processes** (bot.cluster): each row also records its chat (``chat_key``) and the worker id
  of the process that admitted it (``owner``); `pending` then takes only the rows of processes that are
  gone, and `adopt` takes over those a waiting update finds before it in its chat.
* **Pruning**: handled rows older than `KEEP_HANDLED` are deleted (Telegram keeps an unacknowledged
  update for 24 hours, so a redelivery cannot come later than that).

The exactly-once guarantee is for the database: a kill between a reply and its commit means the
update is handled again after the restart (the user may see the reply twice, the set is stored once).
If two processes ever handle the same inbox row (a webhook process restarting while another one still
handles what it had admitted), the second handler's ``mark_handled`` finds the row handled and its
transaction is rolled back (`UpdateAlreadyHandled`, which stops the update's handlers quietly).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Final, cast

from sqlalchemy import CursorResult, Delete, Insert, and_, bindparam, delete, null, select, update
from sqlalchemy import Update as UpdateStatement
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from telegram import Bot, Update
from telegram.ext import ApplicationHandlerStop

from bot.db.base import utcnow
from bot.db.models.inbox import DIGEST_LENGTH, InboxUpdate
from bot.db.session import single_read_options

log = logging.getLogger(__name__)

KEEP_HANDLED: Final = timedelta(hours=48)
"""How long a handled update's id is kept to recognise a redelivery (Telegram keeps updates 24 h)."""
PRUNE_EVERY: Final = 600.0
"""Seconds between two deletions of old handled rows (done along with an admission)."""
DIALECTS: Final = frozenset({"postgresql", "sqlite"})


class UpdateAlreadyHandled(ApplicationHandlerStop):
    """Another process handled this update first: the handler's transaction is rolled back and the
    update's remaining handlers are skipped (an ApplicationHandlerStop: no error handler, no apology)."""


@dataclass(slots=True)
class Ticket:
    """An update this process took from the inbox, while it is being handled."""

    update_id: int
    marked: bool = False
    """``handled_at`` was set in the handler's transaction (`mark_handled`)."""


_TICKET: ContextVar[Ticket | None] = ContextVar("inbox_ticket", default=None)
"""The inbox ticket of the update the current task handles (set by the update processor)."""


def current_ticket() -> Ticket | None:
    return _TICKET.get()


async def mark_handled(session: AsyncSession) -> None:
    """Mark the update this task is handling as handled, in ``session``'s transaction.

    The hook for the handler's unit of work: call it as the last statement before the commit (bot.context
    does for every ``context.db()``). The first call for an update writes; later ones, and calls outside
    an update (jobs, tests), do nothing. If another process marked the row first, raises
    `UpdateAlreadyHandled`, which rolls the transaction back.
    """
    ticket = _TICKET.get()
    if ticket is None or ticket.marked:
        return
    ticket.marked = True  # also if the commit fails: nothing was stored, the next start handles it again
    result = cast(
        CursorResult[Any],
        await session.execute(_mark_statement(), {"id": ticket.update_id, "now": utcnow()}),
    )
    if result.rowcount == 0:
        log.warning("update %d was handled by another process: rolled back", ticket.update_id)
        raise UpdateAlreadyHandled


class Inbox:
    """The ``update_inbox`` table as the bot's intake uses it (see the module docstring)."""

    def __init__(self, engine: AsyncEngine, *, clock: Callable[[], datetime] = utcnow) -> None:
        if engine.dialect.name not in DIALECTS:
            raise ValueError(f"the update inbox supports {sorted(DIALECTS)}, not {engine.dialect.name}")
        self._engine = engine
        self._clock = clock
        self._autocommit = single_read_options(engine)  # one statement: no BEGIN/COMMIT around it
        self._open: set[int] = set()
        """Updates admitted or drained by this process and not finished yet."""
        self._pruned_at: float | None = None
        self.owner: int | None = None
        """This process's worker id, written in the rows it admits (bot.cluster; None: one process)."""
        self.alive: Callable[[int], Awaitable[bool]] | None = None
        """With several processes (bot.cluster): whether a worker id's process still runs; `pending` then
        takes only rows whose process is gone."""

    # ------------------------------------------------------------------------------------------ intake

    async def admit(
        self, updates: Sequence[Update], payloads: Sequence[dict[str, Any]] | None = None
    ) -> list[Update]:
        """Store the updates (one statement); return the ones not seen before, in order.

        `payloads`: the updates' JSON as Telegram sent it (the getUpdates result, the webhook's body), in
        the same order; stored as it is instead of being rebuilt from the objects (``Update.to_dict``
        costs about as much as parsing the update did). Ignored unless it matches `updates` id for id.

        Must complete before Telegram is told the updates arrived. Raises if the database is
        unreachable: then nothing is acknowledged and Telegram delivers the updates again.
        """
        if not updates:
            return []
        now = self._clock()
        raw = _matching(updates, payloads)
        rows = []
        for index, item in enumerate(updates):
            payload = raw[index] if raw is not None else item.to_dict()
            rows.append(
                {
                    "update_id": item.update_id,
                    "digest": digest(payload),
                    "payload": payload,
                    "received_at": now,
                    "chat_key": chat_key(item),
                    "owner": self.owner,
                }
            )
        async with self._engine.connect() as connection:  # one statement: atomic without BEGIN/COMMIT
            connection = await connection.execution_options(**self._autocommit)
            result = await connection.execute(_admit_statement(connection.dialect.name), rows)
            fresh = set(result.scalars())
            await connection.commit()
        if self._prune_due():
            try:
                await self.prune()
            except Exception:  # pruning can wait for the next round; the updates are stored
                log.exception("could not prune the update inbox")
        admitted = [item for item in updates if item.update_id in fresh]
        self._open.update(item.update_id for item in admitted)
        if len(admitted) < len(updates):
            log.info("skipped %d update(s) delivered again", len(updates) - len(admitted))
        return admitted

    async def pending(self, bot: Bot) -> list[Update]:
        """The updates taken but not handled before (a previous process died), oldest first.

        Rows this process is handling already are left out. A row that is no longer a valid update is
        marked handled (and logged) so it cannot block every start.
        """
        async with self._engine.connect() as connection:
            connection = await connection.execution_options(**self._autocommit)
            rows = (
                await connection.execute(
                    select(InboxUpdate.update_id, InboxUpdate.payload, InboxUpdate.owner)
                    .where(InboxUpdate.handled_at.is_(None))
                    .order_by(InboxUpdate.update_id)
                )
            ).all()
        found: list[Update] = []
        owners: dict[int, bool] = {}
        for update_id, payload, owner in rows:
            if update_id in self._open:
                continue
            if self.alive is not None and owner is not None and owner != self.owner:
                if owner not in owners:
                    owners[owner] = await self.alive(owner)
                if owners[owner]:
                    continue  # another bot process runs and has it in hand
            try:
                item = parse_update(payload, bot)
            except Exception:
                log.exception("update %d in the inbox cannot be read: dropped", update_id)
                await self._mark(update_id)
                continue
            found.append(item)
            self._open.add(update_id)
        if found:
            log.info("handling %d update(s) taken before the last stop", len(found))
        return found

    def adopt(self, rows: Sequence[tuple[int, Any]], bot: Bot) -> list[Update]:
        """Updates of a bot process that died, taken over by this one (bot.cluster): (update_id,
        payload) rows, oldest first; a row that is no longer a valid update is left out (logged)."""
        found: list[Update] = []
        for update_id, payload in rows:
            try:
                item = parse_update(payload, bot)
            except Exception:
                log.exception("update %d in the inbox cannot be read: left out", update_id)
                continue
            self._open.add(update_id)
            found.append(item)
        return found

    def forget(self, update_id: int) -> None:
        """Another process handled this update: it is no longer in hand here."""
        self._open.discard(update_id)

    @property
    def open_ids(self) -> set[int]:
        """Update ids admitted or drained here and not finished yet (a live view)."""
        return self._open

    # ---------------------------------------------------------------------------------------- handling

    def open(self, update: object) -> Ticket | None:
        """The ticket for an update about to be handled, if it came through this inbox."""
        if isinstance(update, Update) and update.update_id in self._open:
            return Ticket(update.update_id)
        return None

    def enter(self, ticket: Ticket | None) -> object:
        """Make `ticket` the current task's (`mark_handled` reads it); returns a token for `leave`."""
        return _TICKET.set(ticket)

    def leave(self, token: object) -> None:
        _TICKET.reset(token)  # type: ignore[arg-type]

    async def finish(self, ticket: Ticket) -> None:
        """The update has been handled: mark it, unless its handler's transaction did already."""
        try:
            if not ticket.marked:
                ticket.marked = True
                await self._mark(ticket.update_id)
        except Exception:  # the next start handles it again; the database's own error is the news
            log.exception("could not mark update %d handled", ticket.update_id)
        finally:
            self._open.discard(ticket.update_id)

    @property
    def open_count(self) -> int:
        """Updates admitted or drained here and not finished yet."""
        return len(self._open)

    async def _mark(self, update_id: int) -> None:
        async with self._engine.connect() as connection:
            connection = await connection.execution_options(**self._autocommit)
            await connection.execute(_mark_statement(), {"id": update_id, "now": self._clock()})
            await connection.commit()

    # ----------------------------------------------------------------------------------------- pruning

    def _prune_due(self) -> bool:
        now = time.monotonic()
        if self._pruned_at is not None and now - self._pruned_at < PRUNE_EVERY:
            return False
        self._pruned_at = now
        return True

    async def prune(self) -> int:
        """Delete handled rows older than `KEEP_HANDLED`; the number deleted."""
        async with self._engine.begin() as connection:
            result = cast(
                CursorResult[Any],
                await connection.execute(_prune_statement(), {"before": self._clock() - KEEP_HANDLED}),
            )
        return result.rowcount


UNPARSED_BUTTON_MESSAGE_FIELDS: Final = frozenset({"entities", "caption_entities"})
"""Fields of the message under a pressed button that the bot never reads and does not parse: its text's
formatting (a workout screen carries dozens of entities, and parsing them cost a tenth of the bot's CPU
per update). The message's text, chat, id and keyboard are parsed as usual; the inbox keeps the update
exactly as Telegram sent it."""


def parseable(payload: dict[str, Any]) -> dict[str, Any]:
    """The update's JSON as the bot parses it (`parse_update`): a callback query's message without the
    fields of `UNPARSED_BUTTON_MESSAGE_FIELDS`. `payload` itself is left as it is."""
    query = payload.get("callback_query")
    if not isinstance(query, dict):
        return payload
    message = query.get("message")
    if not isinstance(message, dict) or UNPARSED_BUTTON_MESSAGE_FIELDS.isdisjoint(message):
        return payload
    trimmed = {k: v for k, v in message.items() if k not in UNPARSED_BUTTON_MESSAGE_FIELDS}
    return {**payload, "callback_query": {**query, "message": trimmed}}


def parse_update(payload: dict[str, Any], bot: Bot | None) -> Update:
    """An Update from its JSON, the way every update of the bot is parsed (polled, posted to the webhook,
    drained from the inbox after a restart): see `parseable`."""
    return Update.de_json(parseable(payload), bot)


def _matching(
    updates: Sequence[Update], payloads: Sequence[dict[str, Any]] | None
) -> Sequence[dict[str, Any]] | None:
    """`payloads` if it holds exactly the JSON objects of `updates` (same ids, same order), else None."""
    if payloads is None or len(payloads) != len(updates):
        return None
    for item, payload in zip(updates, payloads, strict=True):
        if not isinstance(payload, dict) or payload.get("update_id") != item.update_id:
            return None
    return payloads


def chat_key(update: Update) -> int | None:
    """The key of an update's per-chat order: its chat's id, else its user's (None: neither)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


def digest(payload: dict[str, Any]) -> str:
    """A digest of an update's content: the same for a redelivery, another for a new update."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.blake2b(text.encode(), digest_size=DIGEST_LENGTH // 2).hexdigest()


@cache
def _admit_statement(dialect: str) -> Insert:
    """INSERT ... ON CONFLICT (update_id) DO NOTHING RETURNING update_id, run with one parameter set per
    update (SQLAlchemy sends them as one multi-row INSERT).

    Not quite nothing: a handled row whose digest differs is another update that reuses the id (Telegram
    may restart a bot's ids after a week without updates): it is taken as new.
    """
    native_insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = native_insert(InboxUpdate)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[InboxUpdate.update_id],
        set_={
            "digest": excluded.digest,
            "payload": excluded.payload,
            "received_at": excluded.received_at,
            "chat_key": excluded.chat_key,
            "owner": excluded.owner,
            "handled_at": null(),
        },
        where=and_(InboxUpdate.handled_at.is_not(None), InboxUpdate.digest != excluded.digest),
    ).returning(InboxUpdate.update_id)


@cache
def _mark_statement() -> UpdateStatement:
    """UPDATE ... SET handled_at, payload NULL WHERE update_id AND not handled; parameters id, now."""
    return (
        update(InboxUpdate)
        .where(InboxUpdate.update_id == bindparam("id"), InboxUpdate.handled_at.is_(None))
        .values(handled_at=bindparam("now", type_=InboxUpdate.__table__.c.handled_at.type), payload=null())
    )


@cache
def _prune_statement() -> Delete:
    """DELETE the rows handled before ``before``."""
    return delete(InboxUpdate).where(
        InboxUpdate.handled_at < bindparam("before", type_=InboxUpdate.__table__.c.handled_at.type)
    )
