"""Coaching: roles, invitations and coach-trainee links.

Free of Telegram; functions take a session and plain values and never commit. Every function that acts
for a coach checks the coach's role and, for anything about a trainee, the ACTIVE link: a user who is
not the coach's trainee is NotFound (never told apart from a user who does not exist).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, Role
from bot.db.models import CoachInvitation, CoachTrainee, User
from bot.i18n import N_, _
from bot.services.admins import remember_coach
from bot.services.errors import DomainError, Forbidden, NotFound
from bot.services.text_hygiene import shorten

INVITE_PREFIX: Final = "coach-"
INVITE_TTL: Final = timedelta(days=7)
MAX_MATCHES: Final = 8

COACH_ROLES: Final = (Role.COACH, Role.ADMIN)

NOT_A_COACH = N_("Only coaches can do that. Ask an admin to make you a coach.")
NOT_AN_ADMIN = N_("Only admins can do that.")
NOT_YOUR_TRAINEE = N_("That person is not one of your trainees.")
LINK_GONE = N_("That link does not exist any more.")
INVITE_INVALID = N_("This invitation link is not valid any more - ask your coach for a new one.")


# --- roles -----------------------------------------------------------------------------------------------


def is_coach(user: User) -> bool:
    return user.role in COACH_ROLES


def require_coach(user: User) -> None:
    if not is_coach(user):
        raise Forbidden(_(NOT_A_COACH))


def require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise Forbidden(_(NOT_AN_ADMIN))


async def find_user(session: AsyncSession, ref: str) -> User | None:
    """A registered user by `@username` (case-insensitive) or Telegram id."""
    ref = ref.strip()
    if ref.lstrip("-").isascii() and ref.lstrip("-").isdigit() and len(ref) <= 20:
        return await session.scalar(select(User).where(User.telegram_id == int(ref)))
    name = ref.removeprefix("@").lower()
    if not name:
        return None
    return await session.scalar(
        select(User).where(func.lower(User.username) == name).order_by(User.created_at).limit(1)
    )


async def make_coach(session: AsyncSession, admin: User, ref: str) -> User:
    """Grant the coach role (admins only). An admin stays an admin (they can coach already)."""
    require_admin(admin)
    target = await find_user(session, ref)
    if target is None:
        raise NotFound(
            _("I don't know {who} - they must send /start to the bot first.").format(who=shorten(ref))
        )
    if target.role == Role.TRAINEE:
        target.role = Role.COACH
        await session.flush()
    else:  # an admin (ADMIN_TELEGRAM_IDS) stays a coach when their admin rights are withdrawn
        await remember_coach(session, target)
    return target


# --- invitations -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InvitationInfo:
    token: str
    expires_at: datetime
    accepted_count: int
    created: bool


@dataclass(frozen=True, slots=True)
class InvitationView:
    token: str
    coach_id: uuid.UUID
    coach_name: str
    already_linked: bool


def looks_like_invite(payload: str | None) -> bool:
    return bool(payload) and str(payload).startswith(INVITE_PREFIX)


def new_token() -> str:
    return INVITE_PREFIX + secrets.token_urlsafe(18)  # 24 characters of A-Z a-z 0-9 _ -


def _valid_invite(now: datetime) -> ColumnElement[bool]:
    return and_(CoachInvitation.revoked_at.is_(None), CoachInvitation.expires_at > now)


async def create_invitation(
    session: AsyncSession, coach: User, now: datetime, *, fresh: bool = False
) -> InvitationInfo:
    """The coach's valid invitation, or a new one (always new with `fresh`, revoking the old ones)."""
    require_coach(coach)
    if fresh:
        await revoke_invitations(session, coach, now)
    else:
        current = await session.scalar(
            select(CoachInvitation)
            .where(CoachInvitation.coach_id == coach.id, _valid_invite(now))
            .order_by(CoachInvitation.expires_at.desc())
            .limit(1)
        )
        if current is not None:
            return InvitationInfo(current.token, current.expires_at, current.accepted_count, created=False)
    invitation = CoachInvitation(token=new_token(), coach_id=coach.id, expires_at=now + INVITE_TTL)
    session.add(invitation)
    await session.flush()
    return InvitationInfo(invitation.token, invitation.expires_at, 0, created=True)


async def revoke_invitations(session: AsyncSession, coach: User, now: datetime) -> int:
    """Revoke every valid invitation of the coach; how many there were."""
    require_coach(coach)
    result = await session.execute(
        update(CoachInvitation)
        .where(CoachInvitation.coach_id == coach.id, _valid_invite(now))
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def _invitation(session: AsyncSession, token: str, now: datetime) -> tuple[CoachInvitation, User]:
    row = (
        await session.execute(
            select(CoachInvitation, User)
            .join(User, User.id == CoachInvitation.coach_id)
            .where(CoachInvitation.token == token, _valid_invite(now), User.is_active.is_(True))
        )
    ).first()
    if row is None or row[1].role not in COACH_ROLES:
        raise NotFound(_(INVITE_INVALID))
    return row[0], row[1]


async def _link(session: AsyncSession, coach_id: uuid.UUID, trainee_id: uuid.UUID) -> CoachTrainee | None:
    return await session.scalar(
        select(CoachTrainee).where(CoachTrainee.coach_id == coach_id, CoachTrainee.trainee_id == trainee_id)
    )


async def view_invitation(session: AsyncSession, trainee: User, token: str, now: datetime) -> InvitationView:
    """What a trainee who opened the link sees; NotFound when it is unknown, expired or revoked."""
    invitation, coach = await _invitation(session, token, now)
    if coach.id == trainee.id:
        raise DomainError(_("This is your own invitation link - send it to your trainees."))
    link = await _link(session, coach.id, trainee.id)
    return InvitationView(
        token=invitation.token,
        coach_id=coach.id,
        coach_name=coach.display_name,
        already_linked=link is not None and link.status == CoachLinkStatus.ACTIVE,
    )


async def accept_invitation(session: AsyncSession, trainee: User, token: str, now: datetime) -> User:
    """Create (or re-activate) the ACTIVE link to the invitation's coach; the coach."""
    invitation, coach = await _invitation(session, token, now)
    if coach.id == trainee.id:
        raise DomainError(_("This is your own invitation link - send it to your trainees."))
    link = await _link(session, coach.id, trainee.id)
    if link is None:
        session.add(CoachTrainee(coach_id=coach.id, trainee_id=trainee.id, status=CoachLinkStatus.ACTIVE))
    elif link.status == CoachLinkStatus.ACTIVE:
        return coach
    else:
        link.status = CoachLinkStatus.ACTIVE
        link.ended_at = None
    invitation.accepted_count += 1
    invitation.last_accepted_at = now
    await session.flush()
    return coach


# --- links -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    id: uuid.UUID
    name: str
    username: str | None
    notify: bool = False


def person_of(user: User, notify: bool = False) -> Person:
    return Person(user.id, user.display_name, user.username, notify)


async def list_coaches(session: AsyncSession, trainee: User) -> list[Person]:
    rows = await session.execute(
        select(User)
        .join(CoachTrainee, CoachTrainee.coach_id == User.id)
        .where(CoachTrainee.trainee_id == trainee.id, CoachTrainee.status == CoachLinkStatus.ACTIVE)
        .order_by(User.first_name, User.id)
    )
    return [person_of(user) for user in rows.scalars()]


async def _end(session: AsyncSession, coach_id: uuid.UUID, trainee_id: uuid.UUID, now: datetime) -> None:
    link = await _link(session, coach_id, trainee_id)
    if link is None or link.status != CoachLinkStatus.ACTIVE:
        raise NotFound(_(LINK_GONE))
    link.status = CoachLinkStatus.ENDED
    link.ended_at = now
    link.notify_on_workout = False
    await session.flush()


async def coach_link(session: AsyncSession, trainee: User, coach_id: uuid.UUID) -> Person:
    """The trainee's coach through an ACTIVE link (what a Leave confirmation names), or NotFound."""
    link = await _link(session, coach_id, trainee.id)
    coach = await session.get(User, coach_id) if link is not None else None
    if link is None or link.status != CoachLinkStatus.ACTIVE or coach is None:
        raise NotFound(_(LINK_GONE))
    return person_of(coach)


async def leave_coach(session: AsyncSession, trainee: User, coach_id: uuid.UUID, now: datetime) -> Person:
    coach = await session.get(User, coach_id)
    await _end(session, coach_id, trainee.id, now)
    assert coach is not None
    return person_of(coach)


async def own_trainee(session: AsyncSession, coach: User, trainee_id: uuid.UUID) -> tuple[User, CoachTrainee]:
    """The trainee and the ACTIVE link, or NotFound."""
    require_coach(coach)
    row = (
        await session.execute(
            select(User, CoachTrainee)
            .join(CoachTrainee, CoachTrainee.trainee_id == User.id)
            .where(
                User.id == trainee_id,
                CoachTrainee.coach_id == coach.id,
                CoachTrainee.status == CoachLinkStatus.ACTIVE,
            )
        )
    ).first()
    if row is None:
        raise NotFound(_(NOT_YOUR_TRAINEE))
    return row[0], row[1]


async def remove_trainee(session: AsyncSession, coach: User, trainee_id: uuid.UUID, now: datetime) -> Person:
    trainee, _link_row = await own_trainee(session, coach, trainee_id)
    await _end(session, coach.id, trainee.id, now)
    return person_of(trainee)


async def set_notify(session: AsyncSession, coach: User, trainee_id: uuid.UUID, on: bool) -> Person:
    trainee, link = await own_trainee(session, coach, trainee_id)
    link.notify_on_workout = on
    await session.flush()
    return person_of(trainee, on)


async def list_trainees(session: AsyncSession, coach: User) -> list[Person]:
    require_coach(coach)
    rows = await session.execute(
        select(User, CoachTrainee.notify_on_workout)
        .join(CoachTrainee, CoachTrainee.trainee_id == User.id)
        .where(CoachTrainee.coach_id == coach.id, CoachTrainee.status == CoachLinkStatus.ACTIVE)
        .order_by(User.first_name, User.last_name, User.id)
    )
    return [person_of(user, notify) for user, notify in rows]


async def find_trainees(session: AsyncSession, coach: User, query: str) -> list[Person]:
    """The coach's trainees matching `@username`, or a name (exact first, else contains)."""
    trainees = await list_trainees(session, coach)
    query = query.strip()
    if query.startswith("@"):
        name = query[1:].lower()
        return [t for t in trainees if t.username and t.username.lower() == name]
    wanted = query.lower()
    exact = [
        t
        for t in trainees
        if t.name.lower() == wanted or t.name.split(" ")[0].lower() == wanted or (t.username or "") == wanted
    ]
    if exact:
        return exact
    return [t for t in trainees if wanted and wanted in t.name.lower()][:MAX_MATCHES]


def ids_of(people: Sequence[Person]) -> list[uuid.UUID]:
    return [p.id for p in people]
