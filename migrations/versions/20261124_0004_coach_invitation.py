"""coach invitations: the expiring, revocable deep links a coach gives to new trainees.

Written by hand for bot.db.models.CoachInvitation. One new table, `coach_invitation`:

- token VARCHAR(64) UNIQUE NOT NULL (the deep-link payload; CHECK length >= 16);
- coach_id -> app_user.id ON DELETE CASCADE (a coach's links go with them);
- expires_at NOT NULL, revoked_at and last_accepted_at nullable (TIMESTAMP WITH TIME ZONE; naive UTC
  text on SQLite), accepted_count INTEGER NOT NULL DEFAULT 0 (CHECK >= 0), created_at;
- index (coach_id, expires_at) for "this coach's links still valid".

Only a CREATE TABLE: nothing existing is touched, so no batch mode is needed on SQLite; the downgrade
drops the index and the table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coach_invitation",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("coach_id", sa.Uuid(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_count", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("accepted_count >= 0", name=op.f("ck_coach_invitation_accepted_count_min")),
        sa.CheckConstraint("length(token) >= 16", name=op.f("ck_coach_invitation_token_length")),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["app_user.id"],
            name=op.f("fk_coach_invitation_coach_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_invitation")),
        sa.UniqueConstraint("token", name=op.f("uq_coach_invitation_token")),
    )
    op.create_index(
        "idx_coach_invitation_coach", "coach_invitation", ["coach_id", "expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("idx_coach_invitation_coach", table_name="coach_invitation")
    op.drop_table("coach_invitation")
