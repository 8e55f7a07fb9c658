"""loading settings: the trainee's bar, plates and warm-up mode (bot.db.models.loading, /settings).

Two new tables; nothing existing is touched (on SQLite, a CHECK added to app_user would copy the table,
which fails once other rows refer to its users):

- `user_loading`, one row per user who changed a default: user_id UUID primary key -> app_user.id ON
  DELETE CASCADE; bar_weight_kg NUMERIC(8,2) NULL CHECK > 0 (NULL: the standard bar of the user's unit,
  20 kg or 45 lb); warmup_mode VARCHAR NOT NULL DEFAULT 'SHOW' (LOG or SHOW, a named CHECK as every
  enum column): what the workout's Warm-up button does; created_at, updated_at;
- `user_plate`, the plate sizes a trainee owns: id UUID primary key; user_id -> app_user.id ON DELETE
  CASCADE; weight_kg NUMERIC(8,2) NOT NULL CHECK > 0; created_at; UNIQUE (user_id, weight_kg). No rows:
  the default set of the user's unit.

The downgrade drops both.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "user_loading",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("bar_weight_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column(
            "warmup_mode",
            sa.Enum("LOG", "SHOW", name="warmup_mode", native_enum=False, create_constraint=True),
            server_default="SHOW",
            nullable=False,
        ),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "bar_weight_kg IS NULL OR bar_weight_kg > 0", name=op.f("ck_user_loading_bar_weight_positive")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_loading_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_user_loading")),
    )
    op.create_table(
        "user_plate",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(8, 2), nullable=False),
        _timestamp("created_at"),
        sa.CheckConstraint("weight_kg > 0", name=op.f("ck_user_plate_weight_positive")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_user_plate_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_plate")),
        sa.UniqueConstraint("user_id", "weight_kg", name="uq_user_plate"),
    )


def downgrade() -> None:
    op.drop_table("user_plate")
    op.drop_table("user_loading")
