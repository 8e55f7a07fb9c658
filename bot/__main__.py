"""The command line: python -m bot [{run,start,chat,migrate,seed,import-program,version}] (default: run).

Operator errors - a bad setting, a database that is unreachable, never migrated or in a missing folder, a
Bot API that cannot be reached or rejects the token - are one line on stderr and a non-zero exit (2 for a
setting to fix, 1 otherwise), never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from bot import __version__
from bot.config import Settings, SettingsError, load_settings_or_exit
from bot.logging_setup import configure_logging

log = logging.getLogger("bot")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="workout-bot command line (without a COMMAND: run)"
    )
    # No COMMAND means `run` (long polling), so `run`'s options need defaults on the top level too.
    parser.set_defaults(webhook=False, workers=1)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook [--workers N])")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook (WEBHOOK_* settings)")
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="N webhook processes sharing the port (SO_REUSEPORT) and one PostgreSQL database",
    )
    sub.add_parser("start", help="migrate, seed and run; the local playground when no token is set")
    chat = sub.add_parser("chat", help="the terminal playground: the bot against the local Bot API emulator")
    chat.add_argument("--database", default=None, help="database URL (default: data/playground.db)")
    chat.add_argument(
        "--admin", action="store_true", help="make the first user an admin (try the coach features)"
    )
    chat.add_argument(
        "--lang",
        default="en",
        metavar="CODE",
        help="the users' Telegram language (ru: the bot speaks Russian)",
    )
    sub.add_parser("migrate", help="upgrade the database to the latest schema (alembic upgrade head)")
    sub.add_parser("seed", help="load reference data, exercises and programs (idempotent)")
    program = sub.add_parser(
        "import-program", help="import a program YAML file (admins; see bot/data/README.md)"
    )
    program.add_argument("file", help="the program document (.yaml)")
    program.add_argument(
        "--owner", type=int, default=None, help="owner's Telegram id (default: the system user)"
    )
    program.add_argument(
        "--visibility",
        choices=("PUBLIC", "PRIVATE", "UNLISTED"),
        default=None,
        help="override the document's",
    )
    sub.add_parser("version", help="print the version")
    return parser


class OperatorError(Exception):
    """Something the operator must fix outside the program (the database, the network): one line, exit 1."""


def _database_name(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _database_unreachable(url: str, error: BaseException) -> OperatorError:
    from sqlalchemy.exc import DBAPIError

    reason = error.orig if isinstance(error, DBAPIError) and error.orig is not None else error
    text = " ".join(str(reason).split()) or type(reason).__name__
    return OperatorError(f"cannot connect to the database {_database_name(url)}: {text}")


async def _check_database(url: str, *, migrated: bool) -> None:
    """Connect once; with `migrated`, also require the latest schema. Raises OperatorError otherwise
    (DatabaseUrlError for a URL that cannot work, e.g. an SQLite file in a missing folder)."""
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from bot.db.migrate import current_revision, head_revision, known_revision
    from bot.db.session import DatabaseUrlError, create_engine

    try:
        engine = create_engine(url)
    except ArgumentError:
        raise DatabaseUrlError("use sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB") from None
    quiet = logging.getLogger("alembic.runtime.migration")  # its "Context impl ..." lines are noise here
    level = quiet.level
    quiet.setLevel(logging.WARNING)
    try:
        current = await current_revision(engine)
    except (OSError, SQLAlchemyError) as error:
        raise _database_unreachable(url, error) from None
    finally:
        quiet.setLevel(level)
        await engine.dispose()
    if current is not None and not known_revision(current):
        raise OperatorError(
            f"the database {_database_name(url)} is at schema {current}, which this version of the bot "
            "does not know (a newer version migrated it): run that version, or restore a backup"
        )
    if not migrated or current == head_revision():
        return
    state = "was never migrated" if current is None else f"is at an older schema ({current})"
    raise OperatorError(f"the database {_database_name(url)} {state}: run `python -m bot migrate` first")


async def _migrate(settings: Settings) -> None:
    from bot.db.migrate import MigrationError, upgrade
    from bot.db.session import create_engine

    await _check_database(settings.database_url, migrated=False)
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    except MigrationError as error:
        raise OperatorError(
            f"cannot migrate the database {_database_name(settings.database_url)}: {error}"
        ) from None
    finally:
        await engine.dispose()


async def _seed(settings: Settings) -> str:
    from bot.db.session import create_engine, create_sessionmaker, session_scope
    from bot.services.seed import seed_reference_data

    await _check_database(settings.database_url, migrated=True)
    engine = create_engine(settings.database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            report = await seed_reference_data(session)
        return str(report)
    finally:
        await engine.dispose()


async def _import_program(
    settings: Settings, source: bytes, owner: int | None, visibility: str | None
) -> str:
    """Validate the file in full, then write the program in one transaction (nothing on any error)."""
    from bot.db.enums import VisibilityCode
    from bot.db.session import create_engine, create_sessionmaker, session_scope
    from bot.services.seed import ensure_system_user, import_program, load_known_codes
    from bot.services.users import get_user_by_telegram_id

    await _check_database(settings.database_url, migrated=True)
    engine = create_engine(settings.database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            if owner is None:
                user = await ensure_system_user(session)
            else:
                found = await get_user_by_telegram_id(session, owner)
                if found is None:
                    raise SettingsError(f"no user with Telegram id {owner}: they must /start the bot first")
                user = found
            doc = (await load_known_codes(session, owner_id=user.id)).parse(source)
            code = VisibilityCode(visibility) if visibility else None
            program = await import_program(session, doc, owner=user, visibility=code)
            return f"imported '{program.name}' ({program.id})"
    finally:
        await engine.dispose()


def _check_webhook(settings: Settings) -> None:
    if not settings.webhook_url:
        raise SettingsError("WEBHOOK_URL is not set: give the public HTTPS URL Telegram should post to")
    if settings.webhook_secret is None:
        raise SettingsError("WEBHOOK_SECRET is not set: it authenticates Telegram's requests")


def _run(settings: Settings, *, webhook: bool) -> None:
    from telegram import Update

    from bot.app import build_application
    from bot.intake import InboxUpdater
    from bot.workers import worker_number

    if not webhook:
        application = build_application(settings, metrics_port=settings.metrics_port)
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return
    _check_webhook(settings)
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    # Webhook mode on PostgreSQL: other processes may serve the same bot (--workers, or several
    # containers behind one URL), so each chat is taken in turn across processes (bot.cluster).
    application = build_application(settings, cluster=not settings.is_sqlite)
    number = worker_number()
    updater = application.updater
    if number is not None and isinstance(updater, InboxUpdater):
        updater.reuse_port = True  # the supervisor's workers share the port
        updater.set_webhook = number == 0
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
    )


def _chat(settings: Settings, *, database_url: str | None, admin: bool = False, lang: str = "en") -> None:
    from bot.sandbox.playground import run_playground

    if settings.log_level == "INFO":  # keep the chat readable; LOG_LEVEL=DEBUG shows everything
        logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(run_playground(settings, database_url=database_url, admin=admin, language_code=lang))


def _telegram_failure(settings: Settings, error: Exception) -> tuple[str, int] | None:
    """One line for a Bot API failure at startup (bad token, no network), or None if it is not one."""
    from telegram.error import InvalidToken, NetworkError, TelegramError

    api = settings.telegram_api_url
    if isinstance(error, InvalidToken):
        return f"the Bot API at {api} rejected TELEGRAM_BOT_TOKEN: check the token from @BotFather", 2
    if isinstance(error, NetworkError):
        reason = " ".join(str(error).split()) or type(error).__name__
        return f"cannot reach the Telegram Bot API at {api}: {reason} (check the network)", 1
    if isinstance(error, TelegramError):
        return f"the Telegram Bot API at {api} refused to start the bot: {error}", 1
    return None


async def _check_telegram(settings: Settings) -> None:
    """Ask the Bot API who we are (getMe) before starting, so a bad token or no network is one line.

    A Bot of its own, closed whatever happens; python-telegram-bot's own start would log the failure
    with a traceback first.
    """
    from telegram import Bot

    async with Bot(settings.require_token(), base_url=settings.telegram_api_url):
        pass


def _dispatch(command: str, args: argparse.Namespace, settings: Settings) -> int:
    if command == "migrate":
        asyncio.run(_migrate(settings))
        print("database is at the latest schema")
    elif command == "seed":
        print(asyncio.run(_seed(settings)))
    elif command == "import-program":
        from bot.services.errors import DomainError

        try:
            source = Path(args.file).read_bytes()
            print(asyncio.run(_import_program(settings, source, args.owner, args.visibility)))
        except (DomainError, OSError) as error:
            print(f"workout-bot: {getattr(error, 'reason', error)}", file=sys.stderr)
            return 1
    elif command == "run":
        settings.require_token()
        from bot.workers import check_workers, run_workers

        check_workers(settings, args.workers, webhook=args.webhook)
        if args.workers > 1:
            _check_webhook(settings)
            asyncio.run(_check_database(settings.database_url, migrated=True))
            asyncio.run(_check_telegram(settings))  # once, before N workers would each say it
            return run_workers(settings, args.workers)
        asyncio.run(_check_database(settings.database_url, migrated=True))
        asyncio.run(_check_telegram(settings))
        _run(settings, webhook=args.webhook)
    elif command == "chat":
        from bot.sandbox.playground import PLAYGROUND_DATABASE

        asyncio.run(_check_database(args.database or PLAYGROUND_DATABASE, migrated=False))
        _chat(settings, database_url=args.database, admin=args.admin, lang=getattr(args, "lang", "en"))
    elif command == "start":
        if settings.telegram_bot_token is None:
            print("No TELEGRAM_BOT_TOKEN set: starting the local playground (python -m bot chat).")
            return _dispatch("chat", argparse.Namespace(database=None, admin=False), settings)
        asyncio.run(_migrate(settings))
        print(asyncio.run(_seed(settings)))
        asyncio.run(_check_telegram(settings))
        _run(settings, webhook=settings.webhook_url is not None)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Operator errors (settings, the database, the network) are one line on stderr and a non-zero exit."""
    from bot.db.session import DatabaseUrlError

    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "version":
        print(f"workout-bot {__version__}")
        return 0
    settings = load_settings_or_exit()
    configure_logging(settings.log_level)
    try:
        return _dispatch(command, args, settings)
    except SettingsError as error:
        print(f"workout-bot: {error}", file=sys.stderr)
        return 2
    except DatabaseUrlError as error:
        where = "--database" if getattr(args, "database", None) else "setting DATABASE_URL"
        print(f"workout-bot: invalid {where}: {error}", file=sys.stderr)
        return 2
    except OperatorError as error:
        print(f"workout-bot: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        failure = _telegram_failure(settings, error)
        if failure is None:
            raise
        print(f"workout-bot: {failure[0]}", file=sys.stderr)
        return failure[1]


if __name__ == "__main__":
    sys.exit(main())
