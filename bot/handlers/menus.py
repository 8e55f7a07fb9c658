"""Command menus by role, and admin rights from ADMIN_TELEGRAM_IDS kept in step with the setting.

Trainees see the default menu (setMyCommands for all private chats, at startup); a coach's or an
admin's private chat gets its own list (BotCommandScopeChat) as soon as the role is known: registration
(/start, bot.handlers.coaching.on_start), /makecoach, the bot's start for the setting's admins, and an
admin's next update. A user who loses a role loses their chat's list, which shows the default again.

At startup `sync_admins_at_startup` makes the setting's registered ids admins and withdraws the rights of
every other admin (bot.services.admins). After the update's own handler, `AdminIdsHandler` picks the
updates of the setting's ids not confirmed yet by this process, and `confirm_admin` makes sure the user
is an admin with the admin's menu (an admin who registered after the start, or had no chat then). Ids
removed from the setting are withdrawn at startup only: the setting is read once, at startup.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Final

from telegram import BotCommandScopeChat, Update
from telegram.error import TelegramError
from telegram.ext import Application, BaseHandler, ExtBot

from bot.context import BotContext, BotData
from bot.db.enums import Role
from bot.i18n import current_locale, use_locale
from bot.services.admins import RoleChange, admin_chats, grant_admin, sync_admin_ids
from bot.services.users import get_user_by_telegram_id
from bot.ui import menus as ui

log = logging.getLogger(__name__)

CONFIRMED: Final = "admins_confirmed"
"""bot_data.extras key: the setting's ids whose rights and menu were checked by this process."""

ROLE_GROUP: Final = 1
"""The handler group of `confirm_admin`: after the update's own handler (group 0), which may register."""


async def set_menu(
    bot: ExtBot[Any], chat_id: int | None, role: Role, locale: str | None = None, *, chosen: bool = False
) -> None:
    """The chat's own command list for a coach or admin, in `locale` (None: the current one); none (the
    default list of the client's language) for a trainee, unless the trainee `chosen` a language with
    /language: their chat then keeps its own list in that language."""
    if chat_id is None:
        return
    scope = BotCommandScopeChat(chat_id)
    try:
        if role == Role.TRAINEE and not chosen:
            await bot.delete_my_commands(scope=scope)
        else:
            with use_locale(locale or current_locale()):
                commands = ui.commands_for(role)
            await bot.set_my_commands(commands, scope=scope)
    except TelegramError as error:
        log.info("could not set the command menu of chat %s: %s", chat_id, error)


def _log_changes(changes: Iterable[RoleChange]) -> None:
    for change in changes:
        log.info(
            "ADMIN_TELEGRAM_IDS: user %s is now %s (was %s)", change.telegram_id, change.role, change.previous
        )


def _confirmed(data: BotData) -> set[int]:
    confirmed: set[int] = data.extras.setdefault(CONFIRMED, set())
    return confirmed


async def sync_admins_at_startup(application: Application[Any, Any, Any, Any, BotData, Any]) -> None:
    """Grant and withdraw admin rights by the setting, then give every admin of it their menu."""
    data = application.bot_data
    assert data.settings is not None
    admin_ids = data.settings.admin_telegram_ids
    async with data.db() as session:
        changes = await sync_admin_ids(session, admin_ids)
        chats = await admin_chats(session, admin_ids)
    _log_changes(changes)
    for change in changes:
        if change.role != Role.ADMIN:  # withdrawn: the coach's list, or back to the default
            await set_menu(application.bot, change.chat_id, change.role)
    for telegram_id, chat_id, locale in chats:
        await set_menu(application.bot, chat_id, Role.ADMIN, locale)
        _confirmed(data).add(telegram_id)


class AdminIdsHandler(BaseHandler[Update, BotContext, None]):
    """Matches only the updates of the setting's ids this process has not confirmed yet: every other
    update costs a set lookup, no callback and no context."""

    def __init__(self, data: BotData) -> None:
        super().__init__(confirm_admin)
        self.data = data

    def check_update(self, update: object) -> bool:
        if not isinstance(update, Update) or update.effective_user is None or self.data.settings is None:
            return False
        telegram_id = update.effective_user.id
        return telegram_id in self.data.settings.admin_telegram_ids and telegram_id not in _confirmed(
            self.data
        )


async def confirm_admin(update: Update, context: BotContext) -> None:
    """Once per process for each id of ADMIN_TELEGRAM_IDS: admin rights and the admin's menu."""
    telegram_user = update.effective_user
    if telegram_user is None or telegram_user.id not in context.settings.admin_telegram_ids:
        return
    confirmed = _confirmed(context.bot_data)
    if telegram_user.id in confirmed:
        return
    async with context.db() as session:
        user = await get_user_by_telegram_id(session, telegram_user.id)
        if user is None:  # not registered (yet): registration grants the rights
            return
        change = await grant_admin(session, user)
        chat_id = user.chat_id
    _log_changes([change] if change is not None else [])
    if chat_id is None:
        return
    await set_menu(context.bot, chat_id, Role.ADMIN)
    confirmed.add(telegram_user.id)
