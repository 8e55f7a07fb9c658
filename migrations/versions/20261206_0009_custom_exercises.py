"""custom exercises: exercise.owner_id, and names unique per owner instead of globally.

A user's own exercise is an `exercise` row with `owner_id` set (only they see it; deleted with them). The
global unique constraint on `name` becomes two partial unique indexes: `uq_exercise_catalog_name` (name)
WHERE owner_id IS NULL for the catalog, and `uq_exercise_owner_name` (owner_id, lower(name)) WHERE
owner_id IS NOT NULL, so two users may each have a "Cable fly" but one user only one, in any case. That a
user's name differs from every catalog name is checked by bot.services.custom_exercises. `code` stays
globally unique (own exercises get generated codes). SQLite changes the table through batch mode.
The downgrade deletes the users' own exercises (and what refers to them) before restoring the constraint.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATALOG = sa.text("owner_id IS NULL")
OWN = sa.text("owner_id IS NOT NULL")


def upgrade() -> None:
    with op.batch_alter_table("exercise") as batch:
        batch.add_column(sa.Column("owner_id", sa.Uuid(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_exercise_owner_id_app_user"), "app_user", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        batch.drop_constraint(op.f("uq_exercise_name"), type_="unique")
    op.create_index(
        "uq_exercise_catalog_name",
        "exercise",
        ["name"],
        unique=True,
        postgresql_where=CATALOG,
        sqlite_where=CATALOG,
    )
    op.create_index(
        "uq_exercise_owner_name",
        "exercise",
        ["owner_id", sa.text("lower(name)")],
        unique=True,
        postgresql_where=OWN,
        sqlite_where=OWN,
    )


def downgrade() -> None:
    op.drop_index("uq_exercise_owner_name", table_name="exercise")
    op.drop_index("uq_exercise_catalog_name", table_name="exercise")
    own = "SELECT id FROM exercise WHERE owner_id IS NOT NULL"
    instructions = f"SELECT id FROM exercise_instruction WHERE exercise_id IN ({own})"
    performances = (
        f"SELECT id FROM user_exercise_performance WHERE exercise_instruction_id IN ({instructions})"
    )
    op.execute(f"DELETE FROM user_exercise_set WHERE performance_id IN ({performances})")
    op.execute(f"DELETE FROM user_exercise_performance WHERE id IN ({performances})")
    op.execute(f"DELETE FROM exercise_instruction WHERE id IN ({instructions})")
    op.execute(f"DELETE FROM exercise WHERE id IN ({own})")
    with op.batch_alter_table("exercise") as batch:
        batch.drop_constraint(op.f("fk_exercise_owner_id_app_user"), type_="foreignkey")
        batch.drop_column("owner_id")
        batch.create_unique_constraint(op.f("uq_exercise_name"), ["name"])
