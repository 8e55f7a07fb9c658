"""Coaching: which trainees need attention, and why.

The rules (`attention_flags`, a pure function of a trainee's figures):

- no workout in 5 days (or none yet);
- 14-day adherence under 60% (when anything was scheduled);
- soreness 8 or more in the last two rated workouts in a row;
- a stalled lift (bot.services.stalls), any exercise done in the last 8 weeks.

`recent_soreness` reads the last two soreness ratings of many trainees in one statement. Free of
Telegram; never commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import UserWorkoutSession

IDLE_AFTER: Final = timedelta(days=5)
ADHERENCE_BELOW: Final = 60
SORE_FROM: Final = 8
SORE_IN_A_ROW: Final = 2
STALL_LOOKBACK: Final = timedelta(weeks=8)


class FlagKind(StrEnum):
    IDLE = "idle"
    ADHERENCE = "adherence"
    SORENESS = "soreness"
    STALLED = "stalled"


@dataclass(frozen=True, slots=True)
class AttentionFlag:
    kind: FlagKind
    days: int | None = None  # IDLE: days since the last workout (None: never)
    percent: int | None = None  # ADHERENCE
    soreness: tuple[int, ...] = ()  # SORENESS: the ratings, newest first
    lifts: tuple[str, ...] = ()  # STALLED: the exercises' names


def attention_flags(
    *,
    now: datetime,
    last_workout: datetime | None,
    adherence: int | None,
    soreness: Sequence[int],
    stalled: Sequence[str],
) -> tuple[AttentionFlag, ...]:
    """Every reason a trainee needs attention, in a fixed order. `soreness` holds the last soreness
    ratings, newest first; `stalled` the names of the stalled lifts."""
    flags: list[AttentionFlag] = []
    if last_workout is None:
        flags.append(AttentionFlag(FlagKind.IDLE))
    elif now - last_workout >= IDLE_AFTER:
        flags.append(AttentionFlag(FlagKind.IDLE, days=(now.date() - last_workout.date()).days))
    if adherence is not None and adherence < ADHERENCE_BELOW:
        flags.append(AttentionFlag(FlagKind.ADHERENCE, percent=adherence))
    recent = tuple(soreness[:SORE_IN_A_ROW])
    if len(recent) == SORE_IN_A_ROW and all(value >= SORE_FROM for value in recent):
        flags.append(AttentionFlag(FlagKind.SORENESS, soreness=recent))
    if stalled:
        flags.append(AttentionFlag(FlagKind.STALLED, lifts=tuple(stalled)))
    return tuple(flags)


async def recent_soreness(session: AsyncSession, user_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[int]]:
    """The soreness ratings of each user's last two rated, completed workouts, newest first."""
    if not user_ids:
        return {}
    rank = (
        func.row_number()
        .over(
            partition_by=UserWorkoutSession.user_id,
            order_by=(UserWorkoutSession.completed_at.desc(), UserWorkoutSession.id),
        )
        .label("rank")
    )
    rated = (
        select(UserWorkoutSession.user_id, UserWorkoutSession.soreness_rating, rank)
        .where(
            UserWorkoutSession.user_id.in_(list(user_ids)),
            UserWorkoutSession.session_status == SessionStatus.COMPLETED,
            UserWorkoutSession.completed_at.is_not(None),
            UserWorkoutSession.soreness_rating.is_not(None),
            UserWorkoutSession.is_active.is_(True),
        )
        .subquery()
    )
    rows = await session.execute(
        select(rated.c.user_id, rated.c.soreness_rating)
        .where(rated.c.rank <= SORE_IN_A_ROW)
        .order_by(rated.c.user_id, rated.c.rank)
    )
    found: dict[uuid.UUID, list[int]] = {}
    for user_id, value in rows:
        found.setdefault(user_id, []).append(int(value))
    return found
