"""build_application: the one place the Telegram Application is assembled.

Handler order matters and is deliberate (see `register_handlers`). Long-lived clients (the database
engine) are opened in post_init and closed in post_shutdown.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommandScopeAllPrivateChats, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot.config import Settings
from bot.context import BotContext, BotData
from bot.db.session import create_engine, create_sessionmaker
from bot.handlers import common
from bot.ui import texts
from bot.update_processor import PerChatUpdateProcessor

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]


def register_handlers(application: BotApplication) -> None:
    # Group -1 runs first for every update: the bot only converses in private chats.
    application.add_handler(TypeHandler(Update, common.guard_private_chat), group=-1)
    # Group 0: commands. Conversations of later features go before the catch-all below.
    application.add_handler(CommandHandler("start", common.start))
    application.add_handler(CommandHandler("help", common.help_command))
    # Last in group 0: any other command gets a pointer to /help.
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    application.add_error_handler(common.on_error)


async def _post_init(application: BotApplication) -> None:
    data = application.bot_data
    assert data.settings is not None
    if data.engine is None:
        data.engine = create_engine(data.settings.database_url)
        data.extras["owns_engine"] = True
    if data.session_factory is None:
        data.session_factory = create_sessionmaker(data.engine)
    await application.bot.set_my_commands(texts.bot_commands(), scope=BotCommandScopeAllPrivateChats())
    me = application.bot.bot
    log.info("bot @%s ready (%s)", me.username, data.settings.telegram_api_url)


async def _post_shutdown(application: BotApplication) -> None:
    data = application.bot_data
    if data.extras.pop("owns_engine", False) and data.engine is not None:
        await data.engine.dispose()
        data.engine = None
        data.session_factory = None


def build_application(
    settings: Settings,
    *,
    token: str | None = None,
    engine: AsyncEngine | None = None,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    application_class: type[Application[Any, Any, Any, Any, Any, Any]] = Application,
    application_kwargs: dict[str, Any] | None = None,
    max_concurrent_updates: int = 256,
) -> BotApplication:
    """Assemble the Application: defaults, context types, handlers, lifecycle hooks.

    `engine` lets tests and the playground share one engine; otherwise post_init opens one from
    DATABASE_URL. The only difference between Telegram, a self-hosted Bot API server and the local
    emulator is `settings.telegram_api_url`.
    """
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    builder = (
        ApplicationBuilder()
        .application_class(application_class, kwargs=application_kwargs)
        .token(token or settings.require_token())
        .base_url(settings.telegram_api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, block=True))
        .context_types(context_types)
        .concurrent_updates(PerChatUpdateProcessor(max_concurrent_updates))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    application: BotApplication = builder.build()
    data = application.bot_data
    data.settings = settings
    if engine is not None:
        data.engine = engine
        data.session_factory = create_sessionmaker(engine)
    register_handlers(application)
    return application
