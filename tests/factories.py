"""Test data: the real seeded catalog plus a tiny program whose every day is known."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Program, User
from bot.services.program_format import parse_program
from bot.services.seed import ensure_system_user, seed_reference_data
from bot.services.users import TelegramProfile, register_user

# Day 1: A; day 2: rest; day 3: B plus optional C; day 4: A.
MINI_PROGRAM = """
name: {name}
description: A four-day program for tests.
difficulty: beginner
visibility: {visibility}
categories: [strength]
tags: [barbell]
schedule: {{length_days: 4, rest_days_per_week: 1}}
phases:
  - {{name: Start, start_day: 1, end_day: 2}}
  - {{name: Finish, start_day: 3, end_day: 4}}
workouts:
  a:
    name: Workout A
    estimated_minutes: 45
    exercises:
      - {{exercise: back-squat, sets: 3, reps: 5, weight_kg: 60, rest: 120}}
      - {{exercise: plank, sets: 2, duration: 45, rest: 60}}
  b:
    name: Workout B
    exercises:
      - {{exercise: push-up, sets: 3, reps: 8-12}}
  c:
    name: Mobility C
    exercises:
      - {{exercise: cat-cow, sets: 1, duration: 120}}
days:
  - {{day: 1, workouts: [a]}}
  - {{day: 3, workouts: [b, {{workout: c, optional: true}}]}}
  - {{day: 4, workouts: [a]}}
"""


async def seed_catalog(session: AsyncSession) -> None:
    await seed_reference_data(session)
    await session.flush()


async def make_program(
    session: AsyncSession,
    *,
    name: str = "Mini Program",
    visibility: str = "PUBLIC",
    owner: User | None = None,
) -> Program:
    from bot.services.seed import import_program

    owner = owner or await ensure_system_user(session)
    doc = parse_program(MINI_PROGRAM.format(name=name, visibility=visibility))
    program = await import_program(session, doc, owner=owner)
    await session.flush()
    return program


async def make_user(
    session: AsyncSession,
    telegram_id: int = 1001,
    *,
    first_name: str = "Alice",
    timezone: str = "Europe/Berlin",
    reminder: time = time(7, 0),
) -> User:
    registration = await register_user(
        session,
        TelegramProfile(telegram_id=telegram_id, chat_id=telegram_id, first_name=first_name),
        default_timezone=timezone,
        default_reminder_time=reminder,
    )
    return registration.user


async def program_named(session: AsyncSession, name: str) -> Program:
    program = await session.scalar(select(Program).where(Program.name == name))
    assert program is not None, name
    return program
