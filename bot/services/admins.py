"""Admin rights from ADMIN_TELEGRAM_IDS: granted, remembered, withdrawn.

The setting is the only source of admin rights (besides the system user, which is never touched):

- an id in the setting is an admin from their registration on, and an existing user whose id is added
  becomes one at the bot's start (`sync_admin_ids`) - or on their next update when they registered
  later (`grant_admin`, called by registration and the bot's per-update check);
- an id removed from the setting loses the rights at the bot's start: the user gets back the role they
  had before the grant (an AdminGrant row remembers it; an admin's /makecoach makes it COACH).
  Admins made before grants were recorded get COACH if they ever coached (a trainee link or an
  invitation), else TRAINEE.

Plain values out (RoleChange), so the Telegram layer can update the users' command menus. Never commits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import Role
from bot.db.models import AdminGrant, CoachInvitation, CoachTrainee, User
from bot.i18n import LOCALES, locale_for_language_code
from bot.services.seed import SYSTEM_TELEGRAM_ID


@dataclass(frozen=True, slots=True)
class RoleChange:
    """A user's role changed by the setting: who, where their menu lives, and the new role."""

    telegram_id: int
    chat_id: int | None
    role: Role
    previous: Role


def _managed(user: User) -> bool:
    return user.telegram_id != SYSTEM_TELEGRAM_ID


async def grant_admin(session: AsyncSession, user: User) -> RoleChange | None:
    """Make `user` an admin, remembering their role; None when they are one already."""
    if user.role == Role.ADMIN or not _managed(user):
        return None
    previous = user.role
    grant = await session.get(AdminGrant, user.id)
    if grant is None:
        try:
            async with session.begin_nested():
                session.add(AdminGrant(user_id=user.id, previous_role=previous))
        except IntegrityError:  # another process (starting at the same time) granted it first
            pass
    else:  # left over from an earlier grant: the role they have now is what counts
        grant.previous_role = previous
    user.role = Role.ADMIN
    await session.flush()
    return RoleChange(user.telegram_id, user.chat_id, Role.ADMIN, previous)


async def withdraw_admin(session: AsyncSession, user: User) -> RoleChange | None:
    """Give an admin back the role they had before the grant; None when they are not an admin."""
    if user.role != Role.ADMIN or not _managed(user):
        return None
    grant = await session.get(AdminGrant, user.id)
    if grant is not None and grant.previous_role != Role.ADMIN:
        role: Role = grant.previous_role
    else:
        role = await _inferred_role(session, user)
    if grant is not None:  # by statement: another process withdrawing it at the same time is no error
        session.expunge(grant)
        await session.execute(delete(AdminGrant).where(AdminGrant.user_id == user.id))
    user.role = role
    await session.flush()
    return RoleChange(user.telegram_id, user.chat_id, role, Role.ADMIN)


async def _inferred_role(session: AsyncSession, user: User) -> Role:
    """An admin without a grant (made before grants were kept): COACH if they ever coached."""
    coached = await session.scalar(
        select(
            or_(
                exists().where(CoachTrainee.coach_id == user.id),
                exists().where(CoachInvitation.coach_id == user.id),
            )
        )
    )
    return Role.COACH if coached else Role.TRAINEE


async def remember_coach(session: AsyncSession, user: User) -> None:
    """An admin was made a coach (/makecoach): when their admin rights go, they stay a coach."""
    if user.role != Role.ADMIN:
        return
    grant = await session.get(AdminGrant, user.id)
    if grant is None:
        try:
            async with session.begin_nested():
                session.add(AdminGrant(user_id=user.id, previous_role=Role.COACH))
        except IntegrityError:  # granted by another process meanwhile
            grant = await session.get(AdminGrant, user.id)
    if grant is not None:
        grant.previous_role = Role.COACH
    await session.flush()


async def sync_admin_ids(session: AsyncSession, admin_ids: Collection[int]) -> list[RoleChange]:
    """At the bot's start: every registered id of the setting an admin, every other admin withdrawn."""
    ids = sorted(set(admin_ids) - {SYSTEM_TELEGRAM_ID})
    changes: list[RoleChange] = []
    if ids:
        promoted = await session.scalars(
            select(User).where(User.telegram_id.in_(ids), User.role != Role.ADMIN).order_by(User.telegram_id)
        )
        for user in promoted.all():
            change = await grant_admin(session, user)
            if change is not None:
                changes.append(change)
    removed = await session.scalars(
        select(User)
        .where(
            User.role == Role.ADMIN,
            User.telegram_id != SYSTEM_TELEGRAM_ID,
            User.telegram_id.not_in(ids),
        )
        .order_by(User.telegram_id)
    )
    for user in removed.all():
        change = await withdraw_admin(session, user)
        if change is not None:
            changes.append(change)
    return changes


async def admin_chats(session: AsyncSession, admin_ids: Collection[int]) -> list[tuple[int, int, str]]:
    """(Telegram id, private chat id, locale) of the setting's registered admins, for their command menu
    (in their language: bot.i18n.user_locale)."""
    ids = sorted(set(admin_ids) - {SYSTEM_TELEGRAM_ID})
    if not ids:
        return []
    rows = await session.execute(
        select(User.telegram_id, User.chat_id, User.language, User.language_code)
        .where(User.telegram_id.in_(ids), User.role == Role.ADMIN, User.chat_id.is_not(None))
        .order_by(User.telegram_id)
    )
    return [
        (telegram_id, chat_id, language if language in LOCALES else locale_for_language_code(code))
        for telegram_id, chat_id, language, code in rows.all()
        if chat_id is not None
    ]


__all__ = [
    "RoleChange",
    "admin_chats",
    "grant_admin",
    "remember_coach",
    "sync_admin_ids",
    "withdraw_admin",
]
