"""exercise notes: a trainee's sticky note per exercise (bot.db.models.UserExerciseNote).

One new table, `user_exercise_note`:

- id UUID primary key;
- user_id -> app_user.id ON DELETE CASCADE (a note goes with its user; /deleteme also deletes them);
- exercise_id -> exercise.id ON DELETE CASCADE (indexed, for the cascade);
- note TEXT NOT NULL, CHECK 1 <= length(note) <= 500 (a cleared note is a deleted row);
- created_at, updated_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
- UNIQUE (user_id, exercise_id): one note per user and exercise.

Only a CREATE TABLE: nothing existing is touched. The downgrade drops it.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_exercise_note",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "length(note) >= 1 AND length(note) <= 500", name=op.f("ck_user_exercise_note_note_length")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_exercise_note_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercise.id"],
            name=op.f("fk_user_exercise_note_exercise_id_exercise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_exercise_note")),
        sa.UniqueConstraint("user_id", "exercise_id", name="uq_user_exercise_note"),
    )
    op.create_index(
        op.f("ix_user_exercise_note_exercise_id"), "user_exercise_note", ["exercise_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_user_exercise_note_exercise_id"), table_name="user_exercise_note")
    op.drop_table("user_exercise_note")
