"""reminder schedule: when the scheduler next acts for each user, and the weekly-summary switch.

Written by hand for bot.db.models.User and bot.services.reminders. Four columns on app_user:

- next_reminder_at, next_rollover_at, next_summary_at: UTC instants (TIMESTAMP WITH TIME ZONE; naive UTC
  text on SQLite), each with an index on (column, id) that answers the minute tick's due query
  (`col <= now ORDER BY col, id LIMIT n`) from the index alone;
- weekly_summary_enabled: BOOLEAN NOT NULL DEFAULT false.

Existing rows start with NULLs: the first tick after the upgrade schedules every user (a NULL
next_rollover_at means "not scheduled yet").

SQLite: batch mode with recreate="never", i.e. plain ALTER TABLE ADD/DROP COLUMN (DROP COLUMN needs
SQLite 3.35+). Recreating app_user (batch mode's copy-and-swap) is never wanted here: a dozen tables
reference it with ON DELETE CASCADE, and dropping the old table with foreign keys on would delete their
rows. The new columns carry no constraint, so the ALTERs are enough on both databases.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 14:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INSTANTS = ("next_reminder_at", "next_rollover_at", "next_summary_at")
_INDEXES = {
    "idx_app_user_next_reminder": "next_reminder_at",
    "idx_app_user_next_rollover": "next_rollover_at",
    "idx_app_user_next_summary": "next_summary_at",
}


def upgrade() -> None:
    with op.batch_alter_table("app_user", recreate="never") as batch:
        batch.add_column(
            sa.Column("weekly_summary_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False)
        )
        for name in _INSTANTS:
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
    for index, column in _INDEXES.items():
        op.create_index(index, "app_user", [column, "id"], unique=False)


def downgrade() -> None:
    for index in _INDEXES:
        op.drop_index(index, table_name="app_user")
    with op.batch_alter_table("app_user", recreate="never") as batch:
        for name in reversed(_INSTANTS):
            batch.drop_column(name)
        batch.drop_column("weekly_summary_enabled")
