"""The program catalog as a user sees it: which programs they may see, browse pages, program cards."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from math import ceil

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import CoachLinkStatus, EnrollmentStatus, VisibilityCode
from bot.db.models import (
    Category,
    CoachTrainee,
    DifficultyLevel,
    Program,
    ProgramCategory,
    ProgramPhase,
    ProgramSchedule,
    ProgramTag,
    ProgramTranslation,
    ScheduleWorkout,
    Tag,
    User,
    UserProgramEnrollment,
    Visibility,
)
from bot.i18n import DEFAULT_LOCALE, _, current_locale
from bot.services.errors import NotFound

PAGE_SIZE = 5


@dataclass(frozen=True, slots=True)
class ProgramFilters:
    """Codes of a category, a difficulty level and a tag; None means any."""

    category: str | None = None
    difficulty: str | None = None
    tag: str | None = None


@dataclass(frozen=True, slots=True)
class ProgramSummary:
    id: uuid.UUID
    name: str
    difficulty: str
    length_days: int | None
    workouts_per_week: float | None


@dataclass(frozen=True, slots=True)
class ProgramPage:
    items: list[ProgramSummary]
    page: int
    pages: int
    total: int


@dataclass(frozen=True, slots=True)
class Option:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class FilterOptions:
    categories: list[Option]
    difficulties: list[Option]
    tags: list[Option]


@dataclass(frozen=True, slots=True)
class PhaseInfo:
    name: str
    start_day: int
    end_day: int
    description: str | None


@dataclass(frozen=True, slots=True)
class ProgramCard:
    id: uuid.UUID
    name: str
    description: str
    notes: str | None
    difficulty: str
    visibility: VisibilityCode
    length_days: int | None
    workouts_per_week: float | None
    rest_days_per_week: int | None
    phases: list[PhaseInfo]
    categories: list[str]
    tags: list[str]
    enrollment_status: EnrollmentStatus | None
    enrollment_id: uuid.UUID | None


async def program_translations(
    session: AsyncSession, program_ids: list[uuid.UUID], locale: str | None = None
) -> dict[uuid.UUID, ProgramTranslation]:
    """The programs' translations into `locale` (default: the current one); none - and no query - in
    English, the language programs are written in."""
    locale = locale or current_locale()
    if locale == DEFAULT_LOCALE or not program_ids:
        return {}
    rows = await session.scalars(
        select(ProgramTranslation).where(
            ProgramTranslation.program_id.in_(program_ids), ProgramTranslation.language == locale
        )
    )
    return {row.program_id: row for row in rows}


async def program_names(
    session: AsyncSession, names: dict[uuid.UUID, str], locale: str | None = None
) -> dict[uuid.UUID, str]:
    """Program id -> its name in `locale` (default: the current one), from id -> the program's own name."""
    found = await program_translations(session, list(names), locale)
    return {pid: _name_in(found.get(pid), name) for pid, name in names.items()}


def _name_in(translation: ProgramTranslation | None, name: str) -> str:
    return translation.name if translation is not None and translation.name else name


async def program_name(
    session: AsyncSession, program_id: uuid.UUID, name: str, locale: str | None = None
) -> str:
    """The program's name in `locale` (default: the current one)."""
    return (await program_names(session, {program_id: name}, locale))[program_id]


def workout_name(translation: ProgramTranslation | None, workout_id: uuid.UUID, name: str) -> str:
    """A program workout's name as `translation` (a program's, or None) gives it."""
    if translation is None:
        return name
    texts = (translation.workouts or {}).get(str(workout_id))
    return str(texts["name"]) if isinstance(texts, dict) and texts.get("name") else name


def _coach_of_user(user_id: uuid.UUID) -> ColumnElement[bool]:
    return exists().where(
        CoachTrainee.coach_id == Program.created_by,
        CoachTrainee.trainee_id == user_id,
        CoachTrainee.status == CoachLinkStatus.ACTIVE,
    )


def _enrolled(user_id: uuid.UUID) -> ColumnElement[bool]:
    return exists().where(
        UserProgramEnrollment.program_id == Program.id, UserProgramEnrollment.user_id == user_id
    )


def listed_condition(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Programs a user finds when browsing: public ones, their own, and their coaches'."""
    return and_(
        Program.is_active.is_(True),
        or_(
            Visibility.code == VisibilityCode.PUBLIC,
            Program.created_by == user_id,
            _coach_of_user(user_id),
        ),
    )


def visible_condition(user_id: uuid.UUID) -> ColumnElement[bool]:
    """Programs a user may open: listed ones, unlisted ones (by link), and any they are enrolled in."""
    return or_(
        listed_condition(user_id),
        and_(Program.is_active.is_(True), Visibility.code == VisibilityCode.UNLISTED),
        _enrolled(user_id),
    )


def _schedule_stats() -> tuple[ColumnElement[int], ColumnElement[int]]:
    """Correlated subqueries: the active schedule's length and its number of non-optional workouts."""
    schedule = (
        select(ProgramSchedule.id)
        .where(ProgramSchedule.program_id == Program.id, ProgramSchedule.is_active.is_(True))
        .order_by(ProgramSchedule.created_at.desc())
        .limit(1)
        # Nested two levels down, it must correlate to the outer query's program explicitly: left to
        # auto-correlation, `program_schedule` bound to the enclosing subquery and `program` to nothing
        # (SQLite: "no such column"; PostgreSQL: "more than one row returned by a subquery").
        .correlate(Program)
        .scalar_subquery()
    )
    length = select(ProgramSchedule.length_days).where(ProgramSchedule.id == schedule).scalar_subquery()
    workouts = (
        select(func.count(ScheduleWorkout.id))
        .where(
            ScheduleWorkout.schedule_id == schedule,
            ScheduleWorkout.is_active.is_(True),
            ScheduleWorkout.is_optional.is_(False),
        )
        .scalar_subquery()
    )
    return length, workouts


def per_week(workouts: int | None, length_days: int | None) -> float | None:
    if not workouts or not length_days:
        return None
    return round(workouts * 7 / length_days, 1)


async def browse_programs(
    session: AsyncSession, user: User, filters: ProgramFilters = ProgramFilters(), page: int = 0
) -> ProgramPage:
    """One page of the programs the user can find, easiest first, with the filters applied."""
    conditions: list[ColumnElement[bool]] = [listed_condition(user.id)]
    if filters.difficulty:
        conditions.append(DifficultyLevel.code == filters.difficulty)
    if filters.category:
        conditions.append(
            exists().where(
                ProgramCategory.program_id == Program.id,
                ProgramCategory.is_active.is_(True),
                ProgramCategory.category_id == Category.id,
                Category.code == filters.category,
            )
        )
    if filters.tag:
        conditions.append(
            exists().where(
                ProgramTag.program_id == Program.id,
                ProgramTag.is_active.is_(True),
                ProgramTag.tag_id == Tag.id,
                Tag.code == filters.tag,
            )
        )
    base = (
        select(Program.id)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .join(DifficultyLevel, DifficultyLevel.id == Program.difficulty_level_id)
        .where(*conditions)
    )
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    pages = max(1, ceil(total / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    length, workouts = _schedule_stats()
    rows = await session.execute(
        select(Program.id, Program.name, DifficultyLevel.name, length, workouts)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .join(DifficultyLevel, DifficultyLevel.id == Program.difficulty_level_id)
        .where(*conditions)
        .order_by(DifficultyLevel.rank, Program.name)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    found = list(rows)
    names = await program_names(session, {pid: name for pid, name, *_rest in found})
    items = [
        ProgramSummary(
            id=pid, name=names[pid], difficulty=diff, length_days=ln, workouts_per_week=per_week(wk, ln)
        )
        for pid, _name, diff, ln, wk in found
    ]
    return ProgramPage(items=items, page=page, pages=pages, total=total)


async def filter_options(session: AsyncSession, user: User) -> FilterOptions:
    """The categories, difficulty levels and tags that occur among the programs the user can find."""
    listed = (
        select(Program.id)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .where(listed_condition(user.id))
        .scalar_subquery()
    )
    categories = await session.execute(
        select(Category.code, Category.name)
        .join(ProgramCategory, ProgramCategory.category_id == Category.id)
        .where(ProgramCategory.program_id.in_(listed), Category.is_active.is_(True))
        .distinct()
        .order_by(Category.name)
    )
    difficulties = await session.execute(
        select(DifficultyLevel.code, DifficultyLevel.name, DifficultyLevel.rank)
        .join(Program, Program.difficulty_level_id == DifficultyLevel.id)
        .where(Program.id.in_(listed))
        .distinct()
        .order_by(DifficultyLevel.rank)
    )
    tags = await session.execute(
        select(Tag.code, Tag.name)
        .join(ProgramTag, ProgramTag.tag_id == Tag.id)
        .where(ProgramTag.program_id.in_(listed), Tag.is_active.is_(True))
        .distinct()
        .order_by(Tag.name)
    )
    return FilterOptions(
        categories=[Option(c, n) for c, n in categories],
        difficulties=[Option(c, n) for c, n, _ in difficulties],
        tags=[Option(c, n) for c, n in tags],
    )


async def get_visible_program(session: AsyncSession, user: User, program_id: uuid.UUID) -> Program:
    """The program, if this user may see it; NotFound otherwise (never say which)."""
    program = await session.scalar(
        select(Program)
        .join(Visibility, Visibility.id == Program.visibility_id)
        .where(Program.id == program_id, visible_condition(user.id))
    )
    if program is None:
        raise NotFound(_("That program is not available."))
    return program


async def active_schedule(session: AsyncSession, program_id: uuid.UUID) -> ProgramSchedule | None:
    """The program's schedule in force: the newest active one."""
    result: ProgramSchedule | None = await session.scalar(
        select(ProgramSchedule)
        .where(ProgramSchedule.program_id == program_id, ProgramSchedule.is_active.is_(True))
        .order_by(ProgramSchedule.created_at.desc())
        .limit(1)
    )
    return result


async def program_card(
    session: AsyncSession, user: User, program_id: uuid.UUID, *, locale: str | None = None
) -> ProgramCard:
    """The program's card as `user` may see it, its texts in `locale` (default: the current locale; a
    card for another reader - a coach assigning a program to a trainee - passes the reader's)."""
    program = await get_visible_program(session, user, program_id)
    difficulty, visibility = (
        await session.execute(
            select(DifficultyLevel.name, Visibility.code)
            .select_from(Program)
            .join(DifficultyLevel, DifficultyLevel.id == Program.difficulty_level_id)
            .join(Visibility, Visibility.id == Program.visibility_id)
            .where(Program.id == program.id)
        )
    ).one()
    schedule = await active_schedule(session, program.id)
    workouts = None
    if schedule is not None:
        workouts = await session.scalar(
            select(func.count(ScheduleWorkout.id)).where(
                ScheduleWorkout.schedule_id == schedule.id,
                ScheduleWorkout.is_active.is_(True),
                ScheduleWorkout.is_optional.is_(False),
            )
        )
    phases = await session.scalars(
        select(ProgramPhase)
        .where(ProgramPhase.program_id == program.id, ProgramPhase.is_active.is_(True))
        .order_by(ProgramPhase.order_index)
    )
    categories = await session.scalars(
        select(Category.name)
        .join(ProgramCategory, ProgramCategory.category_id == Category.id)
        .where(ProgramCategory.program_id == program.id, ProgramCategory.is_active.is_(True))
        .order_by(ProgramCategory.is_primary.desc(), Category.name)
    )
    tags = await session.scalars(
        select(Tag.name)
        .join(ProgramTag, ProgramTag.tag_id == Tag.id)
        .where(ProgramTag.program_id == program.id, ProgramTag.is_active.is_(True))
        .order_by(Tag.name)
    )
    enrollment = await session.scalar(
        select(UserProgramEnrollment).where(
            UserProgramEnrollment.user_id == user.id, UserProgramEnrollment.program_id == program.id
        )
    )
    length = schedule.length_days if schedule else None
    translated = (await program_translations(session, [program.id], locale)).get(program.id)
    phase_rows = [PhaseInfo(p.name, p.start_day, p.end_day, p.description) for p in phases]
    if translated is not None and len(translated.phases or []) == len(phase_rows):
        phase_rows = [
            PhaseInfo(
                str(t.get("name") or p.name), p.start_day, p.end_day, t.get("description") or p.description
            )
            for p, t in zip(phase_rows, translated.phases, strict=True)
        ]
    return ProgramCard(
        id=program.id,
        name=(translated and translated.name) or program.name,
        description=(translated and translated.description) or program.description,
        notes=(translated and translated.notes) or program.notes,
        difficulty=difficulty,
        visibility=VisibilityCode(visibility),
        length_days=length,
        workouts_per_week=per_week(workouts, length),
        rest_days_per_week=schedule.rest_days_per_week if schedule else None,
        phases=phase_rows,
        categories=list(categories),
        tags=list(tags),
        enrollment_status=enrollment.enrollment_status if enrollment else None,
        enrollment_id=enrollment.id if enrollment else None,
    )
