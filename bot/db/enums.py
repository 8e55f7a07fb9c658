"""Enumerations stored as VARCHAR with a CHECK constraint (the same on SQLite and PostgreSQL)."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum as SAEnum


class EnrollmentStatus(StrEnum):
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"
    CANCELLED = "CANCELLED"
    EXPIRED = "EXPIRED"


class SessionStatus(StrEnum):
    PLANNED = "PLANNED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    SKIPPED = "SKIPPED"
    CANCELLED = "CANCELLED"


class MeasurementSource(StrEnum):
    MANUAL = "MANUAL"
    DEVICE = "DEVICE"
    CALCULATED = "CALCULATED"
    ESTIMATED = "ESTIMATED"


class Role(StrEnum):
    TRAINEE = "TRAINEE"
    COACH = "COACH"
    ADMIN = "ADMIN"


class WeightUnit(StrEnum):
    KG = "KG"
    LB = "LB"


class TrackingType(StrEnum):
    """How an exercise is logged: weight x reps, reps only (bodyweight), or a duration."""

    WEIGHT_REPS = "WEIGHT_REPS"
    REPS = "REPS"
    DURATION = "DURATION"


class SetType(StrEnum):
    """What kind of set a logged set is: a working set, a warm-up (is_warmup is true exactly for these),
    a drop set, a set to failure, or an as-many-reps-as-possible set."""

    WORKING = "WORKING"
    WARMUP = "WARMUP"
    DROP = "DROP"
    FAILURE = "FAILURE"
    AMRAP = "AMRAP"


class WarmupMode(StrEnum):
    """What the workout's Warm-up button does: LOG the ramp as warm-up sets in one tap, or SHOW it first
    with a button that logs it."""

    LOG = "LOG"
    SHOW = "SHOW"


class ImportSource(StrEnum):
    """The app a workout history was imported from (a CSV export)."""

    STRONG = "STRONG"
    HEVY = "HEVY"
    FITNOTES = "FITNOTES"


class VisibilityCode(StrEnum):
    PUBLIC = "PUBLIC"
    PRIVATE = "PRIVATE"
    UNLISTED = "UNLISTED"


class CoachLinkStatus(StrEnum):
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"


class ReminderStatus(StrEnum):
    """A reminder-log row is CLAIMED before sending, then SENT, FAILED, BLOCKED or DROPPED."""

    CLAIMED = "CLAIMED"
    SENT = "SENT"
    FAILED = "FAILED"
    BLOCKED = "BLOCKED"
    DROPPED = "DROPPED"


class ProgressionKind(StrEnum):
    """How a program's exercise progresses (bot.services.progression): add weight after a session where
    every set was done, climb a rep range then add weight, or a percentage of a training max."""

    LINEAR = "LINEAR"
    DOUBLE = "DOUBLE"
    PERCENT = "PERCENT"


class TargetReason(StrEnum):
    """Why a trainee's target on an exercise is what it is (trainee_target.reason_kind)."""

    PROGRAM = "PROGRAM"  # the program's starting weight
    HISTORY = "HISTORY"  # what the trainee lifted last time
    FIRST = "FIRST"  # the weight of the trainee's first session with the rule
    INCREASE = "INCREASE"  # every set done: + increment
    REPS_UP = "REPS_UP"  # double progression: one more rep per set next time
    HOLD = "HOLD"  # a missed session: the same target again
    DELOAD = "DELOAD"  # missed deload_after sessions in a row: - deload_percent
    COACH = "COACH"  # set by a coach
    TRAINING_MAX = "TRAINING_MAX"  # a percent rule: a training max set or estimated


def db_enum(enum_cls: type[StrEnum], name: str) -> SAEnum:
    """A non-native enum: VARCHAR plus a named CHECK listing exactly the enum's values."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        values_callable=lambda cls: [member.value for member in cls],
    )
