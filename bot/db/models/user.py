"""The user (USER in the ERDs) and the coach-trainee link."""

from __future__ import annotations

import uuid
from datetime import datetime, time

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, active_flag, created_ts, updated_ts, uuid_pk
from bot.db.enums import CoachLinkStatus, Role, WeightUnit, db_enum


class User(Base):
    """A Telegram user of the bot: trainee, coach or admin.

    The table is `app_user` because `user` is a reserved word in PostgreSQL.
    """

    __tablename__ = "app_user"
    __table_args__ = (
        CheckConstraint("length(timezone) >= 1", name="timezone_not_empty"),
        CheckConstraint("language IN ('en', 'ru')", name="language_known"),
        Index("idx_app_user_reminders", "reminders_enabled", "reminder_time"),
        # The scheduler's due queries (bot.services.reminders): `next_* <= now ORDER BY next_*, id`,
        # answered from the index alone.
        Index("idx_app_user_next_reminder", "next_reminder_at", "id"),
        Index("idx_app_user_next_rollover", "next_rollover_at", "id"),
        Index("idx_app_user_next_summary", "next_summary_at", "id"),
    )

    id: Mapped[uuid_pk]
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True, nullable=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    username: Mapped[str | None] = mapped_column(String(32), index=True)
    first_name: Mapped[str] = mapped_column(String(64), nullable=False)
    last_name: Mapped[str | None] = mapped_column(String(64))
    language_code: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(8))
    """The bot's language chosen with /language (wins over `language_code`); NULL: follow Telegram's."""
    timezone: Mapped[str] = mapped_column(String(64), nullable=False, default="UTC", server_default="UTC")
    reminder_time: Mapped[time] = mapped_column(
        Time, nullable=False, default=time(7, 0), server_default=text("'07:00:00'")
    )
    reminders_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=text("true")
    )
    weekly_summary_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    # When the scheduler next acts for this user (UTC; see bot.services.reminders): the daily reminder
    # (NULL while reminders are off), the local midnight rollover (NULL: not scheduled yet - the next
    # tick schedules the user) and the weekly summary (NULL while it is off).
    next_reminder_at: Mapped[datetime | None]
    next_rollover_at: Mapped[datetime | None]
    next_summary_at: Mapped[datetime | None]
    rest_timer_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=text("true")
    )
    exercise_rating_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=True, server_default=text("true")
    )
    """Ask "how hard was it?" after each exercise of a workout (a setting)."""
    weight_unit: Mapped[WeightUnit] = mapped_column(
        db_enum(WeightUnit, "weight_unit"), nullable=False, default=WeightUnit.KG, server_default="KG"
    )
    role: Mapped[Role] = mapped_column(
        db_enum(Role, "role"), nullable=False, default=Role.TRAINEE, server_default="TRAINEE"
    )
    start_payload: Mapped[str | None] = mapped_column(String(64))
    onboarded_at: Mapped[datetime | None]
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
    is_active: Mapped[active_flag]

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class CoachTrainee(Base):
    """A coach's link to a trainee; one row per pair, ENDED when either side leaves."""

    __tablename__ = "coach_trainee"
    __table_args__ = (
        UniqueConstraint("coach_id", "trainee_id", name="uq_coach_trainee_pair"),
        CheckConstraint("coach_id <> trainee_id", name="not_self"),
        Index("idx_coach_trainee_trainee", "trainee_id", "status"),
    )

    id: Mapped[uuid_pk]
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    trainee_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False
    )
    status: Mapped[CoachLinkStatus] = mapped_column(
        db_enum(CoachLinkStatus, "coach_link_status"),
        nullable=False,
        default=CoachLinkStatus.ACTIVE,
        server_default="ACTIVE",
    )
    notify_on_workout: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    ended_at: Mapped[datetime | None]
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
