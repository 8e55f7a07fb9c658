"""Coaching, comments, reminders and the weekly summary in Russian (#15): each reader in their own language.

A Russian coach and an English trainee (and the reverse) go through an invitation, /assign, a finished
workout's notice and a comment with its answer; each message is checked in its reader's language - the
sender's language never leaks into a message to the other side. A Russian trainee's daily reminder and
weekly summary come from the real tick (as in test_reminders) in Russian, next to an English trainee's
in English. Plural forms are checked for 1, 2, 5, 11 and 21.

Fragments rendered by other modules (dates, durations, the work line, a program's card) are allowed as
what those modules render in Russian (`ru(...)`), so this module checks its own strings.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import time, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from sqlalchemy import select, update

from bot.db.enums import CoachLinkStatus, EnrollmentStatus, ReminderStatus, Role, SessionStatus, WeightUnit
from bot.db.models import (
    CoachInvitation,
    CoachTrainee,
    User,
    UserProgramEnrollment,
    UserWorkoutSession,
    WorkoutComment,
)
from bot.i18n import use_locale
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.emulator import SentMessage
from bot.sandbox.harness import Clock
from bot.services import enrollment as enrollments
from bot.services import reminders, workouts
from bot.services.program_day import ProgramStats
from bot.services.set_input import SetInput
from bot.services.users import TelegramProfile, register_user
from bot.services.workout_end import SessionSummary
from bot.ui import attention as attention_ui
from bot.ui import coaching as coaching_ui
from bot.ui import reminders as reminders_ui
from bot.ui.formatting import format_date, format_duration, format_minutes
from bot.ui.today import day_label
from tests.e2e.russian import assert_russian, button_starting
from tests.e2e.test_coach_attention import PROGRAM
from tests.e2e.test_coaching import NOW, Factory, rows
from tests.e2e.test_programs import seed
from tests.e2e.test_reminders import MONDAY, World, at, catalog, reminder_texts, world

__all__ = ["catalog", "world"]  # the reminder fixtures, shared with test_reminders

T = TypeVar("T")
PLURALS = (1, 2, 5, 11, 21)


def ru(render: Callable[[], T]) -> T:
    """What `render` gives a Russian reader (another module's fragment, allowed in a Russian message)."""
    with use_locale("ru"):
        return render()


async def register(
    factory: Factory, person: SandboxUser, name: str, language_code: str, *, role: Role = Role.TRAINEE
) -> uuid.UUID:
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(
                telegram_id=person.user_id,
                chat_id=person.chat_id,
                first_name=name,
                username=name.lower(),
                language_code=language_code,
            ),
            default_timezone="UTC",
            default_reminder_time=time(7, 0),
        )
        registration.user.onboarded_at = NOW - timedelta(days=30)
        registration.user.role = role
        return registration.user.id


def labels(person: SandboxUser, message: SentMessage | None = None) -> list[str]:
    return [b for row in person.buttons(message) for b in row]


def last_with(person: SandboxUser, phrase: str) -> SentMessage:
    return next(m for m in reversed(person.messages) if phrase in m.content)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def people(make_user: Any, session_factory: Factory, clock: Clock) -> dict[str, Any]:
    """Boris (a Russian coach) and Tess (his English trainee-to-be); Cole (an English coach) and Masha
    (his Russian trainee-to-be). Both coaches upload the same program."""
    await seed(session_factory)
    users = {
        "boris": make_user("Boris", username="boris", language_code="ru"),
        "tess": make_user("Tess", username="tess", language_code="en"),
        "cole": make_user("Cole", username="cole", language_code="en-GB"),
        "masha": make_user("Masha", username="masha", language_code="ru"),
    }
    ids = {
        "boris": await register(session_factory, users["boris"], "Boris", "ru", role=Role.COACH),
        "tess": await register(session_factory, users["tess"], "Tess", "en"),
        "cole": await register(session_factory, users["cole"], "Cole", "en-GB", role=Role.COACH),
        "masha": await register(session_factory, users["masha"], "Masha", "ru"),
    }
    return {"users": users, "ids": ids}


async def invite_and_accept(
    factory: Factory, coach: SandboxUser, trainee: SandboxUser, coach_id: uuid.UUID
) -> tuple[str, str, list[str]]:
    """The coach's /invite, the trainee opens it and accepts: (the coach's invite text, the invitation,
    its buttons)."""
    await coach.send("/invite")
    invite_text = coach.last_text
    (invitation,) = await rows(factory, CoachInvitation, CoachInvitation.coach_id == coach_id)
    await trainee.send(f"/start {invitation.token}")
    shown = next(m for m in reversed(trainee.messages) if trainee.buttons(m))
    invitation, buttons = shown.content, labels(trainee, shown)
    await trainee.press(buttons[0], shown)  # Accept comes first
    return invite_text, invitation, buttons


async def work_out(trainee: SandboxUser, note: str) -> None:
    """Start the assigned workout, skip the readiness question, log one set, finish with ratings and a note."""
    await trainee.press(button_starting(trainee, "▶"))
    await trainee.press(labels(trainee)[-1])  # the readiness question's Skip
    await trainee.send("100x5")
    await trainee.press(button_starting(trainee, "🏁"))
    await trainee.press("7")
    await trainee.press("3")
    await trainee.send(note)


async def test_a_russian_coach_and_an_english_trainee_each_read_their_language(
    people: dict[str, Any], session_factory: Factory, emulator: BotApiEmulator
) -> None:
    boris, tess = people["users"]["boris"], people["users"]["tess"]
    ids = people["ids"]
    await boris.upload(PROGRAM, "squats.yaml")
    assert boris.last_text.startswith("✅ Программа добавлена (личная: её видите вы и ваши подопечные).")

    # the invitation: Russian for Boris, English for Tess; Boris hears of the acceptance in Russian
    invite_text, invitation, buttons = await invite_and_accept(session_factory, boris, tess, ids["boris"])
    (row,) = await rows(session_factory, CoachInvitation)
    expires = ru(lambda: day_label(row.expires_at.date(), NOW.date()))
    assert invite_text.startswith("🔗 Ваша ссылка-приглашение:")
    assert f"Действует до {expires}." in invite_text
    assert_russian(invite_text, expires)
    assert "Boris invites you to be their trainee." in invitation
    assert buttons == ["✅ Accept", "✖️ Decline"]
    assert "Boris is now your coach." in tess.last_text
    accepted = boris.last_text
    assert accepted.startswith("🎉 Tess (@tess) принял(а) ваше приглашение.")
    assert_russian(accepted, "Tess", "tess")
    links = await rows(session_factory, CoachTrainee)
    assert [(x.coach_id, x.trainee_id, x.status) for x in links] == [
        (ids["boris"], ids["tess"], CoachLinkStatus.ACTIVE)
    ]

    # /trainee: the detail and its buttons in Russian; workout messages switched on by button
    await boris.send("/trainee tess")
    detail = boris.last_reply
    assert detail is not None and "Нет программы. Назначьте её через /assign." in detail.content
    assert "🔔 Сообщения о тренировках: выкл" in detail.content
    for label in labels(boris, detail):
        assert_russian(label)
    await boris.press("🔔 Сообщать мне после каждой тренировки", detail)
    assert "🔔 Сообщения о тренировках: вкл" in boris.last_text
    assert (await rows(session_factory, CoachTrainee))[0].notify_on_workout is True

    # /assign: Russian for Boris, English for Tess
    await boris.send("/assign @tess Cole Squats")
    assigned = boris.last_text
    assert assigned == "📋 Программа Cole Squats назначена: Tess, день 1 - сегодня."
    assert_russian(assigned, "Cole Squats", "Tess")
    assert any(m.content.startswith("📋 Your coach Boris assigned you a program:") for m in tess.messages)
    (enrollment,) = await rows(session_factory, UserProgramEnrollment)
    assert (enrollment.user_id, enrollment.assigned_by) == (ids["tess"], ids["boris"])
    assert enrollment.enrollment_status == EnrollmentStatus.ACTIVE
    await boris.send("/assign @tess Cole Squats")  # again: refused in Russian, nothing written
    assert boris.last_text == "🤔 Tess уже занимается по программе Cole Squats."
    assert len(await rows(session_factory, UserProgramEnrollment)) == 1

    # Tess finishes her workout: Boris's notice is in Russian, with a Russian Comment button
    await work_out(tess, "Knees felt fine")
    notice = last_with(boris, "🏁")
    assert notice.content.startswith("🏁 Tess завершил(а) тренировку Squat Day")
    assert "1/1 упражнение · 1 подход" in notice.content
    assert "усилие 7/10, крепатура 3/10" in notice.content
    assert_russian(notice.content, "Tess", "Squat Day", "Knees felt fine", ru(lambda: format_minutes(60)))
    assert labels(boris, notice) == ["💬 Комментировать"]

    # Boris comments by reply: his confirmation in Russian, the comment reaches Tess in English
    await boris.reply(notice, "Отличная глубина!")
    assert boris.last_text.startswith("✅ Отправлено: Tess, к тренировке Squat Day")
    day = ru(lambda: format_date(NOW.date(), NOW.date()))
    assert_russian(boris.last_text, "Tess", "Squat Day", day)
    comment = tess.messages[-1]
    assert comment.content.startswith("💬 Your coach Boris commented on Squat Day")
    assert "Отличная глубина!" in comment.content and labels(tess, comment) == ["↩️ Answer"]

    # Tess answers in English; Boris reads the answer's frame in Russian
    await tess.press("↩️ Answer", comment)
    assert "Your answer to your coach's comment" in tess.last_text
    await tess.send("Thanks, coach")
    assert tess.last_text == "✅ Sent to your coach. It is kept with the workout in /history."
    answer = boris.last_text
    assert answer.startswith("↩️ Tess ответил(а) на ваш комментарий к тренировке Squat Day")
    assert "(ваш комментарий: Отличная глубина!)" in answer
    assert_russian(answer, "Tess", "Squat Day", "Thanks, coach", day)
    stored = await rows(session_factory, WorkoutComment)
    assert [(c.coach_id, c.body, c.answer) for c in stored] == [
        (ids["boris"], "Отличная глубина!", "Thanks, coach")
    ]

    # /trainee: the finished workout among the recent ones, in Russian
    await boris.send("/trainee tess")
    detail = boris.last_reply
    assert detail is not None and "Последние тренировки" in detail.content
    assert "✅ 2026-11-24 · Squat Day · усилие 7/10, крепатура 3/10" in detail.content
    assert "📝 Knees felt fine" in detail.content and "🔔 Сообщения о тренировках: вкл" in detail.content

    # /trainees: the roster in Russian
    await boris.send("/trainees")
    roster = boris.last_text
    assert roster.startswith("Ваши подопечные (1)")
    assert "последняя тренировка сегодня" in roster and "регулярность" in roster
    assert_russian(roster, "Tess", "tess", "Cole Squats")


async def test_an_english_coach_and_a_russian_trainee_each_read_their_language(
    people: dict[str, Any], session_factory: Factory
) -> None:
    cole, masha = people["users"]["cole"], people["users"]["masha"]
    ids = people["ids"]
    await cole.upload(PROGRAM, "squats.yaml")
    assert cole.last_text.startswith("✅ Program added (private: you and your trainees can see it).")

    invite_text, invitation, buttons = await invite_and_accept(session_factory, cole, masha, ids["cole"])
    assert invite_text.startswith("🔗 Your invitation link:")
    assert invitation.startswith("🎽 Cole приглашает вас стать подопечным.")
    assert_russian(invitation, "Cole")
    assert buttons == ["✅ Принять", "✖️ Отклонить"]
    welcome = masha.last_text
    assert (
        welcome
        == "🤝 Cole теперь ваш тренер. Отправьте /coaches, чтобы увидеть своих тренеров или уйти от них."
    )
    assert_russian(welcome, "Cole")
    assert cole.last_text == "🎉 Masha (@masha) accepted your invitation. Send /trainees to see your roster."
    await masha.send("/coaches")
    assert masha.last_text == "Ваши тренеры\n• Cole (@cole)"
    assert labels(masha) == ["👋 Уйти от Cole"]
    async with session_factory() as session, session.begin():
        await session.execute(update(CoachTrainee).values(notify_on_workout=True))

    # /assign: English for Cole; Masha is told in Russian (her program's card follows it)
    await cole.send("/assign @masha Cole Squats")
    assert cole.last_text == "📋 Assigned Cole Squats to Masha, day 1 today."
    told = next(m.content for m in masha.messages if m.content.startswith("📋 "))
    head = told.split("\n\n", 1)[0]
    assert head == "📋 Ваш тренер Cole назначил(а) вам программу:"
    assert_russian(head, "Cole")
    (enrollment,) = await rows(session_factory, UserProgramEnrollment)
    assert (enrollment.user_id, enrollment.assigned_by) == (ids["masha"], ids["cole"])

    # the readiness question is Russian for Masha; Cole's notice of her workout is English
    await masha.press(button_starting(masha, "▶"))
    question = masha.last_reply
    assert question is not None and "насколько вы готовы? (1 из 3)" in question.content
    assert "😴 Сон прошлой ночью" in question.content
    assert_russian(question.content, "Squat Day")
    assert labels(masha, question)[-1] == "⏭ Пропустить вопрос"
    await masha.press("⏭ Пропустить вопрос")
    await masha.send("100x5")
    await masha.press(button_starting(masha, "🏁"))
    await masha.press("7")
    await masha.press("3")
    await masha.send("Всё хорошо")
    notice = last_with(cole, "🏁")
    assert notice.content.startswith("🏁 Masha finished Squat Day\n1/1 exercise · 1 set")
    assert "effort 7/10, soreness 3/10" in notice.content and "Всё хорошо" in notice.content
    assert labels(cole, notice) == ["💬 Comment"]

    # Cole's comment reaches Masha in Russian; her answer reaches Cole in English
    await cole.reply(notice, "Great depth")
    assert cole.last_text.startswith("✅ Sent to Masha, on Squat Day")
    comment = masha.messages[-1]
    assert comment.content.startswith("💬 Ваш тренер Cole прокомментировал(а) тренировку Squat Day")
    day = ru(lambda: format_date(NOW.date(), NOW.date()))
    assert_russian(comment.content, "Cole", "Squat Day", "Great depth", day)
    assert labels(masha, comment) == ["↩️ Ответить"]
    await masha.press("↩️ Ответить", comment)
    prompt = masha.last_text
    assert prompt.startswith("↩️ Ваш ответ на комментарий тренера")
    assert_russian(prompt, "Great depth")
    await masha.send("")  # nothing to send: refused in Russian, nothing stored
    await masha.send("Спасибо!")
    assert masha.last_text == "✅ Отправлено тренеру. Ответ сохранён вместе с тренировкой в /history."
    assert cole.last_text.startswith("↩️ Masha answered your comment on Squat Day")
    (stored,) = await rows(session_factory, WorkoutComment)
    assert (stored.coach_id, stored.body, stored.answer) == (ids["cole"], "Great depth", "Спасибо!")
    await masha.press("↩️ Ответить", comment)  # a second answer: refused in Russian
    assert masha.callback_answers[-1].text == (
        "Вы уже ответили на этот комментарий - на комментарий можно ответить один раз."
    )

    # Masha leaves Cole: the confirmation and the buttons in Russian; the link ends
    await masha.send("/coaches")
    await masha.press("👋 Уйти от Cole")
    assert masha.last_text.startswith("Уйти от тренера Cole (@cole)?")
    assert labels(masha) == ["👋 Да, уйти", "✖️ Отмена"]
    await masha.press("👋 Да, уйти")
    assert_russian(masha.last_text, "Cole", "cole")
    assert (await rows(session_factory, CoachTrainee))[0].status == CoachLinkStatus.ENDED


async def test_refusals_reach_a_russian_coach_in_russian(
    people: dict[str, Any], session_factory: Factory
) -> None:
    boris, masha = people["users"]["boris"], people["users"]["masha"]
    replies = {
        (boris, "/assign @nobody Cole Squats"): (
            "Ни один подопечный не подходит под “@nobody”. Отправьте /trainees, чтобы увидеть всех."
        ),
        (boris, "/trainee"): "Формат: /trainee ИМЯ (или @имя). Отправьте /trainees, чтобы увидеть всех.",
        (boris, "/invite revoke"): (
            "У вас нет действующих ссылок-приглашений. Отправьте /invite, чтобы создать ссылку."
        ),
        (boris, "/assign"): "У вас пока нет подопечных. Отправьте /invite, чтобы получить для них ссылку.",
        (boris, "/exportprogram nothing"): "🤔 У вас нет программы с названием «nothing».",
        (masha, "/trainees"): "🔒 Это могут только тренеры. Попросите администратора сделать вас тренером.",
        (masha, "/coaches"): "У вас нет тренера. Тренер может прислать вам ссылку-приглашение.",
    }
    for (person, command), expected in replies.items():
        await person.send(command)
        assert person.last_text == expected, command
        assert_russian(person.last_text, "nobody", "nothing")
    await boris.send("/myprograms")
    assert boris.last_text.startswith("У вас пока нет своих программ.")
    assert_russian(boris.last_text, "YAML")
    assert await rows(session_factory, CoachInvitation) == []
    assert await rows(session_factory, UserProgramEnrollment) == []
    assert await rows(session_factory, CoachTrainee) == []


# --- the reminder and the weekly summary ---------------------------------------------------------------


async def reader(world: World, name: str, language_code: str) -> tuple[SandboxUser, uuid.UUID]:
    """A trainee of the mini program from MONDAY, who reads `language_code`, reminded at 07:00 Berlin."""
    sandbox = world.emulator.add_user(first_name=name, language_code=language_code)
    async with world.factory() as session, session.begin():
        user = (
            await register_user(
                session,
                TelegramProfile(
                    telegram_id=sandbox.user_id,
                    chat_id=sandbox.chat_id,
                    first_name=name,
                    language_code=language_code,
                ),
                default_timezone="Europe/Berlin",
                default_reminder_time=time(7, 0),
            )
        ).user
        await enrollments.enroll(session, user, world.program_id, MONDAY, world.clock.now)
        await reminders.reschedule_reminders(session, user, world.clock.now)
    return sandbox, user.id


async def test_a_russian_trainees_reminder_is_russian_and_an_english_ones_english(world: World) -> None:
    boris, boris_id = await reader(world, "Boris", "ru")
    alice, alice_id = await reader(world, "Alice", "en")
    await world.tick(at(MONDAY, 7, 0))  # both due at the same tick
    (reminder,) = [m for m in world.messages(boris) if "⏰" in m.content]
    about = ru(lambda: format_duration(45 * 60))
    assert "⏰ Пора тренироваться!" in reminder.content
    assert f"День 1 из 4 - Workout A (около {about})" in reminder.content
    assert_russian(reminder.content, "Mini Program", "Workout A", about)
    assert boris.buttons(reminder) == [["▶️ Начать: Workout A"]]
    assert (
        reminder_texts(world.messages(alice))
        and "Day 1 of 4 - Workout A" in world.messages(alice)[-1].content
    )
    assert not any("Time to train" in m.content for m in world.messages(boris))
    for user_id in (boris_id, alice_id):
        assert [(log.local_date, log.status) for log in await world.logs(user_id)] == [
            (MONDAY, ReminderStatus.SENT)
        ]

    # Monday's workout not done: Tuesday's reminder says it was missed, in Russian
    await world.tick(at(MONDAY + timedelta(days=1), 7, 0))
    tuesday = [m for m in world.messages(boris) if "⏰" in m.content][-1]
    assert "⚠️ Вы пропустили день 1 вчера." in tuesday.content
    assert_russian(tuesday.content, "Mini Program", "Workout A", about)
    assert "You missed Day 1 yesterday." in world.messages(alice)[-1].content


async def test_a_russian_trainees_weekly_summary_and_reminders_command(world: World) -> None:
    boris, boris_id = await reader(world, "Boris", "ru")
    await boris.send("/reminders неделя вкл")
    state = boris.last_text
    assert state.startswith("✅ Итоги недели включены.")
    assert "🔔 Ежедневное напоминание: вкл, в 07:00 (Europe/Berlin)" in state
    assert "📊 Итоги недели по воскресеньям в 19:00: вкл" in state
    assert_russian(state, "Europe/Berlin")
    assert (await world.user(boris_id)).weekly_summary_enabled is True
    await boris.send("/reminders выкл")
    assert boris.last_text.startswith("✅ Напоминания выключены.\n\n🔕 Ежедневное напоминание: выкл")
    assert (await world.user(boris_id)).reminders_enabled is False
    await boris.send("/reminders когда-нибудь")
    assert boris.last_text.startswith("Не удалось разобрать «когда-нибудь».")
    assert_russian(boris.last_text)
    assert (await world.user(boris_id)).reminders_enabled is False

    monday = at(MONDAY, 18, 0)
    async with world.factory() as session, session.begin():
        user = await session.get(User, boris_id)
        planned = await session.scalar(
            select(UserWorkoutSession.id).where(UserWorkoutSession.user_id == boris_id)
        )
        assert user is not None and planned is not None
        await workouts.start_session(session, user, planned, monday)
        five = SetInput(reps=5, weight_kg=Decimal(60), duration_seconds=None, is_warmup=False)
        await workouts.log_sets(session, user, planned, 0, [five, five, five])
        await workouts.finish_session(
            session, user, planned, monday + timedelta(minutes=40), effort=7, soreness=3, notes=None
        )
    sunday = MONDAY + timedelta(days=6)
    await world.tick(at(sunday, 19, 0))
    (summary,) = [m.content for m in world.messages(boris) if m.content.startswith("📊 Ваша неделя")]
    start, end = ru(lambda: day_label(MONDAY, sunday)), ru(lambda: day_label(sunday, sunday))
    assert summary.startswith(f"📊 Ваша неделя · {start} - {end}")
    assert "Тренировки: выполнено 1 из " in summary and "по плану" in summary
    assert "На этой неделе новых рекордов нет." in summary
    work = next(line for line in summary.split("\n") if line.startswith("Работа: "))
    assert_russian(summary, start, end, work.removeprefix("Работа: "))
    assert (await world.user(boris_id)).next_summary_at == at(sunday + timedelta(days=7), 19, 0)


# --- plural forms ----------------------------------------------------------------------------------------


def test_plural_forms_of_counts_in_russian() -> None:
    stats = [ProgramStats("Mini", n, n, 0, n, 0.0, 3600) for n in PLURALS]
    lines = ru(lambda: [reminders_ui.completed_line(s, WeightUnit.KG) for s in stats])
    expected = [
        ("1 день", "1 тренировка", "1 подход"),
        ("2 дня", "2 тренировки", "2 подхода"),
        ("5 дней", "5 тренировок", "5 подходов"),
        ("11 дней", "11 тренировок", "11 подходов"),
        ("21 день", "21 тренировка", "21 подход"),
    ]
    for line, (days, done, sets) in zip(lines, expected, strict=True):
        assert f"{days}, выполнено тренировок: {done}, пропущено: 0, {sets}," in line, line
        assert_russian(line, "Mini", ru(lambda: format_duration(3600)))

    summaries = [
        SessionSummary(
            uuid.uuid4(), "Squat Day", SessionStatus.COMPLETED, n, n, n, 0, Decimal(0), None, None, None, ()
        )
        for n in PLURALS
    ]
    facts = ru(lambda: [attention_ui.workout_done_text("Tess", s).split("\n")[1] for s in summaries])
    assert facts == [
        "1/1 упражнение · 1 подход",
        "2/2 упражнения · 2 подхода",
        "5/5 упражнений · 5 подходов",
        "11/11 упражнений · 11 подходов",
        "21/21 упражнение · 21 подход",
    ]
    assert ru(lambda: [coaching_ui.revoked_text(n) for n in PLURALS]) == [
        "🚫 Отменена 1 ссылка-приглашение: больше не действует.",
        "🚫 Отменены 2 ссылки-приглашения: больше не действуют.",
        "🚫 Отменено 5 ссылок-приглашений: больше не действуют.",
        "🚫 Отменено 11 ссылок-приглашений: больше не действуют.",
        "🚫 Отменена 21 ссылка-приглашение: больше не действует.",
    ]
    now = NOW
    ago = ru(lambda: [coaching_ui.when_text(now - timedelta(days=n), now) for n in PLURALS])
    assert ago == ["вчера", "2 дня назад", "5 дней назад", "11 дней назад", "21 день назад"]
    assert ru(lambda: [attention_ui.attention_summary(n) for n in PLURALS]) == [
        "⚠️ Внимания требует 1 (в начале списка)",
        "⚠️ Внимания требуют 2 (в начале списка)",
        "⚠️ Внимания требуют 5 (в начале списка)",
        "⚠️ Внимания требуют 11 (в начале списка)",
        "⚠️ Внимания требует 21 (в начале списка)",
    ]
    # English keeps its two forms
    assert coaching_ui.when_text(now - timedelta(days=21), now) == "21 days ago"
    assert attention_ui.attention_summary(1) == "⚠️ 1 needs attention (listed first)"
    assert reminders_ui.completed_line(stats[0], WeightUnit.KG).startswith(
        "🏆 <b>You finished Mini!</b> 1 day, 1 workout done, 0 skipped, 1 set, "
    )
