"""The longest inputs Telegram accepts, through every command and typed step: no reply is too long.

A user's message has at most 4096 characters. Each command gets an argument that fills the message -
once plain, once full of characters that HTML escaping lengthens (`<`, `&`) - from a trainee, a coach and
an admin. Whatever the bot answers must fit Telegram's limits (the emulator refuses longer messages
with "message is too long", as Telegram does, and the bot would then apologise), and nothing is written.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.enums import Role
from bot.db.models import User, UserMeasurement, UserProgramEnrollment
from bot.sandbox import SandboxUser
from bot.services.users import TelegramProfile, register_user
from bot.ui.texts import APOLOGY
from tests.factories import make_program, seed_catalog

Factory = async_sessionmaker[AsyncSession]
LIMIT = 4096
COMMANDS = [
    "start", "help", "settings", "today", "history", "workout", "programs", "pause", "resume", "quit", "cancel",
    "records", "progress", "measure", "measurements", "export", "deleteme", "reminders",
    "makecoach", "invite", "coaches", "trainees", "trainee", "assign", "myprograms", "exportprogram",
    "nosuchcommand",
]  # fmt: skip


def fill(prefix: str, unit: str) -> str:
    """`prefix` followed by `unit` repeated (space-separated words) up to exactly LIMIT characters."""
    body = ((unit + " ") * LIMIT)[: LIMIT - len(prefix)]
    return prefix + body


async def register(factory: Factory, person: SandboxUser, name: str, role: Role) -> None:
    async with factory() as session, session.begin():
        user = (
            await register_user(
                session,
                TelegramProfile(telegram_id=person.user_id, chat_id=person.chat_id, first_name=name),
                default_timezone="Europe/Berlin",
            )
        ).user
        user.role = role


async def counts(factory: Factory) -> tuple[int, ...]:
    async with factory() as session:
        return (
            await session.scalar(select(func.count()).select_from(UserMeasurement)) or 0,
            await session.scalar(select(func.count()).select_from(UserProgramEnrollment)) or 0,
            await session.scalar(select(func.count()).select_from(User).where(User.role != Role.TRAINEE))
            or 0,
        )


def check(person: SandboxUser, sent: str) -> None:
    for message in person.messages:
        assert APOLOGY not in message.content, sent[:60]
        assert len(message.content) <= LIMIT, sent[:60]


@pytest.mark.parametrize("unit", ["x" * 30, "<&>"])
async def test_every_command_with_the_longest_argument(
    make_user: Any, session_factory: Factory, unit: str
) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
        await make_program(session)
    people = {
        Role.TRAINEE: make_user("Tess", username="tess"),
        Role.COACH: make_user("Cole", username="cole"),
        Role.ADMIN: make_user("Ada", user_id=999000, username="ada"),
    }
    for role, person in people.items():
        await register(session_factory, person, role.name.title(), role)
    before = await counts(session_factory)
    for person in people.values():
        for command in COMMANDS:
            for text in (
                fill(f"/{command} ", unit),
                fill(f"/{command} @", unit),
                fill(f"/{command} tess ", unit),
            ):
                await person.send(text)
                check(person, text)
    assert await counts(session_factory) == before


@pytest.mark.parametrize("unit", ["x" * 30, "<&>"])
async def test_typed_steps_with_the_longest_text(make_user: Any, session_factory: Factory, unit: str) -> None:
    async with session_factory() as session, session.begin():
        await seed_catalog(session)
    tess = make_user("Tess", username="tess")
    step1 = (await tess.send("/start"))[-1]
    for text in (fill("", unit), fill("UTC+", unit), fill("Europe/", unit)):
        await tess.send(text)
        check(tess, text)
        assert "too long for a time zone" in tess.last_text
    await tess.press("Berlin", step1)
    for text in (fill("", unit), fill("7:", unit)):
        await tess.send(text)
        check(tess, text)
        assert "as a time of day" in tess.last_text
    before = await counts(session_factory)
    await tess.send("/measure")
    await tess.press("Body weight")
    for text in (fill("", unit), fill("82, yesterday, ", unit), fill("82, ", unit), fill("8", "2")):
        await tess.send(text)
        check(tess, text)
    assert "too long" in tess.last_text
    assert await counts(session_factory) == before


async def test_an_overlong_message_is_cut_rather_than_refused(alice: SandboxUser, bot_app: Any) -> None:
    """The last line of defence: whatever the bot sends goes out cut to fit (bot.ui.fit.fit_request)."""
    text = "<b>Title</b>\n" + "\n".join(f"<i>line {n}</i> &amp; more" for n in range(1000))
    await bot_app.bot.send_message(alice.chat_id, text)
    shown = alice.messages[-1]
    assert len(shown.content) <= LIMIT and shown.content.endswith(" & more\n…")  # whole lines
    assert shown.content.startswith("Title\nline 0 & more\n")
