"""A trainee's loading settings: their barbell, the plates they own and what the Warm-up button does.

Tables of their own rather than columns of app_user: on SQLite, adding a column with a CHECK copies
the table, and app_user cannot be copied once other rows refer to it. No row means the defaults of the
user's unit (bot.services.plates: a 20 kg / 45 lb bar and a commercial gym's plates; the ramp shown
first).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, updated_ts, uuid_pk
from bot.db.enums import WarmupMode, db_enum


class UserLoading(Base):
    """The trainee's bar and warm-up mode; one row per user, created when they change either."""

    __tablename__ = "user_loading"
    __table_args__ = (
        CheckConstraint("bar_weight_kg IS NULL OR bar_weight_kg > 0", name="bar_weight_positive"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    bar_weight_kg: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    """NULL: the standard bar of the user's unit (20 kg / 45 lb)."""
    warmup_mode: Mapped[WarmupMode] = mapped_column(
        db_enum(WarmupMode, "warmup_mode"), nullable=False, default=WarmupMode.SHOW, server_default="SHOW"
    )
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]


class UserPlate(Base):
    """A plate size the trainee owns (pairs of it, in any number), in kg. A trainee without rows has the
    default set of their unit."""

    __tablename__ = "user_plate"
    __table_args__ = (
        UniqueConstraint("user_id", "weight_kg", name="uq_user_plate"),
        CheckConstraint("weight_kg > 0", name="weight_positive"),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(8, 2), nullable=False)
    created_at: Mapped[created_ts]
