"""Translations of a program's texts into the bot's other languages (the program format's `translations`)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, uuid_pk


class ProgramTranslation(Base):
    """A program's name, description, notes, stall remedy, schedule notes, phases and workouts in one
    language (`ru`).

    `workouts` maps a workout's id (as text) to its translated texts: {"name": ..., "description": ...}.
    A text left out (None) is shown in the program's own language.
    """

    __tablename__ = "program_translation"
    __table_args__ = (
        UniqueConstraint("program_id", "language", name="uq_program_translation_language"),
        CheckConstraint("language IN ('ru')", name="language_known"),
        CheckConstraint("name IS NULL OR length(name) >= 1", name="name_not_empty"),
        CheckConstraint("length(description) <= 2000", name="description_length"),
        CheckConstraint("length(notes) <= 2000", name="notes_length"),
    )

    id: Mapped[uuid_pk]
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), nullable=False
    )
    language: Mapped[str] = mapped_column(String(8), nullable=False)
    name: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    stall_remedy: Mapped[str | None] = mapped_column(Text)
    schedule_notes: Mapped[str | None] = mapped_column(Text)
    phases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, nullable=False, default=list)
    """The program's phases in their order: [{"name": ..., "description": ...}] (or none)."""
    workouts: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[created_ts]
