"""Making text fit: user input echoed in a reply is cut to a sensible length, and no message exceeds
Telegram's limits (4096 characters of text, 1024 of a caption, 200 of a callback answer; TELEGRAM.md).

`echo` is for every piece of user input shown back (a search, a name, a command's argument): cut to
`limit` characters with an ellipsis, then HTML-escaped. `clip` cuts plain text. `fit_message` cuts a
whole HTML message built from many parts: at a line break, never inside a tag or an entity, closing the
tags left open. `fit_request` is the last line of defence: every outgoing Bot API request passes through
it (bot.ratelimit), so a text, caption or callback answer that is still too long is cut (and logged)
instead of failing with "message is too long".
"""

from __future__ import annotations

import html
import logging
import re
from typing import Any, Final

from bot.services.text_hygiene import shorten

MESSAGE_LIMIT: Final = 4096
CAPTION_LIMIT: Final = 1024
ANSWER_LIMIT: Final = 200
ECHO_LIMIT: Final = 40
ELLIPSIS: Final = "…"

log = logging.getLogger(__name__)

# Bot API method -> (the parameter holding text, its limit)
LIMITED_TEXT: Final[dict[str, tuple[str, int]]] = {
    "sendMessage": ("text", MESSAGE_LIMIT),
    "editMessageText": ("text", MESSAGE_LIMIT),
    "answerCallbackQuery": ("text", ANSWER_LIMIT),
    **dict.fromkeys(
        (
            "sendPhoto",
            "sendDocument",
            "sendVideo",
            "sendAudio",
            "sendAnimation",
            "sendVoice",
            "copyMessage",
            "editMessageCaption",
        ),
        ("caption", CAPTION_LIMIT),
    ),
}

_TAG = re.compile(r"<(/?)([a-z-]+)[^>]*>", re.IGNORECASE)
_TOKEN = re.compile(r"<[^>]*>|&[#\w]+;|.", re.DOTALL)
_VOID: Final = frozenset({"br"})


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """`text` with at most `limit` characters: cut with an ellipsis when longer (whitespace collapsed
    at the cut)."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def echo(text: str, limit: int = ECHO_LIMIT) -> str:
    """User input to show back in an HTML message: one line, at most `limit` characters, escaped."""
    return html.escape(shorten(text, limit), quote=False)


def visible_length(markup: str) -> int:
    """The length Telegram counts for an HTML message: tags removed, entities one character each."""
    return len(html.unescape(_TAG.sub("", markup)))


def fit_message(markup: str, limit: int = MESSAGE_LIMIT) -> str:
    """An HTML message cut to at most `limit` visible characters (see the module doc)."""
    if visible_length(markup) <= limit:
        return markup
    budget = limit - 2  # room for a line break and the ellipsis
    out: list[str] = []
    open_tags: list[str] = []
    used = 0
    last_break: tuple[int, list[str]] | None = None  # (len(out), open tags) at the last line break
    for token in _TOKEN.finditer(markup):
        tag = _TAG.fullmatch(token.group(0))
        if tag is not None:
            name = tag.group(2).lower()
            if tag.group(1):
                if name in open_tags:
                    del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name)]
            elif name not in _VOID:
                open_tags.append(name)
            out.append(token.group(0))
            continue
        if used >= budget:
            break
        if token.group(0) == "\n":
            last_break = (len(out), list(open_tags))
        out.append(token.group(0))
        used += 1
    if last_break is not None and last_break[0] >= len(out) // 2:
        out, open_tags = out[: last_break[0]], last_break[1]
    closing = "".join(f"</{name}>" for name in reversed(open_tags))
    return "".join(out).rstrip() + closing + "\n" + ELLIPSIS


def fit_request(endpoint: str, data: dict[str, Any]) -> None:
    """Cut, in place, the text or caption of an outgoing request that exceeds its limit (HTML-aware when
    the request is parsed as HTML); other requests are left alone."""
    field, limit = LIMITED_TEXT.get(endpoint, ("", 0))
    text = data.get(field) if field else None
    if not isinstance(text, str) or len(text) <= limit:
        return  # visible length <= raw length: a short enough raw text always fits
    html_mode = str(data.get("parse_mode") or "").upper() == "HTML" and endpoint != "answerCallbackQuery"
    fitted = fit_message(text, limit) if html_mode else clip(text, limit)
    if fitted != text:
        log.warning("%s: %s cut from %d to %d characters", endpoint, field, len(text), len(fitted))
        data[field] = fitted


__all__ = [
    "ANSWER_LIMIT",
    "CAPTION_LIMIT",
    "ECHO_LIMIT",
    "MESSAGE_LIMIT",
    "clip",
    "echo",
    "fit_message",
    "fit_request",
    "visible_length",
]
