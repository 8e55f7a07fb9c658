"""A Russian trainee's workout through the emulator: /today, the card, its buttons, sets, the finish and its
summary, a quick workout saved as a routine - every reply and button in Russian, and the rows it wrote.

Words still allowed here: the user's own inputs and the test program's own names (a factory program without
translations); units, months and totals come from bot/ui/formatting.py in Russian.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.db.enums import Role, SessionStatus
from bot.db.models import (
    CoachTrainee,
    RoutineShare,
    User,
    UserExerciseNote,
    UserExercisePerformance,
    UserExerciseSet,
    UserProgramEnrollment,
    UserWorkoutSession,
    Workout,
)
from bot.sandbox import SandboxUser
from bot.sandbox.client import SentMessage
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from tests.e2e.russian import assert_russian, assert_russian_message
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

NAMES = ("Mini Program", "Workout A", "Start")
"""The program's, its workout's and phase's and the exercises' own names (translated by their files)."""


def russian(message: SentMessage | str, *inputs: str) -> None:
    """Every word of a reply and of its buttons is Russian, beside the program's names and `inputs`."""
    if isinstance(message, str):
        assert_russian(message, *inputs, *NAMES)
    else:
        assert_russian_message(message, *inputs, *NAMES)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def boris(make_user: Any) -> SandboxUser:
    user: SandboxUser = make_user("Boris", language_code="ru")
    return user


@pytest.fixture
async def trainee(boris: SandboxUser, session_factory: Factory) -> AsyncIterator[dict[str, Any]]:
    """Boris (Russian, Berlin, kg), enrolled today in the mini program: day 1 is Workout A."""
    from bot.services.users import TelegramProfile, register_user

    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        program = await make_program(session)
        profile = TelegramProfile(
            telegram_id=boris.user_id, chat_id=boris.chat_id, first_name="Boris", language_code="ru"
        )
        user = (await register_user(session, profile, default_timezone="Europe/Berlin")).user
        user.onboarded_at = MONDAY
        info = await enrollments.enroll(session, user, program.id, date(2026, 3, 2), MONDAY)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.program_enrollment_id == info.id)
        )
    yield {"user_id": user.id, "enrollment_id": info.id, "session_id": planned}


async def sets_of(
    factory: Factory, session_id: uuid.UUID
) -> list[tuple[int | None, Decimal | None, int | None]]:
    async with factory() as session:
        rows = await session.execute(
            select(UserExerciseSet.reps, UserExerciseSet.weight_kg, UserExerciseSet.duration_seconds)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(UserExercisePerformance.user_workout_session_id == session_id)
            .order_by(UserExercisePerformance.created_at, UserExerciseSet.set_number)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_russian_workout_from_today_to_the_summary(
    boris: SandboxUser,
    bot_app: BotApplication,
    trainee: dict[str, Any],
    clock: Clock,
    session_factory: Factory,
) -> None:
    sid = trainee["session_id"]
    today = (await boris.send("/today"))[-1]
    russian(today)
    assert "📅 <b>Сегодня</b> · Пн " in today.content or "📅 Сегодня · Пн " in today.text
    assert "Workout A · ~45 мин" in today.text
    assert today.buttons == [["▶️ Начать: Workout A", "⏭ Пропустить"], ["🔄 Обновить"]]

    card = (await boris.press("▶️ Начать: Workout A"))[-1]
    russian(card, "60×5", "60x8", "w", "x8x3")
    assert "упражнение 1 из 2" in card.text and "Цель: " in card.text
    assert card.buttons[0] == ["✓ 60×5"]
    assert card.buttons[1] == ["Дальше ▶"]
    assert card.buttons[2] == ["⏭ Пропустить упражнение", "➕ Добавить упражнение"]
    assert ["📋 Все упражнения", "🏁 Завершить"] in card.buttons
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.IN_PROGRESS

    logged = (await boris.send("60x5"))[-1]
    russian(logged, "60×5", "60x8", "w", "x8x3")
    assert logged.text.startswith("✅ Записано: 60×5\n\n🏋️ Workout A · упражнение 1 из 2")
    assert "(1 из 3 подходов)" in logged.text
    again = (await boris.press("↻ Ещё такой же"))[-1]
    russian(again, "60×5", "60x8", "w", "x8x3")
    assert "(2 из 3 подходов)" in again.text
    undone = (await boris.press("↶ Отменить"))[-1]
    russian(undone, "60×5", "60x8", "w", "x8x3")
    assert boris.callback_answers[-1].text == "Подход 2 удалён"
    await boris.press("↻ Ещё такой же")

    listed = (await boris.press("📋 Все упражнения"))[-1]
    russian(listed)
    assert "🏋️ Workout A — упражнения" in listed.text and "Приседания со штангой - 2 подхода" in listed.text
    assert listed.buttons[-1] == ["✖ Отменить тренировку"]
    await boris.press("1. Приседания со штангой")

    assert bot_app.job_queue is not None
    (job,) = bot_app.job_queue.get_jobs_by_name(f"rest:{boris.chat_id}")
    await job.run(bot_app)
    assert boris.last_text == "⏱ Отдых окончен — пора делать подход 3 в упражнении Приседания со штангой."

    prompt = (await boris.press("Дальше ▶"))[-1]
    russian(prompt)
    assert "Насколько тяжело далось упражнение «Приседания со штангой»?" in prompt.text
    assert prompt.buttons[-1] == ["Без оценки"]
    plank = (await boris.press("7"))[-1]
    russian(plank, "45с")
    assert "Планка" in plank.text and "упражнение 2 из 2" in plank.text
    assert "Напишите время, например 45с, 1:30 или 2 мин, или нажмите кнопку." in plank.text
    await boris.send("45s")
    await boris.press("Дальше ▶")
    last = (await boris.press("Без оценки"))[-1]
    russian(last)
    assert "Это было последнее упражнение тренировки Workout A." in last.text
    assert last.buttons == [["🏁 Завершить", "➕ Добавить упражнение"], ["📋 Все упражнения"]]

    effort = (await boris.press("🏁 Завершить"))[-1]
    russian(effort)
    assert effort.text.startswith("🏁 Почти всё! Насколько тяжёлой была вся тренировка?")
    soreness = (await boris.press("8"))[-1]
    russian(soreness)
    assert soreness.text == "Насколько болят мышцы сейчас? 0 — совсем нет, 10 — очень."
    note = (await boris.press("3"))[-1]
    russian(note)
    assert note.buttons == [["Пропустить"]]
    clock.now = MONDAY + timedelta(minutes=47)
    summary = (await boris.send("Отличная тренировка"))[-1]
    russian(summary)
    assert summary.text.startswith("🎉 Тренировка завершена: Workout A\n2 из 2 упражнений · ")
    assert "Длительность: " in summary.text and "Нагрузка 8/10 · болезненность 3/10" in summary.text
    assert "Дальше день 2 — смотрите /today." in summary.text

    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None
        assert (row.session_status, row.effort_rating, row.soreness_rating) == (SessionStatus.COMPLETED, 8, 3)
        assert row.session_notes == "Отличная тренировка"
        enrollment = await session.get(UserProgramEnrollment, trainee["enrollment_id"])
        assert enrollment is not None and enrollment.current_day == 2
        user = await session.get(User, trainee["user_id"])
        assert user is not None and user.language_code == "ru"
    assert await sets_of(session_factory, sid) == [
        (5, Decimal("60.00"), None),
        (5, Decimal("60.00"), None),
        (None, None, 45),
    ]

    done = (await boris.send("/today"))[-1]
    russian(done)
    assert "✅ Сегодня выполнено: Workout A" in done.text


async def test_skip_cancel_and_a_forged_button_in_russian(
    boris: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    sid = trainee["session_id"]
    await boris.send("/today")
    why = (await boris.press("⏭ Пропустить"))[-1]
    russian(why)
    assert why.text.startswith("Почему пропускаете тренировку?")
    assert why.buttons == [
        ["😴 Устал(а)", "🤒 Болею"],
        ["⏰ Нет времени", "🩹 Травма"],
        ["Без причины", "↩ Не пропускать"],
    ]
    kept = (await boris.press("↩ Не пропускать"))[-1]
    assert kept.text == "Хорошо, тренировка остаётся в плане. Смотрите /today."

    await boris.press_data("wk:bogus", kept.message_id)
    assert boris.callback_answers[-1].text == "Эта кнопка больше не действует."
    nothing = (await boris.send("/workout"))[-1]
    assert nothing.text == "Сейчас нет идущей тренировки. Начните её в /today."

    await boris.send("/today")
    why = (await boris.press("⏭ Пропустить"))[-1]
    summary = (await boris.press("😴 Устал(а)"))[-1]
    russian(summary)
    assert summary.text.startswith("⏭ Тренировка пропущена: Workout A")
    async with session_factory() as session:
        row = await session.get(UserWorkoutSession, sid)
        assert row is not None and row.session_status == SessionStatus.SKIPPED
        assert row.session_notes == "Skipped: Tired"  # stored data stays as the bot's records keep it


async def test_a_quick_workout_saved_as_a_routine_in_russian(
    boris: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    started = (await boris.send("/log"))[-1]
    russian(started, "clear")
    assert started.text.startswith("⚡ Быстрая тренировка: тренировка началась.\n\nНапишите, что сделали")
    assert started.buttons == [["🏁 Завершить", "✖ Отмена"]]
    card = (await boris.send("bench press 60x8"))[-1]
    russian(card, "60×8", "60x8", "w", "x8x3")
    assert card.text.startswith("✅ Записано: 60×8")
    assert "(1 подход)" in card.text
    await boris.send("60x8")
    plates = (await boris.press("🏋️ Блины"))[-1]
    russian(plates, "60×8", "60x8", "w", "x8x3")
    assert "на грифе" in plates.text and "с каждой стороны" in plates.text
    await boris.press("🏁 Завершить")
    await boris.press("7")
    await boris.press("2")
    summary = (await boris.press("Пропустить"))[-1]
    russian(summary)
    assert summary.text.startswith("🎉 Тренировка завершена: Быстрая тренировка\n1 из 1 упражнения · ")
    assert summary.buttons == [["💾 Сохранить как шаблон"]]
    ask = (await boris.press("💾 Сохранить как шаблон"))[-1]
    russian(ask)
    assert ask.text.startswith("💾 Как назвать шаблон?")
    saved = (await boris.send("Жимовой день"))[-1]
    russian(saved)
    assert saved.text.startswith("💾 Шаблон Жимовой день сохранён (1 упражнение).")

    async with session_factory() as session:
        names = set(
            (
                await session.scalars(select(Workout.name).where(Workout.created_by == trainee["user_id"]))
            ).all()
        )
        assert names == {"Быстрая тренировка", "Жимовой день"}
        quick = await session.scalar(
            select(UserWorkoutSession)
            .join(Workout, Workout.id == UserWorkoutSession.workout_id)
            .where(Workout.name == "Быстрая тренировка")
        )
        assert quick is not None and quick.session_status == SessionStatus.COMPLETED
    assert await sets_of(session_factory, quick.id) == [(8, Decimal("60.00"), None)] * 2

    listing = (await boris.send("/routines"))[-1]
    russian(listing)
    assert listing.text.startswith("📋 Ваши шаблоны\n• Жимовой день")
    opened = (await boris.press("📋 Жимовой день"))[-1]
    russian(opened)
    assert opened.buttons[0] == ["▶ Начать"] and opened.buttons[-1] == ["« Все шаблоны"]


async def test_note_swap_and_warm_up_in_russian(
    boris: SandboxUser, bot_app: BotApplication, trainee: dict[str, Any], session_factory: Factory
) -> None:
    await boris.send("/today")
    card = (await boris.press("▶️ Начать: Workout A"))[-1]
    assert ["📝 Заметка", "🔁 Заменить"] in card.buttons
    assert ["🏋️ Блины", "🔥 Разминка"] in card.buttons

    prompt = (await boris.press("📝 Заметка"))[-1]
    russian(prompt)
    assert prompt.text.startswith("📝 Заметка к упражнению Приседания со штангой\nНапишите заметку (до ")
    assert prompt.buttons == [["↩ Назад"]]
    noted = (await boris.send("сиденье на 4"))[-1]
    russian(noted, "60x8", "w", "x8x3")
    assert noted.text.startswith("📝 Заметка сохранена.\n\n") and "📝 сиденье на 4" in noted.text
    again = (await boris.press("📝 Заметка"))[-1]
    assert "Сейчас: сиденье на 4" in again.text and again.buttons == [["🗑 Удалить заметку", "↩ Назад"]]
    cleared = (await boris.press("🗑 Удалить заметку"))[-1]
    assert cleared.text.startswith("📝 Заметка удалена.")

    swap = (await boris.press("🔁 Заменить"))[-1]
    russian(swap, *(label for row in swap.buttons[:-1] for label in row))
    assert swap.text.startswith(
        "🔁 Замените Приседания со штангой другим упражнением — только в этой тренировке"
    )
    assert swap.buttons[-1] == ["↩ Назад"]
    nothing = (await boris.send("zzzz"))[-1]
    assert nothing.text.startswith("Других упражнений по запросу «zzzz» нет.")
    back = (await boris.press("↩ Назад", swap))[-1]
    russian(back, "60x8", "w", "x8x3")

    warm = (await boris.press("🔥 Разминка", back))[-1]
    russian(warm)
    assert warm.text.startswith("🔥 Разминка: Приседания со штангой · рабочий вес ")
    assert "(гриф)" in warm.text and "с каждой стороны" in warm.text
    assert "Разминочные подходы никогда не учитываются в рекордах и прогрессии." in warm.text
    assert warm.buttons == [["🔥 Записать разминку", "↩ Назад"]]
    logged = (await boris.press("🔥 Записать разминку", warm))[-1]
    russian(logged, "60x8", "w", "x8x3")
    assert logged.text.startswith("🔥 Разминка записана (")
    async with session_factory() as session:
        warmups = await session.scalar(
            select(func.count())
            .select_from(UserExerciseSet)
            .join(UserExercisePerformance, UserExercisePerformance.id == UserExerciseSet.performance_id)
            .where(
                UserExercisePerformance.user_workout_session_id == trainee["session_id"],
                UserExerciseSet.is_warmup.is_(True),
            )
        )
        note = await session.scalar(select(func.count()).select_from(UserExerciseNote))
    assert note == 0  # saved, then cleared
    assert warmups == 4


async def test_a_shared_routine_is_announced_in_the_trainee_language(
    boris: SandboxUser, make_user: Any, bot_app: BotApplication, session_factory: Factory
) -> None:
    from bot.services.users import TelegramProfile, register_user

    cole = make_user("Cole", language_code="en")
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        ids = {}
        for chat, name, code in ((cole, "Cole", "en"), (boris, "Boris", "ru")):
            profile = TelegramProfile(
                telegram_id=chat.user_id, chat_id=chat.chat_id, first_name=name, language_code=code
            )
            user = (await register_user(session, profile, default_timezone="UTC")).user
            user.onboarded_at = MONDAY
            ids[name] = user
        ids["Cole"].role = Role.COACH
        await session.flush()
        session.add(CoachTrainee(coach_id=ids["Cole"].id, trainee_id=ids["Boris"].id))

    await cole.send("/log")
    await cole.send("bench press 60x8")
    await cole.press("🏁 Finish")
    await cole.press("7")
    await cole.press("2")
    await cole.press("Skip")
    await cole.press("💾 Save as routine")
    await cole.send("Coach push")
    await cole.send("/routines")
    await cole.press("📋 Coach push")
    menu = (await cole.press("👥 Share with trainees"))[-1]
    assert "shared with 0 of your 1 trainee." in menu.text  # the coach reads English
    await cole.press("➕ Boris")
    assert cole.callback_answers[-1].text == "Shared with 1 trainee."

    notice = boris.messages[-1]
    russian(notice, "Cole", "Coach push")
    assert (
        notice.text == "📋 Cole поделился с вами шаблоном Coach push. Отправьте /routines, чтобы начать его."
    )
    assert notice.buttons == [["▶ Начать", "📋 Открыть"]]
    shared = (await boris.press("📋 Открыть", notice))[-1]
    russian(shared, "Cole", "Coach push")
    assert "Поделился тренер Cole" in shared.text
    assert shared.buttons == [["▶ Начать"], ["📄 Сохранить копию"], ["« Все шаблоны"]]
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(RoutineShare)) == 1
