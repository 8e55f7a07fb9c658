"""An exercise swapped for another in one workout session (bot.services.exercise_swap)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, uuid_pk


class SessionExerciseSwap(Base):
    """In session `session_id`, the program's instruction `original_instruction_id` is replaced by
    `replacement_instruction_id` (an ad-hoc instruction of the user's, workout_id NULL, carrying the
    original's prescription). The original stays untouched in the program; the session's view shows the
    replacement in its place. Rows go with their session (or either instruction)."""

    __tablename__ = "session_exercise_swap"
    __table_args__ = (
        UniqueConstraint("session_id", "original_instruction_id", name="uq_session_exercise_swap_original"),
        UniqueConstraint(
            "session_id", "replacement_instruction_id", name="uq_session_exercise_swap_replacement"
        ),
    )

    id: Mapped[uuid_pk]
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), nullable=False
    )
    original_instruction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise_instruction.id", ondelete="CASCADE"), nullable=False, index=True
    )
    replacement_instruction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise_instruction.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[created_ts]
