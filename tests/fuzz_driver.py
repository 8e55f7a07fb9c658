"""The conversation-state fuzz, shared by tests/e2e/test_fuzz_states.py (short) and bench/fuzz_states.py (long).

For each conversation state in STATES a fresh user is walked into the state through the real bot (commands
and button presses), then fed seeded random inputs: text (set-like strings, units, emoji, RTL, HTML, control
characters with NUL, 4,096-char strings), commands, forged callback data and photos. After every input the
invariants are checked: no apology, no error logged by the bot, Telegram's limits respected; after every
state, the bystander's rows (sessions, sets, measurements, enrollments, notes) are unchanged.
"""

from __future__ import annotations

import logging
import random
import string
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import BotApplication
from bot.db.enums import Role, SessionStatus, TargetReason
from bot.db.models import (
    CoachTrainee,
    Exercise,
    TraineeTarget,
    User,
    UserExerciseNote,
    UserExercisePerformance,
    UserExerciseSet,
    UserMeasurement,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.emulator import SentMessage
from bot.services import enrollment as enrollments
from bot.services.coaching import comments
from bot.services.users import TelegramProfile, register_user
from bot.ui import attention as attention_ui
from bot.ui import texts
from bot.ui.callback import short_id, workout_skip, workout_start
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]

MAX_TEXT = 4096
MAX_CALLBACK_ANSWER = 200
REENTER_EVERY = 8
"""Inputs sent in a state before a fresh user is walked into it again (inputs often leave the state)."""

# A path step: "offer" shows today's Start/Skip buttons, "/..." is sent, "> text" is typed, anything else is
# the text of a button to press (skipped when the bot does not show it), "#0" the first button shown,
# "?label" a button pressed when shown.
FINISHED = ("offer", "▶ Start", "> 60x5", "🏁 Finish", "?🏁 Finish anyway", "8", "3", "> done")
"""A workout with one set logged and finished: the path to the history states."""
STATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "onboarding.timezone": ("newbie", ("/start",)),
    "onboarding.reminder": ("newbie", ("/start", "✅ UTC")),
    "onboarding.unit": ("newbie", ("/start", "✅ UTC", "✅ 07:00")),
    "settings": ("trainee", ("/settings",)),
    "programs.browse": ("trainee", ("/programs",)),
    "programs.typed_date": ("trainee", ("/programs", "1. Beginner", "#0", "⌨️ Type a date")),
    "workout.LOGGING": ("trainee", ("offer", "▶ Start")),
    "workout.RATING": ("trainee", ("offer", "▶ Start", "> 60x5", "Next ▶")),
    "workout.ADDING": ("trainee", ("offer", "▶ Start", "📋 All exercises", "➕ Add exercise")),
    "workout.EFFORT": ("trainee", ("offer", "▶ Start", "🏁 Finish", "🏁 Finish anyway")),
    "workout.SORENESS": ("trainee", ("offer", "▶ Start", "🏁 Finish", "🏁 Finish anyway", "8")),
    "workout.NOTE": ("trainee", ("offer", "▶ Start", "🏁 Finish", "🏁 Finish anyway", "8", "3")),
    "workout.SKIP_REASON": ("trainee", ("offer", "⏭ Skip")),
    "workout.EXERCISE_NOTE": ("trainee", ("offer", "▶ Start", "📝 Note")),
    "workout.SWAPPING": ("trainee", ("offer", "▶ Start", "🔁 Swap")),
    "quick": ("trainee", ("/log",)),
    "measure.value": ("trainee", ("/measure", "Body weight")),
    "measure.correct": (
        "trainee",
        ("/measure weight 82.5", "/measurements", "✏️ Edit", "82.5 kg", "✏️ Correct"),
    ),
    "history.edit": ("trainee", (*FINISHED, "/history", "1. Workout A", "Barbell Back Squat 1", "✏️ Edit")),
    "history.add_set": (
        "trainee",
        (*FINISHED, "/history", "1. Workout A", "➕ Add a set", "Barbell Back Squat"),
    ),
    "coach.assign": ("coach", ("/assign", "👤 Tina")),
    "coach.trainee": ("coach", ("/trainee {trainee}",)),
    "coach.target": ("coach", ("/trainee {trainee}", "🎯 Barbell Back Squat")),
    "comments.COMMENTING": ("coach", ("notice", "💬 Comment")),
    "comments.ANSWERING": ("coached", ("comment", "↩️ Answer")),
    "settings.bar": ("trainee", ("/settings", "🏋️ Bar & plates", "✏️ Type bar weight")),
    "settings.plates": ("trainee", ("/settings", "🏋️ Bar & plates", "✏️ Type plates")),
    "routines.name": (
        "trainee",
        (
            "/log",
            "> bench press 60x8",
            "🏁 Finish",
            "?🏁 Finish anyway",
            "7",
            "2",
            "Skip",
            "💾 Save as routine",
        ),
    ),
}
"""Steps of the coach's states: "notice" sends the coach a workout notice of their trainee Tina (with 💬
Comment); a "coached" user is Tina, and "comment" sends her a comment of her coach (with ↩️ Answer)."""

COMMANDS = (
    "start", "help", "today", "workout", "log", "cancel", "settings", "programs", "measure", "history",
    "progress", "records", "exercises", "exercise", "reminders", "assign", "trainee", "trainees", "export",
    "makecoach", "import", "nosuchcommand", "target", "tm", "plates", "routines",
)  # fmt: skip
PREFIXES = (
    "wk:start", "wk:skip", "wk:fin", "wk:go", "wk:pick", "wk:cancel", "wk:nclr", "wk:skipw", "wk:log",
    "wk:undo", "wk:next", "wk:rate", "me:c", "me:d", "me:e", "me:l", "me:v", "me:m", "hi:ed", "hi:ad",
    "hi:add", "hi:del", "hi:dw", "hi:p", "hi:s", "hi:x", "pr:adh", "pr:eff", "pr:ex", "cx", "qk", "dm", "ob",
    "st", "pg", "im:go", "im:no", "tg:s", "tg:x", "cm:c", "cm:a", "cm:x", "rt:save",
)  # fmt: skip
SET_LIKE = ("60x8", "60 x 8", "@8", "60x8@9", "3x5x100", "w 40x10", "135lb x 5", "45s", "1:30", "x", "0x0",
            "-5x3", "1e309x1", "99999999999999999999x5", "60x8 rir2", "amrap", "drop 60x8 50x6", "5km",
            "80kg", "180 lb", "1.5", "NaN", "inf", "0", "-1", "07:00", "25:99", "Europe/Berlin", "UTC+14",
            "lb", "kg", "off", "2026-02-30", "tomorrow", "yesterday", "31/12/1999", "squat", "skip")  # fmt: skip
ODD = ("💪🏋️‍♀️🔥", "שלום עולם 60x8", "مرحبا ٦٠×٨", "<b>bold</b> & <i>", "&amp;&lt;", "<script>", "\x00",
       "a\x00b", "\u202e60x8", "\u200b", "\r\n\t", "\x1b[31m", "ｓｑｕａｔ", "𝟔𝟎𝐱𝟖", "%s %d {0}", "'; DROP TABLE x;--",
       "\\", "null", "None", " ", "")  # fmt: skip
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


class ErrorCapture(logging.Handler):
    """Collects ERROR records of the bot's loggers (the error handler logs every unhandled exception)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> ErrorCapture:
        logging.getLogger("bot").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("bot").removeHandler(self)


@dataclass
class Report:
    inputs: Counter[str] = field(default_factory=Counter)
    reached: Counter[str] = field(default_factory=Counter)
    entries: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.inputs.values())


class Fuzzer:
    def __init__(
        self, emulator: BotApiEmulator, bot_app: BotApplication, factory: Factory, now: datetime, seed: int
    ) -> None:
        self.emulator = emulator
        self.bot_app = bot_app
        self.factory = factory
        self.now = now
        self.rng = random.Random(seed)
        self.report = Report()
        self.program_id: uuid.UUID | None = None
        self.bystander: SandboxUser | None = None
        self.bystander_id: uuid.UUID | None = None
        self.bystander_session: uuid.UUID | None = None
        self.coach_trainee = "Tina"
        self.coached: tuple[SandboxUser, User, uuid.UUID]
        self.counter = 0

    # --- setup ------------------------------------------------------------------------------------------

    async def setup(self) -> None:
        """The catalog, the mini program, and Bob: a bystander with a logged workout and a measurement."""
        async with self.factory() as session, session.begin():
            await seed_catalog(session)
            self.program_id = (await make_program(session)).id
        bob, self.bystander_id, self.bystander_session = await self._trainee("Bob")
        self.bystander = bob
        await self._offer(bob, self.bystander_session)
        await bob.press("▶ Start")
        await bob.send("60x5")
        await bob.send("/measure")
        assert await self._press(bob, "Body weight")
        await bob.send("81.5")

    async def _register(self, user: SandboxUser, name: str, role: Role = Role.TRAINEE) -> User:
        async with self.factory() as session, session.begin():
            registered = (
                await register_user(
                    session,
                    TelegramProfile(telegram_id=user.user_id, chat_id=user.chat_id, first_name=name),
                    default_timezone="Europe/Berlin",
                )
            ).user
            registered.onboarded_at = self.now
            registered.role = role
        return registered

    async def _trainee(self, name: str) -> tuple[SandboxUser, uuid.UUID, uuid.UUID]:
        """A new onboarded user enrolled today in the mini program; returns them and today's session."""
        self.counter += 1
        user = self.emulator.add_user(first_name=name, username=f"{name.lower()}{self.counter}")
        assert self.program_id is not None
        async with self.factory() as session, session.begin():
            registered = (
                await register_user(
                    session,
                    TelegramProfile(telegram_id=user.user_id, chat_id=user.chat_id, first_name=name),
                    default_timezone="Europe/Berlin",
                )
            ).user
            registered.onboarded_at = self.now
            info = await enrollments.enroll(session, registered, self.program_id, self.now.date(), self.now)
            planned = await session.scalar(
                select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
            )
            assert planned is not None
            return user, registered.id, planned

    async def _coach(self) -> SandboxUser:
        """Cole, a coach, and his trainee Tina: a squat target and a finished workout (to comment on)."""
        self.counter += 1
        coach = self.emulator.add_user(first_name="Cole", username=f"cole{self.counter}")
        trainee = self.emulator.add_user(first_name="Tina", username=f"tina{self.counter}")
        coach_row = await self._register(coach, "Cole", Role.COACH)
        trainee_row = await self._register(trainee, "Tina")
        async with self.factory() as session, session.begin():
            session.add(CoachTrainee(coach_id=coach_row.id, trainee_id=trainee_row.id))
            squat = await session.scalar(select(Exercise.id).where(Exercise.code == "back-squat"))
            assert squat is not None
            session.add(
                TraineeTarget(
                    user_id=trainee_row.id,
                    exercise_id=squat,
                    weight_kg=Decimal(60),
                    reason_kind=TargetReason.PROGRAM,
                    fail_streak=0,
                )
            )
            workout = await session.scalar(select(Workout.id).where(Workout.name == "Workout A"))
            done = UserWorkoutSession(
                user_id=trainee_row.id,
                workout_id=workout,
                session_status=SessionStatus.COMPLETED,
                started_at=self.now,
                completed_at=self.now,
                created_by=trainee_row.id,
            )
            session.add(done)
        self.coached = (trainee, coach_row, done.id)
        return coach

    async def _coached(self) -> tuple[SandboxUser, uuid.UUID]:
        """Tina, with a comment of her coach on her workout: her and the comment."""
        await self._coach()
        trainee, coach_row, done = self.coached
        async with self.factory() as session, session.begin():
            sent = await comments.add_comment(session, coach_row, done, "Good depth.", self.now)
        return trainee, sent.comment_id

    async def _offer(self, user: SandboxUser, session_id: uuid.UUID) -> None:
        markup = InlineKeyboardMarkup(
            [[InlineKeyboardButton("▶ Start", callback_data=workout_start(session_id)),
              InlineKeyboardButton("⏭ Skip", callback_data=workout_skip(session_id))]]
        )  # fmt: skip
        await self.bot_app.bot.send_message(user.chat_id, "Today: Workout A", reply_markup=markup)

    async def _press(self, user: SandboxUser, label: str) -> bool:
        """Press the newest button whose text contains `label`; False when there is none."""
        for message in reversed(user.messages):
            for r, row in enumerate(message.buttons):
                for c, text in enumerate(row):
                    if label in text:
                        await user.press((r, c), message)
                        return True
        return False

    async def enter(self, state: str) -> SandboxUser:
        """A fresh user walked into `state`; counts the state reached when every step of its path worked."""
        kind, path = STATES[state]
        session_id = comment_id = None
        if kind == "coached":
            user, comment_id = await self._coached()
        elif kind == "newbie":
            self.counter += 1
            user = self.emulator.add_user(first_name="Nina", username=f"nina{self.counter}")
        elif kind == "coach":
            user = await self._coach()
        else:
            user, _, session_id = await self._trainee("Alice")
        complete = True
        for step in path:
            if step == "offer":
                assert session_id is not None
                await self._offer(user, session_id)
            elif step == "notice":
                markup = attention_ui.comment_button(self.coached[2])
                await self.bot_app.bot.send_message(user.chat_id, "Tina finished", reply_markup=markup)
            elif step == "comment":
                assert comment_id is not None
                markup = attention_ui.answer_button(comment_id)
                await self.bot_app.bot.send_message(user.chat_id, "Good depth.", reply_markup=markup)
            elif step.startswith("/"):
                await user.send(step.format(trainee=self.coach_trainee))
            elif step == "#0":
                complete = bool(user.buttons()) and complete
                if user.buttons():
                    await user.press(0)
            elif step.startswith("?"):
                await self._press(user, step[1:])  # optional
            elif step.startswith("> "):
                await user.send(step[2:])
            else:
                complete = await self._press(user, step) and complete
        self.report.entries[state] += 1
        if complete:
            self.report.reached[state] += 1
        return user

    # --- inputs -----------------------------------------------------------------------------------------

    def _text(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            return rng.choice(SET_LIKE)
        if roll < 0.5:
            return rng.choice(ODD)
        if roll < 0.6:
            return rng.choice(("x", "60x8 ", "💪", "ש", "<b>&", "\x00")) * rng.choice((1024, 2048, 4096))
        if roll < 0.75:
            return " ".join(rng.choice(SET_LIKE + ODD) for _ in range(rng.randint(2, 6)))
        alphabet = string.printable + "×@💪שم\x00\x01\x7f\u202e"
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 80)))

    def _command(self) -> str:
        rng = self.rng
        name = rng.choice(COMMANDS)
        arguments = rng.choice(("", "", self._text()[:200], self.coach_trainee, f"{self.coach_trainee} Mini"))
        return f"/{name} {arguments}".rstrip()

    def _callback(self, user: SandboxUser) -> tuple[str, int | None]:
        """Callback data and the message it is pressed on (None: the latest message)."""
        rng = self.rng
        real = [
            (str(button["callback_data"]), message.message_id)
            for message in user.messages[-3:]
            for row in message.inline_keyboard
            for button in row
            if "callback_data" in button
        ]
        roll = rng.random()
        if real and roll < 0.45:
            return rng.choice(real)  # a real button, on its message: explores deeper
        if real and roll < 0.65:
            data, message_id = rng.choice(real)  # garbled, on the button's own message
            parts = data.split(":")
            index = rng.randrange(len(parts))
            parts[index] = self._forged_id()
            return ":".join(parts), message_id
        parts = [rng.choice(PREFIXES)]
        for _ in range(rng.randint(0, 3)):
            parts.append(self._forged_id())
        data = ":".join(parts)
        if rng.random() < 0.1:
            data += ":" + "A" * rng.choice((64, 200, 1000))
        return data, None

    def _forged_id(self) -> str:
        rng = self.rng
        choices: list[str] = [short_id(uuid.uuid4()), "", "-1", "0", "999999999999", "x" * 22, "💪", "null"]
        if self.bystander_session is not None:
            choices += [short_id(self.bystander_session)] * 3
        if self.bystander_id is not None:
            choices += [short_id(self.bystander_id)] * 2
        return rng.choice(choices)

    async def one_input(self, user: SandboxUser, state: str) -> None:
        rng = self.rng
        roll = rng.random()
        answers_before = len(user.callback_answers)
        target = user.last_reply
        what: str
        try:
            if roll < 0.5:
                what = self._text()
                replies = await user.send(what)
            elif roll < 0.62:
                what = self._command()
                replies = await user.send(what)
            elif roll < 0.97:
                what, message_id = self._callback(user)
                if message_id is None:
                    message_id = target.message_id if target is not None else rng.randint(1, 10)
                replies = await user.press_data(what, message_id)
            else:
                what = "<photo>"
                replies = await user.send_photo(TINY_PNG, caption=rng.choice((None, self._text()[:1024])))
        except AssertionError as error:  # the bot never finished the update
            self.report.failures.append(f"{state}: {error}")
            return
        self.report.inputs[state] += 1
        self.check(state, what, replies, user.callback_answers[answers_before:])

    def check(self, state: str, what: str, replies: list[SentMessage], answers: list[Any]) -> None:
        shown = repr(what[:80])
        for message in replies:
            content = message.content
            if texts.APOLOGY in content:
                self.report.failures.append(f"{state}: apology after {shown}")
            if len(content) > MAX_TEXT:
                self.report.failures.append(f"{state}: {len(content)}-char message after {shown}")
        for answer in answers:
            if answer.text is not None and len(answer.text) > MAX_CALLBACK_ANSWER:
                self.report.failures.append(f"{state}: {len(answer.text)}-char callback answer after {shown}")

    # --- the bystander ----------------------------------------------------------------------------------

    async def snapshot(self) -> list[Any]:
        """Every row of the bystander's data: sessions, performances, sets, measurements, enrollments, notes."""
        uid = self.bystander_id
        rows: list[Any] = []
        async with self.factory() as session:
            for model in (UserWorkoutSession, UserProgramEnrollment, UserMeasurement, UserExerciseNote):
                found = await session.scalars(select(model).where(model.user_id == uid))
                rows.append(sorted((_columns(row) for row in found), key=repr))
            performances = await session.scalars(
                select(UserExercisePerformance)
                .join(
                    UserWorkoutSession,
                    UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id,
                )
                .where(UserWorkoutSession.user_id == uid)
            )
            rows.append(sorted((_columns(row) for row in performances), key=repr))
            sets = await session.scalars(
                select(UserExerciseSet)
                .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
                .join(
                    UserWorkoutSession,
                    UserWorkoutSession.id == UserExercisePerformance.user_workout_session_id,
                )
                .where(UserWorkoutSession.user_id == uid)
            )
            rows.append(sorted((_columns(row) for row in sets), key=repr))
            user = await session.get(User, uid)
            rows.append(_columns(user))
        return rows

    # --- the run ----------------------------------------------------------------------------------------

    async def run(self, per_state: int, states: list[str] | None = None) -> Report:
        """`per_state` random inputs in each state; the invariants checked after each, the bystander after
        each state."""
        with ErrorCapture() as errors:
            for state in states or list(STATES):
                before = await self.snapshot()
                sent = 0
                while sent < per_state:
                    user = await self.enter(state)
                    for _ in range(min(REENTER_EVERY, per_state - sent)):
                        logged = len(errors.records)
                        await self.one_input(user, state)
                        for record in errors.records[logged:]:
                            cause = repr(record.exc_info[1]) if record.exc_info else ""
                            self.report.failures.append(
                                f"{state}: error logged: {record.getMessage()} {cause}"
                            )
                        sent += 1
                if await self.snapshot() != before:
                    self.report.failures.append(f"{state}: the bystander's data changed")
        return self.report


def _columns(row: Any) -> tuple[Any, ...]:
    if row is None:
        return ()
    return tuple(
        (column.key, getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in {"updated_at", "last_seen_at", "last_active_at"}
    )


__all__ = ["STATES", "ErrorCapture", "Fuzzer", "Report"]
