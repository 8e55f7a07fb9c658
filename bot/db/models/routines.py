"""A routine shared by a coach with a trainee (bot.services.routines)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts


class RoutineShare(Base):
    """The coach's routine `workout_id` (a workout with owner_id set) is shared with `trainee_id`: the
    trainee sees it in /routines (while the coach-trainee link is ACTIVE), may start it or save a copy,
    never change it. Rows go with the routine or the trainee."""

    __tablename__ = "routine_share"
    __table_args__ = (Index("idx_routine_share_trainee", "trainee_id"),)

    workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workout.id", ondelete="CASCADE"), primary_key=True
    )
    trainee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[created_ts]
