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
