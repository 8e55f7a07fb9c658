"""exercise rating setting: app_user.exercise_rating_enabled, whether a workout asks "how hard was it?"
after each exercise.

BOOLEAN NOT NULL DEFAULT true, so every existing user keeps being asked. SQLite adds the column through
batch mode (a table copy); PostgreSQL adds it in place. The downgrade drops it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 21:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("exercise_rating_enabled", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("exercise_rating_enabled")
