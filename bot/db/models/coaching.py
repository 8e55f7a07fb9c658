"""Coach invitations: the deep links a coach hands out to new trainees."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts, uuid_pk


class CoachInvitation(Base):
    """One invitation link (t.me/BOT?start=TOKEN): valid until `expires_at` unless revoked.

    `accepted_count` counts the trainees who accepted through it (a link may be shared with several).
    """

    __tablename__ = "coach_invitation"
    __table_args__ = (
        CheckConstraint("accepted_count >= 0", name="accepted_count_min"),
        CheckConstraint("length(token) >= 16", name="token_length"),
        Index("idx_coach_invitation_coach", "coach_id", "expires_at"),
    )

    id: Mapped[uuid_pk]
    token: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    coach_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), nullable=False)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    accepted_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default=text("0"))
    last_accepted_at: Mapped[datetime | None]
    created_at: Mapped[created_ts]
