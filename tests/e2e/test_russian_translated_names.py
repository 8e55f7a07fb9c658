"""A program's translation reaches a Russian trainee where someone else's action or the scheduler writes to
them: the card and first day of a program their English coach assigns, and the daily reminder - the
program's and its workouts' names in Russian, while the English side keeps the English names."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.db.models import ProgramTranslation, Workout
from tests.e2e.russian import assert_russian
from tests.e2e.test_reminders import MONDAY, World, at, catalog, world
from tests.e2e.test_russian_coaching import Factory, clock, invite_and_accept, people, reader

__all__ = ["catalog", "clock", "people", "world"]  # fixtures


async def test_an_assigned_programs_card_and_first_day_reach_a_russian_trainee_translated(
    people: dict[str, Any], session_factory: Factory
) -> None:
    cole, masha = people["users"]["cole"], people["users"]["masha"]
    await invite_and_accept(session_factory, cole, masha, people["ids"]["cole"])
    await cole.send("/assign @masha Beginner Full-Body Linear Progression")
    assert cole.last_text.startswith("📋 Assigned Beginner Full-Body Linear Progression to Masha")
    told, first_day = masha.messages[-2:]
    assert told.content.startswith("📋 Ваш тренер Cole назначил")
    assert "🏋️ Фулбоди для новичков с линейной прогрессией" in told.content
    assert "• Фундамент · дни 1-28" in told.content
    assert_russian(told.content, "Cole")
    assert "• Фулбоди A" in first_day.content and "Фундамент · день 1 из 84" in first_day.content
    assert_russian(first_day.content)
    assert masha.buttons(first_day)[0][0] == "▶️ Начать: Фулбоди A"


async def test_a_russian_trainees_reminder_names_the_translated_program_and_workout(world: World) -> None:
    async with world.factory() as session, session.begin():
        workout_id = await session.scalar(select(Workout.id).where(Workout.name == "Workout A"))
        session.add(
            ProgramTranslation(
                program_id=world.program_id,
                language="ru",
                name="Мини-программа",
                workouts={str(workout_id): {"name": "Тренировка А"}},
            )
        )
    boris, _boris_id = await reader(world, "Boris", "ru")
    alice, _alice_id = await reader(world, "Alice", "en")
    await world.tick(at(MONDAY, 7, 0))
    (reminder,) = [m for m in world.messages(boris) if "⏰" in m.content]
    assert "🏋️ Мини-программа" in reminder.content and "День 1 из 4 - Тренировка А" in reminder.content
    assert_russian(reminder.content)
    assert boris.buttons(reminder) == [["▶️ Начать: Тренировка А"]]
    (english,) = [m for m in world.messages(alice) if "⏰" in m.content]
    assert "Mini Program" in english.content and "Day 1 of 4 - Workout A" in english.content
