"""update inbox: every update taken from Telegram, until it is handled (bot.inbox).

Written by hand for bot.db.models.InboxUpdate. One new table, `update_inbox`:

- update_id BIGINT PRIMARY KEY (Telegram's id: the key that makes a redelivery a no-op);
- digest VARCHAR(32) NOT NULL (of the update's content: a redelivery has the same, a new update that
  reuses an old id another);
- payload JSON NULL (the update as Telegram sent it; dropped once the update is handled);
- received_at NOT NULL, handled_at NULL (TIMESTAMP WITH TIME ZONE; naive UTC text on SQLite);
- index (handled_at) for the start-up drain (handled_at IS NULL) and the pruning of old handled rows.

Only a CREATE TABLE: nothing existing is touched, so no batch mode is needed on SQLite; the downgrade
drops the index and the table.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 20:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "update_inbox",
        sa.Column("update_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("digest", sa.String(length=32), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("handled_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("update_id", name=op.f("pk_update_inbox")),
    )
    op.create_index("idx_update_inbox_handled", "update_inbox", ["handled_at"], unique=False)


def downgrade() -> None:
    op.drop_index("idx_update_inbox_handled", table_name="update_inbox")
    op.drop_table("update_inbox")
