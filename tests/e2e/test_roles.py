"""Roles through the emulator: /help and the command menu by role; ADMIN_TELEGRAM_IDS granted at startup
and on the next update, withdrawn at startup (back to coach or trainee, as they were).

Each test starts the bot itself (running_bot), so that users can be in the database before it starts
and the bot can be restarted with another ADMIN_TELEGRAM_IDS.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app import BotApplication
from bot.config import Settings
from bot.db.enums import Role
from bot.db.models import AdminGrant, CoachInvitation, CoachTrainee, User
from bot.sandbox import BotApiEmulator, SandboxUser
from bot.sandbox.harness import running_bot
from bot.services.seed import SYSTEM_TELEGRAM_ID, ensure_system_user
from bot.services.users import TelegramProfile, register_user
from bot.ui import coaching as coaching_ui

Factory = async_sessionmaker[AsyncSession]

TRAINEE_ONLY = {"start", "help", "today", "programs"}
NAMES = {700001: "Ada", 700002: "Cole", 700003: "Tess", 700004: "Lee"}
COACH_ONLY = {"invite", "trainees", "trainee", "assign", "myprograms", "exportprogram"}


def bot_with(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, admins: str
) -> Any:  # an async context manager
    return running_bot(
        emulator, settings.model_copy(update={"admin_telegram_ids": _ids(admins)}), engine=engine
    )


def _ids(admins: str) -> frozenset[int]:
    return frozenset(int(p) for p in admins.split(",") if p)


async def register(factory: Factory, person: SandboxUser, role: Role = Role.TRAINEE) -> uuid.UUID:
    name = NAMES[person.user_id]
    """A user who used the bot before (as the bot itself would register them), with a role."""
    async with factory() as session, session.begin():
        registration = await register_user(
            session,
            TelegramProfile(
                telegram_id=person.user_id,
                chat_id=person.chat_id,
                first_name=name,
                username=name.lower(),
            ),
        )
        registration.user.role = role
        return registration.user.id


async def role_of(factory: Factory, telegram_id: int) -> Role | None:
    async with factory() as session:
        return await session.scalar(select(User.role).where(User.telegram_id == telegram_id))


async def grant_of(factory: Factory, telegram_id: int) -> Role | None:
    """The remembered previous role of an admin grant (None: no grant)."""
    async with factory() as session:
        return await session.scalar(
            select(AdminGrant.previous_role)
            .join(User, User.id == AdminGrant.user_id)
            .where(User.telegram_id == telegram_id)
        )


def chat_menu(emulator: BotApiEmulator, person: SandboxUser) -> set[str]:
    """The chat's own command list (empty: none, the client shows the default one)."""
    return {c["command"] for c in emulator.commands({"type": "chat", "chat_id": person.chat_id})}


def menu(emulator: BotApiEmulator, person: SandboxUser) -> set[str]:
    """What the client shows in the chat, resolved through the scopes."""
    return {c["command"] for c in emulator.visible_commands(person.chat_id)}


@asynccontextmanager
async def people(emulator: BotApiEmulator) -> AsyncIterator[dict[str, SandboxUser]]:
    yield {
        "ada": emulator.add_user(700001, first_name="Ada", username="ada"),
        "cole": emulator.add_user(700002, first_name="Cole", username="cole"),
        "tess": emulator.add_user(700003, first_name="Tess", username="tess"),
        "lee": emulator.add_user(700004, first_name="Lee", username="lee"),
    }


# --- /help and the menus by role ----------------------------------------------------------------------


async def test_help_and_menu_by_role(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        await register(session_factory, p["cole"], Role.COACH)
        await register(session_factory, p["tess"])
        async with bot_with(emulator, settings, engine, "700001"):
            # a trainee: everyone's commands only, the default menu
            await p["tess"].send("/help")
            assert "/today" in p["tess"].last_text and "/help" in p["tess"].last_text
            assert "/invite" not in p["tess"].last_text and "/makecoach" not in p["tess"].last_text
            assert chat_menu(emulator, p["tess"]) == set()
            assert menu(emulator, p["tess"]) >= TRAINEE_ONLY and not COACH_ONLY & menu(emulator, p["tess"])

            # a coach: theirs too (the menu comes with their /start, as before)
            await p["cole"].send("/help")
            text = p["cole"].last_text
            assert "Coach commands" in text and all(f"/{c}" in text for c in COACH_ONLY)
            assert "/makecoach" not in text and "/today" in text
            await p["cole"].send("/start")
            assert chat_menu(emulator, p["cole"]) >= COACH_ONLY and "makecoach" not in chat_menu(
                emulator, p["cole"]
            )

            # an admin of ADMIN_TELEGRAM_IDS who registers now, with another command than /start:
            # an admin from this first update on, with the admin's menu right after it
            await p["ada"].send("/today")
            assert await role_of(session_factory, 700001) == Role.ADMIN
            assert await grant_of(session_factory, 700001) == Role.TRAINEE
            assert {"makecoach", *COACH_ONLY, *TRAINEE_ONLY} <= chat_menu(emulator, p["ada"])
            await p["ada"].send("/help")
            assert "Admin commands" in p["ada"].last_text and "/makecoach" in p["ada"].last_text
            assert "/invite" in p["ada"].last_text

            # /help writes nothing: someone who never used the bot gets everyone's list, no row
            stranger = emulator.add_user(700009, first_name="Sam")
            await stranger.send("/help")
            assert "/start" in stranger.last_text and "/invite" not in stranger.last_text
            assert await role_of(session_factory, 700009) is None


async def test_makecoach_gives_the_coach_menu_and_help(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        await register(session_factory, p["ada"])
        await register(session_factory, p["tess"])
        async with bot_with(emulator, settings, engine, "700001"):
            await p["ada"].send("/makecoach @tess")
            assert "Tess (@tess) is now a coach" in p["ada"].last_text
            assert await role_of(session_factory, 700003) == Role.COACH
            assert chat_menu(emulator, p["tess"]) >= COACH_ONLY and "makecoach" not in chat_menu(
                emulator, p["tess"]
            )
            await p["tess"].send("/help")
            assert "Coach commands" in p["tess"].last_text and "/assign" in p["tess"].last_text


# --- ADMIN_TELEGRAM_IDS at startup ----------------------------------------------------------------------


async def test_admin_ids_apply_at_startup_without_a_new_start(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        await register(session_factory, p["ada"])  # a trainee who used the bot before the setting
        await register(session_factory, p["cole"], Role.COACH)
        await register(session_factory, p["tess"])
        async with bot_with(emulator, settings, engine, "700001,700002,123456"):
            # at startup, before either sends anything: admins, with their menus
            assert await role_of(session_factory, 700001) == Role.ADMIN
            assert await role_of(session_factory, 700002) == Role.ADMIN
            assert (await grant_of(session_factory, 700001), await grant_of(session_factory, 700002)) == (
                Role.TRAINEE,
                Role.COACH,
            )
            assert "makecoach" in chat_menu(emulator, p["ada"]) and "makecoach" in chat_menu(
                emulator, p["cole"]
            )
            assert chat_menu(emulator, p["tess"]) == set()
            # and the rights work at once
            await p["ada"].send("/makecoach @tess")
            assert "Tess (@tess) is now a coach" in p["ada"].last_text
            assert await role_of(session_factory, 700003) == Role.COACH
        assert await role_of(session_factory, 123456) is None  # an id nobody registered: nothing made


async def test_removed_admin_ids_are_demoted_as_they_were(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        await register(session_factory, p["ada"])  # was a trainee
        await register(session_factory, p["cole"], Role.COACH)  # was a coach
        await register(session_factory, p["tess"])  # a trainee an admin makes a coach
        async with bot_with(emulator, settings, engine, "700001,700002,700003"):
            assert {await role_of(session_factory, i) for i in (700001, 700002, 700003)} == {Role.ADMIN}
            await p["ada"].send("/makecoach @tess")  # an admin already: remembered as a coach
            assert "can already coach" in p["ada"].last_text
            assert await grant_of(session_factory, 700003) == Role.COACH
            assert "makecoach" in chat_menu(emulator, p["tess"])

        async with bot_with(emulator, settings, engine, "700002"):
            # Ada: back to trainee, her chat's own menu gone (the default list shows)
            assert await role_of(session_factory, 700001) == Role.TRAINEE
            assert await grant_of(session_factory, 700001) is None
            assert chat_menu(emulator, p["ada"]) == set()
            assert menu(emulator, p["ada"]) >= TRAINEE_ONLY and not COACH_ONLY & menu(emulator, p["ada"])
            # Tess: made a coach while an admin, so a coach, with the coach's menu
            assert await role_of(session_factory, 700003) == Role.COACH
            assert chat_menu(emulator, p["tess"]) >= COACH_ONLY and "makecoach" not in chat_menu(
                emulator, p["tess"]
            )
            # Cole is still an admin
            assert await role_of(session_factory, 700002) == Role.ADMIN
            # and Ada's rights are gone at once: /makecoach is refused and changes nothing
            await p["ada"].send("/makecoach @lee")
            assert p["ada"].last_text == coaching_ui.NOT_AN_ADMIN
            await p["ada"].send("/help")
            assert "/makecoach" not in p["ada"].last_text and "/invite" not in p["ada"].last_text

        async with bot_with(emulator, settings, engine, ""):
            assert await role_of(session_factory, 700002) == Role.COACH  # as he was before the grant
            assert chat_menu(emulator, p["cole"]) >= COACH_ONLY and "makecoach" not in chat_menu(
                emulator, p["cole"]
            )
            async with session_factory() as session:
                assert await session.scalar(select(func.count()).select_from(AdminGrant)) == 0


async def test_admins_without_a_grant_and_the_system_user(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    """Admins made before grants were kept: COACH if they ever coached, else TRAINEE. The system user
    (the owner of the seeded programs) stays an admin."""
    async with people(emulator) as p:
        ada = await register(session_factory, p["ada"], Role.ADMIN)
        await register(session_factory, p["cole"], Role.ADMIN)
        lee = await register(session_factory, p["lee"], Role.ADMIN)
        tess = await register(session_factory, p["tess"])
        async with session_factory() as session, session.begin():
            await ensure_system_user(session)
            session.add(CoachTrainee(coach_id=ada, trainee_id=tess))
            session.add(
                CoachInvitation(
                    token="x" * 20, coach_id=lee, expires_at=datetime.now(UTC) + timedelta(days=7)
                )
            )
        async with bot_with(emulator, settings, engine, ""):
            assert await role_of(session_factory, 700001) == Role.COACH  # had a trainee
            assert await role_of(session_factory, 700004) == Role.COACH  # had made an invitation
            assert await role_of(session_factory, 700002) == Role.TRAINEE
            assert await role_of(session_factory, SYSTEM_TELEGRAM_ID) == Role.ADMIN
            assert chat_menu(emulator, p["ada"]) >= COACH_ONLY and chat_menu(emulator, p["cole"]) == set()


async def test_admin_registering_after_startup_by_start(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        app: BotApplication
        async with bot_with(emulator, settings, engine, "700001") as app:
            replies = await p["ada"].send("/start")
            assert "Welcome, Ada" in replies[0].text  # onboarding as for anyone
            assert await role_of(session_factory, 700001) == Role.ADMIN
            assert "makecoach" in chat_menu(emulator, p["ada"])
            assert app.bot_data.extras["admins_confirmed"] == {700001}


async def test_deleted_coach_loses_the_coach_menu(
    emulator: BotApiEmulator, settings: Settings, engine: AsyncEngine, session_factory: Factory
) -> None:
    async with people(emulator) as p:
        await register(session_factory, p["cole"], Role.COACH)
        async with bot_with(emulator, settings, engine, ""):
            await p["cole"].send("/start")
            assert chat_menu(emulator, p["cole"]) >= COACH_ONLY
            await p["cole"].send("/deleteme")
            await p["cole"].press("Yes, delete my account")
            await p["cole"].press("🗑 Delete everything")
            assert "account and all its data are deleted" in p["cole"].last_text
            assert await role_of(session_factory, 700002) is None
            assert chat_menu(emulator, p["cole"]) == set()
            assert not COACH_ONLY & menu(emulator, p["cole"])
