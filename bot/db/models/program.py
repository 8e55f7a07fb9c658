"""The program catalog, exactly as ../shared/seeds/000 (program, categories, tags, schedule, phases)."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, active_flag, created_ts, updated_ts, uuid_pk
from bot.db.models.catalog import Category, DifficultyLevel, Tag, Visibility, Workout


def _user_fk() -> Mapped[uuid.UUID]:
    return mapped_column(ForeignKey("app_user.id"), nullable=False)


class Program(Base):
    __tablename__ = "program"
    __table_args__ = (
        CheckConstraint("length(description) <= 2000", name="description_length"),
        CheckConstraint("length(notes) <= 2000", name="notes_length"),
        Index("idx_program_created_by", "created_by"),
    )

    id: Mapped[uuid_pk]
    name: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    difficulty_level_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("difficulty_level.id"), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    visibility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visibility.id"), nullable=False)
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    difficulty: Mapped[DifficultyLevel] = relationship(lazy="raise")
    visibility: Mapped[Visibility] = relationship(lazy="raise")
    categories: Mapped[list[ProgramCategory]] = relationship(
        back_populates="program", lazy="raise", cascade="all, delete-orphan"
    )
    tags: Mapped[list[ProgramTag]] = relationship(
        back_populates="program", lazy="raise", cascade="all, delete-orphan"
    )
    schedules: Mapped[list[ProgramSchedule]] = relationship(
        back_populates="program", lazy="raise", cascade="all, delete-orphan"
    )
    phases: Mapped[list[ProgramPhase]] = relationship(
        back_populates="program",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="ProgramPhase.order_index",
    )


class ProgramCategory(Base):
    __tablename__ = "program_category"

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("category.id"), primary_key=True)
    is_primary: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    program: Mapped[Program] = relationship(back_populates="categories", lazy="raise")
    category: Mapped[Category] = relationship(lazy="raise")


class ProgramTag(Base):
    __tablename__ = "program_tag"

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("tag.id"), primary_key=True)
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    program: Mapped[Program] = relationship(back_populates="tags", lazy="raise")
    tag: Mapped[Tag] = relationship(lazy="raise")


class ProgramSchedule(Base):
    __tablename__ = "program_schedule"
    __table_args__ = (
        CheckConstraint("length(notes) <= 2000", name="notes_length"),
        Index("idx_program_schedule_program", "program_id", "is_active"),
    )

    id: Mapped[uuid_pk]
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), nullable=False
    )
    length_days: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    rest_days_per_week: Mapped[int] = mapped_column(
        SmallInteger, nullable=False, default=1, server_default="1"
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    program: Mapped[Program] = relationship(back_populates="schedules", lazy="raise")
    workouts: Mapped[list[ScheduleWorkout]] = relationship(
        back_populates="schedule",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="(ScheduleWorkout.day_number, ScheduleWorkout.order_index)",
    )


class ScheduleWorkout(Base):
    __tablename__ = "schedule_workout"
    __table_args__ = (
        CheckConstraint("length(notes) <= 1000", name="notes_length"),
        Index("idx_schedule_workout_day", "schedule_id", "day_number", "order_index"),
        Index("idx_schedule_workout_workout", "workout_id"),
    )

    id: Mapped[uuid_pk]
    schedule_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program_schedule.id", ondelete="CASCADE"), nullable=False
    )
    workout_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workout.id"), nullable=False)
    day_number: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    order_index: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    is_optional: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    schedule: Mapped[ProgramSchedule] = relationship(back_populates="workouts", lazy="raise")
    workout: Mapped[Workout] = relationship(lazy="raise")


class ProgramPhase(Base):
    __tablename__ = "program_phase"
    __table_args__ = (
        CheckConstraint("length(description) <= 1000", name="description_length"),
        Index("idx_program_phase_program", "program_id", "order_index"),
    )

    id: Mapped[uuid_pk]
    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    start_day: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    end_day: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    order_index: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    created_by: Mapped[uuid.UUID] = _user_fk()
    created_at: Mapped[created_ts]
    is_active: Mapped[active_flag]

    program: Mapped[Program] = relationship(back_populates="phases", lazy="raise")
