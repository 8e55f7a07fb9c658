"""workout import: which imported workout (from a Strong, Hevy or FitNotes CSV) is which session.

One new table, `workout_import` (the seed's tables are untouched; bot.services.importing):

- id UUID primary key;
- user_id -> app_user.id ON DELETE CASCADE;
- source VARCHAR NOT NULL: STRONG, HEVY or FITNOTES (a named CHECK, as every enum column);
- source_key VARCHAR(200) NOT NULL (the workout's local start as the app wrote it, and its name);
- session_id -> user_workout_session.id ON DELETE CASCADE, UNIQUE;
- file_digest VARCHAR(64) NOT NULL: the SHA-256 of the file it came from;
- created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
- UNIQUE (user_id, source, source_key): importing the same workout twice adds nothing.

Only a CREATE TABLE. The downgrade drops it.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = ("STRONG", "HEVY", "FITNOTES")


def upgrade() -> None:
    op.create_table(
        "workout_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "source",
            sa.Enum(*SOURCES, name="import_source", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("source_key", sa.String(length=200), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("file_digest", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("length(source_key) >= 1", name=op.f("ck_workout_import_source_key_not_empty")),
        sa.CheckConstraint("length(file_digest) = 64", name=op.f("ck_workout_import_file_digest_sha256")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_workout_import_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_workout_import_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_import")),
        sa.UniqueConstraint("session_id", name=op.f("uq_workout_import_session_id")),
        sa.UniqueConstraint("user_id", "source", "source_key", name="uq_workout_import_source_key"),
    )


def downgrade() -> None:
    op.drop_table("workout_import")
