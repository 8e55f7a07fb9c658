"""bot_persistence: conversation states, user_data and chat_data of python-telegram-bot.

Written by hand for bot.db.models.state.BotState (bot.persistence.SQLAlchemyPersistence). The same
statements run on SQLite and PostgreSQL: JSON is TEXT on SQLite and JSON on PostgreSQL, updated_at is
TIMESTAMP WITH TIME ZONE (naive UTC text on SQLite), and the composite primary key is also the index the
persistence reads through (by kind, or by kind and key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "bot_persistence",
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key", name=op.f("pk_bot_persistence")),
    )


def downgrade() -> None:
    op.drop_table("bot_persistence")
