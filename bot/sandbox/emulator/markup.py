"""Reply markup validation: inline keyboards, reply keyboards, remove_keyboard, force_reply."""

from __future__ import annotations

from typing import Any, Final

from bot.sandbox.emulator.entities import _check_link, _link_user_id
from bot.sandbox.emulator.errors import (
    ERR_BUTTON_DATA,
    ERR_TEXT_BUTTONS,
    JSONDict,
    TelegramApiError,
    _bad_request,
)
from bot.sandbox.emulator.limits import MAX_CALLBACK_DATA_BYTES

_INLINE_BUTTON_ACTIONS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def _validate_inline_button(button: Any) -> JSONDict:
    if not isinstance(button, dict):
        raise _bad_request("can't parse inline keyboard button: Object expected as InlineKeyboardButton")
    text = button.get("text")
    if not isinstance(text, str):
        raise _bad_request('can\'t parse inline keyboard button: Field "text" must be of type String')
    actions = [name for name in _INLINE_BUTTON_ACTIONS if button.get(name) is not None]
    if not actions or not text:
        raise TelegramApiError(400, ERR_TEXT_BUTTONS)
    if "callback_data" in actions:
        data = button["callback_data"]
        if not isinstance(data, str):
            raise _bad_request(
                'can\'t parse inline keyboard button: Field "callback_data" must be of type String'
            )
        if not data or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise TelegramApiError(400, ERR_BUTTON_DATA)
    if "web_app" in actions:  # a Mini App: an object with an HTTPS url (Telegram refuses http)
        web_app = button["web_app"]
        url = web_app.get("url") if isinstance(web_app, dict) else None
        if not isinstance(url, str) or not url.startswith("https://"):
            raise _bad_request(
                f"inline keyboard button Web App URL '{url}' is invalid: Only HTTPS links are allowed"
            )
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or (_check_link(url) is None and _link_user_id(url) is None):
            raise _bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return dict(button)


def _validate_reply_markup(raw: Any, *, inline_only: bool = False) -> JSONDict | None:
    """Validate a reply_markup object like Telegram does; returns a normalized copy, or None for no markup.

    Every button is validated, then empty rows are dropped (tdlib's ``get_reply_markup``): a keyboard left
    without rows is no keyboard, and so is an object with none of the known fields (``{}``, which is what
    python-telegram-bot sends for ``InlineKeyboardMarkup([])``). The message is then sent without markup
    and an edit removes the inline keyboard - Telegram answers OK, it does not reject it.
    """
    if not isinstance(raw, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = raw["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'can\'t parse inline keyboard markup: Field "inline_keyboard" must be of type Array'
            )
        inline = [[_validate_inline_button(button) for button in row] for row in rows]
        if any(inline):
            return {"inline_keyboard": [row for row in inline if row]}
    if "keyboard" in raw:
        rows = raw["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request('can\'t parse keyboard: Field "keyboard" must be of type Array')
        keyboard: list[list[JSONDict]] = []
        for row in rows:
            new_row: list[JSONDict] = []
            for button in row:
                normalized = {"text": button} if isinstance(button, str) else button
                if not isinstance(normalized, dict) or not isinstance(normalized.get("text"), str):
                    raise _bad_request('can\'t parse keyboard button: Field "text" must be of type String')
                if not normalized["text"]:
                    raise _bad_request("can't parse keyboard button: Text must be non-empty")
                new_row.append(dict(normalized))
            if new_row:
                keyboard.append(new_row)
        if keyboard:
            if inline_only:
                raise _bad_request("inline keyboard expected")
            return {**raw, "keyboard": keyboard}
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        if inline_only:
            raise _bad_request("inline keyboard expected")
        return dict(raw)
    return None
