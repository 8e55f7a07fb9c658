"""progression: a program exercise's progression rule, and each trainee's current targets.

Two new tables (bot.db.models.progression):

- `progression_rule`: one row per exercise_instruction that has a `progression:` in its program
  (instruction_id primary key -> exercise_instruction.id ON DELETE CASCADE); rule LINEAR | DOUBLE |
  PERCENT (a named CHECK, as every enum column), increment_kg NUMERIC(8,2), deload_after SMALLINT and
  deload_percent NUMERIC(5,2) (both or neither), percent and training_max_percent NUMERIC(5,2), with
  CHECKs on their ranges and on which fields each rule takes;
- `trainee_target`: one row per trainee and exercise (UNIQUE user_id, exercise_id; both ON DELETE
  CASCADE): the target weight_kg and rep goal, the training max set with /tm, the best estimated 1RM,
  why the target is what it is (reason_kind, reason_on, reason_amount_kg, reason_percent, reason_reps,
  reason_missed), the fail streak, and the coach who set it (set_by -> app_user ON DELETE SET NULL).

Besides the CREATE TABLEs, one data step: a database seeded before this revision holds the shipped
"Beginner Full-Body Linear Progression" without rules (the seed never modifies an existing program), so
its barbell lifts get their linear rules here (+2.5 kg, the deadlift +5 kg, -10% after two missed
sessions) and the lat pulldown its double rule, as in the program's file. The downgrade drops both tables.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("LINEAR", "DOUBLE", "PERCENT")
REASONS = (
    "PROGRAM",
    "HISTORY",
    "FIRST",
    "INCREASE",
    "REPS_UP",
    "HOLD",
    "DELOAD",
    "COACH",
    "TRAINING_MAX",
)


def upgrade() -> None:
    op.create_table(
        "progression_rule",
        sa.Column("instruction_id", sa.Uuid(), nullable=False),
        sa.Column(
            "rule",
            sa.Enum(*KINDS, name="progression_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("increment_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column("deload_after", sa.SmallInteger(), nullable=True),
        sa.Column("deload_percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("training_max_percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "increment_kg IS NULL OR (increment_kg > 0 AND increment_kg < 100)",
            name=op.f("ck_progression_rule_increment"),
        ),
        sa.CheckConstraint(
            "deload_after IS NULL OR (deload_after >= 1 AND deload_after <= 20)",
            name=op.f("ck_progression_rule_deload_after"),
        ),
        sa.CheckConstraint(
            "deload_percent IS NULL OR (deload_percent > 0 AND deload_percent < 100)",
            name=op.f("ck_progression_rule_deload_percent"),
        ),
        sa.CheckConstraint(
            "(deload_after IS NULL) = (deload_percent IS NULL)",
            name=op.f("ck_progression_rule_deload_together"),
        ),
        sa.CheckConstraint(
            "percent IS NULL OR (percent > 0 AND percent <= 150)",
            name=op.f("ck_progression_rule_percent_range"),
        ),
        sa.CheckConstraint(
            "training_max_percent IS NULL OR (training_max_percent > 0 AND training_max_percent <= 100)",
            name=op.f("ck_progression_rule_training_max_percent"),
        ),
        sa.CheckConstraint(
            "(rule = 'PERCENT' AND percent IS NOT NULL AND increment_kg IS NULL)"
            " OR (rule <> 'PERCENT' AND increment_kg IS NOT NULL AND percent IS NULL"
            " AND training_max_percent IS NULL)",
            name=op.f("ck_progression_rule_rule_fields"),
        ),
        sa.ForeignKeyConstraint(
            ["instruction_id"],
            ["exercise_instruction.id"],
            name=op.f("fk_progression_rule_instruction_id_exercise_instruction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instruction_id", name=op.f("pk_progression_rule")),
    )
    op.create_table(
        "trainee_target",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("weight_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column("reps", sa.SmallInteger(), nullable=True),
        sa.Column("training_max_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column("e1rm_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column(
            "reason_kind",
            sa.Enum(*REASONS, name="target_reason", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("reason_on", sa.Date(), nullable=True),
        sa.Column("reason_amount_kg", sa.Numeric(8, 2), nullable=True),
        sa.Column("reason_percent", sa.Numeric(5, 2), nullable=True),
        sa.Column("reason_reps", sa.SmallInteger(), nullable=True),
        sa.Column("reason_missed", sa.SmallInteger(), nullable=True),
        sa.Column("fail_streak", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("set_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "weight_kg IS NULL OR weight_kg > 0", name=op.f("ck_trainee_target_weight_positive")
        ),
        sa.CheckConstraint("reps IS NULL OR reps >= 1", name=op.f("ck_trainee_target_reps_min")),
        sa.CheckConstraint(
            "training_max_kg IS NULL OR training_max_kg > 0",
            name=op.f("ck_trainee_target_training_max_positive"),
        ),
        sa.CheckConstraint("e1rm_kg IS NULL OR e1rm_kg > 0", name=op.f("ck_trainee_target_e1rm_positive")),
        sa.CheckConstraint("fail_streak >= 0", name=op.f("ck_trainee_target_fail_streak_min")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_trainee_target_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"],
            ["exercise.id"],
            name=op.f("fk_trainee_target_exercise_id_exercise"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["set_by"], ["app_user.id"], name=op.f("fk_trainee_target_set_by_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainee_target")),
        sa.UniqueConstraint("user_id", "exercise_id", name="uq_trainee_target_user_exercise"),
    )
    op.create_index(op.f("ix_trainee_target_exercise_id"), "trainee_target", ["exercise_id"], unique=False)
    op.get_bind().execute(RULES_OF_LINEAR_PROGRAM, {"name": LINEAR_PROGRAM})


LINEAR_PROGRAM = "Beginner Full-Body Linear Progression"
RULES_OF_LINEAR_PROGRAM = sa.text(
    """
    INSERT INTO progression_rule (instruction_id, rule, increment_kg, deload_after, deload_percent)
    SELECT DISTINCT ei.id,
           CASE WHEN e.code = 'lat-pulldown' THEN 'DOUBLE' ELSE 'LINEAR' END,
           CASE WHEN e.code = 'deadlift' THEN 5 ELSE 2.5 END,
           CASE WHEN e.code = 'lat-pulldown' THEN NULL ELSE 2 END,
           CASE WHEN e.code = 'lat-pulldown' THEN NULL ELSE 10 END
    FROM exercise_instruction ei
    JOIN exercise e ON e.id = ei.exercise_id
    JOIN schedule_workout sw ON sw.workout_id = ei.workout_id
    JOIN program_schedule ps ON ps.id = sw.schedule_id
    JOIN program p ON p.id = ps.program_id
    WHERE p.name = :name
      AND e.code IN ('back-squat', 'bench-press', 'overhead-press', 'barbell-row', 'deadlift', 'lat-pulldown')
    """
)


def downgrade() -> None:
    op.drop_index(op.f("ix_trainee_target_exercise_id"), table_name="trainee_target")
    op.drop_table("trainee_target")
    op.drop_table("progression_rule")
