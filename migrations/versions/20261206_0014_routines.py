"""routines: a workout of the user's own (workout.owner_id), shared by a coach (routine_share), and a
distance target on exercise_instruction.

- workout.owner_id UUID NULL -> app_user.id: set for a routine (a workout a user saved
  outside any program); NULL for a program's workouts and a session's own plan, as before. The partial
  unique index `uq_workout_owner_name` (owner_id, lower(name)) WHERE owner_id IS NOT NULL keeps a user's
  routine names unique ignoring case (and serves the listing's `owner_id = ?`). No ON DELETE rule:
  SQLite adds the column in place and cannot reflect a rule given there; /deleteme deletes a user's
  routines with the other workouts they authored;
- exercise_instruction.target_distance_m NUMERIC(9,1) NULL, CHECK > 0: a routine saved from a run keeps
  its distance ("5 km in 25 min"), as user_exercise_set.distance_m does for a set;
- routine_share (workout_id -> workout.id ON DELETE CASCADE, trainee_id -> app_user.id ON DELETE
  CASCADE, created_at), primary key (workout_id, trainee_id), index on trainee_id (a trainee's
  /routines): which trainee a coach shared a routine with.

The columns are added in place on both databases (on SQLite a batch copy would drop tables that other
rows reference, which SQLite refuses). The downgrade deletes the routines (workouts with an owner, with
their instructions), then drops the table, the index and the columns (on SQLite through batch mode).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OWNED = sa.text("owner_id IS NOT NULL")
DISTANCE_CHECK = "target_distance_m IS NULL OR target_distance_m > 0"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # ADD COLUMN in place: a batch copy of these tables would drop them, and SQLite refuses to drop
        # a table that other rows reference (sessions reference workouts, performances instructions).
        op.execute(
            "ALTER TABLE workout ADD COLUMN owner_id CHAR(32) CONSTRAINT fk_workout_owner_id_app_user "
            "REFERENCES app_user (id)"
        )
        op.execute(
            "ALTER TABLE exercise_instruction ADD COLUMN target_distance_m NUMERIC(9, 1) "
            f"CONSTRAINT ck_exercise_instruction_target_distance_positive CHECK ({DISTANCE_CHECK})"
        )
    else:
        op.add_column("workout", sa.Column("owner_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            op.f("fk_workout_owner_id_app_user"),
            "workout",
            "app_user",
            ["owner_id"],
            ["id"],
        )
        op.add_column("exercise_instruction", sa.Column("target_distance_m", sa.Numeric(9, 1), nullable=True))
        op.create_check_constraint(
            op.f("ck_exercise_instruction_target_distance_positive"),
            "exercise_instruction",
            sa.text(DISTANCE_CHECK),
        )
    op.create_index(
        "uq_workout_owner_name",
        "workout",
        ["owner_id", sa.text("lower(name)")],
        unique=True,
        postgresql_where=OWNED,
        sqlite_where=OWNED,
    )
    op.create_table(
        "routine_share",
        sa.Column("workout_id", sa.Uuid(), nullable=False),
        sa.Column("trainee_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workout.id"],
            name=op.f("fk_routine_share_workout_id_workout"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["app_user.id"],
            name=op.f("fk_routine_share_trainee_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workout_id", "trainee_id", name=op.f("pk_routine_share")),
    )
    op.create_index("idx_routine_share_trainee", "routine_share", ["trainee_id"], unique=False)


def downgrade() -> None:
    op.drop_index("idx_routine_share_trainee", table_name="routine_share")
    op.drop_table("routine_share")
    op.execute(
        "DELETE FROM exercise_instruction WHERE workout_id IN "
        "(SELECT id FROM workout WHERE owner_id IS NOT NULL)"
    )
    op.execute("DELETE FROM workout WHERE owner_id IS NOT NULL")
    op.drop_index("uq_workout_owner_name", table_name="workout")
    with op.batch_alter_table("exercise_instruction") as batch:
        batch.drop_constraint(op.f("ck_exercise_instruction_target_distance_positive"), type_="check")
    with op.batch_alter_table("exercise_instruction") as batch:
        batch.drop_column("target_distance_m")
    with op.batch_alter_table("workout") as batch:
        if op.get_bind().dialect.name != "sqlite":  # SQLite reflects it unnamed: it goes with the column
            batch.drop_constraint(op.f("fk_workout_owner_id_app_user"), type_="foreignkey")
        batch.drop_column("owner_id")
