"""admin grants: who is an admin because of ADMIN_TELEGRAM_IDS, and what they were before.

Written by hand for bot.db.models.AdminGrant. One new table, `admin_grant`:

- user_id -> app_user.id, the primary key, ON DELETE CASCADE (a grant goes with its user);
- previous_role VARCHAR (TRAINEE/COACH/ADMIN, CHECK as every role column): restored when the id
  leaves ADMIN_TELEGRAM_IDS (bot.services.admins);
- granted_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now().

No rows are written: admins made before this revision have no grant, and when their id is removed
bot.services.admins infers their previous role (COACH if they coached anyone, else TRAINEE). Only a
CREATE TABLE: nothing existing is touched, so no batch mode is needed on SQLite.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "admin_grant",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "previous_role",
            sa.Enum(
                "TRAINEE", "COACH", "ADMIN", name="previous_role", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("granted_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_admin_grant_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_admin_grant")),
    )


def downgrade() -> None:
    op.drop_table("admin_grant")
