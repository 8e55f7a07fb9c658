"""Coaching: a coach's comment on a trainee's workout, and the trainee's one answer.

Free of Telegram; never commits. A comment is only ever written by a coach on a workout of one of their
ACTIVE trainees, and answered only by the trainee whose workout it is: ids from buttons or replies
prove nothing (anything else is NotFound, and nothing is stored).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus
from bot.db.models import User, UserWorkoutSession, Workout, WorkoutComment
from bot.db.models.attention import COMMENT_LIMIT
from bot.i18n import DEFAULT_LOCALE, N_, _, user_locale
from bot.services.coaching.links import own_trainee, person_of, require_coach
from bot.services.errors import DomainError, NotFound
from bot.services.timezones import on_clock

NOT_A_TRAINEE_WORKOUT: Final = N_("That workout is not one of your trainees'.")
NO_SUCH_COMMENT: Final = N_("That comment does not exist.")
ALREADY_ANSWERED: Final = N_("You already answered this comment - one answer per comment.")
COMMENTABLE: Final = (SessionStatus.COMPLETED, SessionStatus.SKIPPED, SessionStatus.CANCELLED)


class EmptyText(DomainError):
    """A comment or answer with nothing in it."""


class TooLong(DomainError):
    """A comment or answer over COMMENT_LIMIT characters."""

    def __init__(self, reason: str, length: int) -> None:
        super().__init__(reason)
        self.length = length


@dataclass(frozen=True, slots=True)
class WorkoutRef:
    """A trainee's workout as a comment names it."""

    session_id: uuid.UUID
    workout_name: str
    when: datetime | None
    """When it was done, on the trainee's clock (the day they trained)."""
    trainee_name: str
    trainee_chat_id: int | None
    trainee_locale: str = DEFAULT_LOCALE
    """The language the trainee reads (a comment is sent to them in it)."""


@dataclass(frozen=True, slots=True)
class CommentSent:
    comment_id: uuid.UUID
    body: str
    coach_name: str
    workout: WorkoutRef


@dataclass(frozen=True, slots=True)
class AnswerSent:
    comment_id: uuid.UUID
    body: str
    answer: str
    trainee_name: str
    coach_chat_id: int | None
    workout_name: str
    when: datetime | None
    coach_locale: str = DEFAULT_LOCALE
    """The language the coach reads (the answer is sent to them in it)."""


@dataclass(frozen=True, slots=True)
class CommentView:
    """A comment as the workout's /history detail shows it."""

    coach_name: str | None  # None once the coach deleted their account
    body: str
    answer: str | None
    created_at: datetime


def check_text(text: str | None) -> str:
    """The comment or answer, stripped: 1..COMMENT_LIMIT characters, or EmptyText / TooLong."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise EmptyText(_("The comment is empty - type a few words."))
    if len(cleaned) > COMMENT_LIMIT:
        raise TooLong(
            _("That is {n} characters; at most {limit}.").format(n=len(cleaned), limit=COMMENT_LIMIT),
            len(cleaned),
        )
    return cleaned


async def trainee_workout(session: AsyncSession, coach: User, session_id: uuid.UUID) -> WorkoutRef:
    """A past workout of one of the coach's ACTIVE trainees, or NotFound."""
    require_coach(coach)
    row = (
        await session.execute(
            select(UserWorkoutSession, Workout.name)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .where(UserWorkoutSession.id == session_id)
        )
    ).first()
    if row is None or row[0].session_status not in COMMENTABLE:
        raise NotFound(_(NOT_A_TRAINEE_WORKOUT))
    workout, name = row
    try:
        trainee, _link = await own_trainee(session, coach, workout.user_id)
    except NotFound:
        raise NotFound(_(NOT_A_TRAINEE_WORKOUT)) from None
    return WorkoutRef(
        session_id=workout.id,
        workout_name=name,
        when=on_clock(workout.completed_at or workout.started_at or workout.scheduled_at, trainee.timezone),
        trainee_name=person_of(trainee).name,
        trainee_chat_id=trainee.chat_id,
        trainee_locale=user_locale(trainee),
    )


async def add_comment(
    session: AsyncSession, coach: User, session_id: uuid.UUID, text: str | None, now: datetime
) -> CommentSent:
    """Store the coach's comment on their trainee's workout (checked in full before anything is written)."""
    workout = await trainee_workout(session, coach, session_id)
    body = check_text(text)
    comment = WorkoutComment(session_id=workout.session_id, coach_id=coach.id, body=body, created_at=now)
    session.add(comment)
    await session.flush()
    return CommentSent(comment.id, body, coach.display_name, workout)


async def comment_to_answer(session: AsyncSession, trainee: User, comment_id: uuid.UUID) -> WorkoutComment:
    """A comment on one of the trainee's own workouts, not answered yet; NotFound or ALREADY_ANSWERED."""
    row = await session.scalar(
        select(WorkoutComment)
        .join(UserWorkoutSession, UserWorkoutSession.id == WorkoutComment.session_id)
        .where(WorkoutComment.id == comment_id, UserWorkoutSession.user_id == trainee.id)
    )
    if row is None:
        raise NotFound(_(NO_SUCH_COMMENT))
    if row.answer is not None:
        raise DomainError(_(ALREADY_ANSWERED))
    return row


async def answer_comment(
    session: AsyncSession, trainee: User, comment_id: uuid.UUID, text: str | None, now: datetime
) -> AnswerSent:
    """The trainee's one answer to a comment on their workout. The write is conditional (answer IS
    NULL), so two answers racing store one and refuse the other."""
    comment = await comment_to_answer(session, trainee, comment_id)
    answer = check_text(text)
    result = await session.execute(
        update(WorkoutComment)
        .where(WorkoutComment.id == comment.id, WorkoutComment.answer.is_(None))
        .values(answer=answer, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        raise DomainError(_(ALREADY_ANSWERED))
    row = (
        await session.execute(
            select(User, Workout.name, UserWorkoutSession.completed_at, UserWorkoutSession.started_at)
            .select_from(UserWorkoutSession)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .outerjoin(User, User.id == comment.coach_id)
            .where(UserWorkoutSession.id == comment.session_id)
        )
    ).one()
    coach, workout_name, completed_at, started_at = row
    return AnswerSent(
        comment_id=comment.id,
        body=comment.body,
        answer=answer,
        trainee_name=trainee.display_name,
        coach_chat_id=coach.chat_id if coach is not None and comment.coach_id is not None else None,
        workout_name=workout_name,
        when=completed_at or started_at,
        coach_locale=user_locale(coach) if coach is not None else DEFAULT_LOCALE,
    )


async def comments_on(session: AsyncSession, user: User, session_id: uuid.UUID) -> list[CommentView]:
    """The comments on one of the user's workouts, oldest first (none for someone else's)."""
    rows = await session.execute(
        select(WorkoutComment, User)
        .join(UserWorkoutSession, UserWorkoutSession.id == WorkoutComment.session_id)
        .outerjoin(User, User.id == WorkoutComment.coach_id)
        .where(WorkoutComment.session_id == session_id, UserWorkoutSession.user_id == user.id)
        .order_by(WorkoutComment.created_at, WorkoutComment.id)
    )
    return [
        CommentView(
            coach_name=coach.display_name if coach is not None else None,
            body=comment.body,
            answer=comment.answer,
            created_at=comment.created_at,
        )
        for comment, coach in rows
    ]
