"""user language: the bot's language a user chose with /language (bot.i18n).

- app_user.language VARCHAR(8) NULL, CHECK (language IN ('en', 'ru')): NULL means "follow the
  language_code Telegram sends" (ru, uk, be and kk read Russian; everyone else English).

SQLite adds the column and its check through batch mode; the downgrade drops both.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 02:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))
        batch.create_check_constraint("language_known", "language IN ('en', 'ru')")


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_constraint(op.f("ck_app_user_language_known"), type_="check")
        batch.drop_column("language")
