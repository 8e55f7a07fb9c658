"""Coaching: roles, invitations, coach-trainee links, assigning programs, authored programs, the roster.

Free of Telegram; functions take a session and plain values and never commit. Every function that acts
for a coach checks the coach's role and, for anything about a trainee, the ACTIVE link: a user who is
not the coach's trainee is NotFound (never told apart from a user who does not exist).
"""

from __future__ import annotations

import asyncio
import difflib
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Final

from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, EnrollmentStatus, Role, SessionStatus, VisibilityCode
from bot.db.models import (
    CoachInvitation,
    CoachTrainee,
    Program,
    ProgramDaySession,
    ScheduleWorkout,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
    Visibility,
    Workout,
)
from bot.services import enrollment as enrollments
from bot.services.errors import DomainError, Forbidden, NotFound
from bot.services.program_day import OPEN
from bot.services.program_format import ProgramDoc, dump_program, slugify
from bot.services.seed import KnownCodes, export_program, import_program, load_known_codes
from bot.services.timezones import local_today
from bot.services.workouts import session_summary

INVITE_PREFIX: Final = "coach-"
INVITE_TTL: Final = timedelta(days=7)
ADHERENCE_WINDOW: Final = timedelta(days=14)
RATINGS_WINDOW: Final = timedelta(days=7)
MAX_UPLOAD_BYTES: Final = 256 * 1024
RECENT_SESSIONS: Final = 8
MAX_MATCHES: Final = 8

COACH_ROLES: Final = (Role.COACH, Role.ADMIN)

NOT_A_COACH = "Only coaches can do that. Ask an admin to make you a coach."
NOT_AN_ADMIN = "Only admins can do that."
NOT_YOUR_TRAINEE = "That person is not one of your trainees."
INVITE_INVALID = "This invitation link is not valid any more - ask your coach for a new one."


# --- roles -----------------------------------------------------------------------------------------------


def is_coach(user: User) -> bool:
    return user.role in COACH_ROLES


def require_coach(user: User) -> None:
    if not is_coach(user):
        raise Forbidden(NOT_A_COACH)


def require_admin(user: User) -> None:
    if user.role != Role.ADMIN:
        raise Forbidden(NOT_AN_ADMIN)


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
        raise NotFound(f"I don't know {ref} - they must send /start to the bot first.")
    if target.role == Role.TRAINEE:
        target.role = Role.COACH
        await session.flush()
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
        raise NotFound(INVITE_INVALID)
    return row[0], row[1]


async def _link(session: AsyncSession, coach_id: uuid.UUID, trainee_id: uuid.UUID) -> CoachTrainee | None:
    return await session.scalar(
        select(CoachTrainee).where(CoachTrainee.coach_id == coach_id, CoachTrainee.trainee_id == trainee_id)
    )


async def view_invitation(session: AsyncSession, trainee: User, token: str, now: datetime) -> InvitationView:
    """What a trainee who opened the link sees; NotFound when it is unknown, expired or revoked."""
    invitation, coach = await _invitation(session, token, now)
    if coach.id == trainee.id:
        raise DomainError("This is your own invitation link - send it to your trainees.")
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
        raise DomainError("This is your own invitation link - send it to your trainees.")
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
        raise NotFound("That link does not exist any more.")
    link.status = CoachLinkStatus.ENDED
    link.ended_at = now
    link.notify_on_workout = False
    await session.flush()


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
        raise NotFound(NOT_YOUR_TRAINEE)
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


# --- programs a coach uses -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgramRef:
    id: uuid.UUID
    name: str
    visibility: VisibilityCode
    own: bool
    trainees: int = 0


def _usable(coach: User) -> ColumnElement[bool]:
    """Programs a coach may assign: active, and public or their own."""
    return and_(
        Program.is_active.is_(True),
        or_(Visibility.code == VisibilityCode.PUBLIC, Program.created_by == coach.id),
    )


async def usable_programs(session: AsyncSession, coach: User) -> list[ProgramRef]:
    """The coach's own programs first, then the public ones, by name."""
    require_coach(coach)
    own = Program.created_by == coach.id
    rows = await session.execute(
        select(Program.id, Program.name, Visibility.code, own)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .where(_usable(coach))
        .order_by(own.desc(), Program.name)
    )
    return [ProgramRef(pid, name, VisibilityCode(code), bool(mine)) for pid, name, code, mine in rows]


@dataclass(frozen=True, slots=True)
class ProgramMatch:
    found: ProgramRef | None
    suggestions: list[ProgramRef]


async def match_program(session: AsyncSession, coach: User, query: str) -> ProgramMatch:
    """The program named `query` among those the coach may use: exact (any case), else the single one
    containing it; otherwise close names as suggestions."""
    programs = await usable_programs(session, coach)
    wanted = " ".join(query.split()).lower()
    exact = [p for p in programs if p.name.lower() == wanted]
    if exact:
        return ProgramMatch(exact[0], [])
    containing = [p for p in programs if wanted and wanted in p.name.lower()]
    if len(containing) == 1:
        return ProgramMatch(containing[0], [])
    if containing:
        return ProgramMatch(None, containing[:MAX_MATCHES])
    names = {p.name.lower(): p for p in programs}
    close = difflib.get_close_matches(wanted, list(names), n=MAX_MATCHES, cutoff=0.4)
    return ProgramMatch(None, [names[name] for name in close])


async def _usable_program(session: AsyncSession, coach: User, program_id: uuid.UUID) -> Program:
    program = await session.scalar(
        select(Program)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .where(Program.id == program_id, _usable(coach))
    )
    if program is None:
        raise NotFound("That program is not available.")
    return program


# --- assigning and managing enrollments ------------------------------------------------------------------


async def assign(
    session: AsyncSession,
    coach: User,
    trainee_id: uuid.UUID,
    program_id: uuid.UUID,
    start: date | None,
    now: datetime,
) -> tuple[User, enrollments.EnrollmentInfo]:
    """Enroll the coach's trainee (assigned_by = created_by = the coach); `start` defaults to the
    trainee's today. Re-activates an ended enrollment; refuses an open one."""
    trainee, _link_row = await own_trainee(session, coach, trainee_id)
    program = await _usable_program(session, coach, program_id)
    start = start or local_today(trainee.timezone, now)
    try:
        info = await enrollments.enroll(session, trainee, program.id, start, now, actor=coach)
    except enrollments.AlreadyEnrolled:
        raise DomainError(f"{trainee.display_name} already follows {program.name}.") from None
    return trainee, info


async def trainee_enrollments(
    session: AsyncSession, coach: User, trainee_id: uuid.UUID
) -> list[enrollments.EnrollmentInfo]:
    trainee, _link_row = await own_trainee(session, coach, trainee_id)
    return await enrollments.list_enrollments(session, trainee, OPEN)


async def _trainee_of_enrollment(session: AsyncSession, coach: User, enrollment_id: uuid.UUID) -> User:
    trainee_id = await session.scalar(
        select(UserProgramEnrollment.user_id).where(UserProgramEnrollment.id == enrollment_id)
    )
    if trainee_id is None:
        raise NotFound("That enrollment does not exist.")
    trainee, _link_row = await own_trainee(session, coach, trainee_id)
    return trainee


async def manage_enrollment(
    session: AsyncSession, coach: User, enrollment_id: uuid.UUID, action: str, now: datetime
) -> tuple[User, enrollments.EnrollmentInfo]:
    """Pause, resume or end ("pause" / "resume" / "end") a trainee's enrollment, as their coach."""
    trainee = await _trainee_of_enrollment(session, coach, enrollment_id)
    if action == "pause":
        info = await enrollments.pause(session, trainee, enrollment_id, actor=coach)
    elif action == "resume":
        info = await enrollments.resume(session, trainee, enrollment_id, now, actor=coach)
    elif action == "end":
        info = await enrollments.quit_program(session, trainee, enrollment_id, actor=coach)
    else:
        raise DomainError("Unknown action.")
    return trainee, info


# --- authoring -------------------------------------------------------------------------------------------


async def upload_program(session: AsyncSession, coach: User, source: bytes | str) -> Program:
    """Validate a program document in full, then write it as the coach's PRIVATE program.

    Raises ProgramFormatError (every problem, with its location) or ProgramExistsError before anything
    is written; the caller's transaction makes the write all-or-nothing.
    """
    require_coach(coach)
    doc = await parse_upload(await load_known_codes(session), source)
    return await save_upload(session, coach, doc)


async def parse_upload(known: KnownCodes, source: bytes | str) -> ProgramDoc:
    """Parse and validate an uploaded program document in a worker thread, off the event loop (up to
    `MAX_UPLOAD_BYTES`; the YAML depth and size limits of bot.services.program_format apply there).

    Needs no session: the bot runs it between two transactions (`known` read in the first, the program
    written by `save_upload` in the second), so no transaction waits for the parse. Raises
    ProgramFormatError with every problem, or DomainError for a file that is too large.
    """
    if len(source) > MAX_UPLOAD_BYTES:
        raise DomainError(f"The file is too large: at most {MAX_UPLOAD_BYTES // 1024} KB.")
    return await asyncio.to_thread(known.parse, source)


async def save_upload(session: AsyncSession, coach: User, doc: ProgramDoc) -> Program:
    """Write a parsed program (`parse_upload`) as the coach's PRIVATE program; ProgramExistsError if the
    coach has one of that name. All-or-nothing in the caller's transaction."""
    require_coach(coach)
    return await import_program(session, doc, owner=coach, visibility=VisibilityCode.PRIVATE)


async def my_programs(session: AsyncSession, coach: User) -> list[ProgramRef]:
    """The coach's own programs with how many trainees follow each (one query)."""
    require_coach(coach)
    following = (
        select(func.count(UserProgramEnrollment.id))
        .where(
            UserProgramEnrollment.program_id == Program.id,
            UserProgramEnrollment.enrollment_status.in_(OPEN),
        )
        .correlate(Program)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(Program.id, Program.name, Visibility.code, following)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .where(Program.created_by == coach.id, Program.is_active.is_(True))
        .order_by(Program.name)
    )
    return [ProgramRef(pid, name, VisibilityCode(code), True, int(n or 0)) for pid, name, code, n in rows]


async def own_program(session: AsyncSession, coach: User, program_id: uuid.UUID) -> ProgramRef:
    require_coach(coach)
    row = (
        await session.execute(
            select(Program.id, Program.name, Visibility.code)
            .join(Visibility, Visibility.id == Program.visibility_id)
            .where(Program.id == program_id, Program.created_by == coach.id, Program.is_active.is_(True))
        )
    ).first()
    if row is None:
        raise NotFound("That program is not one of yours.")
    return ProgramRef(row[0], row[1], VisibilityCode(row[2]), True)


async def set_visibility(
    session: AsyncSession, coach: User, program_id: uuid.UUID, code: VisibilityCode
) -> ProgramRef:
    """Change the visibility of one of the coach's programs."""
    ref = await own_program(session, coach, program_id)
    visibility_id = await session.scalar(select(Visibility.id).where(Visibility.code == code))
    if visibility_id is None:
        raise NotFound("That visibility does not exist.")
    program = await session.get(Program, ref.id)
    assert program is not None
    program.visibility_id = visibility_id
    await session.flush()
    return ProgramRef(ref.id, ref.name, code, True)


async def export_for(session: AsyncSession, coach: User, name: str) -> tuple[str, str]:
    """(file name, YAML) of a program the coach may use, by name; suggestions in the error otherwise."""
    match = await match_program(session, coach, name)
    if match.found is None:
        hint = (
            f" Did you mean: {', '.join(p.name for p in match.suggestions[:4])}?" if match.suggestions else ""
        )
        raise NotFound(f"No program of yours is called '{name}'.{hint}")
    doc: ProgramDoc = await export_program(session, match.found.id)
    return f"{slugify(doc.name)}.yaml", dump_program(doc)


# --- following trainees --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RosterRow:
    trainee: Person
    program: str | None
    current_day: int | None
    enrollment_status: EnrollmentStatus | None
    last_workout: datetime | None
    completed: int
    scheduled: int
    avg_effort: Decimal | None
    avg_soreness: Decimal | None

    @property
    def adherence(self) -> int | None:
        """Completed / scheduled over the window, as a whole percentage; None with nothing scheduled."""
        return round(100 * self.completed / self.scheduled) if self.scheduled else None


def _avg(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.1"))


async def roster(session: AsyncSession, coach: User, now: datetime) -> list[RosterRow]:
    """Every active trainee with their program, day, last workout, 14-day adherence and 7-day average
    ratings: three queries whatever the number of trainees.

    Adherence counts the program sessions scheduled in the last 14 days up to now (not optional, not
    cancelled by quitting): `completed` are those COMPLETED.
    """
    people = await list_trainees(session, coach)
    ids = [p.id for p in people]
    if not ids:
        return []
    enrolled = await session.execute(
        select(
            UserProgramEnrollment.user_id,
            Program.name,
            UserProgramEnrollment.current_day,
            UserProgramEnrollment.enrollment_status,
        )
        .join(Program, Program.id == UserProgramEnrollment.program_id)
        .where(
            UserProgramEnrollment.user_id.in_(ids),
            UserProgramEnrollment.enrollment_status.in_(OPEN),
            UserProgramEnrollment.is_active.is_(True),
        )
        .order_by(
            UserProgramEnrollment.user_id,
            (UserProgramEnrollment.enrollment_status == EnrollmentStatus.ACTIVE).desc(),
            UserProgramEnrollment.start_date.desc(),
        )
    )
    programs: dict[uuid.UUID, tuple[str, int, EnrollmentStatus]] = {}
    for user_id, name, day, status in enrolled:
        programs.setdefault(user_id, (name, day, status))

    since14, since7 = now - ADHERENCE_WINDOW, now - RATINGS_WINDOW
    done = UserWorkoutSession.session_status == SessionStatus.COMPLETED
    in_window = and_(
        UserWorkoutSession.program_enrollment_id.is_not(None),
        UserWorkoutSession.scheduled_at >= since14,
        UserWorkoutSession.scheduled_at <= now,
        UserWorkoutSession.session_status != SessionStatus.CANCELLED,
        func.coalesce(ScheduleWorkout.is_optional, False).is_(False),
    )
    recent = and_(done, UserWorkoutSession.completed_at >= since7)
    stats = await session.execute(
        select(
            UserWorkoutSession.user_id,
            func.max(case((done, UserWorkoutSession.completed_at))),
            func.sum(case((in_window, 1), else_=0)),
            func.sum(case((and_(in_window, done), 1), else_=0)),
            func.avg(case((recent, UserWorkoutSession.effort_rating))),
            func.avg(case((recent, UserWorkoutSession.soreness_rating))),
        )
        .outerjoin(ProgramDaySession, ProgramDaySession.session_id == UserWorkoutSession.id)
        .outerjoin(ScheduleWorkout, ScheduleWorkout.id == ProgramDaySession.schedule_workout_id)
        .where(UserWorkoutSession.user_id.in_(ids), UserWorkoutSession.is_active.is_(True))
        .group_by(UserWorkoutSession.user_id)
    )
    by_user = {row[0]: row[1:] for row in stats}
    rows: list[RosterRow] = []
    for person in people:
        last, scheduled, completed, effort, soreness = by_user.get(person.id, (None, 0, 0, None, None))
        program = programs.get(person.id)
        if isinstance(last, str):  # SQLite's max() of the UTC text
            last = datetime.fromisoformat(last)
        if last is not None and last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        rows.append(
            RosterRow(
                trainee=person,
                program=program[0] if program else None,
                current_day=program[1] if program else None,
                enrollment_status=program[2] if program else None,
                last_workout=last,
                completed=int(completed or 0),
                scheduled=int(scheduled or 0),
                avg_effort=_avg(effort),
                avg_soreness=_avg(soreness),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class SessionLine:
    id: uuid.UUID
    workout: str
    status: SessionStatus
    when: datetime | None
    effort: int | None
    soreness: int | None
    notes: str | None
    records: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TraineeDetail:
    trainee: Person
    enrollments: list[enrollments.EnrollmentInfo]
    sessions: list[SessionLine]


async def trainee_detail(session: AsyncSession, coach: User, trainee_id: uuid.UUID) -> TraineeDetail:
    """A trainee's open programs and recent finished or skipped sessions, with ratings, notes, records."""
    trainee, link = await own_trainee(session, coach, trainee_id)
    open_enrollments = await enrollments.list_enrollments(session, trainee, OPEN)
    when = func.coalesce(UserWorkoutSession.completed_at, UserWorkoutSession.scheduled_at)
    rows = await session.execute(
        select(UserWorkoutSession, Workout.name)
        .join(Workout, Workout.id == UserWorkoutSession.workout_id)
        .where(
            UserWorkoutSession.user_id == trainee.id,
            UserWorkoutSession.session_status.in_((SessionStatus.COMPLETED, SessionStatus.SKIPPED)),
        )
        .order_by(when.desc(), UserWorkoutSession.id)
        .limit(RECENT_SESSIONS)
    )
    lines: list[SessionLine] = []
    for row, name in rows:
        records: tuple[str, ...] = ()
        if row.session_status == SessionStatus.COMPLETED:
            summary = await session_summary(session, trainee, row.id)
            records = tuple(f"{exercise}: {record.kind.value}" for exercise, record in summary.records)
        lines.append(
            SessionLine(
                id=row.id,
                workout=name,
                status=row.session_status,
                when=row.completed_at or row.scheduled_at,
                effort=row.effort_rating,
                soreness=row.soreness_rating,
                notes=row.session_notes,
                records=records,
            )
        )
    return TraineeDetail(person_of(trainee, link.notify_on_workout), open_enrollments, lines)


async def coaches_to_notify(session: AsyncSession, trainee: User) -> list[int]:
    """Chat ids of the trainee's coaches who asked for a message after each workout."""
    rows = await session.scalars(
        select(User.chat_id)
        .join(CoachTrainee, CoachTrainee.coach_id == User.id)
        .where(
            CoachTrainee.trainee_id == trainee.id,
            CoachTrainee.status == CoachLinkStatus.ACTIVE,
            CoachTrainee.notify_on_workout.is_(True),
            User.chat_id.is_not(None),
            User.role.in_(COACH_ROLES),
        )
    )
    return [chat for chat in rows if chat is not None]


def ids_of(people: Sequence[Person]) -> list[uuid.UUID]:
    return [p.id for p in people]
