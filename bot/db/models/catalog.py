"""Reference data and the exercise catalog: the tables the ERDs reference but do not define."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, active_flag, created_ts, updated_ts, uuid_pk
from bot.db.enums import TrackingType, VisibilityCode, db_enum


class DifficultyLevel(Base):
    __tablename__ = "difficulty_level"
    __table_args__ = (CheckConstraint("rank >= 1", name="rank_positive"),)

    id: Mapped[uuid_pk]
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    rank: Mapped[int] = mapped_column(SmallInteger, unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]


class Visibility(Base):
    __tablename__ = "visibility"

    id: Mapped[uuid_pk]
    code: Mapped[VisibilityCode] = mapped_column(db_enum(VisibilityCode, "visibility_code"), unique=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]


class Category(Base):
    __tablename__ = "category"
    __table_args__ = (CheckConstraint("length(description) <= 1000", name="description_length"),)

    id: Mapped[uuid_pk]
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[uuid_pk]
    code: Mapped[str] = mapped_column(String(50), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]


class Metric(Base):
    """A body measurement kind, e.g. body weight in kg (also accepted: lb)."""

    __tablename__ = "metric"
    __table_args__ = (
        CheckConstraint("length(canonical_unit) >= 1", name="canonical_unit_not_empty"),
        CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value < max_value", name="range"),
    )

    id: Mapped[uuid_pk]
    code: Mapped[str] = mapped_column(String(40), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    canonical_unit: Mapped[str] = mapped_column(String(20), nullable=False)
    accepted_units: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    min_value: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    max_value: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    sort_order: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]


class Exercise(Base):
    """A catalog entry: what the movement is and how it is tracked."""

    __tablename__ = "exercise"
    __table_args__ = (
        CheckConstraint("length(description) <= 2000", name="description_length"),
        CheckConstraint("length(name) >= 1", name="name_not_empty"),
        # The catalog's names are unique; a user's own exercises (owner_id set, migration 0009) are
        # unique per user, case-insensitively (and differ from the catalog's: bot.services.custom_exercises).
        Index(
            "uq_exercise_catalog_name",
            "name",
            unique=True,
            postgresql_where=text("owner_id IS NULL"),
            sqlite_where=text("owner_id IS NULL"),
        ),
        Index(
            "uq_exercise_owner_name",
            "owner_id",
            text("lower(name)"),
            unique=True,
            postgresql_where=text("owner_id IS NOT NULL"),
            sqlite_where=text("owner_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid_pk]
    code: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    """The user whose own exercise this is (only they see it); None for the catalog."""
    muscle_group: Mapped[str] = mapped_column(String(50), nullable=False)
    equipment: Mapped[str] = mapped_column(String(50), nullable=False)
    tracking_type: Mapped[TrackingType] = mapped_column(
        db_enum(TrackingType, "tracking_type"), nullable=False
    )
    description: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]


class Workout(Base):
    """One training session's plan: an ordered list of exercise instructions.

    With `owner_id` set it is a routine: a workout of the user's own, outside any program (migration
    0013; bot.services.routines). Its names are unique per owner ignoring case (uq_workout_owner_name).
    """

    __tablename__ = "workout"
    __table_args__ = (
        CheckConstraint("length(description) <= 2000", name="description_length"),
        Index(
            "uq_workout_owner_name",
            "owner_id",
            text("lower(name)"),
            unique=True,
            postgresql_where=text("owner_id IS NOT NULL"),
            sqlite_where=text("owner_id IS NOT NULL"),
        ),
    )

    id: Mapped[uuid_pk]
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id"))
    """The user whose routine this is; None for a program's workout or a session's own plan. No ON
    DELETE rule (SQLite cannot reflect one on a column added in place): /deleteme deletes the user's
    routines as the workouts they authored (bot.services.account)."""
    description: Mapped[str | None] = mapped_column(Text)
    estimated_duration_minutes: Mapped[int | None] = mapped_column(SmallInteger)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    instructions: Mapped[list[ExerciseInstruction]] = relationship(
        back_populates="workout", order_by="ExerciseInstruction.order_index", lazy="raise"
    )


class ExerciseInstruction(Base):
    """An exercise prescribed inside a workout: order, sets, reps or rep range, load, time, rest."""

    __tablename__ = "exercise_instruction"
    __table_args__ = (
        UniqueConstraint("workout_id", "order_index", name="uq_exercise_instruction_workout_order"),
        CheckConstraint("order_index >= 0", name="order_index_min"),
        CheckConstraint("target_sets >= 1", name="target_sets_min"),
        CheckConstraint("target_reps_min IS NULL OR target_reps_min >= 1", name="target_reps_min_min"),
        CheckConstraint(
            "target_reps_max IS NULL OR (target_reps_min IS NOT NULL AND target_reps_max >= target_reps_min)",
            name="target_reps_range",
        ),
        CheckConstraint("target_weight_kg IS NULL OR target_weight_kg > 0", name="target_weight_positive"),
        CheckConstraint(
            "target_duration_seconds IS NULL OR target_duration_seconds > 0", name="target_duration_positive"
        ),
        CheckConstraint("rest_seconds IS NULL OR rest_seconds >= 0", name="rest_seconds_min"),
        CheckConstraint(
            "target_distance_m IS NULL OR target_distance_m > 0", name="target_distance_positive"
        ),
        CheckConstraint("length(notes) <= 1000", name="notes_length"),
        Index("idx_exercise_instruction_exercise", "exercise_id"),
        Index(
            "uq_exercise_instruction_adhoc",
            "created_by",
            "exercise_id",
            unique=True,
            postgresql_where=text("workout_id IS NULL"),
            sqlite_where=text("workout_id IS NULL"),
        ),
    )

    id: Mapped[uuid_pk]
    # NULL for an ad-hoc instruction: an exercise a trainee added to a session on their own.
    workout_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("workout.id", ondelete="CASCADE"))
    exercise_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exercise.id"), nullable=False)
    order_index: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    target_sets: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=1, server_default="1")
    target_reps_min: Mapped[int | None] = mapped_column(SmallInteger)
    target_reps_max: Mapped[int | None] = mapped_column(SmallInteger)
    target_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    target_duration_seconds: Mapped[int | None] = mapped_column(Integer)
    target_distance_m: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))
    """A distance to cover in the target time (a run, a row), in metres (migration 0013)."""
    rest_seconds: Mapped[int | None] = mapped_column(SmallInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    workout: Mapped[Workout | None] = relationship(back_populates="instructions", lazy="raise")
    exercise: Mapped[Exercise] = relationship(lazy="raise")
