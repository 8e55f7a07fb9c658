"""Progression (migration 0016): a program exercise's rule, and each trainee's current target per exercise.

The seed ERDs have no place for either: `exercise_instruction` (the project's own table) gets a
one-to-one `progression_rule`, and `trainee_target` holds what bot.services.progression computed.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, ForeignKey, Numeric, SmallInteger, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, updated_ts, uuid_pk
from bot.db.enums import ProgressionKind, TargetReason, db_enum

WEIGHT = Numeric(8, 2)
PERCENT = Numeric(5, 2)


class ProgressionRule(Base):
    """The rule of one exercise of a workout (`progression:` in the program format)."""

    __tablename__ = "progression_rule"
    __table_args__ = (
        CheckConstraint(
            "increment_kg IS NULL OR (increment_kg > 0 AND increment_kg < 100)", name="increment"
        ),
        CheckConstraint(
            "deload_after IS NULL OR (deload_after >= 1 AND deload_after <= 20)", name="deload_after"
        ),
        CheckConstraint(
            "deload_percent IS NULL OR (deload_percent > 0 AND deload_percent < 100)", name="deload_percent"
        ),
        CheckConstraint("(deload_after IS NULL) = (deload_percent IS NULL)", name="deload_together"),
        CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 150)", name="percent_range"),
        CheckConstraint(
            "training_max_percent IS NULL OR (training_max_percent > 0 AND training_max_percent <= 100)",
            name="training_max_percent",
        ),
        CheckConstraint(
            "(rule = 'PERCENT' AND percent IS NOT NULL AND increment_kg IS NULL)"
            " OR (rule <> 'PERCENT' AND increment_kg IS NOT NULL AND percent IS NULL"
            " AND training_max_percent IS NULL)",
            name="rule_fields",
        ),
    )

    instruction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise_instruction.id", ondelete="CASCADE"), primary_key=True
    )
    rule: Mapped[ProgressionKind] = mapped_column(
        db_enum(ProgressionKind, "progression_kind"), nullable=False
    )
    increment_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    deload_after: Mapped[int | None] = mapped_column(SmallInteger)
    deload_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    training_max_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    created_at: Mapped[created_ts]


class TraineeTarget(Base):
    """A trainee's current target on an exercise, why it is that, and their training max."""

    __tablename__ = "trainee_target"
    __table_args__ = (
        UniqueConstraint("user_id", "exercise_id", name="uq_trainee_target_user_exercise"),
        CheckConstraint("weight_kg IS NULL OR weight_kg > 0", name="weight_positive"),
        CheckConstraint("reps IS NULL OR reps >= 1", name="reps_min"),
        CheckConstraint("training_max_kg IS NULL OR training_max_kg > 0", name="training_max_positive"),
        CheckConstraint("e1rm_kg IS NULL OR e1rm_kg > 0", name="e1rm_positive"),
        CheckConstraint("fail_streak >= 0", name="fail_streak_min"),
    )

    id: Mapped[uuid_pk]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    exercise_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exercise.id", ondelete="CASCADE"), nullable=False, index=True
    )
    weight_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    reps: Mapped[int | None] = mapped_column(SmallInteger)
    training_max_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    """Set by the trainee (/tm) or their coach; a PERCENT rule works from it."""
    e1rm_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    """The best estimated 1RM when the target was last updated (a PERCENT rule without a set max)."""
    reason_kind: Mapped[TargetReason] = mapped_column(db_enum(TargetReason, "target_reason"), nullable=False)
    reason_on: Mapped[date | None] = mapped_column(Date)
    """The trainee's local date of the session (or change) the reason refers to."""
    reason_amount_kg: Mapped[Decimal | None] = mapped_column(WEIGHT)
    """The change in kg (negative for a deload)."""
    reason_percent: Mapped[Decimal | None] = mapped_column(PERCENT)
    reason_reps: Mapped[int | None] = mapped_column(SmallInteger)
    """Double progression: the rep goal's climb."""
    reason_missed: Mapped[int | None] = mapped_column(SmallInteger)
    """Sessions missed in a row (HOLD, DELOAD)."""
    fail_streak: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    set_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    """The coach who set the target (reason COACH), or who last set the training max."""
    created_at: Mapped[created_ts]
    updated_at: Mapped[updated_ts]
