"""Progress: personal records, the exercises a user has done, and chart data. (The workout history and
its corrections are `bot.services.history`.)

Domain only: no Telegram, never commits. Weights are kg, instants UTC; the caller renders them in the
user's unit and zone, except where a function takes the zone to group by the user's local day or week.

Records agree with `bot.services.records` (what is announced when a set is logged): working sets only,
heaviest weight, best estimated one-rep max by Epley's formula (weight x (1 + reps / 30), a single is
itself; only sets of at most 12 reps give one), most reps without added weight, longest timed set;
plus, for /records, the most reps done with a weight and the best session volume (the sum of weight x
reps of one session's working sets).
"""

from __future__ import annotations

import difflib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.enums import SessionStatus, TrackingType
from bot.db.models import (
    Exercise,
    ExerciseInstruction,
    User,
    UserExercisePerformance,
    UserExerciseSet,
    UserWorkoutSession,
)
from bot.i18n import _
from bot.services import custom_exercises, exercise_notes, workouts
from bot.services.errors import NotFound
from bot.services.exercise_match import spoken_names
from bot.services.records import E1RM_MAX_REPS, SESSION_MOMENT, TWO_PLACES, UNLOADED_SET, SetLike, e1rm

HISTORY_PAGE_SIZE = 5
PAST = (SessionStatus.COMPLETED, SessionStatus.CANCELLED, SessionStatus.SKIPPED)


def local_date(instant: datetime | None, tz: str) -> date:
    """The user's calendar date of a UTC instant."""
    assert instant is not None
    return instant.astimezone(ZoneInfo(tz)).date()


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def _dec(value: object) -> Decimal:
    return Decimal(str(value)) if not isinstance(value, Decimal) else value


_S = TypeVar("_S", bound="Select[*tuple[Any, ...]]")
_SESSION_MOMENT = SESSION_MOMENT


# ---------------------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True, slots=True)
class ExerciseRecords:
    exercise_id: uuid.UUID
    name: str
    tracking: TrackingType
    heaviest_kg: Decimal | None = None
    reps_at_heaviest: int | None = None
    most_reps: int | None = None  # most reps in one set with a weight...
    most_reps_weight_kg: Decimal | None = None  # ...and that weight (the heaviest on a tie)
    e1rm_kg: Decimal | None = None
    e1rm_weight_kg: Decimal | None = None
    e1rm_reps: int | None = None
    best_volume_kg: Decimal | None = None
    bodyweight_reps: int | None = None
    longest_seconds: int | None = None


def _user_sets(user_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
    return (
        UserWorkoutSession.user_id == user_id,
        UserExerciseSet.is_warmup.is_(False),
    )


def _joined(statement: _S) -> _S:
    return (
        statement.select_from(UserExerciseSet)
        .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
        .join(UserWorkoutSession, UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id)
        .join(ExerciseInstruction, ExerciseInstruction.id == UserExercisePerformance.exercise_instruction_id)
    )


async def personal_records(
    session: AsyncSession, user: User, exercise_id: uuid.UUID | None = None
) -> list[ExerciseRecords]:
    """The user's records on every exercise they have logged (or one), sorted by exercise name."""
    exercise_col = ExerciseInstruction.exercise_id
    filters: list[ColumnElement[bool]] = list(_user_sets(user.id))
    if exercise_id is not None:
        filters.append(exercise_col == exercise_id)
    # Most reps at each weight, in all and in sets that give an e1RM: enough for the heaviest weight, the
    # most reps and the best e1RM (Epley grows with reps, so a weight's best estimate is at its most reps).
    by_weight = await session.execute(
        _joined(
            select(
                exercise_col,
                UserExerciseSet.weight_kg,
                func.max(UserExerciseSet.reps),
                func.max(case((UserExerciseSet.reps <= E1RM_MAX_REPS, UserExerciseSet.reps), else_=None)),
            )
        )
        .where(*filters, UserExerciseSet.weight_kg.is_not(None), UserExerciseSet.reps >= 1)
        .group_by(exercise_col, UserExerciseSet.weight_kg)
    )
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for ex_id, weight, most, estimable in by_weight:
        weight, reps = _dec(weight).quantize(TWO_PLACES), int(most or 0)
        entry = found.setdefault(ex_id, {})
        if entry.get("heaviest_kg") is None or weight > entry["heaviest_kg"]:
            entry["heaviest_kg"], entry["reps_at_heaviest"] = weight, reps
        best_reps = entry.get("most_reps")
        if best_reps is None or (reps, weight) > (best_reps, entry["most_reps_weight_kg"]):
            entry["most_reps"], entry["most_reps_weight_kg"] = reps, weight
        estimate = e1rm(weight, estimable)
        if estimate is not None and (entry.get("e1rm_kg") is None or estimate > entry["e1rm_kg"]):
            entry["e1rm_kg"], entry["e1rm_weight_kg"], entry["e1rm_reps"] = estimate, weight, estimable
    others = await session.execute(
        _joined(
            select(
                exercise_col,
                func.max(case((UNLOADED_SET, UserExerciseSet.reps), else_=None)),
                func.max(UserExerciseSet.duration_seconds),
            )
        )
        .where(*filters)
        .group_by(exercise_col)
    )
    for ex_id, bw_reps, longest in others:
        entry = found.setdefault(ex_id, {})
        entry["bodyweight_reps"] = int(bw_reps) if bw_reps is not None else None
        entry["longest_seconds"] = int(longest) if longest is not None else None
    per_session = (
        _joined(
            select(
                exercise_col.label("exercise_id"),
                func.sum(UserExerciseSet.weight_kg * UserExerciseSet.reps).label("volume"),
            )
        )
        .where(*filters, UserExerciseSet.weight_kg.is_not(None), UserExerciseSet.reps.is_not(None))
        .group_by(exercise_col, UserWorkoutSession.id)
        .subquery()
    )
    for ex_id, best in await session.execute(
        select(per_session.c.exercise_id, func.max(per_session.c.volume)).group_by(per_session.c.exercise_id)
    ):
        if best is not None:
            found.setdefault(ex_id, {})["best_volume_kg"] = _dec(best).quantize(TWO_PLACES)
    if not found:
        return []
    names = {e.id: e for e in await session.scalars(select(Exercise).where(Exercise.id.in_(list(found))))}
    records = [
        ExerciseRecords(
            exercise_id=ex_id, name=names[ex_id].name, tracking=names[ex_id].tracking_type, **entry
        )
        for ex_id, entry in found.items()
        if ex_id in names and any(v is not None for v in entry.values())
    ]
    return sorted(records, key=lambda r: r.name.lower())


# ---------------------------------------------------------------------------------------------------------
# exercises the user has done


async def logged_exercises(
    session: AsyncSession, user: User, *, limit: int = 50
) -> list[tuple[uuid.UUID, str]]:
    """The exercises the user has logged working sets of, most sets first."""
    rows = await session.execute(
        _joined(select(Exercise.id, Exercise.name, func.count(UserExerciseSet.id).label("n")))
        .join(Exercise, Exercise.id == ExerciseInstruction.exercise_id)
        .where(*_user_sets(user.id))
        .group_by(Exercise.id, Exercise.name)
        .order_by(func.count(UserExerciseSet.id).desc(), Exercise.name)
        .limit(limit)
    )
    return [(ex_id, name) for ex_id, name, _ in rows]


async def _logged_among(session: AsyncSession, user: User, exercise_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these exercises the user has logged a working set of (one indexed probe each)."""
    found = set()
    for exercise_id in exercise_ids:
        probe = _joined(select(UserExerciseSet.id)).where(
            *_user_sets(user.id), ExerciseInstruction.exercise_id == exercise_id
        )
        if await session.scalar(probe.limit(1)) is not None:
            found.add(exercise_id)
    return found


@dataclass(frozen=True, slots=True)
class ExerciseMatch:
    exercise: tuple[uuid.UUID, str] | None  # the one meant, when it is clear
    suggestions: tuple[tuple[uuid.UUID, str], ...]  # otherwise: what the user may have meant


def _words(text: str) -> list[str]:
    return [w for w in text.lower().replace("-", " ").split() if w][:6]


async def match_exercise(session: AsyncSession, user: User, query: str) -> ExerciseMatch:
    """The exercise a typed name means, preferring the ones the user has logged; else suggestions."""
    words = _words(query[:80])
    if words:  # the quick path: catalog names holding every word, of those the user has logged
        candidates = await workouts.search_exercises(session, " ".join(words), limit=20)
        logged = await _logged_among(session, user, [e.id for e in candidates])
        hits = [(e.id, e.name) for e in candidates if e.id in logged]
        exact = [h for h in hits if h[1].lower() == " ".join(words)]
        if exact or len(hits) == 1:
            return ExerciseMatch((exact or hits)[0], ())
        if hits:
            return ExerciseMatch(None, tuple(hits[:8]))
    done = await logged_exercises(session, user, limit=200)
    if not words:
        return ExerciseMatch(None, tuple(done[:8]))
    words = [w.replace("ё", "е") for w in words]
    text = " ".join(words)
    spoken = {e: spoken_names(e[1]) for e in done}  # every language's names of each (bot.i18n)
    exact = [e for e in done if text in spoken[e]]
    if exact:
        return ExerciseMatch(exact[0], ())
    containing = [e for e in done if any(all(w in n.replace("-", " ") for w in words) for n in spoken[e])]
    if len(containing) == 1:
        return ExerciseMatch(containing[0], ())
    if containing:
        return ExerciseMatch(None, tuple(containing[:8]))
    every = {n: e for e in done for n in spoken[e]}
    close = difflib.get_close_matches(text, list(every), n=5, cutoff=0.4)
    fuzzy = list(dict.fromkeys(every[name] for name in close))
    if not fuzzy:  # something in a word: "squat" vs "squats"
        fuzzy = [
            e
            for e in done
            if any(difflib.get_close_matches(w, _words(n), cutoff=0.75) for w in words for n in spoken[e])
        ]
    return ExerciseMatch(None, tuple(fuzzy[:8]))


async def exercise_by_id(session: AsyncSession, exercise_id: uuid.UUID) -> Exercise:
    exercise = await session.get(Exercise, exercise_id)
    if exercise is None:
        raise NotFound(_("That exercise is not in the catalog."))
    return exercise


# ---------------------------------------------------------------------------------------------------------
# chart data


@dataclass(frozen=True, slots=True)
class SessionPoint:
    """One session's best on an exercise: the top set and best e1RM (weighted), most reps or longest set."""

    day: date
    top_kg: Decimal | None
    top_reps: int | None  # the reps of the top set
    e1rm_kg: Decimal | None
    max_reps: int | None
    longest_seconds: int | None
    volume_kg: Decimal
    total_reps: int
    total_seconds: int


@dataclass(frozen=True, slots=True)
class ExerciseProgress:
    exercise_id: uuid.UUID
    name: str
    tracking: TrackingType
    points: tuple[SessionPoint, ...]  # by date
    weekly_volume: tuple[tuple[date, Decimal], ...]  # Monday of the week, kg lifted (working sets)
    note: str | None = None
    """The user's sticky note on the exercise."""


async def exercise_progress(session: AsyncSession, user: User, exercise_id: uuid.UUID) -> ExerciseProgress:
    """The exercise's sessions over time, in the user's zone, and the volume per week."""
    exercise = await exercise_by_id(session, exercise_id)
    if not await custom_exercises.may_see(session, user, exercise):  # an id proves nothing
        raise NotFound(_("That exercise is not in the catalog."))
    rows = await session.execute(
        _joined(
            select(
                UserWorkoutSession.id,
                _SESSION_MOMENT,
                UserExerciseSet.weight_kg,
                func.max(UserExerciseSet.reps),
                func.sum(UserExerciseSet.reps),
                func.max(UserExerciseSet.duration_seconds),
                func.sum(UserExerciseSet.duration_seconds),
                func.max(case((UserExerciseSet.reps <= E1RM_MAX_REPS, UserExerciseSet.reps), else_=None)),
            )
        )
        .where(*_user_sets(user.id), ExerciseInstruction.exercise_id == exercise_id)
        .group_by(UserWorkoutSession.id, _SESSION_MOMENT, UserExerciseSet.weight_kg)
    )
    sessions: dict[uuid.UUID, dict[str, Any]] = {}
    for sid, moment, weight, max_reps, sum_reps, longest, sum_seconds, estimable in rows:
        entry = sessions.setdefault(
            sid,
            {"day": local_date(moment, user.timezone), "volume": Decimal(0), "reps": 0, "seconds": 0},
        )
        entry["reps"] = int(entry["reps"]) + int(sum_reps or 0)
        entry["seconds"] = int(entry["seconds"]) + int(sum_seconds or 0)
        if max_reps is not None:
            entry["max_reps"] = max(int(max_reps), int(entry.get("max_reps") or 0))
        if longest is not None:
            entry["longest"] = max(int(longest), int(entry.get("longest") or 0))
        if weight is None or max_reps is None or int(max_reps) < 1:
            continue
        kg = _dec(weight).quantize(TWO_PLACES)
        entry["volume"] = entry["volume"] + kg * int(sum_reps or 0)
        if entry.get("top") is None or kg > entry["top"]:
            entry["top"], entry["top_reps"] = kg, int(max_reps)
        estimate = e1rm(kg, int(estimable) if estimable is not None else None)
        if estimate is not None and (entry.get("e1rm") is None or estimate > entry["e1rm"]):
            entry["e1rm"] = estimate
    points = sorted(
        (
            SessionPoint(
                day=e["day"],
                top_kg=e.get("top"),
                top_reps=e.get("top_reps"),
                e1rm_kg=e.get("e1rm"),
                max_reps=e.get("max_reps"),
                longest_seconds=e.get("longest"),
                volume_kg=e["volume"],
                total_reps=e["reps"],
                total_seconds=e["seconds"],
            )
            for e in sessions.values()
        ),
        key=lambda p: p.day,
    )
    weekly: dict[date, Decimal] = {}
    for point in points:
        monday = week_start(point.day)
        weekly[monday] = weekly.get(monday, Decimal(0)) + point.volume_kg
    return ExerciseProgress(
        exercise_id=exercise.id,
        name=exercise.name,
        tracking=exercise.tracking_type,
        points=tuple(points),
        weekly_volume=tuple(sorted(weekly.items())),
        note=await exercise_notes.note_for(session, user, exercise.id),
    )


@dataclass(frozen=True, slots=True)
class WeekAdherence:
    week: date  # Monday
    done: int
    planned: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.planned) if self.planned else 0


async def adherence_by_week(
    session: AsyncSession, user: User, now: datetime, *, weeks: int = 26
) -> list[WeekAdherence]:
    """Program workouts done of those scheduled, per local week (the last `weeks` weeks).

    Scheduled = program sessions whose time has come, except cancelled ones (a cancelled workout is
    offered again); done = completed ones.
    """
    since = now - timedelta(weeks=weeks)
    rows = await session.execute(
        select(UserWorkoutSession.scheduled_at, UserWorkoutSession.session_status).where(
            UserWorkoutSession.user_id == user.id,
            UserWorkoutSession.program_enrollment_id.is_not(None),
            UserWorkoutSession.scheduled_at.is_not(None),
            UserWorkoutSession.scheduled_at <= now,
            UserWorkoutSession.scheduled_at >= since,
            UserWorkoutSession.session_status != SessionStatus.CANCELLED,
        )
    )
    counts: dict[date, list[int]] = {}
    for scheduled_at, status in rows:
        week = week_start(local_date(scheduled_at, user.timezone))
        bucket = counts.setdefault(week, [0, 0])
        bucket[1] += 1
        if status == SessionStatus.COMPLETED:
            bucket[0] += 1
    return [WeekAdherence(week, done, planned) for week, (done, planned) in sorted(counts.items())]


@dataclass(frozen=True, slots=True)
class RatingPoint:
    day: date
    effort: int | None
    soreness: int | None


async def rating_trend(session: AsyncSession, user: User, *, limit: int = 200) -> list[RatingPoint]:
    """Effort and soreness of the latest completed workouts (those rated), oldest first."""
    rows = (
        await session.execute(
            select(
                UserWorkoutSession.completed_at,
                UserWorkoutSession.effort_rating,
                UserWorkoutSession.soreness_rating,
            )
            .where(
                UserWorkoutSession.user_id == user.id,
                UserWorkoutSession.completed_at.is_not(None),
                (UserWorkoutSession.effort_rating.is_not(None))
                | (UserWorkoutSession.soreness_rating.is_not(None)),
            )
            .order_by(UserWorkoutSession.completed_at.desc())
            .limit(limit)
        )
    ).all()
    return [RatingPoint(local_date(at, user.timezone), e, s) for at, e, s in reversed(rows)]


def session_volume(sets: Iterable[SetLike]) -> Decimal:
    """Weight x reps over working sets (what history and records call volume)."""
    return sum(
        (s.weight_kg * s.reps for s in sets if not s.is_warmup and s.weight_kg is not None and s.reps),
        Decimal(0),
    )


def volumes(points: Sequence[SessionPoint]) -> Decimal:
    return sum((p.volume_kg for p in points), Decimal(0))
