"""Every mapped table; importing this package registers them all on Base.metadata."""

from bot.db.models.admin import AdminGrant
from bot.db.models.catalog import (
    Category,
    DifficultyLevel,
    Exercise,
    ExerciseInstruction,
    Metric,
    Tag,
    Visibility,
    Workout,
)
from bot.db.models.coaching import CoachInvitation
from bot.db.models.imports import WorkoutImport
from bot.db.models.inbox import InboxUpdate
from bot.db.models.notes import UserExerciseNote
from bot.db.models.program import (
    Program,
    ProgramCategory,
    ProgramPhase,
    ProgramSchedule,
    ProgramTag,
    ScheduleWorkout,
)
from bot.db.models.progress import (
    EnrollmentDayState,
    ProgramDaySession,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
)
from bot.db.models.reminders import ReminderLog
from bot.db.models.state import BotState
from bot.db.models.swap import SessionExerciseSwap
from bot.db.models.user import CoachTrainee, User

__all__ = [
    "AdminGrant",
    "BotState",
    "Category",
    "CoachInvitation",
    "CoachTrainee",
    "DifficultyLevel",
    "EnrollmentDayState",
    "Exercise",
    "ExerciseInstruction",
    "InboxUpdate",
    "Metric",
    "Program",
    "ProgramCategory",
    "ProgramDaySession",
    "ProgramPhase",
    "ProgramSchedule",
    "ProgramTag",
    "ReminderLog",
    "ScheduleWorkout",
    "SessionExerciseSwap",
    "Tag",
    "User",
    "UserExerciseNote",
    "UserExercisePerformance",
    "UserExerciseSet",
    "UserMeasurement",
    "UserProgramEnrollment",
    "UserWorkoutSession",
    "Visibility",
    "Workout",
    "WorkoutImport",
]
