"""Sticky notes: one note per user and exercise ("seat at 4, grip 2 fingers out"), shown wherever the
exercise comes up (the workout's card, /progress, /history). Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import User, UserExerciseNote
from bot.db.models.notes import NOTE_LIMIT
from bot.i18n import _
from bot.services import history_cache
from bot.services.errors import DomainError

CLEAR_WORDS = frozenset({"clear", "delete", "remove", "-"})
"""Typed instead of a note: removes it."""


class NoteTooLong(DomainError):
    """More than NOTE_LIMIT characters."""


async def note_for(session: AsyncSession, user: User, exercise_id: uuid.UUID) -> str | None:
    cached = history_cache.get(session, user.id, "note", (exercise_id, None))
    if cached is not history_cache.MISSING:
        note: str | None = cached
        return note
    found: str | None = await session.scalar(
        select(UserExerciseNote.note).where(
            UserExerciseNote.user_id == user.id, UserExerciseNote.exercise_id == exercise_id
        )
    )
    history_cache.put(session, user.id, "note", (exercise_id, None), found)
    return found


async def notes_for(
    session: AsyncSession, user: User, exercise_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, str]:
    """The user's notes on these exercises, by exercise id (those without one are left out)."""
    ids = list(set(exercise_ids))
    if not ids:
        return {}
    rows = await session.execute(
        select(UserExerciseNote.exercise_id, UserExerciseNote.note).where(
            UserExerciseNote.user_id == user.id, UserExerciseNote.exercise_id.in_(ids)
        )
    )
    return {row.exercise_id: row.note for row in rows}


def check_note(text: str) -> str:
    """The note as stored: trimmed, at most NOTE_LIMIT characters; empty means "clear"."""
    note = text.strip()
    if len(note) > NOTE_LIMIT:
        raise NoteTooLong(
            _(
                "That note has {length} characters; a note holds at most {limit}. "
                "Shorten it and send it again."
            ).format(length=len(note), limit=NOTE_LIMIT)
        )
    return note


def means_clear(text: str) -> bool:
    return text.strip().lower() in CLEAR_WORDS


async def set_note(
    session: AsyncSession, user: User, exercise_id: uuid.UUID, text: str, now: datetime
) -> str | None:
    """Write (or replace) the note; an empty text removes it. The note as stored, or None."""
    note = check_note(text)
    if not note:
        await clear_note(session, user, exercise_id)
        return None
    await history_cache.bump(session, user)
    row = await session.scalar(
        select(UserExerciseNote)
        .where(UserExerciseNote.user_id == user.id, UserExerciseNote.exercise_id == exercise_id)
        .with_for_update()
    )
    if row is None:
        try:
            async with session.begin_nested():
                session.add(
                    UserExerciseNote(
                        user_id=user.id, exercise_id=exercise_id, note=note, created_at=now, updated_at=now
                    )
                )
            return note
        except IntegrityError:  # written meanwhile by another update of the same user: replace it
            row = await session.scalar(
                select(UserExerciseNote).where(
                    UserExerciseNote.user_id == user.id, UserExerciseNote.exercise_id == exercise_id
                )
            )
            if row is None:
                raise
    row.note = note
    row.updated_at = now
    await session.flush()
    return note


async def clear_note(session: AsyncSession, user: User, exercise_id: uuid.UUID) -> bool:
    """Remove the note; whether there was one."""
    await history_cache.bump(session, user)
    result = await session.execute(
        delete(UserExerciseNote).where(
            UserExerciseNote.user_id == user.id, UserExerciseNote.exercise_id == exercise_id
        )
    )
    return bool(getattr(result, "rowcount", 0))
