"""The reminder log: one row per enrollment and local date, claimed before a reminder is sent."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, updated_ts, uuid_pk
from bot.db.enums import ReminderStatus, db_enum


class ReminderLog(Base):
    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "local_date", name="uq_reminder_log_enrollment_day"),
        Index("idx_reminder_log_user_date", "user_id", "local_date"),
    )

    id: Mapped[uuid_pk]
    enrollment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_program_enrollment.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    local_date: Mapped[date] = mapped_column(Date, nullable=False)
    program_day: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    status: Mapped[ReminderStatus] = mapped_column(
        db_enum(ReminderStatus, "reminder_status"),
        nullable=False,
        default=ReminderStatus.CLAIMED,
        server_default="CLAIMED",
    )
    attempts: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    claimed_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
