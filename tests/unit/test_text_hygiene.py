"""clean_text and the update cleaner: what is removed, what is kept, and entities moved with the text."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update, User

from bot.handlers.hygiene import clean_update
from bot.services.text_hygiene import clean_text, clean_with_positions


def test_clean_text_keeps_tab_newline_and_unicode() -> None:
    assert clean_text("a\x00b\x07c\x1b[0m\x7f\x85d") == "abc[0md"
    assert clean_text("tab\tnew\nline\r\n") == "tab\tnew\nline\n"
    kept = "emoji 🦵 rtl \u202eabc\u202c zwj 👩\u200d💻 ünïcödé"
    assert clean_text(kept) == kept
    assert clean_text("lone \ud800 surrogate") == "lone  surrogate"


def test_positions_count_utf16_units() -> None:
    text, positions = clean_with_positions("🦵\x00x")
    assert text == "🦵x"
    assert positions == [0, 0, 2, 2, 3]  # the emoji is two UTF-16 units; the NUL maps to the x after it


def test_update_strings_are_cleaned_and_entities_follow() -> None:
    person = User(1, "Eve\x00", False, last_name="N\x07ull", username="eve")
    message = Message(
        7,
        datetime(2026, 3, 2, tzinfo=UTC),
        Chat(1, "private"),
        from_user=person,
        text="/prog\x00ress 🦵\x00 bold",
        entities=(
            MessageEntity("bot_command", 0, 10),
            MessageEntity("bold", 15, 4),
            MessageEntity("code", 13, 1),
        ),
    )
    query = CallbackQuery("q", person, "instance", message=message, data="me:\x00m")
    update = Update(1, callback_query=query)
    clean_update(update)
    assert message.text == "/progress 🦵 bold"
    assert [(e.type, e.offset, e.length) for e in message.entities] == [
        ("bot_command", 0, 9),
        ("bold", 13, 4),
    ]
    assert message.parse_entity(message.entities[1]) == "bold"
    assert (person.first_name, person.last_name, query.data) == ("Eve", "Null", "me:m")
    # nothing to clean: the same objects, unchanged
    plain = Message(8, datetime(2026, 3, 2, tzinfo=UTC), Chat(1, "private"), text="hello")
    clean_update(Update(2, message=plain))
    assert plain.text == "hello"
