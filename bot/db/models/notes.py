"""A trainee's sticky note on an exercise ("seat at 4, grip 2 fingers out"), shown wherever it comes up."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, updated_ts, uuid_pk

NOTE_LIMIT = 500
"""Characters a note may hold (the table's CHECK says the same)."""


class UserExerciseNote(Base):
    """One note per user and exercise; it goes with the user (or the exercise)."""

    __tablename__ = "user_exercise_note"
    __table_args__ = (
        UniqueConstraint("user_id", "exercise_id", name="uq_user_exercise_note"),
        CheckConstraint(f"length(note) >= 1 AND length(note) <= {NOTE_LIMIT}", name="note_length"),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise.id", ondelete="CASCADE"), nullable=False, index=True
    )
    note: Mapped[str] = mapped_column(Text(), nullable=False)
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
