"""program translation: a program's texts in the bot's other languages (the program format's `translations`).

One new table, `program_translation` (the seed's tables are untouched; bot.services.seed.programs):
- id UUID primary key;
- program_id -> program.id ON DELETE CASCADE;
- language VARCHAR(8) NOT NULL, CHECK (language IN ('ru'));
- name VARCHAR(100), description TEXT (<= 2000), notes TEXT (<= 2000), stall_remedy TEXT, schedule_notes
  TEXT: NULL where the program's own text is shown;
- phases JSON NOT NULL: the phases in order, [{"name": ..., "description": ...}] (or []);
- workouts JSON NOT NULL: workout id -> {"name": ..., "description": ...};
- created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now();
- UNIQUE (program_id, language).

Existing databases get their bundled programs' translations from `python -m bot seed` (seeding fills the
translations of a bundled program that has none). Catalog exercise names in other languages are bundled
data (exercises.yaml `names`), read in the process like the aliases: no table. The downgrade drops the table.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 03:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "program_translation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("stall_remedy", sa.Text(), nullable=True),
        sa.Column("schedule_notes", sa.Text(), nullable=True),
        sa.Column("phases", sa.JSON(), nullable=False),
        sa.Column("workouts", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("language IN ('ru')", name=op.f("ck_program_translation_language_known")),
        sa.CheckConstraint(
            "name IS NULL OR length(name) >= 1", name=op.f("ck_program_translation_name_not_empty")
        ),
        sa.CheckConstraint(
            "length(description) <= 2000", name=op.f("ck_program_translation_description_length")
        ),
        sa.CheckConstraint("length(notes) <= 2000", name=op.f("ck_program_translation_notes_length")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_translation_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_translation")),
        sa.UniqueConstraint("program_id", "language", name="uq_program_translation_language"),
    )


def downgrade() -> None:
    op.drop_table("program_translation")
