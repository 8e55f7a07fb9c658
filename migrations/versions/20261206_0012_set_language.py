"""set language: what kind of set, RPE, RIR, distance and assistance on user_exercise_set.

- set_type VARCHAR NOT NULL DEFAULT 'WORKING' (WORKING, WARMUP, DROP, FAILURE, AMRAP; a named CHECK as
  every enum column); existing warm-ups become 'WARMUP', and a CHECK keeps is_warmup equal to
  set_type = 'WARMUP' (is_warmup stays: every query that leaves warm-ups out keeps working);
- rpe NUMERIC(3,1) CHECK 1..10, rir SMALLINT CHECK 0..10;
- distance_m NUMERIC(9,1) CHECK > 0 (a run or a row: metres in the set's time);
- assistance_kg NUMERIC(8,2) CHECK > 0 (assisted bodyweight work: the weight taken off), never
  together with weight_kg (the added weight).

SQLite adds the columns and constraints through batch mode (a table copy); PostgreSQL in place.
The downgrade drops them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SET_TYPES = ("WORKING", "WARMUP", "DROP", "FAILURE", "AMRAP")
CHECKS = {
    "rpe_range": "rpe IS NULL OR (rpe >= 1 AND rpe <= 10)",
    "rir_range": "rir IS NULL OR (rir >= 0 AND rir <= 10)",
    "distance_positive": "distance_m IS NULL OR distance_m > 0",
    "assistance_positive": "assistance_kg IS NULL OR assistance_kg > 0",
    "assisted_or_loaded": "assistance_kg IS NULL OR weight_kg IS NULL",
    "warmup_is_set_type": "is_warmup = (set_type = 'WARMUP')",
}


def upgrade() -> None:
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.add_column(
            sa.Column(
                "set_type",
                sa.Enum(*SET_TYPES, name="set_type", native_enum=False, create_constraint=True),
                server_default="WORKING",
                nullable=False,
            )
        )
        batch.add_column(sa.Column("rpe", sa.Numeric(3, 1), nullable=True))
        batch.add_column(sa.Column("rir", sa.SmallInteger(), nullable=True))
        batch.add_column(sa.Column("distance_m", sa.Numeric(9, 1), nullable=True))
        batch.add_column(sa.Column("assistance_kg", sa.Numeric(8, 2), nullable=True))
    op.execute("UPDATE user_exercise_set SET set_type = 'WARMUP' WHERE is_warmup")
    with op.batch_alter_table("user_exercise_set") as batch:
        for name, condition in CHECKS.items():
            batch.create_check_constraint(name, sa.text(condition))


def downgrade() -> None:
    with op.batch_alter_table("user_exercise_set") as batch:
        for name in (*CHECKS, "set_type"):  # set_type: the enum's CHECK
            batch.drop_constraint(name, type_="check")
    with op.batch_alter_table("user_exercise_set") as batch:
        batch.drop_column("assistance_kg")
        batch.drop_column("distance_m")
        batch.drop_column("rir")
        batch.drop_column("rpe")
        batch.drop_column("set_type")
