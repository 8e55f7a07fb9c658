"""exercise swap: an exercise of a workout swapped for another in one session (bot.services.exercise_swap).

One new table, `session_exercise_swap` (the seed's tables are untouched):

- id UUID primary key;
- session_id -> user_workout_session.id ON DELETE CASCADE;
- original_instruction_id -> exercise_instruction.id ON DELETE CASCADE (the program's instruction
  replaced for this session; indexed);
- replacement_instruction_id -> exercise_instruction.id ON DELETE CASCADE (the user's ad-hoc instruction,
  workout_id NULL, carrying the original's prescription; indexed);
- created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
- UNIQUE (session_id, original_instruction_id) and UNIQUE (session_id, replacement_instruction_id).

Only a CREATE TABLE. The downgrade drops it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 22:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "session_exercise_swap",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("original_instruction_id", sa.Uuid(), nullable=False),
        sa.Column("replacement_instruction_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_session_exercise_swap_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["original_instruction_id"],
            ["exercise_instruction.id"],
            name=op.f("fk_session_exercise_swap_original_instruction_id_exercise_instruction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["replacement_instruction_id"],
            ["exercise_instruction.id"],
            name=op.f("fk_session_exercise_swap_replacement_instruction_id_exercise_instruction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_exercise_swap")),
        sa.UniqueConstraint(
            "session_id", "original_instruction_id", name="uq_session_exercise_swap_original"
        ),
        sa.UniqueConstraint(
            "session_id", "replacement_instruction_id", name="uq_session_exercise_swap_replacement"
        ),
    )
    op.create_index(
        op.f("ix_session_exercise_swap_original_instruction_id"),
        "session_exercise_swap",
        ["original_instruction_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_session_exercise_swap_replacement_instruction_id"),
        "session_exercise_swap",
        ["replacement_instruction_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_session_exercise_swap_replacement_instruction_id"), table_name="session_exercise_swap"
    )
    op.drop_index(
        op.f("ix_session_exercise_swap_original_instruction_id"), table_name="session_exercise_swap"
    )
    op.drop_table("session_exercise_swap")
