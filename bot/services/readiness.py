"""The readiness question before a workout (sleep, stress, soreness: 1 = worst ... 5 = best), enabled
per program (`readiness:` in the program format), and the one function that lowers a prescribed weight
for the day when an answer was low.

Free of Telegram; never commits.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import ProgramRule, SessionReadiness, User, UserProgramEnrollment, UserWorkoutSession
from bot.i18n import _
from bot.services.errors import DomainError, NotFound
from bot.services.plates import Scale

SCALE: Final = range(1, 6)
QUESTIONS: Final = ("sleep", "stress", "soreness")


@dataclass(frozen=True, slots=True)
class ReadinessRule:
    low_below: int
    reduce_percent: int


@dataclass(frozen=True, slots=True)
class Readiness:
    """The answers of one session (None for a skipped question) and the reduction they gave."""

    sleep: int | None
    stress: int | None
    soreness: int | None
    reduce_percent: int

    @property
    def answered(self) -> bool:
        return self.sleep is not None

    @property
    def low(self) -> bool:
        return self.reduce_percent > 0


def is_low(answers: tuple[int, int, int], rule: ReadinessRule) -> bool:
    """Any answer below the program's `low_below`."""
    return any(answer < rule.low_below for answer in answers)


def prescribed_weight(weight_kg: Decimal | None, reduce_percent: int, scale: Scale) -> Decimal | None:
    """The weight to show and prescribe today: `weight_kg` lowered by `reduce_percent` (the day's
    readiness reduction; 0 leaves it as it is), rounded as every computed weight is: to the nearest
    weight the trainee can load on the exercise (`scale`, halves down: lighter is the point), and at
    least one loadable step lighter when there is one. Compose other adjustments (a trainee's
    progression target) by passing their result in as `weight_kg`."""
    if weight_kg is None or reduce_percent <= 0:
        return weight_kg
    lowered = scale.round(weight_kg * (100 - reduce_percent) / 100)
    if lowered >= weight_kg:
        lowered = scale.down(weight_kg) or lowered
    return lowered


async def rule_for_session(session: AsyncSession, user: User, session_id: uuid.UUID) -> ReadinessRule | None:
    """The readiness rule of the program the user's session belongs to; None when it has none (or the
    session is not part of a program)."""
    row = (
        await session.execute(
            select(ProgramRule.low_below, ProgramRule.reduce_percent)
            .select_from(UserWorkoutSession)
            .join(UserProgramEnrollment, UserProgramEnrollment.id == UserWorkoutSession.program_enrollment_id)
            .join(ProgramRule, ProgramRule.program_id == UserProgramEnrollment.program_id)
            .where(
                UserWorkoutSession.id == session_id,
                UserWorkoutSession.user_id == user.id,
                ProgramRule.readiness_enabled.is_(True),
            )
        )
    ).first()
    return None if row is None else ReadinessRule(int(row[0]), int(row[1]))


async def readiness_of(session: AsyncSession, session_id: uuid.UUID) -> Readiness | None:
    row = await session.get(SessionReadiness, session_id)
    if row is None:
        return None
    return Readiness(row.sleep, row.stress, row.soreness, row.reduce_percent)


async def needs_question(session: AsyncSession, user: User, session_id: uuid.UUID) -> ReadinessRule | None:
    """The rule to ask by, when the session's program asks readiness and it was not answered yet."""
    rule = await rule_for_session(session, user, session_id)
    if rule is None or await session.get(SessionReadiness, session_id) is not None:
        return None
    return rule


def parse_answers(digits: str) -> tuple[int, ...] | None:
    """The answers carried by a button ("4", "43", "432"): each 1..5, at most three; None if forged."""
    if not 1 <= len(digits) <= len(QUESTIONS) or not (digits.isascii() and digits.isdigit()):
        return None
    answers = tuple(int(d) for d in digits)
    return answers if all(a in SCALE for a in answers) else None


async def record(
    session: AsyncSession, user: User, session_id: uuid.UUID, answers: tuple[int, int, int] | None
) -> Readiness:
    """Store the answers (None: the question was skipped) for the user's workout in progress, with the
    reduction its program's rule gives. A second answer changes nothing and returns the first."""
    workout = await session.scalar(
        select(UserWorkoutSession)
        .where(UserWorkoutSession.id == session_id, UserWorkoutSession.user_id == user.id)
        .with_for_update()
    )
    if workout is None:
        raise NotFound(_("That workout does not exist."))
    if workout.session_status != SessionStatus.IN_PROGRESS:
        raise DomainError(_("That workout is not in progress any more."))
    existing = await readiness_of(session, session_id)
    if existing is not None:
        return existing
    rule = await rule_for_session(session, user, session_id)
    reduce = rule.reduce_percent if rule is not None and answers is not None and is_low(answers, rule) else 0
    sleep, stress, soreness = answers if answers is not None else (None, None, None)
    session.add(
        SessionReadiness(
            session_id=session_id, sleep=sleep, stress=stress, soreness=soreness, reduce_percent=reduce
        )
    )
    await session.flush()
    return Readiness(sleep, stress, soreness, reduce)
