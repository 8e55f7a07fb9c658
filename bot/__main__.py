"""The command line: python -m bot {run,chat,migrate,seed,import-program,version}."""

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
    parser = argparse.ArgumentParser(prog="python -m bot", description="workout-bot command line")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = sub.add_parser("run", help="run the bot (long polling, or --webhook)")
    run.add_argument("--webhook", action="store_true", help="receive updates by webhook (WEBHOOK_* settings)")
    sub.add_parser("start", help="migrate, seed and run; the local playground when no token is set")
    chat = sub.add_parser("chat", help="the terminal playground: the bot against the local Bot API emulator")
    chat.add_argument("--database", default=None, help="database URL (default: data/playground.db)")
    chat.add_argument(
        "--admin", action="store_true", help="make the first user an admin (try the coach features)"
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


async def _migrate(settings: Settings) -> None:
    from bot.db.migrate import upgrade
    from bot.db.session import create_engine

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


async def _seed(settings: Settings) -> str:
    from bot.db.session import create_engine, create_sessionmaker, session_scope
    from bot.services.seed import seed_reference_data

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

    engine = create_engine(settings.database_url)
    try:
        async with session_scope(create_sessionmaker(engine)) as session:
            doc = (await load_known_codes(session)).parse(source)
            if owner is None:
                user = await ensure_system_user(session)
            else:
                found = await get_user_by_telegram_id(session, owner)
                if found is None:
                    raise SettingsError(f"no user with Telegram id {owner}: they must /start the bot first")
                user = found
            code = VisibilityCode(visibility) if visibility else None
            program = await import_program(session, doc, owner=user, visibility=code)
            return f"imported '{program.name}' ({program.id})"
    finally:
        await engine.dispose()


def _run(settings: Settings, *, webhook: bool) -> None:
    from telegram import Update

    from bot.app import build_application

    application = build_application(settings)
    if not webhook:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
        return
    if not settings.webhook_url:
        raise SettingsError("WEBHOOK_URL is not set: give the public HTTPS URL Telegram should post to")
    if settings.webhook_secret is None:
        raise SettingsError("WEBHOOK_SECRET is not set: it authenticates Telegram's requests")
    application.run_webhook(
        listen=settings.webhook_listen,
        port=settings.webhook_port,
        url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
        webhook_url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=Update.ALL_TYPES,
    )


def _chat(settings: Settings, *, database_url: str | None, admin: bool = False) -> None:
    from bot.sandbox.playground import run_playground

    if settings.log_level == "INFO":  # keep the chat readable; LOG_LEVEL=DEBUG shows everything
        logging.getLogger().setLevel(logging.WARNING)
    asyncio.run(run_playground(settings, database_url=database_url, admin=admin))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    command = args.command or "run"
    if command == "version":
        print(f"workout-bot {__version__}")
        return 0
    settings = load_settings_or_exit()
    configure_logging(settings.log_level)
    try:
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
            _run(settings, webhook=args.webhook)
        elif command == "chat":
            _chat(settings, database_url=args.database, admin=args.admin)
        elif command == "start":
            if settings.telegram_bot_token is None:
                print("No TELEGRAM_BOT_TOKEN set: starting the local playground (python -m bot chat).")
                _chat(settings, database_url=None)
            else:
                asyncio.run(_migrate(settings))
                print(asyncio.run(_seed(settings)))
                _run(settings, webhook=settings.webhook_url is not None)
    except SettingsError as error:
        print(f"workout-bot: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
