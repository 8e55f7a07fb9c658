"""User progress and ownership, exactly as ../shared/seeds/001, plus the per-set child table."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, active_flag, created_ts, updated_ts, uuid_pk
from bot.db.enums import EnrollmentStatus, MeasurementSource, SessionStatus, SetType, db_enum
from bot.db.models.catalog import ExerciseInstruction, Metric, Workout
from bot.db.models.program import Program

WEIGHT = Numeric(8, 2)  # kg, to 10 g
MEASURE = Numeric(10, 3)


class UserProgramEnrollment(Base):
    __tablename__ = "user_program_enrollment"
    __table_args__ = (
        # The ERD names this unique `user_program_enrollment`; PostgreSQL keeps a unique constraint's
        # index in the same namespace as tables, so the prefix avoids a clash with the table itself.
        UniqueConstraint("user_id", "program_id", name="uq_user_program_enrollment"),
        CheckConstraint("current_day >= 1", name="current_day_min"),
        CheckConstraint("length(enrollment_notes) <= 2000", name="enrollment_notes_length"),
        Index("idx_user_program_status", "user_id", "enrollment_status", text("start_date DESC")),
        Index("idx_user_program_current", "user_id", "current_day", "is_active"),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("program.id"), nullable=False)
    assigned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    enrollment_status: Mapped[EnrollmentStatus] = mapped_column(
        db_enum(EnrollmentStatus, "enrollment_status"),
        nullable=False,
        default=EnrollmentStatus.ACTIVE,
        server_default="ACTIVE",
    )
    start_date: Mapped[date] = mapped_column(Date, nullable=False, server_default=func.current_date())
    target_completion_date: Mapped[date | None] = mapped_column(Date)
    actual_completion_date: Mapped[date | None] = mapped_column(Date)
    current_day: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=1, server_default="1")
    enrollment_notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    program: Mapped[Program] = relationship(lazy="raise")


class UserWorkoutSession(Base):
    __tablename__ = "user_workout_session"
    __table_args__ = (
        CheckConstraint("actual_duration_seconds > 0", name="actual_duration_positive"),
        CheckConstraint("effort_rating >= 1 AND effort_rating <= 10", name="effort_rating_range"),
        CheckConstraint("soreness_rating >= 0 AND soreness_rating <= 10", name="soreness_rating_range"),
        CheckConstraint("length(session_notes) <= 2000", name="session_notes_length"),
        Index("idx_user_workout_status", "user_id", "session_status", text("scheduled_at DESC")),
        Index(
            "idx_user_workout_program",
            "program_enrollment_id",
            "session_status",
            postgresql_where=text("program_enrollment_id IS NOT NULL"),
            sqlite_where=text("program_enrollment_id IS NOT NULL"),
        ),
        Index(
            "idx_user_workout_completed",
            "user_id",
            text("completed_at DESC"),
            postgresql_where=text("completed_at IS NOT NULL"),
            sqlite_where=text("completed_at IS NOT NULL"),
        ),
        # At most one workout in progress per user, whichever process starts it (migration 0007).
        Index(
            "uq_user_workout_in_progress",
            "user_id",
            unique=True,
            postgresql_where=text("session_status = 'IN_PROGRESS'"),
            sqlite_where=text("session_status = 'IN_PROGRESS'"),
        ),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workout.id"), nullable=False)
    program_enrollment_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_program_enrollment.id", ondelete="SET NULL")
    )
    session_status: Mapped[SessionStatus] = mapped_column(
        db_enum(SessionStatus, "session_status"),
        nullable=False,
        default=SessionStatus.PLANNED,
        server_default="PLANNED",
    )
    scheduled_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    actual_duration_seconds: Mapped[int | None] = mapped_column(SmallInteger)
    effort_rating: Mapped[int | None] = mapped_column(SmallInteger)
    soreness_rating: Mapped[int | None] = mapped_column(SmallInteger)
    session_notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    workout: Mapped[Workout] = relationship(lazy="raise")
    performances: Mapped[list[UserExercisePerformance]] = relationship(
        back_populates="session", lazy="raise", cascade="all, delete-orphan"
    )


class UserExercisePerformance(Base):
    """The summary of one exercise in one session; the sets themselves are UserExerciseSet rows."""

    __tablename__ = "user_exercise_performance"
    __table_args__ = (
        UniqueConstraint(
            "user_workout_session_id", "exercise_instruction_id", name="uq_session_exercise_performance"
        ),
        CheckConstraint("sets_completed >= 0", name="sets_completed_min"),
        CheckConstraint("reps_completed >= 0", name="reps_completed_min"),
        CheckConstraint("weight_used_kg > 0", name="weight_used_positive"),
        CheckConstraint("duration_seconds > 0", name="duration_positive"),
        CheckConstraint("difficulty_rating >= 1 AND difficulty_rating <= 10", name="difficulty_rating_range"),
        CheckConstraint("length(performance_notes) <= 1000", name="performance_notes_length"),
        Index("idx_user_exercise_progress", "exercise_instruction_id", text("created_at DESC")),
    )

    id: Mapped[uuid_pk]
    user_workout_session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), nullable=False
    )
    exercise_instruction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise_instruction.id"), nullable=False
    )
    sets_completed: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    reps_completed: Mapped[int | None] = mapped_column(SmallInteger)
    weight_used_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    duration_seconds: Mapped[int | None] = mapped_column(SmallInteger)
    difficulty_rating: Mapped[int | None] = mapped_column(SmallInteger)
    performance_notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    session: Mapped[UserWorkoutSession] = relationship(back_populates="performances", lazy="raise")
    instruction: Mapped[ExerciseInstruction] = relationship(lazy="raise")
    sets: Mapped[list[UserExerciseSet]] = relationship(
        back_populates="performance",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="UserExerciseSet.set_number",
    )


def _default_set_type(context: DefaultExecutionContext) -> SetType:
    warmup = context.get_current_parameters().get("is_warmup")  # type: ignore[no-untyped-call]
    return SetType.WARMUP if warmup else SetType.WORKING


class UserExerciseSet(Base):
    """One logged set. The parent performance row is its summary and is kept consistent with it."""

    __tablename__ = "user_exercise_set"
    __table_args__ = (
        UniqueConstraint("performance_id", "set_number", name="uq_user_exercise_set_number"),
        CheckConstraint("set_number >= 1", name="set_number_min"),
        CheckConstraint("reps IS NULL OR reps >= 0", name="reps_min"),
        CheckConstraint("weight_kg IS NULL OR weight_kg > 0", name="weight_positive"),
        CheckConstraint("duration_seconds IS NULL OR duration_seconds > 0", name="duration_positive"),
        CheckConstraint(
            "reps IS NOT NULL OR duration_seconds IS NOT NULL OR calories IS NOT NULL", name="has_work"
        ),
        CheckConstraint("calories IS NULL OR (calories >= 1 AND calories <= 10000)", name="calories_range"),
        CheckConstraint("rpe IS NULL OR (rpe >= 1 AND rpe <= 10)", name="rpe_range"),
        CheckConstraint("rir IS NULL OR (rir >= 0 AND rir <= 10)", name="rir_range"),
        CheckConstraint("distance_m IS NULL OR distance_m > 0", name="distance_positive"),
        CheckConstraint("assistance_kg IS NULL OR assistance_kg > 0", name="assistance_positive"),
        CheckConstraint("assistance_kg IS NULL OR weight_kg IS NULL", name="assisted_or_loaded"),
        CheckConstraint("is_warmup = (set_type = 'WARMUP')", name="warmup_is_set_type"),
    )

    id: Mapped[uuid_pk]
    performance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_exercise_performance.id", ondelete="CASCADE"), nullable=False
    )
    set_number: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    reps: Mapped[int | None] = mapped_column(SmallInteger)
    weight_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    is_warmup: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    set_type: Mapped[SetType] = mapped_column(
        db_enum(SetType, "set_type"), nullable=False, default=_default_set_type, server_default="WORKING"
    )
    """WARMUP exactly when is_warmup (a CHECK): a row given only is_warmup gets the matching type."""
    rpe: Mapped[Decimal | None] = mapped_column(Numeric(3, 1))
    rir: Mapped[int | None] = mapped_column(SmallInteger)
    distance_m: Mapped[Decimal | None] = mapped_column(Numeric(9, 1))
    """Metres covered in the set's time (a run, a row), to 1 m."""
    assistance_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    """Assisted bodyweight work: the weight taken off (a band, a machine's counterweight)."""
    calories: Mapped[int | None] = mapped_column(SmallInteger)
    """kcal burnt in the set on a cardio machine (migration 0015): alone or with the set's time."""
    created_at: Mapped[created_ts]

    performance: Mapped[UserExercisePerformance] = relationship(back_populates="sets", lazy="raise")


class UserMeasurement(Base):
    __tablename__ = "user_measurement"
    __table_args__ = (
        CheckConstraint("measured_value >= 0", name="measured_value_min"),
        CheckConstraint("length(unit) >= 1", name="unit_not_empty"),
        CheckConstraint("length(measurement_notes) <= 1000", name="measurement_notes_length"),
        Index("idx_user_measurement_date", "user_id", "metric_id", text("measurement_date DESC")),
        Index("idx_user_measurement_metric", "metric_id", text("measurement_date DESC")),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    metric_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("metric.id"), nullable=False)
    measured_value: Mapped[Decimal] = mapped_column(MEASURE, nullable=False)
    unit: Mapped[str] = mapped_column(String(20), nullable=False)
    measurement_date: Mapped[date] = mapped_column(Date, nullable=False)
    measurement_notes: Mapped[str | None] = mapped_column(Text)
    measurement_source: Mapped[MeasurementSource] = mapped_column(
        db_enum(MeasurementSource, "measurement_source"),
        nullable=False,
        default=MeasurementSource.MANUAL,
        server_default="MANUAL",
    )
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id"), nullable=False)
    updated_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    metric: Mapped[Metric] = relationship(lazy="raise")


class ProgramDaySession(Base):
    """Which scheduled workout (program day and slot) a session fulfils within an enrollment.

    The seed's session row has no program day, and one workout can be scheduled on many days, so this
    link is what makes "the sessions of the current day" exact. A re-activated enrollment starts a new
    run: the old links stay for history with is_current false.
    """

    __tablename__ = "program_day_session"
    __table_args__ = (
        CheckConstraint("day_number >= 1", name="day_number_min"),
        Index(
            "uq_program_day_session_current",
            "enrollment_id",
            "schedule_workout_id",
            unique=True,
            postgresql_where=text("is_current"),
            sqlite_where=text("is_current"),
        ),
        Index("idx_program_day_session_day", "enrollment_id", "day_number", "is_current"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), primary_key=True
    )
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_program_enrollment.id", ondelete="CASCADE"), nullable=False
    )
    schedule_workout_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("schedule_workout.id", ondelete="CASCADE"), nullable=False
    )
    day_number: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    is_current: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=text("true")
    )
    created_at: Mapped[created_ts]

    # Declared so the unit of work inserts the session before its link (and never loads it implicitly).
    workout_session: Mapped[UserWorkoutSession] = relationship(lazy="raise")


class EnrollmentDayState(Base):
    """Since which local date the enrollment's current_day is "today's" program day.

    Finishing a day's workouts makes the next program day current from the next local date; a rest day
    advances when its date has passed (the daily rollover). The seed's enrollment row has only
    current_day, so the date lives here, one row per enrollment.
    """

    __tablename__ = "enrollment_day_state"

    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_program_enrollment.id", ondelete="CASCADE"), primary_key=True
    )
    current_since: Mapped[date] = mapped_column(Date, nullable=False)
    updated_at: Mapped[updated_ts]
