"""The Bot API emulator, exercised with python-telegram-bot itself as the client."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonCommands,
    MenuButtonDefault,
    Message,
    MessageEntity,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

from bot.sandbox import BotApiEmulator
from bot.sandbox.emulator import (
    ERR_BLOCKED,
    ERR_BUTTON_DATA,
    ERR_CAPTION_TOO_LONG,
    ERR_CHAT_NOT_FOUND,
    ERR_CONFLICT_POLL,
    ERR_CONFLICT_WEBHOOK,
    ERR_DELETE_NOT_FOUND,
    ERR_EDIT_NOT_FOUND,
    ERR_NOT_MODIFIED,
    ERR_PARSE_ENTITIES,
    ERR_QUERY_TOO_OLD,
    ERR_TEXT_BUTTONS,
    ERR_TEXT_EMPTY,
    ERR_TEXT_TOO_LONG,
)
from tests.sandbox.helpers import FakeClock, make_png, ptb_message, retry_seconds

KEYBOARD = InlineKeyboardMarkup(
    [[InlineKeyboardButton("One", callback_data="one"), InlineKeyboardButton("Two", callback_data="two")]]
)


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(item.title(), callback_data=item) for item in data]])


# --------------------------------------------------------------------------------------------------------
# transport, tokens, method names
# --------------------------------------------------------------------------------------------------------


async def test_get_me_reports_the_token_bot(emu: BotApiEmulator, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.id == emu.bot_id == int(bot.token.split(":")[0])
    assert me.is_bot
    assert me.username == "workout_test_bot"
    assert me.first_name == "Workout Bot"
    assert emu.base_url == f"http://127.0.0.1:{emu.port}/bot"
    assert emu.base_file_url == f"http://127.0.0.1:{emu.port}/file/bot"
    assert {"getUpdates", "sendMessage", "answerCallbackQuery", "setMyCommands"} <= set(emu.supported_methods)


async def test_malformed_and_revoked_tokens(emu: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("not-a-token", base_url=emu.base_url, base_file_url=emu.base_file_url):
            pass
    token = emu.make_token(bot_id=123)
    emu.revoke_token(token)
    with pytest.raises(InvalidToken):
        async with Bot(token, base_url=emu.base_url, base_file_url=emu.base_file_url):
            pass
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{emu.base_url}{token}/getMe") as response:
            assert response.status == 401
            assert await response.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
        async with http.get(f"{emu.base_url}12:short/getMe") as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_json_form_query_and_case_insensitive_methods(emu: BotApiEmulator, token: str) -> None:
    user = emu.add_user()
    base = f"{emu.base_url}{token}"
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}/SENDMESSAGE", json={"chat_id": user.chat_id, "text": "json"}
        ) as response:
            body = await response.json()
            assert body["ok"] is True
            assert body["result"]["text"] == "json"
        form = {"chat_id": str(user.chat_id), "text": "form", "reply_markup": json.dumps(markup)}
        async with http.post(f"{base}/sendmessage", data=form) as response:
            body = await response.json()
            assert body["result"]["reply_markup"] == markup
        async with http.get(
            f"{base}/sendMessage", params={"chat_id": user.chat_id, "text": "query"}
        ) as response:
            assert (await response.json())["result"]["text"] == "query"
        async with http.post(f"{base}/noSuchMethod") as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        async with http.post(f"{base}/sendMessage", json={"chat_id": user.chat_id}) as response:
            assert response.status == 400
            assert await response.json() == {"ok": False, "error_code": 400, "description": ERR_TEXT_EMPTY}
    assert [m.text for m in emu.messages(user.chat_id)] == ["json", "form", "query"]
    assert emu.stats.requests["sendMessage"] == 4
    assert emu.stats.requests["noSuchMethod"] == 1
    assert emu.stats.errors[400] == 1


# --------------------------------------------------------------------------------------------------------
# sending messages
# --------------------------------------------------------------------------------------------------------


async def test_send_message_round_trip(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user(first_name="Bob", username="bob")
    raw = "Hello <b>Bob</b> &amp; co 💪 <a href='https://example.com'>site</a>"
    message = await bot.send_message(
        user.chat_id,
        raw,
        parse_mode=ParseMode.HTML,
        reply_markup=KEYBOARD,
        protect_content=True,
        disable_notification=True,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert message.text == "Hello Bob & co 💪 site"
    assert message.entities == (
        MessageEntity(MessageEntity.BOLD, 6, 3),
        MessageEntity(MessageEntity.TEXT_LINK, 18, 4, url="https://example.com/"),
    )
    assert message.reply_markup == KEYBOARD
    assert message.has_protected_content
    assert message.from_user is not None and message.from_user.id == bot.id
    assert message.chat.id == user.chat_id
    assert message.chat.username == "bob"

    [sent] = emu.messages(user.chat_id)
    assert sent.message_id == message.message_id
    assert sent.kind == "text"
    assert sent.html == raw
    assert sent.text == "Hello Bob & co 💪 site"
    assert sent.buttons == [["One", "Two"]]
    assert sent.protect_content and sent.disable_notification
    assert sent.link_preview_options == {"is_disabled": True}
    assert sent.parse_mode == "HTML"
    assert not sent.edited and not sent.deleted
    assert sent.date.tzinfo is not None


async def test_message_ids_are_shared_with_the_user_side(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    first = await bot.send_message(user.chat_id, "one")
    update = emu.inject_message(user.user_id, "hi")
    second = await bot.send_message(user.chat_id, "two")
    assert (first.message_id, update["message"]["message_id"], second.message_id) == (1, 2, 3)


async def test_reply_parameters(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    incoming = emu.inject_message(user.user_id, "question?")["message"]
    answer = await bot.send_message(
        user.chat_id, "answer", reply_parameters=ReplyParameters(incoming["message_id"])
    )
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "question?"
    assert emu.messages(user.chat_id)[-1].reply_to_message_id == incoming["message_id"]
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(user.chat_id, "x", reply_parameters=ReplyParameters(999))
    assert caught.value.message == "Message to be replied not found"
    alone = await bot.send_message(
        user.chat_id, "x", reply_parameters=ReplyParameters(999, allow_sending_without_reply=True)
    )
    assert alone.reply_to_message is None


async def test_reply_keyboards(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    message = await bot.send_message(
        user.chat_id,
        "menu",
        reply_markup=ReplyKeyboardMarkup([["Log", "Plans"], ["Help"]], resize_keyboard=True),
    )
    assert message.reply_markup is None  # Telegram only echoes inline keyboards
    assert user.reply_keyboard == [["Log", "Plans"], ["Help"]]
    assert emu.messages(user.chat_id)[0].reply_markup == {
        "keyboard": [[{"text": "Log"}, {"text": "Plans"}], [{"text": "Help"}]],
        "resize_keyboard": True,
    }
    # a reply keyboard is not part of the message's (inline) markup when editing
    await bot.edit_message_text("menu v2", user.chat_id, message.message_id)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("menu v2", user.chat_id, message.message_id)
    assert emu.messages(user.chat_id)[0].reply_markup is not None
    with pytest.raises(BadRequest, match="Inline keyboard expected"):
        await bot.edit_message_reply_markup(
            user.chat_id,
            message.message_id,
            reply_markup=ReplyKeyboardMarkup([["x"]]),  # type: ignore[arg-type]
        )
    await bot.send_message(user.chat_id, "what?", reply_markup=ForceReply(input_field_placeholder="type"))
    assert user.reply_keyboard == [["Log", "Plans"], ["Help"]]
    await bot.send_message(user.chat_id, "bye", reply_markup=ReplyKeyboardRemove())
    assert user.reply_keyboard is None


async def test_empty_keyboards_are_no_keyboard(emu: BotApiEmulator, bot: Bot, token: str) -> None:
    """Telegram (tdlib's get_reply_markup) drops empty rows and treats a markup left without a button as
    no markup: the message goes out without a keyboard, an edit removes the inline keyboard."""
    user = emu.add_user()
    go = {"text": "Go", "callback_data": "go"}
    sent: list[dict[str, object]] = []
    async with aiohttp.ClientSession() as http:
        for markup in ({"inline_keyboard": []}, {"inline_keyboard": [[]]}, {}, {"keyboard": [[]]}):
            payload = {"chat_id": user.chat_id, "text": "plain", "reply_markup": markup}
            async with http.post(f"{emu.base_url}{token}/sendMessage", json=payload) as response:
                body = await response.json()
                assert body["ok"] is True, (markup, body)
                sent.append(body["result"])
        payload = {
            "chat_id": user.chat_id,
            "text": "rows",
            "reply_markup": {"inline_keyboard": [[], [go], []]},
        }
        async with http.post(f"{emu.base_url}{token}/sendMessage", json=payload) as response:
            rows = (await response.json())["result"]
    assert all("reply_markup" not in result for result in sent)
    assert rows["reply_markup"] == {"inline_keyboard": [[go]]}
    stored = emu.messages(user.chat_id)
    assert [m.reply_markup for m in stored[:4]] == [None, None, None, None]
    assert stored[4].buttons == [["Go"]]
    assert user.reply_keyboard is None  # an empty reply keyboard shows nothing either

    # python-telegram-bot sends InlineKeyboardMarkup([]) as {}: accepted, no keyboard
    message = await bot.send_message(user.chat_id, "ptb", reply_markup=InlineKeyboardMarkup([]))
    assert message.reply_markup is None
    # an edit with an empty inline keyboard removes the keyboard, and again is "not modified"
    shown = await bot.send_message(user.chat_id, "with", reply_markup=KEYBOARD)
    removed = await bot.edit_message_reply_markup(
        user.chat_id, shown.message_id, reply_markup=InlineKeyboardMarkup([[]])
    )
    assert isinstance(removed, Message)
    assert removed.reply_markup is None
    assert emu.message(user.chat_id, shown.message_id).reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(
            user.chat_id, shown.message_id, reply_markup=InlineKeyboardMarkup([])
        )
    # buttons are still validated before empty rows are dropped
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(
            user.chat_id, "bad", reply_markup=InlineKeyboardMarkup([[], [InlineKeyboardButton("x")]])
        )


async def test_text_length_limits(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    for empty in ("", "   \n ", "<b></b>"):
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(user.chat_id, empty, parse_mode=ParseMode.HTML)
        assert caught.value.message == ptb_message(ERR_TEXT_EMPTY)
    await bot.send_message(user.chat_id, "😀" * 2048)  # 4096 UTF-16 units
    await bot.send_message(user.chat_id, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    for too_long in ("😀" * 2048 + "a", "a" * 4097):
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(user.chat_id, too_long)
        assert caught.value.message == ptb_message(ERR_TEXT_TOO_LONG) == "Message is too long"
    assert len(emu.messages(user.chat_id)) == 2


async def test_malformed_html_is_refused(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    cases = {
        "<foo>x</foo>": 'Unsupported start tag "foo" at byte offset 0',
        "<b>bold": 'Can\'t find end tag corresponding to start tag "b"',
        "1 < 2": 'Unsupported start tag "" at byte offset 2',
    }
    for text, error in cases.items():
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(user.chat_id, text, parse_mode=ParseMode.HTML)
        assert caught.value.message == ptb_message(ERR_PARSE_ENTITIES + error)
    with pytest.raises(BadRequest, match="reserved"):
        await bot.send_message(user.chat_id, "1.5", parse_mode=ParseMode.MARKDOWN_V2)
    assert emu.messages(user.chat_id) == []


async def test_inline_button_validation(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    await bot.send_message(user.chat_id, "ok", reply_markup=keyboard("x" * 64))
    await bot.send_message(user.chat_id, "ok", reply_markup=keyboard("é" * 32))  # 64 bytes
    bad_data = [
        InlineKeyboardButton("a", callback_data="x" * 65),
        InlineKeyboardButton("a", callback_data="é" * 33),  # 33 characters but 66 bytes
        InlineKeyboardButton("a", callback_data=""),
    ]
    for button in bad_data:
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(user.chat_id, "x", reply_markup=InlineKeyboardMarkup([[button]]))
        assert caught.value.message == ptb_message(ERR_BUTTON_DATA)
    for button in (InlineKeyboardButton("", callback_data="x"), InlineKeyboardButton("no action")):
        with pytest.raises(BadRequest) as caught:
            await bot.send_message(user.chat_id, "x", reply_markup=InlineKeyboardMarkup([[button]]))
        assert caught.value.message == ptb_message(ERR_TEXT_BUTTONS)
    with pytest.raises(BadRequest, match="is invalid"):
        await bot.send_message(
            user.chat_id,
            "x",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("u", url="not a url")]]),
        )
    assert len(emu.messages(user.chat_id)) == 2


async def test_unknown_chat_and_blocked_user(emu: BotApiEmulator, bot: Bot) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(424242, "hello")
    assert caught.value.message == ptb_message(ERR_CHAT_NOT_FOUND) == "Chat not found"

    user = emu.add_user()
    user.block_bot()
    assert emu.is_blocked(user.user_id)
    with pytest.raises(Forbidden) as forbidden:
        await bot.send_message(user.chat_id, "hello")
    assert forbidden.value.message == ERR_BLOCKED
    with pytest.raises(Forbidden):
        await bot.send_chat_action(user.chat_id, ChatAction.TYPING)
    with pytest.raises(Forbidden):
        await bot.send_document(user.chat_id, b"x", filename="x.txt")
    emu.inject_message(user.user_id, "/start")  # writing to the bot again unblocks it
    assert not emu.is_blocked(user.user_id)
    await bot.send_message(user.chat_id, "welcome back")
    assert [m.text for m in emu.messages(user.chat_id)] == ["welcome back"]


# --------------------------------------------------------------------------------------------------------
# editing and deleting
# --------------------------------------------------------------------------------------------------------


async def test_edit_message_text_and_markup(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    message = await bot.send_message(user.chat_id, "v1", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text(
        "<i>v2</i>", user.chat_id, message.message_id, parse_mode="HTML", reply_markup=KEYBOARD
    )
    assert isinstance(edited, Message)
    assert edited.text == "v2"
    assert edited.edit_date is not None
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text(
            "<i>v2</i>", user.chat_id, message.message_id, parse_mode="HTML", reply_markup=KEYBOARD
        )
    assert caught.value.message == ptb_message(ERR_NOT_MODIFIED)
    # same text but different entities is a modification
    await bot.edit_message_text("v2", user.chat_id, message.message_id, reply_markup=KEYBOARD)
    # without reply_markup the inline keyboard goes away
    without = await bot.edit_message_text("v2", user.chat_id, message.message_id)
    assert isinstance(without, Message)
    assert without.reply_markup is None
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(user.chat_id, message.message_id)
    with_keyboard = await bot.edit_message_reply_markup(
        user.chat_id, message.message_id, reply_markup=keyboard("a")
    )
    assert isinstance(with_keyboard, Message)
    assert with_keyboard.reply_markup == keyboard("a")
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_reply_markup(user.chat_id, message.message_id, reply_markup=keyboard("a"))

    [stored] = emu.messages(user.chat_id)
    assert stored.edited and stored.text == "v2" and stored.buttons == [["A"]]

    with pytest.raises(BadRequest) as not_found:
        await bot.edit_message_text("x", user.chat_id, 999)
    assert not_found.value.message == ptb_message(ERR_EDIT_NOT_FOUND)
    users_message = emu.inject_message(user.user_id, "mine")["message"]["message_id"]
    with pytest.raises(BadRequest, match="can't be edited"):
        await bot.edit_message_text("x", user.chat_id, users_message)
    with pytest.raises(BadRequest, match="Message is too long"):
        await bot.edit_message_text("a" * 4097, user.chat_id, message.message_id)


async def test_edit_caption(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    photo = await bot.send_photo(user.chat_id, make_png(), caption="first")
    edited = await bot.edit_message_caption(
        user.chat_id, photo.message_id, caption="<b>second</b>", parse_mode="HTML"
    )
    assert isinstance(edited, Message)
    assert edited.caption == "second"
    assert edited.caption_entities == (MessageEntity(MessageEntity.BOLD, 0, 6),)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_caption(
            user.chat_id, photo.message_id, caption="<b>second</b>", parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match="There is no text in the message to edit"):
        await bot.edit_message_text("text", user.chat_id, photo.message_id)
    text = await bot.send_message(user.chat_id, "plain")
    with pytest.raises(BadRequest, match="There is no caption in the message to edit"):
        await bot.edit_message_caption(user.chat_id, text.message_id, caption="c")
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_caption(user.chat_id, photo.message_id, caption="c" * 1025)
    assert caught.value.message == ptb_message(ERR_CAPTION_TOO_LONG)


async def test_delete_messages(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    first = await bot.send_message(user.chat_id, "one")
    second = await bot.send_message(user.chat_id, "two")
    third = await bot.send_message(user.chat_id, "three")
    assert await bot.delete_message(user.chat_id, first.message_id)
    with pytest.raises(BadRequest) as caught:
        await bot.delete_message(user.chat_id, first.message_id)
    assert caught.value.message == ptb_message(ERR_DELETE_NOT_FOUND)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await bot.edit_message_text("x", user.chat_id, first.message_id)
    incoming = emu.inject_message(user.user_id, "delete me")["message"]["message_id"]
    assert await bot.delete_message(user.chat_id, incoming)
    assert emu.user_messages(user.chat_id) == []
    assert await bot.delete_messages(user.chat_id, [second.message_id, third.message_id, 12345])
    assert [(m.text, m.deleted) for m in emu.messages(user.chat_id)] == [
        ("one", True),
        ("two", True),
        ("three", True),
    ]
    assert user.messages == []
    assert user.last_reply is None


# --------------------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------------------


async def test_photos_upload_download_and_resend(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    png = make_png(6, 5)
    message = await bot.send_photo(user.chat_id, png, caption="<i>progress</i>", parse_mode="HTML")
    size = message.photo[-1]
    assert (size.width, size.height, size.file_size) == (6, 5, len(png))
    assert message.caption == "progress"
    assert message.caption_entities == (MessageEntity(MessageEntity.ITALIC, 0, 8),)
    file = await bot.get_file(size.file_id)
    assert file.file_path is not None and file.file_path.startswith(emu.base_file_url)
    assert bytes(await file.download_as_bytearray()) == png

    again = await bot.send_photo(user.chat_id, size.file_id)
    assert again.photo[-1].file_unique_id == size.file_unique_id
    sent = emu.messages(user.chat_id)
    assert [(m.kind, m.file, m.caption) for m in sent] == [("photo", png, "progress"), ("photo", png, None)]

    with pytest.raises(BadRequest, match="Image_process_failed"):
        await bot.send_photo(user.chat_id, b"definitely not an image")
    with pytest.raises(BadRequest, match="Wrong file identifier"):
        await bot.send_photo(user.chat_id, "AgACAgIAAxkBAAunknown")
    with pytest.raises(BadRequest, match="Can't use file of type photo as document"):
        await bot.send_document(user.chat_id, size.file_id)
    with pytest.raises(BadRequest) as caught:
        await bot.send_photo(user.chat_id, png, caption="c" * 1025)
    assert caught.value.message == ptb_message(ERR_CAPTION_TOO_LONG)


async def test_documents_both_ways(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    message = await bot.send_document(
        user.chat_id, b"date,kg\n2024-01-01,80\n", filename="log.csv", caption="export"
    )
    assert message.document is not None
    assert message.document.file_name == "log.csv"
    assert message.document.mime_type == "text/csv"
    file = await message.document.get_file()
    assert bytes(await file.download_as_bytearray()) == b"date,kg\n2024-01-01,80\n"
    [sent] = emu.messages(user.chat_id)
    assert (sent.kind, sent.file_name, sent.caption, sent.file) == (
        "document",
        "log.csv",
        "export",
        file_bytes := sent.file,
    )
    assert file_bytes == b"date,kg\n2024-01-01,80\n"

    update = emu.inject_document(user.user_id, "plan.yaml", b"days: 3\n", caption="my plan")
    document = update["message"]["document"]
    assert document["file_name"] == "plan.yaml"
    assert update["message"]["caption"] == "my plan"
    incoming = await bot.get_file(document["file_id"])
    assert bytes(await incoming.download_as_bytearray()) == b"days: 3\n"

    photo_update = emu.inject_photo(user.user_id, make_png(3, 2))
    [photo] = photo_update["message"]["photo"]
    assert (photo["width"], photo["height"]) == (3, 2)
    assert bytes(await (await bot.get_file(photo["file_id"])).download_as_bytearray()) == make_png(3, 2)

    with pytest.raises(BadRequest, match="Wrong file_id"):
        await bot.get_file("nope")
    with pytest.raises(BadRequest, match="File must be non-empty"):
        await bot.send_document(user.chat_id, b"", filename="empty.txt")
    url = f"{emu.base_file_url}{bot.token}/documents/missing.txt"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 404


# --------------------------------------------------------------------------------------------------------
# callback queries
# --------------------------------------------------------------------------------------------------------


async def test_callback_queries(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    user = emu.add_user()
    message = await bot.send_message(user.chat_id, "pick", reply_markup=KEYBOARD)
    update = emu.inject_callback(user.user_id, message.message_id, "two")
    query = update["callback_query"]
    assert query["data"] == "two"
    assert query["from"]["id"] == user.user_id
    assert query["message"]["reply_markup"] == KEYBOARD.to_dict()
    assert query["chat_instance"]
    assert emu.unanswered_callback_queries() == [query["id"]]

    assert await bot.answer_callback_query(query["id"], text="Saved", show_alert=True)
    [answer] = emu.callback_answers(user.user_id)
    assert (answer.text, answer.show_alert, answer.data, answer.message_id) == (
        "Saved",
        True,
        "two",
        message.message_id,
    )
    assert emu.unanswered_callback_queries() == []
    for query_id in (query["id"], "123456789"):
        with pytest.raises(BadRequest) as caught:
            await bot.answer_callback_query(query_id)
        assert caught.value.message == ptb_message(ERR_QUERY_TOO_OLD)

    forged = emu.inject_callback(user.user_id, message.message_id, "not-on-the-keyboard")["callback_query"]
    with pytest.raises(BadRequest, match="Message_too_long"):
        await bot.answer_callback_query(forged["id"], text="x" * 201)
    assert await bot.answer_callback_query(forged["id"], text="x" * 200)

    late = emu.inject_callback(user.user_id, message.message_id, "one")["callback_query"]
    clock.advance(16)
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query(late["id"])

    with pytest.raises(KeyError):
        emu.inject_callback(user.user_id, 999, "one")


# --------------------------------------------------------------------------------------------------------
# commands and bot settings
# --------------------------------------------------------------------------------------------------------


async def test_set_my_commands_scopes(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    group = emu.add_group("Gym")
    assert await bot.set_my_commands([("start", "Start"), ("/help", "Help")])
    assert [(c.command, c.description) for c in await bot.get_my_commands()] == [
        ("start", "Start"),
        ("help", "Help"),
    ]
    await bot.set_my_commands(
        [BotCommand("stats", "Statistik")], scope=BotCommandScopeAllPrivateChats(), language_code="de"
    )
    await bot.set_my_commands([BotCommand("group", "Group")], scope=BotCommandScopeAllGroupChats())
    await bot.set_my_commands([BotCommand("mine", "Mine")], scope=BotCommandScopeChat(user.chat_id))
    assert [
        c.command
        for c in await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="de")
    ] == ["stats"]
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == ()
    assert emu.commands({"type": "all_group_chats"}) == [{"command": "group", "description": "Group"}]
    assert [c["command"] for c in emu.visible_commands(user.chat_id)] == ["mine"]
    assert [c["command"] for c in emu.visible_commands(group)] == ["group"]
    other = emu.add_user()
    assert [c["command"] for c in emu.visible_commands(other.chat_id, "de")] == ["stats"]
    assert [c["command"] for c in emu.visible_commands(other.chat_id, "fr")] == ["start", "help"]
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.set_my_commands([("x", "y")], scope=BotCommandScopeChat(5))
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


@pytest.mark.parametrize(
    ("commands", "error"),
    [
        ([("Start", "Start")], "Bot_command_invalid"),
        ([("a" * 33, "too long")], "Bot_command_invalid"),
        ([("log-set", "dash")], "Bot_command_invalid"),
        ([("", "empty")], "Command must be non-empty"),
        ([("start", "")], "Command description must be non-empty"),
        ([("start", "d" * 257)], "Bot_command_description_invalid"),
        ([(f"c{i}", "d") for i in range(101)], "Bot_commands_too_much"),
    ],
)
async def test_set_my_commands_validation(
    emu: BotApiEmulator, bot: Bot, commands: list[tuple[str, str]], error: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.set_my_commands(commands)
    assert caught.value.message == error
    assert emu.commands() == []


async def test_bot_settings_and_chat_info(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user(first_name="Ann", last_name="Lee", username="ann")
    group = emu.add_group("Gym crew")
    assert await bot.set_my_description("Log your workouts")
    assert await bot.set_my_short_description("Workout log", language_code="en")
    assert (await bot.get_my_description()).description == "Log your workouts"
    assert (await bot.get_my_short_description(language_code="en")).short_description == "Workout log"
    assert emu.bot_description() == "Log your workouts"
    assert emu.bot_short_description("en") == "Workout log"

    assert await bot.get_chat_menu_button() == MenuButtonCommands()
    assert await bot.get_chat_menu_button(user.chat_id) == MenuButtonDefault()
    assert await bot.set_chat_menu_button(user.chat_id, MenuButtonCommands())
    assert await bot.get_chat_menu_button(user.chat_id) == MenuButtonCommands()

    assert await bot.send_chat_action(user.chat_id, ChatAction.TYPING)
    assert emu.chat_actions(user.chat_id) == ["typing"]
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await bot.send_chat_action(user.chat_id, "dancing")

    private = await bot.get_chat(user.chat_id)
    assert (private.type, private.first_name, private.last_name, private.username) == (
        "private",
        "Ann",
        "Lee",
        "ann",
    )
    group_info = await bot.get_chat(group)
    assert (group_info.id, group_info.type, group_info.title) == (group, "group", "Gym crew")
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.get_chat(-1)
    assert await bot.log_out()
    assert await bot.close()


# --------------------------------------------------------------------------------------------------------
# getUpdates
# --------------------------------------------------------------------------------------------------------


async def test_get_updates_offset_limit_and_negative_offset(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    ids = [emu.inject_message(user.user_id, f"m{i}")["update_id"] for i in range(4)]
    assert ids == sorted(ids)
    first = await bot.get_updates(timeout=0)
    assert [u.update_id for u in first] == ids
    assert [u.message.text for u in first if u.message] == ["m0", "m1", "m2", "m3"]
    assert [u.update_id for u in await bot.get_updates()] == ids  # nothing confirmed yet
    assert [u.update_id for u in await bot.get_updates(offset=ids[1], limit=2)] == ids[1:3]
    assert [u["update_id"] for u in emu.pending_updates()] == ids[1:]
    assert [u.update_id for u in await bot.get_updates(offset=-1)] == ids[-1:]
    assert [u["update_id"] for u in emu.pending_updates()] == ids[-1:]
    assert await bot.get_updates(offset=ids[-1] + 1) == ()
    assert emu.pending_updates() == []
    # limit is clamped to 1..100
    more = [emu.inject_message(user.user_id, "x")["update_id"] for _ in range(3)]
    assert [u.update_id for u in await bot.get_updates(limit=0)] == more[:1]


async def test_long_poll_returns_as_soon_as_an_update_arrives(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    loop = asyncio.get_running_loop()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await emu.wait_for(lambda e: e.is_polling)
    started = loop.time()
    update_id = emu.inject_message(user.user_id, "now")["update_id"]
    updates = await asyncio.wait_for(poll, 5)
    assert loop.time() - started < 1.0
    assert [u.update_id for u in updates] == [update_id]


async def test_long_poll_times_out_empty(emu: BotApiEmulator, bot: Bot) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 <= loop.time() - started < 3


async def test_allowed_updates_filter(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    message = await bot.send_message(user.chat_id, "pick", reply_markup=KEYBOARD)
    assert await bot.get_updates(allowed_updates=["callback_query"]) == ()
    dropped = emu.inject_message(user.user_id, "ignored")["update_id"]
    kept = emu.inject_callback(user.user_id, message.message_id, "one")["update_id"]
    assert [u.update_id for u in await bot.get_updates()] == [kept]
    await emu.wait_processed(dropped, timeout=0.1)  # filtered updates count as done
    assert await bot.get_updates(offset=kept + 1, allowed_updates=[]) == ()
    again = emu.inject_message(user.user_id, "seen")["update_id"]
    assert [u.update_id for u in await bot.get_updates()] == [again]


async def test_two_pollers_conflict(emu: BotApiEmulator, bot: Bot, token: str) -> None:
    user = emu.add_user()
    first = asyncio.create_task(bot.get_updates(timeout=20))
    await emu.wait_for(lambda e: e.is_polling)
    async with Bot(token, base_url=emu.base_url, base_file_url=emu.base_file_url) as other:
        with pytest.raises(Conflict) as caught:
            await asyncio.gather(first, other.get_updates(timeout=0))
        assert caught.value.message == ERR_CONFLICT_POLL
        update_id = emu.inject_message(user.user_id, "still here")["update_id"]
        assert [u.update_id for u in await other.get_updates(timeout=1)] == [update_id]


async def test_get_updates_conflicts_with_a_webhook(emu: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await emu.wait_for(lambda e: e.is_polling)
    assert await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(Conflict) as caught:
        await poll
    assert caught.value.message == ERR_CONFLICT_WEBHOOK
    with pytest.raises(Conflict, match="while webhook is active"):
        await bot.get_updates()
    assert await bot.delete_webhook()
    assert await bot.get_updates() == ()


# --------------------------------------------------------------------------------------------------------
# flood control
# --------------------------------------------------------------------------------------------------------


@pytest.fixture
def ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta retry_after (avoids its deprecation warning)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.mark.usefixtures("ptb_timedelta")
async def test_rate_limit_per_private_chat(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    emu.rate_limit = True
    user = emu.add_user()
    for i in range(3):
        await bot.send_message(user.chat_id, f"burst {i}")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(user.chat_id, "one too many")
    assert retry_seconds(caught.value) == 1
    assert emu.stats.too_many_requests == 1
    # edits count too, other methods do not
    with pytest.raises(RetryAfter):
        await bot.edit_message_text("edited", user.chat_id, 1)
    for _ in range(10):
        await bot.get_me()
    clock.advance(1.0)
    await bot.send_message(user.chat_id, "after waiting")
    assert [m.text for m in emu.messages(user.chat_id)][-1] == "after waiting"
    emu.rate_limit = False
    for i in range(10):
        await bot.send_message(user.chat_id, f"unlimited {i}")
    assert emu.stats.too_many_requests == 2


@pytest.mark.usefixtures("ptb_timedelta")
async def test_rate_limit_global_and_group(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    emu.rate_limit = True
    users = [emu.add_user() for _ in range(31)]
    for user in users[:30]:
        await bot.send_message(user.chat_id, "broadcast")
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(users[30].chat_id, "broadcast")
    assert retry_seconds(caught.value) == 1

    clock.advance(5)
    group = emu.add_group("Gym")
    for _ in range(20):
        await bot.send_message(group, "spam")
        clock.advance(0.5)
    with pytest.raises(RetryAfter) as group_error:
        await bot.send_message(group, "spam")
    assert retry_seconds(group_error.value) == 50  # the first of the 20 leaves the 60 s window in 50 s
    assert emu.stats.too_many_requests == 2


async def test_no_429_under_the_limits(emu: BotApiEmulator, bot: Bot, clock: FakeClock) -> None:
    emu.rate_limit = True
    users = [emu.add_user() for _ in range(20)]
    for _second in range(10):
        for user in users:
            await bot.send_message(user.chat_id, "tick")
        clock.advance(1.0)
    assert emu.stats.too_many_requests == 0
    assert emu.stats.requests["sendMessage"] == 200


# --------------------------------------------------------------------------------------------------------
# waiting helpers
# --------------------------------------------------------------------------------------------------------


async def test_versions_wait_for_and_processing_marks(emu: BotApiEmulator, bot: Bot) -> None:
    user = emu.add_user()
    assert emu.version(user.chat_id) == 0
    waiter = asyncio.create_task(
        emu.wait_for(lambda e: any(m.text == "done" for m in e.messages(user.chat_id)))
    )
    await bot.send_message(user.chat_id, "working")
    assert not waiter.done()
    await bot.send_message(user.chat_id, "done")
    await asyncio.wait_for(waiter, 5)
    assert emu.version(user.chat_id) == 2
    assert [m.text for m in emu.changes_since(user.chat_id, 1)] == ["done"]

    with pytest.raises(TimeoutError):
        await emu.wait_for(lambda e: False, timeout=0.05)
    update_id = emu.inject_message(user.user_id, "hi")["update_id"]
    with pytest.raises(TimeoutError, match=f"update {update_id}"):
        await emu.wait_processed(update_id, timeout=0.05)
    later = asyncio.create_task(emu.wait_processed(update_id))
    emu.mark_processed(update_id)
    await asyncio.wait_for(later, 5)
    assert emu.is_processed(update_id)
