"""Coaching: the programs a coach uses, assigns and authors, and managing a trainee's enrollments.

Free of Telegram; never commits. Every function checks the coach's role, and the ACTIVE link for
anything about a trainee (bot.services.coaching.links.own_trainee).
"""

from __future__ import annotations

import asyncio
import difflib
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import VisibilityCode
from bot.db.models import Program, User, UserProgramEnrollment, Visibility
from bot.i18n import _
from bot.services import enrollment as enrollments
from bot.services.coaching.links import MAX_MATCHES, own_trainee, require_coach
from bot.services.errors import DomainError, NotFound
from bot.services.program_day import OPEN
from bot.services.program_format import ProgramDoc, dump_program, slugify
from bot.services.seed import KnownCodes, export_program, import_program, load_known_codes
from bot.services.text_hygiene import shorten
from bot.services.timezones import local_today

MAX_UPLOAD_BYTES: Final = 256 * 1024


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
        raise NotFound(_("That program is not available."))
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
        raise DomainError(
            _("{trainee} already follows {program}.").format(
                trainee=trainee.display_name, program=program.name
            )
        ) from None
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
        raise NotFound(_("That enrollment does not exist."))
    trainee, _link_row = await own_trainee(session, coach, trainee_id)
    return trainee


async def coach_enrollment(
    session: AsyncSession, coach: User, enrollment_id: uuid.UUID
) -> tuple[User, enrollments.EnrollmentInfo]:
    """A trainee's open (ACTIVE or PAUSED) enrollment, as their coach sees it before acting on it
    (the End confirmation); NotFound for someone else's trainee, DomainError once it has ended."""
    trainee = await _trainee_of_enrollment(session, coach, enrollment_id)
    found = [e for e in await enrollments.list_enrollments(session, trainee, OPEN) if e.id == enrollment_id]
    if not found:
        raise DomainError(_("{trainee} no longer follows that program.").format(trainee=trainee.display_name))
    return trainee, found[0]


async def manage_enrollment(
    session: AsyncSession, coach: User, enrollment_id: uuid.UUID, action: str, now: datetime
) -> tuple[User, enrollments.EnrollmentInfo]:
    """Pause, resume or end ("pause" / "resume" / "end") a trainee's enrollment, as their coach.
    Ending an enrollment that is no longer open is refused (a stale confirmation changes nothing)."""
    trainee = await _trainee_of_enrollment(session, coach, enrollment_id)
    if action == "end":
        await coach_enrollment(session, coach, enrollment_id)
    if action == "pause":
        info = await enrollments.pause(session, trainee, enrollment_id, actor=coach)
    elif action == "resume":
        info = await enrollments.resume(session, trainee, enrollment_id, now, actor=coach)
    elif action == "end":
        info = await enrollments.quit_program(session, trainee, enrollment_id, actor=coach)
    else:
        raise DomainError(_("Unknown action."))
    return trainee, info


# --- authoring -------------------------------------------------------------------------------------------


async def upload_program(session: AsyncSession, coach: User, source: bytes | str) -> Program:
    """Validate a program document in full, then write it as the coach's PRIVATE program.

    Raises ProgramFormatError (every problem, with its location) or ProgramExistsError before anything
    is written; the caller's transaction makes the write all-or-nothing.
    """
    require_coach(coach)
    doc = await parse_upload(await load_known_codes(session, owner_id=coach.id), source)
    return await save_upload(session, coach, doc)


async def parse_upload(known: KnownCodes, source: bytes | str) -> ProgramDoc:
    """Parse and validate an uploaded program document in a worker thread, off the event loop (up to
    `MAX_UPLOAD_BYTES`; the YAML depth and size limits of bot.services.program_format apply there).

    Needs no session: the bot runs it between two transactions (`known` read in the first, the program
    written by `save_upload` in the second), so no transaction waits for the parse. Raises
    ProgramFormatError with every problem, or DomainError for a file that is too large.
    """
    if len(source) > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The file is too large: at most {limit} KB.").format(limit=MAX_UPLOAD_BYTES // 1024)
        )
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
        raise NotFound(_("That program is not one of yours."))
    return ProgramRef(row[0], row[1], VisibilityCode(row[2]), True)


async def set_visibility(
    session: AsyncSession, coach: User, program_id: uuid.UUID, code: VisibilityCode
) -> ProgramRef:
    """Change the visibility of one of the coach's programs."""
    ref = await own_program(session, coach, program_id)
    visibility_id = await session.scalar(select(Visibility.id).where(Visibility.code == code))
    if visibility_id is None:
        raise NotFound(_("That visibility does not exist."))
    program = await session.get(Program, ref.id)
    assert program is not None
    program.visibility_id = visibility_id
    await session.flush()
    return ProgramRef(ref.id, ref.name, code, True)


async def export_for(session: AsyncSession, coach: User, name: str) -> tuple[str, str]:
    """(file name, YAML) of a program the coach may use, by name; suggestions in the error otherwise."""
    match = await match_program(session, coach, name)
    if match.found is None:
        query = shorten(name)
        if match.suggestions:
            names = ", ".join(p.name for p in match.suggestions[:4])
            raise NotFound(
                _("No program of yours is called “{query}”. Did you mean: {names}?").format(
                    query=query, names=names
                )
            )
        raise NotFound(_("No program of yours is called “{query}”.").format(query=query))
    doc: ProgramDoc = await export_program(session, match.found.id)
    return f"{slugify(doc.name)}.yaml", dump_program(doc)
