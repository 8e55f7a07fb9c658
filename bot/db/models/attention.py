"""What a coach and a program add around a workout: a coach's comment (and the trainee's one answer),
the readiness answers given before it, and a program's coaching rules (readiness, stall remedy)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, SmallInteger, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, uuid_pk

COMMENT_LIMIT = 1000
"""Characters a coach's comment or a trainee's answer may hold (the table's CHECKs say the same)."""
REMEDY_LIMIT = 500
"""Characters of a program's stall remedy."""


class WorkoutComment(Base):
    """A coach's comment on one workout session of their trainee; the trainee may answer it once."""

    __tablename__ = "workout_comment"
    __table_args__ = (
        CheckConstraint(f"length(body) >= 1 AND length(body) <= {COMMENT_LIMIT}", name="body_length"),
        CheckConstraint(
            f"answer IS NULL OR (length(answer) >= 1 AND length(answer) <= {COMMENT_LIMIT})",
            name="answer_length",
        ),
        CheckConstraint("(answer IS NULL) = (answered_at IS NULL)", name="answered_together"),
        Index("idx_workout_comment_session", "session_id", "created_at"),
    )

    id: Mapped[uuid_pk]
    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), nullable=False
    )
    coach_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("app_user.id", ondelete="SET NULL"), index=True
    )
    """The coach who wrote it (NULL once that coach deleted their account: the comment stays)."""
    body: Mapped[str] = mapped_column(Text(), nullable=False)
    answer: Mapped[str | None] = mapped_column(Text())
    answered_at: Mapped[datetime | None]
    created_at: Mapped[created_ts]


class SessionReadiness(Base):
    """The readiness answers (1 = worst ... 5 = best) given before a workout, or a skipped question
    (all three NULL), and the weight reduction that day's prescription got from them."""

    __tablename__ = "session_readiness"
    __table_args__ = (
        CheckConstraint("sleep IS NULL OR (sleep >= 1 AND sleep <= 5)", name="sleep_range"),
        CheckConstraint("stress IS NULL OR (stress >= 1 AND stress <= 5)", name="stress_range"),
        CheckConstraint("soreness IS NULL OR (soreness >= 1 AND soreness <= 5)", name="soreness_range"),
        CheckConstraint(
            "(sleep IS NULL AND stress IS NULL AND soreness IS NULL)"
            " OR (sleep IS NOT NULL AND stress IS NOT NULL AND soreness IS NOT NULL)",
            name="all_or_none",
        ),
        CheckConstraint("reduce_percent >= 0 AND reduce_percent <= 50", name="reduce_percent_range"),
    )

    session_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_workout_session.id", ondelete="CASCADE"), primary_key=True
    )
    sleep: Mapped[int | None] = mapped_column(SmallInteger)
    stress: Mapped[int | None] = mapped_column(SmallInteger)
    soreness: Mapped[int | None] = mapped_column(SmallInteger)
    reduce_percent: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    created_at: Mapped[created_ts]


class ProgramRule(Base):
    """A program's coaching rules from the program format: the readiness question (asked when
    `readiness_enabled`; an answer below `low_below` lowers the day's weights by `reduce_percent`) and
    the remedy shown for a stalled lift."""

    __tablename__ = "program_rule"
    __table_args__ = (
        CheckConstraint("low_below >= 2 AND low_below <= 5", name="low_below_range"),
        CheckConstraint("reduce_percent >= 0 AND reduce_percent <= 50", name="reduce_percent_range"),
        CheckConstraint(
            f"stall_remedy IS NULL OR (length(stall_remedy) >= 1 AND length(stall_remedy) <= {REMEDY_LIMIT})",
            name="stall_remedy_length",
        ),
    )

    program_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("program.id", ondelete="CASCADE"), primary_key=True
    )
    readiness_enabled: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default=text("false")
    )
    low_below: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=2, server_default="2")
    reduce_percent: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0, server_default="0")
    stall_remedy: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[created_ts]
