"""Importing history from other apps: /import (how to export from Strong, Hevy, FitNotes), a CSV
document (the dry run, with Import / Cancel) and its `im:` buttons.

The file is downloaded before any transaction (never more than 5 MB: the size Telegram reports is
checked first) and parsed in a worker thread; the dry run is computed and the pending import remembered
in user_data (persisted with the update's transaction: the file's id and SHA-256, not the parsed
workouts). Import downloads the file again by its id, checks that it is the same, parses it and writes
every new workout in one transaction. The buttons carry the first characters of the digest: an old dry
run's button cannot import a newer file.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Final

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.context import BotContext
from bot.handlers.base import user_for
from bot.i18n import _
from bot.services import importing
from bot.services.errors import DomainError
from bot.services.importing import ImportFileError, ParsedFile
from bot.ui import importing as ui
from bot.ui.callback import unpack

log = logging.getLogger(__name__)

PENDING: Final = "csv_import"
"""user_data: the import the dry run offered: {"file_id", "digest"}."""
TOKEN_LENGTH: Final = 16
CSV_TYPES: Final = ("text/csv", "text/comma-separated-values", "application/csv", "text/x-csv")
CSV_DOCUMENTS: Final = (
    filters.Document.FileExtension("csv")
    | filters.Document.MimeType(CSV_TYPES[0])
    | filters.Document.MimeType(CSV_TYPES[1])
    | filters.Document.MimeType(CSV_TYPES[2])
    | filters.Document.MimeType(CSV_TYPES[3])
)


class TooLarge(Exception):
    """The file is over the limit: `size` bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


async def import_command(update: Update, context: BotContext) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(_(ui.HOW_TO_IMPORT))


async def _download(context: BotContext, file_id: str, size: int | None) -> bytes:
    """The file's bytes; TooLarge when it is over the limit (by the size Telegram reports, before any
    download; by its length, when no size was reported)."""
    limit = importing.MAX_FILE_BYTES
    if size is not None and size > limit:
        raise TooLarge(size)
    file = await context.bot.get_file(file_id)
    if file.file_size is not None and file.file_size > limit:
        raise TooLarge(file.file_size)
    content = bytes(await file.download_as_bytearray())
    if len(content) > limit:
        raise TooLarge(len(content))
    return content


async def _parse(update: Update, context: BotContext, content: bytes) -> ParsedFile:
    """The file read in a worker thread, in the user's unit and up to their local today."""
    async with context.db() as session:
        user = await user_for(session, update, context)
        unit, today = user.weight_unit, importing.user_today(user, context.now())
    return await importing.parse_in_thread(content, unit=unit, today=today)


async def on_document(update: Update, context: BotContext) -> None:
    """A CSV document: the dry run of importing it."""
    message = update.effective_message
    assert message is not None and message.document is not None and context.user_data is not None
    document = message.document
    try:
        content = await _download(context, document.file_id, document.file_size)
    except TooLarge as error:
        await message.reply_text(ui.too_large(error.size, importing.MAX_FILE_BYTES))
        return
    digest = hashlib.sha256(content).hexdigest()
    try:
        parsed = await _parse(update, context, content)
        async with context.db() as session:
            user = await user_for(session, update, context)
            plan = await importing.plan_import(session, user, parsed)
            today = importing.user_today(user, context.now())
            if plan.new_workouts:
                context.user_data[PENDING] = {"file_id": document.file_id, "digest": digest}
            else:
                context.user_data.pop(PENDING, None)
    except ImportFileError as error:
        await message.reply_text(ui.malformed(error))
        return
    except DomainError as error:
        await message.reply_text(ui.refused(error.reason))
        return
    await message.reply_text(
        ui.dry_run(plan, today), reply_markup=ui.dry_run_keyboard(plan, digest[:TOKEN_LENGTH])
    )


async def on_button(update: Update, context: BotContext) -> None:
    """im:go:<token> imports the file of the dry run; im:no:<token> cancels it."""
    query = update.callback_query
    assert query is not None and context.user_data is not None
    parts = unpack(query.data, ui.PREFIX) or []
    pending = context.user_data.get(PENDING)
    if (
        len(parts) != 2
        or parts[0] not in (ui.GO, ui.CANCEL)
        or not isinstance(pending, dict)
        or not isinstance(pending.get("digest"), str)
        or not isinstance(pending.get("file_id"), str)
        or pending["digest"][:TOKEN_LENGTH] != parts[1]
    ):
        await query.answer(_(ui.EXPIRED), show_alert=True)
        return
    if parts[0] == ui.CANCEL:
        async with context.db():
            context.user_data.pop(PENDING, None)
        await query.answer()
        await _edit(query.message, _(ui.CANCELLED))
        return
    await query.answer(_(ui.IMPORTING))
    text = await _import(update, context, pending["file_id"], pending["digest"])
    await _edit(query.message, text)


async def _import(update: Update, context: BotContext, file_id: str, digest: str) -> str:
    """Download, check, parse and import the pending file; what to tell the user."""
    assert context.user_data is not None
    content: bytes | None
    try:
        content = await _download(context, file_id, None)
    except (TelegramError, TooLarge) as error:
        log.info("could not download an import again: %r", error)
        content = None
    if content is None or hashlib.sha256(content).hexdigest() != digest:
        async with context.db():
            context.user_data.pop(PENDING, None)
        return _(ui.REFETCH_FAILED)
    try:
        parsed = await _parse(update, context, content)
        async with context.db() as session:
            user = await user_for(session, update, context)
            result = await importing.run_import(session, user, parsed, digest, context.now())
            today = importing.user_today(user, context.now())
            context.user_data.pop(PENDING, None)
    except ImportFileError as error:
        return ui.malformed(error)
    except DomainError as error:
        return ui.refused(error.reason)
    return ui.imported(result, today)


async def _edit(message: object, text: str) -> None:
    """Replace the dry run (its buttons go); a new message when it cannot be edited."""
    if not isinstance(message, Message):
        return
    try:
        await message.edit_text(text, reply_markup=None)
    except TelegramError:
        await message.reply_text(text)


def register(application: Any) -> None:
    """/import, CSV documents (before the program upload's handler of every document) and `im:` buttons."""
    application.add_handler(CommandHandler("import", import_command))
    application.add_handler(MessageHandler(CSV_DOCUMENTS, on_document))
    application.add_handler(CallbackQueryHandler(on_button, pattern=rf"^{ui.PREFIX}:"))


__all__ = ["CSV_DOCUMENTS", "register"]
