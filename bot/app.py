"""build_application: the one place the Telegram Application is assembled.

Handler order matters and is deliberate (see `register_handlers`). The database engine is created here
(it connects on first use) so the persistence can have its session factory; an engine made here is
disposed in post_shutdown.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Final

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import BotCommandScopeAllPrivateChats, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import idle, intake, metrics
from bot.cluster import Cluster
from bot.config import Settings
from bot.context import BotContext, BotData
from bot.db.session import create_engine, create_sessionmaker
from bot.handlers import (
    coaching,
    comments,
    common,
    exercises,
    fallback,
    hygiene,
    importing,
    language,
    menus,
    onboarding,
    programs,
    progress,
    reminders,
    routines,
    targets,
    today,
    workout,
    workout_plates,
)
from bot.i18n import (
    DEFAULT_LOCALE,
    LOCALES,
    RUSSIAN_READERS,
    _,
    forget_locales,
    locale_for_language_code,
    use_locale,
)
from bot.inbox import Inbox
from bot.intake import InboxBot, InboxUpdater
from bot.persistence import SQLAlchemyPersistence, install
from bot.ratelimit import PriorityRateLimiter
from bot.transport import AiohttpRequest
from bot.ui import texts
from bot.update_processor import PerChatUpdateProcessor
from bot.webapp import server as webapp_server
from bot.workers import WORKER_ENV

log = logging.getLogger(__name__)

BotApplication = Application[Any, BotContext, Any, Any, BotData, Any]
METRICS_PORT: Final = "metrics_port"
METRICS_SERVER: Final = "metrics_server"


# Feature modules with a `register(application)` function, registered in this order. `importing` takes
# CSV documents before `coaching` takes every other document (program uploads).
FEATURES: tuple[Any, ...] = (
    onboarding,
    language,
    programs,
    today,
    importing,
    coaching,
    comments,  # before workout: a reply to a notice, or a comment being typed, is not a set
    targets,
    progress,
    workout,
    workout_plates,
    exercises,
    reminders,
    routines,
)


def register_handlers(application: BotApplication) -> None:
    # Group -2: every string of every update is cleaned of control characters (NUL breaks PostgreSQL).
    application.add_handler(TypeHandler(Update, hygiene.clean_incoming, block=True), group=-2)
    # Group -1 runs next for every update: the bot only converses in private chats.
    application.add_handler(TypeHandler(Update, common.guard_private_chat), group=-1)
    # Group 0: first a routine's name typed while its question is open (any command or button closes it),
    # then each feature registers its conversations and commands, in this order; a conversation comes
    # before plain commands so it keeps the messages of its states.
    routines.register_answers(application)
    for feature in FEATURES:
        feature.register(application)
    application.add_handler(CommandHandler("help", common.help_command))
    # Last in group 0: any other command gets a pointer to /help.
    application.add_handler(MessageHandler(filters.COMMAND, common.unknown_command))
    # ...and any other message nothing claimed gets a reply that fits (no silence): last of all.
    fallback.register(application)
    # ...and any button no feature claimed is answered, so the client's spinner stops.
    application.add_handler(CallbackQueryHandler(common.stray_button))
    # After the update's handler (which may register the user): ADMIN_TELEGRAM_IDS' rights and menus.
    application.add_handler(menus.AdminIdsHandler(application.bot_data), group=menus.ROLE_GROUP)
    application.add_error_handler(common.on_error)


async def _post_init(application: BotApplication) -> None:
    data = application.bot_data
    assert data.settings is not None
    port = data.extras.get(METRICS_PORT)
    if port is not None:  # polling mode with METRICS_PORT: /metrics and /healthz on a server of their own
        server = metrics.MetricsServer(application, listen=data.settings.webhook_listen, port=port)
        await server.start()
        data.extras[METRICS_SERVER] = server
    await webapp_server.start_for(application)  # the Mini App: WEBAPP_URL set, or the playground asks
    if os.environ.get(WORKER_ENV, "0") != "0":
        return  # one of several workers: the first one sets the commands and the admins up
    await register_profile(application.bot)
    await menus.sync_admins_at_startup(application)  # ADMIN_TELEGRAM_IDS: grant, withdraw, their menus
    await webapp_server.set_menu_button(application)  # WEBAPP_URL: the menu button opens the Mini App
    me = application.bot.bot
    log.info("bot @%s ready (%s)", me.username, data.settings.telegram_api_url)


def _languages() -> list[tuple[str | None, str]]:
    """(Telegram language_code, the bot's locale) of each registration: the default (None) in English,
    then every language code whose readers get another locale (ru, and uk, be, kk: Russian)."""
    codes = sorted({code for code in (*LOCALES, *RUSSIAN_READERS) if locale_for_language_code(code) != "en"})
    return [(None, DEFAULT_LOCALE)] + [(code, locale_for_language_code(code)) for code in codes]


async def register_profile(bot: ExtBot[Any]) -> None:
    """The trainees' command menu (all private chats), the description and the short description, for
    each language (setMyCommands, setMyDescription, setMyShortDescription with language_code). Coaches'
    and admins' menus are their chats' own (bot.handlers.menus.set_menu), in their language."""
    for language_code, locale in _languages():
        with use_locale(locale):
            commands = texts.bot_commands()
            description, short = _(texts.DESCRIPTION), _(texts.SHORT_DESCRIPTION)
        await bot.set_my_commands(
            commands, scope=BotCommandScopeAllPrivateChats(), language_code=language_code
        )
        await bot.set_my_description(description, language_code=language_code)
        await bot.set_my_short_description(short, language_code=language_code)


async def _post_shutdown(application: BotApplication) -> None:
    data = application.bot_data
    server = data.extras.pop(METRICS_SERVER, None)
    if server is not None:
        await server.stop()
    await webapp_server.stop_for(application)
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
    persistence: bool = True,
    rate_limiter: BaseRateLimiter[Any] | None = None,
    inbox: bool = True,
    cluster: bool = False,
    metrics_port: int | None = None,
) -> BotApplication:
    """Assemble the Application: defaults, context types, handlers, lifecycle hooks.

    `engine` lets tests and the playground share one engine; otherwise one is created from DATABASE_URL
    (it connects on first use). `persistence` keeps conversations, user_data and chat_data in the
    database (bot.persistence), written through after every update and re-read before each. The only
    difference between Telegram, a self-hosted Bot API server and the local emulator is
    `settings.telegram_api_url`. `rate_limiter` defaults to bot.ratelimit.PriorityRateLimiter.
    `inbox` keeps every update in the database's durable inbox until it is handled (bot.inbox,
    bot.intake): off, updates taken but not yet handled are lost when the process dies.
    `cluster`: other bot processes share the database (PostgreSQL; webhook mode): each chat's updates
    are taken in turn across processes (bot.cluster; needs the inbox). `metrics_port`: serve /metrics
    and /healthz there (polling mode; the webhook server has them anyway).
    """
    owns_engine = engine is None
    forget_locales()  # the locales remembered by an earlier application (tests build many) are stale
    if engine is None:
        engine = create_engine(settings.database_url)
    metrics.count_statements(engine)
    if cluster and not inbox:
        raise ValueError("several bot processes need the durable inbox")
    session_factory = create_sessionmaker(engine)
    context_types = ContextTypes(context=BotContext, bot_data=BotData)
    builder = (
        ApplicationBuilder()
        .application_class(application_class, kwargs=application_kwargs)
        .context_types(context_types)
        .concurrent_updates(PerChatUpdateProcessor(max_concurrent_updates))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    # The project's aiohttp transport by default: several times faster than PTB's httpx one here
    # (bench/transport.py). Long polling gets its own single connection.
    bot_kwargs: dict[str, Any] = {
        "token": token or settings.require_token(),
        "base_url": settings.telegram_api_url,
        "base_file_url": settings.file_url,
        "defaults": Defaults(parse_mode=ParseMode.HTML, block=True),
        "request": request or AiohttpRequest(connection_pool_size=256),
        "get_updates_request": (
            get_updates_request or AiohttpRequest(connection_pool_size=1, read_timeout=10.0)
        ),
        # Flood control: background messages (reminders) paced, interactive replies never held back by them.
        "rate_limiter": rate_limiter or PriorityRateLimiter(),
    }
    # Every update is stored before Telegram is told it arrived, and handled once (bot.inbox).
    update_inbox = Inbox(engine) if inbox else None
    if update_inbox is not None:
        bot = InboxBot(inbox=update_inbox, **bot_kwargs)
        builder = builder.updater(InboxUpdater(bot, asyncio.Queue(), update_inbox))
    else:
        builder = builder.bot(ExtBot(**bot_kwargs))
    if persistence:  # rows are loaded per update by install()'s refresh, not all at startup
        builder = builder.persistence(SQLAlchemyPersistence(session_factory, preload=False))
    application: BotApplication = builder.build()
    data = application.bot_data
    data.settings = settings
    data.engine = engine
    data.session_factory = session_factory
    if owns_engine:
        data.extras["owns_engine"] = True
    if metrics_port is not None:
        data.extras[METRICS_PORT] = metrics_port
    register_handlers(application)
    application.add_error_handler(metrics.count_error)
    if persistence:
        install(application)
        idle.install(application)  # chats quiet for 10 min: their in-memory state goes (it is persisted)
    if update_inbox is not None:
        intake.install(application, update_inbox, Cluster(engine) if cluster else None)
    return application
