"""Workouts imported from another app's CSV export (bot.services.importing), one row per workout."""

from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, uuid_pk
from bot.db.enums import ImportSource, db_enum


class WorkoutImport(Base):
    """The workout `source_key` of the user's `source` app is the session `session_id`.

    The key is what makes an import idempotent: a file sent twice (or a later export that repeats older
    workouts) adds only the workouts whose key is new. The key is the workout's local start as the app
    wrote it, with its name (bot.services.importing.parser). Deleting the session deletes the row, so a
    workout deleted in /history can be imported again.
    """

    __tablename__ = "workout_import"
    __table_args__ = (
        UniqueConstraint("user_id", "source", "source_key", name="uq_workout_import_source_key"),
        CheckConstraint("length(source_key) >= 1", name="source_key_not_empty"),
        CheckConstraint("length(file_digest) = 64", name="file_digest_sha256"),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    source: Mapped[ImportSource] = mapped_column(db_enum(ImportSource, "import_source"), nullable=False)
    source_key: Mapped[str] = mapped_column(String(200), nullable=False)
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), nullable=False, unique=True
    )
    file_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    """SHA-256 (hex) of the file the workout came from."""
    created_at: Mapped[created_ts]
