"""Every mapped table; importing this package registers them all on Base.metadata."""

from bot.db.models.admin import AdminGrant
from bot.db.models.attention import ProgramRule, SessionReadiness, WorkoutComment
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
from bot.db.models.loading import UserLoading, UserPlate
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
from bot.db.models.progression import ProgressionRule, TraineeTarget
from bot.db.models.reminders import ReminderLog
from bot.db.models.routines import RoutineShare
from bot.db.models.state import BotState
from bot.db.models.swap import SessionExerciseSwap
from bot.db.models.translations import ProgramTranslation
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
    "ProgramRule",
    "ProgramSchedule",
    "ProgramTag",
    "ProgramTranslation",
    "ProgressionRule",
    "ReminderLog",
    "RoutineShare",
    "ScheduleWorkout",
    "SessionExerciseSwap",
    "SessionReadiness",
    "Tag",
    "TraineeTarget",
    "User",
    "UserExerciseNote",
    "UserExercisePerformance",
    "UserExerciseSet",
    "UserLoading",
    "UserMeasurement",
    "UserPlate",
    "UserProgramEnrollment",
    "UserWorkoutSession",
    "Visibility",
    "Workout",
    "WorkoutComment",
    "WorkoutImport",
]
