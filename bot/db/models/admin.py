"""Admin rights given by ADMIN_TELEGRAM_IDS, remembered so they can be withdrawn (bot.services.admins)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, created_ts
from bot.db.enums import Role, db_enum


class AdminGrant(Base):
    """One user made an admin because their Telegram id is in ADMIN_TELEGRAM_IDS.

    `previous_role` is what they were before (TRAINEE or COACH; an admin's /makecoach makes it COACH):
    the role they get back when their id leaves the setting. A row goes with its user.
    """

    __tablename__ = "admin_grant"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("app_user.id", ondelete="CASCADE"), primary_key=True
    )
    previous_role: Mapped[Role] = mapped_column(db_enum(Role, "previous_role"), nullable=False)
    granted_at: Mapped[created_ts]
