"""Initial schema: the program catalog and user progress ERDs, plus the tables they reference.

Reviewed by hand: DESC and partial indexes are written out here (autogenerate skips expression
indexes), timestamps are TIMESTAMP WITH TIME ZONE, defaults render for both SQLite and PostgreSQL.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 00:39:35.024575
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.String(length=32), nullable=True),
        sa.Column("first_name", sa.String(length=64), nullable=False),
        sa.Column("last_name", sa.String(length=64), nullable=True),
        sa.Column("language_code", sa.String(length=10), nullable=True),
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
        sa.Column("reminder_time", sa.Time(), server_default=sa.text("'07:00:00'"), nullable=False),
        sa.Column("reminders_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("rest_timer_enabled", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column(
            "weight_unit",
            sa.Enum("KG", "LB", name="weight_unit", native_enum=False, create_constraint=True),
            server_default="KG",
            nullable=False,
        ),
        sa.Column(
            "role",
            sa.Enum("TRAINEE", "COACH", "ADMIN", name="role", native_enum=False, create_constraint=True),
            server_default="TRAINEE",
            nullable=False,
        ),
        sa.Column("start_payload", sa.String(length=64), nullable=True),
        sa.Column("onboarded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(timezone) >= 1", name=op.f("ck_app_user_timezone_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("telegram_id", name=op.f("uq_app_user_telegram_id")),
    )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.create_index("idx_app_user_reminders", ["reminders_enabled", "reminder_time"], unique=False)
        batch_op.create_index(batch_op.f("ix_app_user_username"), ["username"], unique=False)

    op.create_table(
        "category",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(description) <= 1000", name=op.f("ck_category_description_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_category")),
        sa.UniqueConstraint("code", name=op.f("uq_category_code")),
        sa.UniqueConstraint("name", name=op.f("uq_category_name")),
    )
    op.create_table(
        "difficulty_level",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("rank", sa.SmallInteger(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_difficulty_level_rank_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_difficulty_level")),
        sa.UniqueConstraint("code", name=op.f("uq_difficulty_level_code")),
        sa.UniqueConstraint("rank", name=op.f("uq_difficulty_level_rank")),
    )
    op.create_table(
        "metric",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("canonical_unit", sa.String(length=20), nullable=False),
        sa.Column("accepted_units", sa.JSON(), nullable=False),
        sa.Column("min_value", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("max_value", sa.Numeric(precision=10, scale=3), nullable=True),
        sa.Column("sort_order", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(canonical_unit) >= 1", name=op.f("ck_metric_canonical_unit_not_empty")),
        sa.CheckConstraint(
            "min_value IS NULL OR max_value IS NULL OR min_value < max_value", name=op.f("ck_metric_range")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_metric")),
        sa.UniqueConstraint("code", name=op.f("uq_metric_code")),
    )
    op.create_table(
        "tag",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tag")),
        sa.UniqueConstraint("code", name=op.f("uq_tag_code")),
        sa.UniqueConstraint("name", name=op.f("uq_tag_name")),
    )
    op.create_table(
        "visibility",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column(
            "code",
            sa.Enum(
                "PUBLIC",
                "PRIVATE",
                "UNLISTED",
                name="visibility_code",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visibility")),
        sa.UniqueConstraint("code", name=op.f("uq_visibility_code")),
    )
    op.create_table(
        "coach_trainee",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("coach_id", sa.Uuid(), nullable=False),
        sa.Column("trainee_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("ACTIVE", "ENDED", name="coach_link_status", native_enum=False, create_constraint=True),
            server_default="ACTIVE",
            nullable=False,
        ),
        sa.Column("notify_on_workout", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("coach_id <> trainee_id", name=op.f("ck_coach_trainee_not_self")),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["app_user.id"], name=op.f("fk_coach_trainee_coach_id_app_user"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["app_user.id"],
            name=op.f("fk_coach_trainee_trainee_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coach_trainee")),
        sa.UniqueConstraint("coach_id", "trainee_id", name="uq_coach_trainee_pair"),
    )
    with op.batch_alter_table("coach_trainee", schema=None) as batch_op:
        batch_op.create_index("idx_coach_trainee_trainee", ["trainee_id", "status"], unique=False)

    op.create_table(
        "exercise",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("muscle_group", sa.String(length=50), nullable=False),
        sa.Column("equipment", sa.String(length=50), nullable=False),
        sa.Column(
            "tracking_type",
            sa.Enum(
                "WEIGHT_REPS",
                "REPS",
                "DURATION",
                name="tracking_type",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(description) <= 2000", name=op.f("ck_exercise_description_length")),
        sa.CheckConstraint("length(name) >= 1", name=op.f("ck_exercise_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_exercise_created_by_app_user"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise")),
        sa.UniqueConstraint("code", name=op.f("uq_exercise_code")),
        sa.UniqueConstraint("name", name=op.f("uq_exercise_name")),
    )
    op.create_table(
        "program",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("difficulty_level_id", sa.Uuid(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("visibility_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(description) <= 2000", name=op.f("ck_program_description_length")),
        sa.CheckConstraint("length(notes) <= 2000", name=op.f("ck_program_notes_length")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_program_created_by_app_user")),
        sa.ForeignKeyConstraint(
            ["difficulty_level_id"],
            ["difficulty_level.id"],
            name=op.f("fk_program_difficulty_level_id_difficulty_level"),
        ),
        sa.ForeignKeyConstraint(
            ["visibility_id"], ["visibility.id"], name=op.f("fk_program_visibility_id_visibility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
        sa.UniqueConstraint("name", name=op.f("uq_program_name")),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index("idx_program_created_by", ["created_by"], unique=False)

    op.create_table(
        "user_measurement",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("metric_id", sa.Uuid(), nullable=False),
        sa.Column("measured_value", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("measurement_date", sa.Date(), nullable=False),
        sa.Column("measurement_notes", sa.Text(), nullable=True),
        sa.Column(
            "measurement_source",
            sa.Enum(
                "MANUAL",
                "DEVICE",
                "CALCULATED",
                "ESTIMATED",
                name="measurement_source",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="MANUAL",
            nullable=False,
        ),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "length(measurement_notes) <= 1000", name=op.f("ck_user_measurement_measurement_notes_length")
        ),
        sa.CheckConstraint("length(unit) >= 1", name=op.f("ck_user_measurement_unit_not_empty")),
        sa.CheckConstraint("measured_value >= 0", name=op.f("ck_user_measurement_measured_value_min")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_user_measurement_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["metric_id"], ["metric.id"], name=op.f("fk_user_measurement_metric_id_metric")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["app_user.id"],
            name=op.f("fk_user_measurement_updated_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_measurement_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_measurement")),
    )
    op.create_index(
        "idx_user_measurement_date",
        "user_measurement",
        ["user_id", "metric_id", sa.text("measurement_date DESC")],
    )
    op.create_index(
        "idx_user_measurement_metric", "user_measurement", ["metric_id", sa.text("measurement_date DESC")]
    )
    op.create_table(
        "workout",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("estimated_duration_minutes", sa.SmallInteger(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(description) <= 2000", name=op.f("ck_workout_description_length")),
        sa.ForeignKeyConstraint(["created_by"], ["app_user.id"], name=op.f("fk_workout_created_by_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workout")),
    )
    op.create_table(
        "exercise_instruction",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=True),
        sa.Column("exercise_id", sa.Uuid(), nullable=False),
        sa.Column("order_index", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("target_sets", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("target_reps_min", sa.SmallInteger(), nullable=True),
        sa.Column("target_reps_max", sa.SmallInteger(), nullable=True),
        sa.Column("target_weight_kg", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("target_duration_seconds", sa.Integer(), nullable=True),
        sa.Column("rest_seconds", sa.SmallInteger(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(notes) <= 1000", name=op.f("ck_exercise_instruction_notes_length")),
        sa.CheckConstraint("order_index >= 0", name=op.f("ck_exercise_instruction_order_index_min")),
        sa.CheckConstraint(
            "rest_seconds IS NULL OR rest_seconds >= 0", name=op.f("ck_exercise_instruction_rest_seconds_min")
        ),
        sa.CheckConstraint(
            "target_duration_seconds IS NULL OR target_duration_seconds > 0",
            name=op.f("ck_exercise_instruction_target_duration_positive"),
        ),
        sa.CheckConstraint(
            "target_reps_max IS NULL OR (target_reps_min IS NOT NULL AND target_reps_max >= target_reps_min)",
            name=op.f("ck_exercise_instruction_target_reps_range"),
        ),
        sa.CheckConstraint(
            "target_reps_min IS NULL OR target_reps_min >= 1",
            name=op.f("ck_exercise_instruction_target_reps_min_min"),
        ),
        sa.CheckConstraint("target_sets >= 1", name=op.f("ck_exercise_instruction_target_sets_min")),
        sa.CheckConstraint(
            "target_weight_kg IS NULL OR target_weight_kg > 0",
            name=op.f("ck_exercise_instruction_target_weight_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_exercise_instruction_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["exercise_id"], ["exercise.id"], name=op.f("fk_exercise_instruction_exercise_id_exercise")
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"],
            ["workout.id"],
            name=op.f("fk_exercise_instruction_workout_id_workout"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_instruction")),
        sa.UniqueConstraint("workout_id", "order_index", name="uq_exercise_instruction_workout_order"),
    )
    with op.batch_alter_table("exercise_instruction", schema=None) as batch_op:
        batch_op.create_index("idx_exercise_instruction_exercise", ["exercise_id"], unique=False)
    op.create_index(
        "uq_exercise_instruction_adhoc",
        "exercise_instruction",
        ["created_by", "exercise_id"],
        unique=True,
        postgresql_where=sa.text("workout_id IS NULL"),
        sqlite_where=sa.text("workout_id IS NULL"),
    )

    op.create_table(
        "program_category",
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("category_id", sa.Uuid(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_id"], ["category.id"], name=op.f("fk_program_category_category_id_category")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_program_category_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_category_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", "category_id", name=op.f("pk_program_category")),
    )
    op.create_table(
        "program_phase",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("start_day", sa.SmallInteger(), nullable=False),
        sa.Column("end_day", sa.SmallInteger(), nullable=False),
        sa.Column("order_index", sa.SmallInteger(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(description) <= 1000", name=op.f("ck_program_phase_description_length")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_program_phase_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_phase_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_phase")),
    )
    with op.batch_alter_table("program_phase", schema=None) as batch_op:
        batch_op.create_index("idx_program_phase_program", ["program_id", "order_index"], unique=False)

    op.create_table(
        "program_schedule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("length_days", sa.SmallInteger(), nullable=False),
        sa.Column("rest_days_per_week", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(notes) <= 2000", name=op.f("ck_program_schedule_notes_length")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_program_schedule_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["program.id"],
            name=op.f("fk_program_schedule_program_id_program"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_schedule")),
    )
    with op.batch_alter_table("program_schedule", schema=None) as batch_op:
        batch_op.create_index("idx_program_schedule_program", ["program_id", "is_active"], unique=False)

    op.create_table(
        "program_tag",
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("tag_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_program_tag_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_program_tag_program_id_program"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["tag_id"], ["tag.id"], name=op.f("fk_program_tag_tag_id_tag")),
        sa.PrimaryKeyConstraint("program_id", "tag_id", name=op.f("pk_program_tag")),
    )
    op.create_table(
        "user_program_enrollment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("program_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_by", sa.Uuid(), nullable=True),
        sa.Column(
            "enrollment_status",
            sa.Enum(
                "ACTIVE",
                "PAUSED",
                "COMPLETED",
                "CANCELLED",
                "EXPIRED",
                name="enrollment_status",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="ACTIVE",
            nullable=False,
        ),
        sa.Column("start_date", sa.Date(), server_default=sa.func.current_date(), nullable=False),
        sa.Column("target_completion_date", sa.Date(), nullable=True),
        sa.Column("actual_completion_date", sa.Date(), nullable=True),
        sa.Column("current_day", sa.SmallInteger(), server_default="1", nullable=False),
        sa.Column("enrollment_notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("current_day >= 1", name=op.f("ck_user_program_enrollment_current_day_min")),
        sa.CheckConstraint(
            "length(enrollment_notes) <= 2000",
            name=op.f("ck_user_program_enrollment_enrollment_notes_length"),
        ),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["app_user.id"],
            name=op.f("fk_user_program_enrollment_assigned_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_user_program_enrollment_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_user_program_enrollment_program_id_program")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["app_user.id"],
            name=op.f("fk_user_program_enrollment_updated_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_program_enrollment_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_program_enrollment")),
        sa.UniqueConstraint("user_id", "program_id", name="uq_user_program_enrollment"),
    )
    with op.batch_alter_table("user_program_enrollment", schema=None) as batch_op:
        batch_op.create_index(
            "idx_user_program_current", ["user_id", "current_day", "is_active"], unique=False
        )

    op.create_index(
        "idx_user_program_status",
        "user_program_enrollment",
        ["user_id", "enrollment_status", sa.text("start_date DESC")],
    )
    op.create_table(
        "reminder_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("program_day", sa.SmallInteger(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "CLAIMED",
                "SENT",
                "FAILED",
                "BLOCKED",
                "DROPPED",
                name="reminder_status",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="CLAIMED",
            nullable=False,
        ),
        sa.Column("attempts", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("telegram_message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["user_program_enrollment.id"],
            name=op.f("fk_reminder_log_enrollment_id_user_program_enrollment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_reminder_log_user_id_app_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_log")),
        sa.UniqueConstraint("enrollment_id", "local_date", name="uq_reminder_log_enrollment_day"),
    )
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.create_index("idx_reminder_log_user_date", ["user_id", "local_date"], unique=False)

    op.create_table(
        "schedule_workout",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("schedule_id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=False),
        sa.Column("day_number", sa.SmallInteger(), nullable=False),
        sa.Column("order_index", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("is_optional", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint("length(notes) <= 1000", name=op.f("ck_schedule_workout_notes_length")),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_schedule_workout_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["program_schedule.id"],
            name=op.f("fk_schedule_workout_schedule_id_program_schedule"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"], ["workout.id"], name=op.f("fk_schedule_workout_workout_id_workout")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_workout")),
    )
    with op.batch_alter_table("schedule_workout", schema=None) as batch_op:
        batch_op.create_index(
            "idx_schedule_workout_day", ["schedule_id", "day_number", "order_index"], unique=False
        )
        batch_op.create_index("idx_schedule_workout_workout", ["workout_id"], unique=False)

    op.create_table(
        "user_workout_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("workout_id", sa.Uuid(), nullable=False),
        sa.Column("program_enrollment_id", sa.Uuid(), nullable=True),
        sa.Column(
            "session_status",
            sa.Enum(
                "PLANNED",
                "IN_PROGRESS",
                "COMPLETED",
                "SKIPPED",
                "CANCELLED",
                name="session_status",
                native_enum=False,
                create_constraint=True,
            ),
            server_default="PLANNED",
            nullable=False,
        ),
        sa.Column("scheduled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("actual_duration_seconds", sa.SmallInteger(), nullable=True),
        sa.Column("effort_rating", sa.SmallInteger(), nullable=True),
        sa.Column("soreness_rating", sa.SmallInteger(), nullable=True),
        sa.Column("session_notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "actual_duration_seconds > 0", name=op.f("ck_user_workout_session_actual_duration_positive")
        ),
        sa.CheckConstraint(
            "effort_rating >= 1 AND effort_rating <= 10",
            name=op.f("ck_user_workout_session_effort_rating_range"),
        ),
        sa.CheckConstraint(
            "length(session_notes) <= 2000", name=op.f("ck_user_workout_session_session_notes_length")
        ),
        sa.CheckConstraint(
            "soreness_rating >= 0 AND soreness_rating <= 10",
            name=op.f("ck_user_workout_session_soreness_rating_range"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_user_workout_session_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["program_enrollment_id"],
            ["user_program_enrollment.id"],
            name=op.f("fk_user_workout_session_program_enrollment_id_user_program_enrollment"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["app_user.id"],
            name=op.f("fk_user_workout_session_updated_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_user_workout_session_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workout_id"], ["workout.id"], name=op.f("fk_user_workout_session_workout_id_workout")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_workout_session")),
    )
    with op.batch_alter_table("user_workout_session", schema=None) as batch_op:
        batch_op.create_index(
            "idx_user_workout_program",
            ["program_enrollment_id", "session_status"],
            unique=False,
            postgresql_where=sa.text("program_enrollment_id IS NOT NULL"),
            sqlite_where=sa.text("program_enrollment_id IS NOT NULL"),
        )

    op.create_index(
        "idx_user_workout_status",
        "user_workout_session",
        ["user_id", "session_status", sa.text("scheduled_at DESC")],
    )
    op.create_index(
        "idx_user_workout_completed",
        "user_workout_session",
        ["user_id", sa.text("completed_at DESC")],
        postgresql_where=sa.text("completed_at IS NOT NULL"),
        sqlite_where=sa.text("completed_at IS NOT NULL"),
    )
    op.create_table(
        "user_exercise_performance",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_workout_session_id", sa.Uuid(), nullable=False),
        sa.Column("exercise_instruction_id", sa.Uuid(), nullable=False),
        sa.Column("sets_completed", sa.SmallInteger(), server_default="0", nullable=False),
        sa.Column("reps_completed", sa.SmallInteger(), nullable=True),
        sa.Column("weight_used_kg", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("duration_seconds", sa.SmallInteger(), nullable=True),
        sa.Column("difficulty_rating", sa.SmallInteger(), nullable=True),
        sa.Column("performance_notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.CheckConstraint(
            "difficulty_rating >= 1 AND difficulty_rating <= 10",
            name=op.f("ck_user_exercise_performance_difficulty_rating_range"),
        ),
        sa.CheckConstraint(
            "duration_seconds > 0", name=op.f("ck_user_exercise_performance_duration_positive")
        ),
        sa.CheckConstraint(
            "length(performance_notes) <= 1000",
            name=op.f("ck_user_exercise_performance_performance_notes_length"),
        ),
        sa.CheckConstraint(
            "reps_completed >= 0", name=op.f("ck_user_exercise_performance_reps_completed_min")
        ),
        sa.CheckConstraint(
            "sets_completed >= 0", name=op.f("ck_user_exercise_performance_sets_completed_min")
        ),
        sa.CheckConstraint(
            "weight_used_kg > 0", name=op.f("ck_user_exercise_performance_weight_used_positive")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["app_user.id"], name=op.f("fk_user_exercise_performance_created_by_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["exercise_instruction_id"],
            ["exercise_instruction.id"],
            name=op.f("fk_user_exercise_performance_exercise_instruction_id_exercise_instruction"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["app_user.id"],
            name=op.f("fk_user_exercise_performance_updated_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_workout_session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_user_exercise_performance_user_workout_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_exercise_performance")),
        sa.UniqueConstraint(
            "user_workout_session_id", "exercise_instruction_id", name="uq_session_exercise_performance"
        ),
    )
    op.create_index(
        "idx_user_exercise_progress",
        "user_exercise_performance",
        ["exercise_instruction_id", sa.text("created_at DESC")],
    )
    op.create_table(
        "user_exercise_set",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("performance_id", sa.Uuid(), nullable=False),
        sa.Column("set_number", sa.SmallInteger(), nullable=False),
        sa.Column("reps", sa.SmallInteger(), nullable=True),
        sa.Column("weight_kg", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("is_warmup", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(
            "duration_seconds IS NULL OR duration_seconds > 0",
            name=op.f("ck_user_exercise_set_duration_positive"),
        ),
        sa.CheckConstraint(
            "reps IS NOT NULL OR duration_seconds IS NOT NULL", name=op.f("ck_user_exercise_set_has_work")
        ),
        sa.CheckConstraint("reps IS NULL OR reps >= 0", name=op.f("ck_user_exercise_set_reps_min")),
        sa.CheckConstraint("set_number >= 1", name=op.f("ck_user_exercise_set_set_number_min")),
        sa.CheckConstraint(
            "weight_kg IS NULL OR weight_kg > 0", name=op.f("ck_user_exercise_set_weight_positive")
        ),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["user_exercise_performance.id"],
            name=op.f("fk_user_exercise_set_performance_id_user_exercise_performance"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_exercise_set")),
        sa.UniqueConstraint("performance_id", "set_number", name="uq_user_exercise_set_number"),
    )
    op.create_table(
        "program_day_session",
        sa.Column("session_id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("schedule_workout_id", sa.Uuid(), nullable=False),
        sa.Column("day_number", sa.SmallInteger(), nullable=False),
        sa.Column("is_current", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("day_number >= 1", name=op.f("ck_program_day_session_day_number_min")),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["user_program_enrollment.id"],
            name=op.f("fk_program_day_session_enrollment_id_user_program_enrollment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_workout_id"],
            ["schedule_workout.id"],
            name=op.f("fk_program_day_session_schedule_workout_id_schedule_workout"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["user_workout_session.id"],
            name=op.f("fk_program_day_session_session_id_user_workout_session"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_program_day_session")),
    )
    op.create_index(
        "idx_program_day_session_day", "program_day_session", ["enrollment_id", "day_number", "is_current"]
    )
    op.create_index(
        "uq_program_day_session_current",
        "program_day_session",
        ["enrollment_id", "schedule_workout_id"],
        unique=True,
        postgresql_where=sa.text("is_current"),
        sqlite_where=sa.text("is_current"),
    )
    op.create_table(
        "enrollment_day_state",
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("current_since", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["enrollment_id"],
            ["user_program_enrollment.id"],
            name=op.f("fk_enrollment_day_state_enrollment_id_user_program_enrollment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("enrollment_id", name=op.f("pk_enrollment_day_state")),
    )


def downgrade() -> None:
    op.drop_table("enrollment_day_state")
    op.drop_index("uq_program_day_session_current", table_name="program_day_session")
    op.drop_index("idx_program_day_session_day", table_name="program_day_session")
    op.drop_table("program_day_session")
    op.drop_table("user_exercise_set")
    op.drop_index("idx_user_exercise_progress", table_name="user_exercise_performance")
    op.drop_table("user_exercise_performance")
    with op.batch_alter_table("user_workout_session", schema=None) as batch_op:
        batch_op.drop_index(
            "idx_user_workout_program",
            postgresql_where=sa.text("program_enrollment_id IS NOT NULL"),
            sqlite_where=sa.text("program_enrollment_id IS NOT NULL"),
        )

    op.drop_index("idx_user_workout_status", table_name="user_workout_session")
    op.drop_index("idx_user_workout_completed", table_name="user_workout_session")
    op.drop_table("user_workout_session")
    with op.batch_alter_table("schedule_workout", schema=None) as batch_op:
        batch_op.drop_index("idx_schedule_workout_workout")
        batch_op.drop_index("idx_schedule_workout_day")

    op.drop_table("schedule_workout")
    with op.batch_alter_table("reminder_log", schema=None) as batch_op:
        batch_op.drop_index("idx_reminder_log_user_date")

    op.drop_table("reminder_log")
    with op.batch_alter_table("user_program_enrollment", schema=None) as batch_op:
        batch_op.drop_index("idx_user_program_current")

    op.drop_index("idx_user_program_status", table_name="user_program_enrollment")
    op.drop_table("user_program_enrollment")
    op.drop_table("program_tag")
    with op.batch_alter_table("program_schedule", schema=None) as batch_op:
        batch_op.drop_index("idx_program_schedule_program")

    op.drop_table("program_schedule")
    with op.batch_alter_table("program_phase", schema=None) as batch_op:
        batch_op.drop_index("idx_program_phase_program")

    op.drop_table("program_phase")
    op.drop_table("program_category")
    op.drop_index("uq_exercise_instruction_adhoc", table_name="exercise_instruction")
    with op.batch_alter_table("exercise_instruction", schema=None) as batch_op:
        batch_op.drop_index("idx_exercise_instruction_exercise")

    op.drop_table("exercise_instruction")
    op.drop_table("workout")
    op.drop_index("idx_user_measurement_date", table_name="user_measurement")
    op.drop_index("idx_user_measurement_metric", table_name="user_measurement")
    op.drop_table("user_measurement")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index("idx_program_created_by")

    op.drop_table("program")
    op.drop_table("exercise")
    with op.batch_alter_table("coach_trainee", schema=None) as batch_op:
        batch_op.drop_index("idx_coach_trainee_trainee")

    op.drop_table("coach_trainee")
    op.drop_table("visibility")
    op.drop_table("tag")
    op.drop_table("metric")
    op.drop_table("difficulty_level")
    op.drop_table("category")
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_user_username"))
        batch_op.drop_index("idx_app_user_reminders")

    op.drop_table("app_user")
