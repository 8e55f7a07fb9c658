"""coach attention: workout comments, readiness answers, program rules (bot.db.models.attention).

Three new tables; nothing existing is touched:

- `workout_comment`: a coach's comment on a trainee's workout session (body 1..1000 characters) and the
  trainee's one answer (answer and answered_at set together, 1..1000 characters). session_id ->
  user_workout_session ON DELETE CASCADE; coach_id -> app_user ON DELETE SET NULL (the comment stays
  with the trainee's workout); indexes (session_id, created_at) and coach_id.
- `session_readiness`: one row per session: sleep, stress, soreness 1..5 (all three, or all NULL for a
  skipped question) and the reduce_percent (0..50) the day's prescription got.
- `program_rule`: one row per program: readiness_enabled, low_below (2..5), reduce_percent (0..50),
  stall_remedy (1..500 characters or NULL).

The downgrade drops them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 23:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _now() -> sa.Column[object]:
    return sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "workout_comment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("coach_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        _now(),
        sa.CheckConstraint(
            "length(body) >= 1 AND length(body) <= 1000", name=op.f("ck_workout_comment_body_length")
        ),
        sa.CheckConstraint(
            "answer IS NULL OR (length(answer) >= 1 AND length(answer) <= 1000)",
            name=op.f("ck_workout_comment_answer_length"),
        ),
        sa.CheckConstraint(
            "(answer IS NULL) = (answered_at IS NULL)", name=op.f("ck_workout_comment_answered_together")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_workout_comment_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["app_user.id"],
            name=op.f("fk_workout_comment_coach_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout_comment")),
    )
    op.create_index("idx_workout_comment_session", "workout_comment", ["session_id", "created_at"])
    op.create_index(op.f("ix_workout_comment_coach_id"), "workout_comment", ["coach_id"])

    op.create_table(
        "session_readiness",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("sleep", sa.SmallInteger(), nullable=True),
        sa.Column("stress", sa.SmallInteger(), nullable=True),
        sa.Column("soreness", sa.SmallInteger(), nullable=True),
        sa.Column("reduce_percent", sa.SmallInteger(), server_default="0", nullable=False),
        _now(),
        sa.CheckConstraint(
            "sleep IS NULL OR (sleep >= 1 AND sleep <= 5)", name=op.f("ck_session_readiness_sleep_range")
        ),
        sa.CheckConstraint(
            "stress IS NULL OR (stress >= 1 AND stress <= 5)", name=op.f("ck_session_readiness_stress_range")
        ),
        sa.CheckConstraint(
            "soreness IS NULL OR (soreness >= 1 AND soreness <= 5)",
            name=op.f("ck_session_readiness_soreness_range"),
        ),
        sa.CheckConstraint(
            "(sleep IS NULL AND stress IS NULL AND soreness IS NULL)"
            " OR (sleep IS NOT NULL AND stress IS NOT NULL AND soreness IS NOT NULL)",
            name=op.f("ck_session_readiness_all_or_none"),
        ),
        sa.CheckConstraint(
            "reduce_percent >= 0 AND reduce_percent <= 50",
            name=op.f("ck_session_readiness_reduce_percent_range"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_session_readiness_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_session_readiness")),
    )

    op.create_table(
        "program_rule",
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("readiness_enabled", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("low_below", sa.SmallInteger(), server_default="2", nullable=False),
        sa.Column("reduce_percent", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("stall_remedy", sa.Text(), nullable=True),
        _now(),
        sa.CheckConstraint("low_below >= 2 AND low_below <= 5", name=op.f("ck_program_rule_low_below_range")),
        sa.CheckConstraint(
            "reduce_percent >= 0 AND reduce_percent <= 50", name=op.f("ck_program_rule_reduce_percent_range")
        ),
        sa.CheckConstraint(
            "stall_remedy IS NULL OR (length(stall_remedy) >= 1 AND length(stall_remedy) <= 500)",
            name=op.f("ck_program_rule_stall_remedy_length"),
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_rule_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_program_rule")),
    )


def downgrade() -> None:
    op.drop_table("program_rule")
    op.drop_table("session_readiness")
    op.drop_index(op.f("ix_workout_comment_coach_id"), table_name="workout_comment")
    op.drop_index("idx_workout_comment_session", table_name="workout_comment")
    op.drop_table("workout_comment")
