"""inbox chat and owner: several bot processes on one PostgreSQL (bot.cluster).

Two nullable columns on update_inbox, written when an update is admitted:

- chat_key BIGINT NULL: the update's chat id (else its user's id), the key of the per-chat order;
- owner INTEGER NULL: the worker id of the process that admitted it (its PostgreSQL advisory lock says
  whether that process is still alive);
- partial index (chat_key, update_id) WHERE handled_at IS NULL: "is an earlier update of this chat still
  unhandled?", asked when a process takes a chat.

Rows written before this revision keep NULLs (they belong to no chat and no live process). SQLite adds
the columns through batch mode; the downgrade drops the index and the columns.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "idx_update_inbox_chat_unhandled"


def upgrade() -> None:
    with op.batch_alter_table("update_inbox") as batch:
        batch.add_column(sa.Column("chat_key", sa.BigInteger(), nullable=True))
        batch.add_column(sa.Column("owner", sa.Integer(), nullable=True))
    op.create_index(
        INDEX,
        "update_inbox",
        ["chat_key", "update_id"],
        unique=False,
        postgresql_where=sa.text("handled_at IS NULL"),
        sqlite_where=sa.text("handled_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="update_inbox")
    with op.batch_alter_table("update_inbox") as batch:
        batch.drop_column("owner")
        batch.drop_column("chat_key")
