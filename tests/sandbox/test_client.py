"""SandboxUser driving a small PTB bot through the emulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.sandbox import BotApiEmulator, SandboxUser
from tests.sandbox.helpers import make_png, running_app

MENU = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Plans", callback_data="plans"),
            InlineKeyboardButton("Log", callback_data="log"),
        ],
        [InlineKeyboardButton("Site", url="https://example.com")],
    ]
)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    if context.args:
        await update.effective_message.reply_text(f"payload={context.args[0]}")
        return
    await update.effective_message.reply_text(
        f"Welcome, {update.effective_user.first_name}!", reply_markup=MENU
    )


async def silent(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    return None


async def choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}")
    back = InlineKeyboardMarkup([[InlineKeyboardButton("Back", callback_data="back")]])
    await query.edit_message_text(f"You chose {query.data}", reply_markup=back)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.document is not None
    content = await (await message.document.get_file()).download_as_bytearray()
    await message.reply_text(f"{message.document.file_name}: {len(content)} bytes, caption={message.caption}")


async def photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    size = message.photo[-1]
    content = await (await size.get_file()).download_as_bytearray()
    await message.reply_text(f"photo {size.width}x{size.height}, {len(content)} bytes")


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_text(f"echo: {message.text}")


HANDLERS: list[BaseHandler[Any, Any, Any]] = [
    CommandHandler("start", start),
    CommandHandler("silent", silent),
    CallbackQueryHandler(choose),
    MessageHandler(filters.Document.ALL, document),
    MessageHandler(filters.PHOTO, photo),
    MessageHandler(filters.TEXT & ~filters.COMMAND, echo),
]


@pytest.fixture
async def app(emu: BotApiEmulator) -> AsyncIterator[Application[Any, Any, Any, Any, Any, Any]]:
    async with running_app(emu, HANDLERS, track=True) as application:
        yield application


@pytest.mark.usefixtures("app")
async def test_send_buttons_and_press(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Alice")
    replies = await user.send("/start")
    assert [reply.text for reply in replies] == ["Welcome, Alice!"]
    assert user.last_text == "Welcome, Alice!"
    assert user.buttons() == [["Plans", "Log"], ["Site"]]

    edited = await user.press("Log")
    assert [(m.message_id, m.text, m.edited) for m in edited] == [
        (replies[0].message_id, "You chose log", True)
    ]
    assert user.callback_answers[-1].text == "got log"
    assert user.buttons() == [["Back"]]
    assert [m.text for m in await user.press((0, 0), replies[0])] == ["You chose back"]
    [menu] = await user.send("/start")
    pressed = await user.press(1)  # reading order, on the latest message with a keyboard
    assert [(m.message_id, m.text) for m in pressed] == [(menu.message_id, "You chose log")]
    assert [a.data for a in user.callback_answers] == ["log", "back", "log"]
    assert emu.unanswered_callback_queries() == []
    assert [m.text for m in user.messages] == ["You chose back", "You chose log"]


@pytest.mark.usefixtures("app")
async def test_press_errors_are_clear(emu: BotApiEmulator) -> None:
    user = emu.add_user()
    with pytest.raises(AssertionError, match="no bot message with an inline keyboard"):
        await user.press("Plans")
    await user.send("/start")
    with pytest.raises(AssertionError) as missing:
        await user.press("Settings")
    assert "available buttons: [['Plans', 'Log'], ['Site']]" in str(missing.value)
    with pytest.raises(AssertionError, match="not a callback button"):
        await user.press("Site")
    with pytest.raises(AssertionError, match="no button 7"):
        await user.press(7)
    assert [m.text for m in await user.press("plans")] == ["You chose plans"]  # case-insensitive fallback


@pytest.mark.usefixtures("app")
async def test_forged_callback_data(emu: BotApiEmulator) -> None:
    user = emu.add_user()
    [menu] = await user.send("/start")
    replies = await user.press_data("admin:delete_all", menu)
    assert [m.text for m in replies] == ["You chose admin:delete_all"]
    assert user.callback_answers[-1].data == "admin:delete_all"


@pytest.mark.usefixtures("app")
async def test_uploads_and_photos(emu: BotApiEmulator, tmp_path: Path) -> None:
    user = emu.add_user()
    replies = await user.upload(b"a,b\n1,2\n", filename="log.csv", caption="my log")
    assert [m.text for m in replies] == ["log.csv: 8 bytes, caption=my log"]
    path = tmp_path / "plan.yaml"
    path.write_bytes(b"days: 3\n")
    assert (await user.upload(path))[0].text == "plan.yaml: 8 bytes, caption=None"
    png = make_png(8, 6)
    assert (await user.send_photo(png))[0].text == f"photo 8x6, {len(png)} bytes"


@pytest.mark.usefixtures("app")
async def test_groups_and_deep_links(emu: BotApiEmulator) -> None:
    user = emu.add_user(first_name="Gus")
    assert (await user.send("/start invite_123"))[0].text == "payload=invite_123"
    group = emu.add_group("Gym")
    in_group = user.in_chat(group)
    assert [m.text for m in await in_group.send("hello all")] == ["echo: hello all"]
    assert [m.chat_id for m in in_group.messages] == [group]
    assert emu.user_messages(group)[0]["from"]["id"] == user.user_id


@pytest.mark.usefixtures("app")
async def test_tracking_returns_when_nothing_is_sent(emu: BotApiEmulator) -> None:
    user = emu.add_user()
    assert await user.send("/silent") == []


async def test_timeout_names_what_was_sent(emu: BotApiEmulator) -> None:
    async with running_app(emu, HANDLERS):
        assert not emu.track_processing
        user = emu.add_user()
        assert [m.text for m in await user.send("/start")] == ["Welcome, Alice!"]
        with pytest.raises(AssertionError) as caught:
            await user.send("/silent", timeout=0.2)
        assert str(caught.value) == (
            f"user {user.user_id} sent the message '/silent' in chat {user.chat_id}, "
            "but the bot did not answer within 0.2 s"
        )


async def test_user_side_bookkeeping(emu: BotApiEmulator) -> None:
    user = emu.add_user(555, first_name="Zed", username="zed")
    assert isinstance(user, SandboxUser)
    assert (user.user_id, user.chat_id) == (555, 555)
    with pytest.raises(ValueError, match="already exists"):
        emu.add_user(555)
    assert emu.add_user().user_id != 555
    assert emu.user(555).chat_id == 555
    with pytest.raises(AssertionError, match="has sent nothing"):
        _ = user.last_text
    assert user.buttons() == []
    assert user.reply_keyboard is None
    assert user.callback_answers == []
