"""one workout in progress per user: a partial unique index on user_workout_session.

Two bot processes (or two quick taps handled by two processes) could both see no workout in progress
and start one each. `uq_user_workout_in_progress` (user_id) WHERE session_status = 'IN_PROGRESS' makes
the database refuse the second; bot.services.workouts.start_session answers it as "already started".

Existing duplicates would make the index fail to build: every in-progress session of a user except the
most recently started one is set to CANCELLED first (its logged sets are kept, as a cancel keeps them).
Only an index is added (no batch mode needed on SQLite); the downgrade drops it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 21:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_PROGRESS = sa.text("session_status = 'IN_PROGRESS'")


def upgrade() -> None:
    op.execute(
        """
        UPDATE user_workout_session SET session_status = 'CANCELLED', completed_at = NULL
        WHERE session_status = 'IN_PROGRESS' AND id NOT IN (
            SELECT id FROM (
                SELECT id, row_number() OVER (
                    PARTITION BY user_id
                    ORDER BY coalesce(started_at, created_at) DESC, created_at DESC, id DESC
                ) AS position
                FROM user_workout_session WHERE session_status = 'IN_PROGRESS'
            ) AS ranked WHERE position = 1
        )
        """
    )
    op.create_index(
        "uq_user_workout_in_progress",
        "user_workout_session",
        ["user_id"],
        unique=True,
        postgresql_where=IN_PROGRESS,
        sqlite_where=IN_PROGRESS,
    )


def downgrade() -> None:
    op.drop_index("uq_user_workout_in_progress", table_name="user_workout_session")
