"""An in-process emulator of the Telegram Bot API, good enough to run the bot against without Telegram.

The emulator is an aiohttp web server that answers the Bot API the way ``api.telegram.org`` does, for the
subset of methods the bot uses, with Telegram's result shapes, Telegram's error codes and descriptions (so
python-telegram-bot raises the same exceptions as in production), optional flood control, long polling and
webhook delivery. On the other side it offers a "user side": tests inject what users do (messages, button
presses, uploads) and read back what the bot sent, waiting on a change feed instead of sleeping.

Only one bot world is emulated: every well-formed token addresses the same users, chats, messages and
pending updates (``getMe`` reports the id found in the token).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import inspect
import itertools
import json
import logging
import math
import mimetypes
import re
import secrets
import struct
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, Literal
from urllib.parse import parse_qs, urlsplit

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from bot.sandbox.client import SandboxUser

__all__ = [
    "BotApiEmulator",
    "CallbackAnswer",
    "EmulatorStats",
    "EntityParseError",
    "ParsedText",
    "RateLimits",
    "SentMessage",
    "TelegramApiError",
    "format_text",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]

_LOGGER = logging.getLogger(__name__)

JSONDict = dict[str, Any]

MAX_MESSAGE_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_COMMANDS: Final = 100
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024

_TOKEN_RE: Final = re.compile(r"^(\d+):[A-Za-z0-9_-]{20,}$")
_COMMAND_RE: Final = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET_TOKEN_RE: Final = re.compile(r"^[A-Za-z0-9_-]*$")
_LEADING_COMMAND_RE: Final = re.compile(r"^/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,64})?(?=\s|$)")

# Telegram's descriptions, kept in one place so tests can refer to them.
ERR_TEXT_EMPTY: Final = "Bad Request: message text is empty"
ERR_TEXT_TOO_LONG: Final = "Bad Request: message is too long"
ERR_CAPTION_TOO_LONG: Final = "Bad Request: message caption is too long"
ERR_BUTTON_DATA: Final = "Bad Request: BUTTON_DATA_INVALID"
ERR_TEXT_BUTTONS: Final = (
    "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
)
ERR_NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
ERR_EDIT_NOT_FOUND: Final = "Bad Request: message to edit not found"
ERR_DELETE_NOT_FOUND: Final = "Bad Request: message to delete not found"
ERR_CHAT_NOT_FOUND: Final = "Bad Request: chat not found"
ERR_BLOCKED: Final = "Forbidden: bot was blocked by the user"
ERR_QUERY_TOO_OLD: Final = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ERR_CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
ERR_CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
    "webhook first"
)
ERR_PARSE_ENTITIES: Final = "Bad Request: can't parse entities: "


def _now_ts() -> int:
    return int(datetime.now(UTC).timestamp())


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram uses for lengths and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


class TelegramApiError(Exception):
    """An error answer of the Bot API: HTTP status ``error_code`` with Telegram's ``description``."""

    def __init__(self, error_code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> JSONDict:
        """The JSON body Telegram answers with."""
        body: JSONDict = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(text: str) -> TelegramApiError:
    return TelegramApiError(400, text if text.startswith("Bad Request: ") else f"Bad Request: {text}")


# ---------------------------------------------------------------------------------------------------------
# Formatted text: Telegram's HTML, MarkdownV2 and Markdown parsers (ported from tdlib's behaviour).
# They work on UTF-8 bytes because Telegram's error messages give byte offsets; entity offsets and lengths
# are counted in UTF-16 code units.
# ---------------------------------------------------------------------------------------------------------


class EntityParseError(ValueError):
    """Formatted text that Telegram refuses ("can't parse entities: ...")."""


@dataclass(frozen=True)
class ParsedText:
    """Plain text and the MessageEntity dicts (offsets/lengths in UTF-16 units) of a formatted text."""

    text: str
    entities: list[JSONDict]


_SPACES: Final = frozenset(b" \t\r\n\0\v\f")
_HTML_TAGS: Final = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_HTML_ENTITY_TYPES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_NAMED_HTML_ENTITIES: Final = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_LINK_SCHEMES: Final = frozenset({"http", "https", "tg", "ton", "tonsite"})
_DOMAIN_RE: Final = re.compile(r"^(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,63}(?::\d{1,5})?(?:[/?#].*)?$")


class _Bytes:
    """UTF-8 bytes with tdlib's convention that reading past the end yields NUL."""

    __slots__ = ("data", "size")

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8")
        self.size = len(self.data)

    def __getitem__(self, index: int) -> int:
        return self.data[index] if index < self.size else 0


def _utf16_units_of_byte(byte: int) -> int:
    """UTF-16 units contributed by a UTF-8 byte: counted once, on the first byte of each character."""
    if byte & 0xC0 == 0x80:
        return 0
    return 2 if byte >= 0xF0 else 1


def _decode_html_entity(text: _Bytes, pos: int) -> tuple[int, int] | None:
    """Decode ``&lt;``, ``&#123;``, ``&#x1F600;`` ... at ``pos``: (code point, position after it) or None."""
    if text[pos] != ord("&"):
        return None
    end = pos + 1
    code = 0
    if text[end] == ord("#"):
        end += 1
        if text[end] == ord("x"):
            end += 1
            while chr(text[end]) in "0123456789abcdefABCDEF" and text[end] != 0:
                code = code * 16 + int(chr(text[end]), 16)
                end += 1
                if code >= 0x10FFFF:
                    return None
        else:
            while ord("0") <= text[end] <= ord("9"):
                code = code * 10 + text[end] - ord("0")
                end += 1
                if code >= 0x10FFFF:
                    return None
        if code == 0 or code >= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
    else:
        while chr(text[end]).isascii() and chr(text[end]).isalpha():
            end += 1
        named = _NAMED_HTML_ENTITIES.get(text.data[pos + 1 : end])
        if named is None:
            return None
        code = named
    if text[end] == ord(";"):
        end += 1
    return code, end


def _check_link(url: str) -> str | None:
    """Telegram's link check, simplified: the normalized URL of a text_link, or None when it is invalid."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    scheme, sep, rest = url.partition("://")
    if not sep:
        if not _DOMAIN_RE.match(url):
            return None
        scheme, rest, url = "http", url, "http://" + url
    scheme = scheme.lower()
    if scheme not in _LINK_SCHEMES or not rest:
        return None
    if scheme in ("http", "https"):
        host = re.split(r"[/?#]", rest, maxsplit=1)[0]
        if not host or not re.match(r"^[A-Za-z0-9.:\[\]@_-]+$", host):
            return None
        if "/" not in rest and "?" not in rest and "#" not in rest:
            url += "/"
    return url


def _link_user_id(url: str) -> int | None:
    """The user id of a ``tg://user?id=123`` link."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "tg" or parts.netloc.lower() != "user":
        return None
    ids = parse_qs(parts.query).get("id")
    if not ids or not ids[0].isdigit():
        return None
    return int(ids[0])


def _custom_emoji_id(url: str) -> str | None:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() != "tg" or parts.netloc.lower() != "emoji":
        return None
    ids = parse_qs(parts.query).get("id")
    if not ids or not ids[0].isdigit():
        return None
    return ids[0]


def _link_entity(
    offset: int, length: int, url: str, resolve_user: Callable[[int], JSONDict | None] | None
) -> JSONDict | None:
    user_id = _link_user_id(url)
    if user_id is not None:
        user = resolve_user(user_id) if resolve_user else None
        if user is None:
            return None
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    checked = _check_link(url)
    if checked is None:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": checked}


def _sorted_entities(entities: list[JSONDict]) -> list[JSONDict]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


@dataclass
class _OpenTag:
    name: str
    argument: str
    offset: int
    out_pos: int


def parse_html(text: str, *, resolve_user: Callable[[int], JSONDict | None] | None = None) -> ParsedText:
    """Parse Telegram-flavoured HTML like ``parse_mode="HTML"`` does.

    Supported: b/strong, i/em, u/ins, s/strike/del, tg-spoiler and span class="tg-spoiler", a href,
    code (class="language-x" inside pre), pre, blockquote (expandable), tg-emoji emoji-id; the entities
    &lt; &gt; &amp; &quot; and numeric ones. Raises EntityParseError with Telegram's wording.
    """
    src = _Bytes(text)
    out = bytearray()
    utf16 = 0
    entities: list[JSONDict] = []
    stack: list[_OpenTag] = []
    i = 0
    while i < src.size:
        c = src[i]
        if c == ord("&"):
            decoded = _decode_html_entity(src, i)
            if decoded is not None:
                code, i = decoded
                utf16 += 2 if code > 0xFFFF else 1
                out += chr(code).encode("utf-8")
                continue
        if c != ord("<"):
            out.append(c)
            utf16 += _utf16_units_of_byte(c)
            i += 1
            continue

        begin = i
        i += 1
        if src[i] != ord("/"):
            while src[i] not in _SPACES and src[i] != ord(">"):
                i += 1
            if src[i] == 0:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            tag = src.data[begin + 1 : i].decode("utf-8", "replace").lower()
            if tag not in _HTML_TAGS:
                raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
            argument = ""
            while src[i] != ord(">"):
                while src[i] != 0 and src[i] in _SPACES:
                    i += 1
                if src[i] == ord(">"):
                    break
                if src[i] == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                attribute_begin = i
                while src[i] not in _SPACES and src[i] not in (ord("="), ord(">")):
                    i += 1
                attribute = src.data[attribute_begin:i].decode("utf-8", "replace").lower()
                if not attribute:
                    raise EntityParseError(f'Empty attribute name in the tag "{tag}" at byte offset {begin}')
                while src[i] != 0 and src[i] in _SPACES:
                    i += 1
                if src[i] != ord("="):
                    if tag == "blockquote" and attribute == "expandable":
                        argument = "1"
                        continue
                    if src[i] == 0:
                        raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                    raise EntityParseError(
                        f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                        f"at byte offset {begin}"
                    )
                i += 1
                while src[i] != 0 and src[i] in _SPACES:
                    i += 1
                if src[i] == 0:
                    raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if src[i] not in (ord("'"), ord('"')):
                    token_begin = i
                    while chr(src[i]).isascii() and (chr(src[i]).isalnum() or src[i] in b".-"):
                        i += 1
                    value = src.data[token_begin:i].decode("utf-8", "replace").lower()
                    if src[i] not in _SPACES and src[i] != ord(">"):
                        raise EntityParseError(f"Unexpected end of name token at byte offset {token_begin}")
                else:
                    quote = src[i]
                    i += 1
                    raw_value = bytearray()
                    while src[i] != quote and src[i] != 0:
                        if src[i] == ord("&"):
                            decoded = _decode_html_entity(src, i)
                            if decoded is not None:
                                code, i = decoded
                                raw_value += chr(code).encode("utf-8")
                                continue
                        raw_value.append(src[i])
                        i += 1
                    if src[i] != quote:
                        raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
                    i += 1
                    value = raw_value.decode("utf-8", "replace")
                if tag == "a" and attribute == "href":
                    argument = value
                elif tag == "code" and attribute == "class" and value.startswith("language-"):
                    argument = value.removeprefix("language-")
                elif tag == "span" and attribute == "class" and value.startswith("tg-"):
                    argument = value.removeprefix("tg-")
                elif tag == "tg-emoji" and attribute == "emoji-id":
                    argument = value
                elif tag == "blockquote" and attribute == "expandable":
                    argument = "1"
            if tag == "span" and argument != "spoiler":
                raise EntityParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
            stack.append(_OpenTag(tag, argument, utf16, len(out)))
            i += 1  # the '>'
            continue

        # an end tag
        if not stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        while src[i] not in _SPACES and src[i] != ord(">"):
            i += 1
        end_name = src.data[begin + 2 : i].decode("utf-8", "replace").lower()
        while src[i] != 0 and src[i] in _SPACES:
            i += 1
        if src[i] != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        opened = stack[-1]
        if end_name and end_name != opened.name:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.name}>", '
                f'found "</{end_name}>"'
            )
        if utf16 > opened.offset:
            _close_html_entity(opened, utf16, out, entities, resolve_user)
        stack.pop()
        i += 1  # the '>'

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    return ParsedText(out.decode("utf-8", "replace"), _sorted_entities(_strip_code_languages(entities)))


def _close_html_entity(
    opened: _OpenTag,
    utf16: int,
    out: bytearray,
    entities: list[JSONDict],
    resolve_user: Callable[[int], JSONDict | None] | None,
) -> None:
    offset = opened.offset
    length = utf16 - offset
    simple = _SIMPLE_HTML_ENTITY_TYPES.get(opened.name)
    if simple is not None:
        entities.append({"type": simple, "offset": offset, "length": length})
    elif opened.name == "a":
        url = opened.argument or out[opened.out_pos :].decode("utf-8", "replace")
        entity = _link_entity(offset, length, url, resolve_user)
        if entity is not None:
            entities.append(entity)
    elif opened.name == "pre":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == offset
            and last["length"] == length
            and last.get("language")
        ):
            last["type"] = "pre"
        else:
            entities.append({"type": "pre", "offset": offset, "length": length})
    elif opened.name == "code":
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "pre"
            and last["offset"] == offset
            and last["length"] == length
            and opened.argument
        ):
            last["language"] = opened.argument
        elif opened.argument:
            # a code with a language; it becomes a pre if the enclosing pre closes right after it
            entities.append({"type": "code", "offset": offset, "length": length, "language": opened.argument})
        else:
            entities.append({"type": "code", "offset": offset, "length": length})
    elif opened.name == "tg-emoji":
        if opened.argument.isdigit():
            entities.append(
                {
                    "type": "custom_emoji",
                    "offset": offset,
                    "length": length,
                    "custom_emoji_id": opened.argument,
                }
            )
    elif opened.name == "blockquote":
        kind = "expandable_blockquote" if opened.argument else "blockquote"
        entities.append({"type": kind, "offset": offset, "length": length})


def _strip_code_languages(entities: list[JSONDict]) -> list[JSONDict]:
    """A code entity has no language in the Bot API (only a pre does)."""
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return entities


_MD2_RESERVED: Final = frozenset(b"_*[]()~`>#+-=|{}.!")
_MD2_NAMES: Final = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}


@dataclass
class _OpenMd:
    kind: str
    argument: str
    offset: int
    byte_offset: int
    out_pos: int


def _reserved(char: int) -> EntityParseError:
    return EntityParseError(
        f"Character '{chr(char)}' is reserved and must be escaped with the preceding '\\'"
    )


def _skip_pre_language_and_newline(src: _Bytes, i: int) -> tuple[int, str]:
    """After an opening ```: (position of the pre's content, language or "")."""
    language = ""
    language_end = i
    while src[language_end] not in _SPACES and src[language_end] != ord("`"):
        language_end += 1
    if i != language_end and language_end < src.size and src[language_end] != ord("`"):
        language = src.data[i:language_end].decode("utf-8", "replace")
        i = language_end
    if src[i] in (ord("\n"), ord("\r")):
        if src[i + 1] in (ord("\n"), ord("\r")) and src[i] != src[i + 1]:
            i += 2
        else:
            i += 1
    return i, language


def parse_markdown_v2(
    text: str, *, resolve_user: Callable[[int], JSONDict | None] | None = None
) -> ParsedText:
    """Parse ``parse_mode="MarkdownV2"`` text: *bold* _italic_ __underline__ ~strike~ ||spoiler||
    `code` ```pre``` [link](url) ![emoji](tg://emoji?id=...) and ">" blockquote lines; every other
    reserved character must be escaped with a backslash."""
    src = _Bytes(text)
    out = bytearray()
    utf16 = 0
    entities: list[JSONDict] = []
    stack: list[_OpenMd] = []
    quote_start: int | None = None
    i = 0
    while i < src.size:
        c = src[i]
        in_code = bool(stack) and stack[-1].kind in ("code", "pre")
        if not in_code and (i == 0 or src[i - 1] == ord("\n")):
            if c == ord(">"):
                if quote_start is None:
                    quote_start = utf16
                i += 1
                continue
            if quote_start is not None:
                if utf16 - 1 > quote_start:
                    entities.append(
                        {"type": "blockquote", "offset": quote_start, "length": utf16 - 1 - quote_start}
                    )
                quote_start = None
        if c == ord("\\") and 0 < src[i + 1] <= 126:
            out.append(src[i + 1])
            utf16 += 1
            i += 2
            continue
        reserved = frozenset(b"`") if in_code else _MD2_RESERVED
        if c not in reserved:
            out.append(c)
            utf16 += _utf16_units_of_byte(c)
            i += 1
            continue

        is_end = False
        if stack:
            kind = stack[-1].kind
            is_end = (
                (kind == "bold" and c == ord("*"))
                or (kind == "italic" and c == ord("_") and src[i + 1] != ord("_"))
                or (kind == "code" and c == ord("`"))
                or (kind == "pre" and c == ord("`") and src[i + 1] == ord("`") and src[i + 2] == ord("`"))
                or (kind in ("text_link", "custom_emoji") and c == ord("]"))
                or (kind == "underline" and c == ord("_") and src[i + 1] == ord("_"))
                or (kind == "strikethrough" and c == ord("~"))
                or (kind == "spoiler" and c == ord("|") and src[i + 1] == ord("|"))
            )

        if not is_end:
            begin = i
            argument = ""
            if c == ord("_"):
                if src[i + 1] == ord("_"):
                    kind, i = "underline", i + 2
                else:
                    kind, i = "italic", i + 1
            elif c == ord("*"):
                kind, i = "bold", i + 1
            elif c == ord("~"):
                kind, i = "strikethrough", i + 1
            elif c == ord("|"):
                if src[i + 1] != ord("|"):
                    raise _reserved(c)
                kind, i = "spoiler", i + 2
            elif c == ord("["):
                kind, i = "text_link", i + 1
            elif c == ord("`"):
                if src[i + 1] == ord("`") and src[i + 2] == ord("`"):
                    kind = "pre"
                    i, argument = _skip_pre_language_and_newline(src, i + 3)
                else:
                    kind, i = "code", i + 1
            elif c == ord("!") and src[i + 1] == ord("["):
                kind, i = "custom_emoji", i + 2
            else:
                raise _reserved(c)
            stack.append(_OpenMd(kind, argument, utf16, begin, len(out)))
            continue

        opened = stack.pop()
        kind = opened.kind
        skip = utf16 == opened.offset
        entity: JSONDict | None = {"type": kind, "offset": opened.offset, "length": utf16 - opened.offset}
        if kind in ("underline", "spoiler"):
            i += 2
        elif kind == "pre":
            i += 3
            if opened.argument and entity is not None:
                entity["language"] = opened.argument
        elif kind in ("text_link", "custom_emoji"):
            if src[i + 1] != ord("("):
                if kind == "custom_emoji":
                    raise EntityParseError("Custom emoji entity must contain a tg://emoji URL")
                url = out[opened.out_pos :].decode("utf-8", "replace")
                i += 1
            else:
                i += 2
                url_begin = i
                url_bytes = bytearray()
                while i < src.size and src[i] != ord(")"):
                    if src[i] == ord("\\") and 0 < src[i + 1] <= 126:
                        url_bytes.append(src[i + 1])
                        i += 2
                        continue
                    url_bytes.append(src[i])
                    i += 1
                if src[i] != ord(")"):
                    raise EntityParseError(f"Can't find end of a URL at byte offset {url_begin}")
                i += 1
                url = url_bytes.decode("utf-8", "replace")
            if kind == "custom_emoji":
                emoji_id = _custom_emoji_id(url)
                if emoji_id is None:
                    raise EntityParseError("Custom emoji URL must have an emoji identifier")
                entity = {
                    "type": kind,
                    "offset": opened.offset,
                    "length": utf16 - opened.offset,
                    "custom_emoji_id": emoji_id,
                }
            else:
                entity = _link_entity(opened.offset, utf16 - opened.offset, url, resolve_user)
        else:
            i += 1
        if not skip and entity is not None:
            entities.append(entity)

    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_MD2_NAMES[opened.kind]} entity at byte offset {opened.byte_offset}"
        )
    if quote_start is not None and utf16 > quote_start:
        entities.append({"type": "blockquote", "offset": quote_start, "length": utf16 - quote_start})
    return ParsedText(out.decode("utf-8", "replace"), _sorted_entities(entities))


def parse_markdown(text: str, *, resolve_user: Callable[[int], JSONDict | None] | None = None) -> ParsedText:
    """Parse legacy ``parse_mode="Markdown"``: *bold* _italic_ `code` ```pre``` [text](url)."""
    src = _Bytes(text)
    out = bytearray()
    utf16 = 0
    entities: list[JSONDict] = []
    i = 0
    while i < src.size:
        c = src[i]
        if c == ord("\\") and src[i + 1] in b"_*`[":
            out.append(src[i + 1])
            utf16 += 1
            i += 2
            continue
        if c not in b"_*`[":
            out.append(c)
            utf16 += _utf16_units_of_byte(c)
            i += 1
            continue
        begin = i
        end_char = ord("]") if c == ord("[") else c
        is_pre = False
        language = ""
        i += 1
        if c == ord("`") and src[i] == ord("`") and src[i + 1] == ord("`"):
            is_pre = True
            i, language = _skip_pre_language_and_newline(src, i + 2)
        offset = utf16
        content_pos = len(out)
        while i < src.size and (
            src[i] != end_char or (is_pre and not (src[i + 1] == ord("`") and src[i + 2] == ord("`")))
        ):
            out.append(src[i])
            utf16 += _utf16_units_of_byte(src[i])
            i += 1
        if i >= src.size:
            raise EntityParseError(f"Can't find end of the entity starting at byte offset {begin}")
        length = utf16 - offset
        url = ""
        if c == ord("["):
            if src[i + 1] != ord("("):
                url = out[content_pos:].decode("utf-8", "replace")
            else:
                i += 2
                url_bytes = bytearray()
                while i < src.size and src[i] != ord(")"):
                    url_bytes.append(src[i])
                    i += 1
                url = url_bytes.decode("utf-8", "replace")
        if length > 0:
            if c == ord("_"):
                entities.append({"type": "italic", "offset": offset, "length": length})
            elif c == ord("*"):
                entities.append({"type": "bold", "offset": offset, "length": length})
            elif c == ord("["):
                entity = _link_entity(offset, length, url, resolve_user)
                if entity is not None:
                    entities.append(entity)
            elif is_pre:
                pre: JSONDict = {"type": "pre", "offset": offset, "length": length}
                if language:
                    pre["language"] = language
                entities.append(pre)
            else:
                entities.append({"type": "code", "offset": offset, "length": length})
        i += 3 if is_pre else 1
    return ParsedText(out.decode("utf-8", "replace"), _sorted_entities(entities))


_TRIM_CHARS: Final = " \t\n\r\v\f"


def _trim(parsed: ParsedText) -> ParsedText:
    """Telegram strips leading and trailing whitespace; entities are shifted and clipped accordingly."""
    left = parsed.text.lstrip(_TRIM_CHARS)
    lead = utf16_len(parsed.text) - utf16_len(left)
    text = left.rstrip(_TRIM_CHARS)
    total = utf16_len(text)
    entities: list[JSONDict] = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(text, entities)


_ENTITY_TYPES: Final = frozenset(
    {
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "spoiler",
        "blockquote",
        "expandable_blockquote",
        "code",
        "pre",
        "text_link",
        "text_mention",
        "custom_emoji",
        "date_time",
    }
)


def _explicit_entities(text: str, raw: Any) -> ParsedText:
    if not isinstance(raw, list):
        raise _bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    entities: list[JSONDict] = []
    for item in raw:
        if not isinstance(item, dict):
            raise _bad_request("can't parse MessageEntity: Object expected as MessageEntity")
        kind, offset, length = item.get("type"), item.get("offset"), item.get("length")
        if not isinstance(kind, str) or not isinstance(offset, int) or not isinstance(length, int):
            raise _bad_request('can\'t parse MessageEntity: Field "type", "offset" and "length" required')
        if kind not in _ENTITY_TYPES:
            raise _bad_request(f'can\'t parse MessageEntity: Unsupported type "{kind}" specified')
        if offset < 0 or length <= 0 or offset >= total:
            continue
        entities.append({**item, "length": min(length, total - offset)})
    return ParsedText(text, _sorted_entities(entities))


def format_text(
    text: str,
    parse_mode: str | None = None,
    entities: Any = None,
    *,
    resolve_user: Callable[[int], JSONDict | None] | None = None,
) -> ParsedText:
    """What Telegram stores for ``text`` sent with ``parse_mode`` or explicit ``entities``: entities
    parsed out, whitespace trimmed. Raises TelegramApiError (400) like the Bot API."""
    if entities is not None:
        parsed = _explicit_entities(text, entities)
    elif parse_mode:
        mode = parse_mode.lower()
        parser = {"html": parse_html, "markdownv2": parse_markdown_v2, "markdown": parse_markdown}.get(mode)
        if parser is None:
            raise _bad_request("unsupported parse_mode")
        try:
            parsed = parser(text, resolve_user=resolve_user)
        except EntityParseError as exc:
            raise TelegramApiError(400, ERR_PARSE_ENTITIES + str(exc)) from None
    else:
        parsed = ParsedText(text, [])
    return _trim(parsed)


# ---------------------------------------------------------------------------------------------------------
# Reply markup validation
# ---------------------------------------------------------------------------------------------------------

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
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or (_check_link(url) is None and _link_user_id(url) is None):
            raise _bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    return dict(button)


def _validate_reply_markup(raw: Any, *, inline_only: bool = False) -> JSONDict:
    """Validate a reply_markup object like Telegram does; returns a normalized copy."""
    if not isinstance(raw, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in raw:
        rows = raw["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'can\'t parse inline keyboard markup: Field "inline_keyboard" must be of type Array'
            )
        return {"inline_keyboard": [[_validate_inline_button(button) for button in row] for row in rows]}
    if inline_only:
        raise _bad_request("inline keyboard expected")
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
            keyboard.append(new_row)
        return {**raw, "keyboard": keyboard}
    if raw.get("remove_keyboard") is True or raw.get("force_reply") is True:
        return dict(raw)
    raise _bad_request("can't parse reply keyboard markup JSON object")


# ---------------------------------------------------------------------------------------------------------
# Images: Telegram rejects a "photo" it cannot decode, so find the dimensions of common formats.
# ---------------------------------------------------------------------------------------------------------


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, JPEG, GIF, WebP or BMP image, or None if it is not one."""
    size: tuple[int, int] | None = None
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        size = (width, height)
    elif data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        size = (width, height)
    elif data.startswith(b"\xff\xd8"):
        size = _jpeg_size(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            size = (int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
        elif chunk == b"VP8 ":
            width, height = struct.unpack("<HH", data[26:30])
            size = (width & 0x3FFF, height & 0x3FFF)
        elif chunk == b"VP8L":
            bits = int.from_bytes(data[21:25], "little")
            size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    elif data[:2] == b"BM" and len(data) >= 26:
        width, height = struct.unpack("<ii", data[18:26])
        size = (width, abs(height))
    if size is None or size[0] <= 0 or size[1] <= 0:
        return None
    return size


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            i += 2
            continue
        (segment_length,) = struct.unpack(">H", data[i + 2 : i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + segment_length
    return None


# ---------------------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------------------


@dataclass
class SentMessage:
    """A message the bot sent, as the chat shows it (the objects handed out are snapshots).

    ``text`` is the plain text with the entities parsed out, ``html`` the raw text (or caption) exactly as
    the bot sent it, ``entities`` the MessageEntity dicts of the text (or of the caption).
    """

    message_id: int
    chat_id: int
    kind: Literal["text", "photo", "document"]
    text: str | None = None
    html: str | None = None
    entities: list[JSONDict] = field(default_factory=list)
    caption: str | None = None
    reply_markup: JSONDict | None = None
    file: bytes | None = None
    file_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    parse_mode: str | None = None
    reply_to_message_id: int | None = None
    link_preview_options: JSONDict | None = None
    disable_notification: bool = False
    protect_content: bool = False
    edited: bool = False
    deleted: bool = False
    date: datetime = field(default_factory=lambda: datetime.now(UTC))
    edit_date: datetime | None = None
    version: int = 0
    """The chat's version counter when this message last changed."""
    sender_id: int = 0
    """The bot id it was sent with."""

    @property
    def content(self) -> str:
        """The text, or the caption of a photo/document ("" when there is none)."""
        if self.text is not None:
            return self.text
        return self.caption or ""

    @property
    def inline_keyboard(self) -> list[list[JSONDict]]:
        """The rows of inline buttons (dicts as sent), empty when there is no inline keyboard."""
        if not self.reply_markup:
            return []
        rows: list[list[JSONDict]] = self.reply_markup.get("inline_keyboard") or []
        return rows

    @property
    def buttons(self) -> list[list[str]]:
        """The texts of the inline buttons, row by row."""
        return [[str(button.get("text", "")) for button in row] for row in self.inline_keyboard]

    def snapshot(self) -> SentMessage:
        """A copy that later edits will not change."""
        return dataclasses.replace(
            self,
            entities=copy.deepcopy(self.entities),
            reply_markup=copy.deepcopy(self.reply_markup),
        )


@dataclass(frozen=True)
class CallbackAnswer:
    """What the bot answered to a callback query (answerCallbackQuery)."""

    query_id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int


@dataclass
class EmulatorStats:
    """Request counters: per Bot API method, per error code, 429s answered and webhook deliveries."""

    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[int] = field(default_factory=Counter)
    too_many_requests: int = 0
    webhook_deliveries: int = 0
    webhook_failures: int = 0

    @property
    def total_requests(self) -> int:
        """All requests answered, successful or not."""
        return sum(self.requests.values())

    def reset(self) -> None:
        """Zero every counter."""
        self.requests.clear()
        self.errors.clear()
        self.too_many_requests = self.webhook_deliveries = self.webhook_failures = 0


@dataclass(frozen=True)
class RateLimits:
    """Flood-control thresholds, counted over sliding windows of message-sending/editing requests."""

    global_per_second: int = 30
    private_chat_per_second: int = 3
    group_chat_per_minute: int = 20


_RATE_LIMITED_METHODS: Final = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "editMessageText",
        "editMessageCaption",
        "editMessageReplyMarkup",
    }
)


class _RateLimiter:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._global: deque[float] = deque()
        self._chats: dict[int, deque[float]] = defaultdict(deque)

    @staticmethod
    def _wait(stamps: deque[float], limit: int, window: float, now: float) -> float | None:
        while stamps and stamps[0] <= now - window:
            stamps.popleft()
        if len(stamps) < limit:
            return None
        return stamps[len(stamps) - limit] + window - now

    def _windows(self, chat_id: int | None) -> list[tuple[deque[float], int, float]]:
        windows = [(self._global, self.limits.global_per_second, 1.0)]
        if chat_id is not None:
            if chat_id < 0:
                windows.append((self._chats[chat_id], self.limits.group_chat_per_minute, 60.0))
            else:
                windows.append((self._chats[chat_id], self.limits.private_chat_per_second, 1.0))
        return windows

    def check(self, chat_id: int | None, now: float) -> int | None:
        """Seconds to wait before this request is allowed, or None if it is allowed now."""
        waits = [self._wait(stamps, limit, window, now) for stamps, limit, window in self._windows(chat_id)]
        worst = max((wait for wait in waits if wait is not None), default=None)
        if worst is None:
            return None
        return max(1, math.ceil(worst))

    def record(self, chat_id: int | None, now: float) -> None:
        for stamps, _limit, _window in self._windows(chat_id):
            stamps.append(now)


class _Signal:
    """Wakes every waiter on notify_all(); waiters never poll. Notifying is synchronous, so it can be done
    from plain functions (injectors, mark_processed) as well as from request handlers."""

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify_all(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait(self, limit: float | None = None) -> bool:
        """Wait for the next notification; False after ``limit`` seconds without one."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.add(waiter)
        try:
            await asyncio.wait_for(waiter, limit)
        except TimeoutError:
            return False
        finally:
            self._waiters.discard(waiter)
        return True


@dataclass
class _User:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_dict(self) -> JSONDict:
        data: JSONDict = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data


@dataclass
class _Chat:
    id: int
    type: Literal["private", "group", "supergroup"]
    title: str | None = None
    username: str | None = None
    user: _User | None = None
    members: set[int] = field(default_factory=set)
    next_message_id: int = 1
    version: int = 0
    bot_messages: dict[int, SentMessage] = field(default_factory=dict)
    user_messages: dict[int, JSONDict] = field(default_factory=dict)
    deleted_user_messages: set[int] = field(default_factory=set)
    reply_keyboard: JSONDict | None = None
    actions: list[str] = field(default_factory=list)
    menu_button: JSONDict | None = None
    chat_instance: str = field(default_factory=lambda: str(secrets.randbits(62)))

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def to_dict(self) -> JSONDict:
        if self.user is not None:
            data = self.user.to_dict()
            data.pop("is_bot", None)
            data.pop("language_code", None)
            return {**data, "type": "private"}
        data = {"id": self.id, "type": self.type, "title": self.title or ""}
        if self.username:
            data["username"] = self.username
        return data


@dataclass
class _StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    kind: Literal["photo", "document"]
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def file_json(self) -> JSONDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def photo_sizes(self) -> list[JSONDict]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "file_size": len(self.data),
                "width": self.width,
                "height": self.height,
            }
        ]

    def document(self) -> JSONDict:
        data: JSONDict = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data


@dataclass
class _CallbackQuery:
    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str | None
    created_at: float
    answered: bool = False


@dataclass
class _PendingUpdate:
    update_id: int
    kind: str
    update: JSONDict
    chat_id: int | None


@dataclass
class _Upload:
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class _Described:
    """A method result with the "description" Telegram adds (setWebhook: "Webhook was set")."""

    value: Any
    description: str


@dataclass
class _Webhook:
    url: str
    secret_token: str | None
    max_connections: int
    ip_address: str | None
    has_custom_certificate: bool
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Poll:
    terminated: bool = False


class _Params:
    """Request parameters, from a JSON body (typed) or a form (strings, JSON-encoded for objects)."""

    def __init__(self, values: JSONDict, files: dict[str, _Upload]) -> None:
        self.values = values
        self.files = files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def has(self, name: str) -> bool:
        return self.values.get(name) is not None

    def get_str(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)
        return json.dumps(value)

    def get_int(self, name: str, default: int | None = None) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                return int(value.strip())
        raise _bad_request(f"invalid {name} specified")

    def get_bool(self, name: str, default: bool = False) -> bool:
        value = self.values.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1", "yes")
        return bool(value)

    def get_json(self, name: str, *, error: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if not value:
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise _bad_request(error) from None
        return value


@dataclass
class _Ctx:
    bot_id: int
    params: _Params


_DEFAULT_ALLOWED_UPDATES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_SCOPES_WITHOUT_CHAT: Final = frozenset(
    {"default", "all_private_chats", "all_group_chats", "all_chat_administrators"}
)

ScopeKey = tuple[Any, ...]


# ---------------------------------------------------------------------------------------------------------
# Webhook delivery
# ---------------------------------------------------------------------------------------------------------


class _WebhookDeliverer:
    """POSTs pending updates to the webhook: in order within a chat, at most max_connections at once,
    retrying failed deliveries with a short backoff."""

    def __init__(self, emulator: BotApiEmulator, webhook: _Webhook, session: aiohttp.ClientSession) -> None:
        self._emulator = emulator
        self._webhook = webhook
        self._session = session
        self._semaphore = asyncio.Semaphore(webhook.max_connections)
        self._queues: dict[Hashable, deque[_PendingUpdate]] = {}
        self._workers: dict[Hashable, asyncio.Task[None]] = {}
        self._dispatched: set[int] = set()
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    async def close(self) -> None:
        tasks = [self._task, *self._workers.values()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self) -> None:
        emulator = self._emulator
        while True:
            for pending in list(emulator._updates.values()):
                if pending.update_id in self._dispatched:
                    continue
                self._dispatched.add(pending.update_id)
                key: Hashable = (
                    pending.chat_id if pending.chat_id is not None else ("update", pending.update_id)
                )
                self._queues.setdefault(key, deque()).append(pending)
                worker = self._workers.get(key)
                if worker is None or worker.done():
                    self._workers[key] = asyncio.create_task(self._worker(key), name=f"webhook-{key}")
            await emulator._updates_signal.wait()

    async def _worker(self, key: Hashable) -> None:
        queue = self._queues[key]
        while queue:
            pending = queue[0]
            if pending.update_id in self._emulator._updates:
                async with self._semaphore:
                    await self._deliver(pending)
                self._emulator._discard_update(pending.update_id)
            queue.popleft()
        del self._queues[key]
        del self._workers[key]

    async def _deliver(self, pending: _PendingUpdate) -> bool:
        emulator = self._emulator
        webhook = self._webhook
        body = json.dumps(pending.update).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        delays = [0.0, *emulator.webhook_retry_delays]
        for delay in delays:
            if delay:
                await asyncio.sleep(delay)  # backoff between attempts, as Telegram does
            try:
                async with self._session.post(
                    webhook.url,
                    data=body,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=emulator.webhook_timeout),
                ) as response:
                    payload = await response.read()
                    if 200 <= response.status <= 299:
                        emulator.stats.webhook_deliveries += 1
                        await emulator._run_webhook_reply(response.content_type, payload)
                        return True
                    error = f"Wrong response from the webhook: {response.status} {response.reason}"
            except aiohttp.ClientConnectorError:
                error = "Connection refused"
            except TimeoutError:
                error = "Read timeout expired"
            except aiohttp.ClientError as exc:
                error = f"Connection error: {exc}"
            emulator.stats.webhook_failures += 1
            webhook.last_error_date = _now_ts()
            webhook.last_error_message = error
            emulator._feed.notify_all()
            _LOGGER.debug("webhook delivery of update %s failed: %s", pending.update_id, error)
        _LOGGER.warning("giving up delivering update %s to %s", pending.update_id, webhook.url)
        return False


# ---------------------------------------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------------------------------------

MethodHandler = Callable[[_Ctx], Any]


class BotApiEmulator:
    """A local Telegram Bot API server (aiohttp) with a user side for tests.

    Point python-telegram-bot at it with ``Bot(token, base_url=emu.base_url,
    base_file_url=emu.base_file_url)`` (any token from :meth:`make_token` works), drive users with
    :meth:`add_user` / :class:`~bot.sandbox.client.SandboxUser`, and read what the bot sent with
    :meth:`messages`, :meth:`callback_answers` and :meth:`wait_for`.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_username: str = "workout_test_bot",
        bot_first_name: str = "Workout Bot",
        rate_limit: bool = False,
        clock: Callable[[], float] = time.monotonic,
        rate_limits: RateLimits | None = None,
        callback_query_ttl: float | None = 15.0,
        webhook_retry_delays: Sequence[float] = (0.05, 0.1, 0.2, 0.4),
        webhook_timeout: float = 10.0,
    ) -> None:
        self.host = host
        self._requested_port = port
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit = rate_limit
        """Flood control on/off; may be switched at runtime."""
        self.rate_limits = rate_limits or RateLimits()
        self.callback_query_ttl = callback_query_ttl
        """Seconds (of ``clock``) after which a callback query can no longer be answered; None: never."""
        self.webhook_retry_delays: tuple[float, ...] = tuple(webhook_retry_delays)
        self.webhook_timeout = webhook_timeout
        self.track_processing = False
        """When True, SandboxUser waits for :meth:`mark_processed` instead of the first bot action."""
        self.stats = EmulatorStats()
        self.bot_id = 7_000_000_000 + secrets.randbelow(1_000_000_000)
        """The bot id of the tokens :meth:`make_token` returns."""

        self._clock = clock
        self._limiter = _RateLimiter(self.rate_limits)
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._session: aiohttp.ClientSession | None = None
        self._closing = False
        self._revoked_tokens: set[str] = set()

        self._users: dict[int, _User] = {}
        self._chats: dict[int, _Chat] = {}
        self._blocked: set[int] = set()
        self._files: dict[str, _StoredFile] = {}
        self._files_by_path: dict[str, _StoredFile] = {}
        self._file_counter = itertools.count(1)
        self._next_user_id = 100_000_001
        self._group_counter = itertools.count(1)

        self._updates: dict[int, _PendingUpdate] = {}
        self._next_update_id = 1
        self._updates_signal = _Signal()
        self._allowed_updates: frozenset[str] = _DEFAULT_ALLOWED_UPDATES
        self._active_poll: _Poll | None = None
        self._webhook: _Webhook | None = None
        self._deliverer: _WebhookDeliverer | None = None

        self._callback_queries: dict[str, _CallbackQuery] = {}
        self._callback_answers: dict[int, list[CallbackAnswer]] = defaultdict(list)
        self._commands: dict[tuple[ScopeKey, str], list[JSONDict]] = {}
        self._descriptions: dict[str, str] = {}
        self._short_descriptions: dict[str, str] = {}
        self._names: dict[str, str] = {}
        self._default_menu_button: JSONDict | None = None

        self._feed = _Signal()
        self._global_version = 0
        self._processed: set[int] = set()
        self._dropped: set[int] = set()

        handlers: dict[str, MethodHandler] = {
            "getMe": self._m_get_me,
            "logOut": self._m_trivial,
            "close": self._m_trivial,
            "getUpdates": self._m_get_updates,
            "setWebhook": self._m_set_webhook,
            "deleteWebhook": self._m_delete_webhook,
            "getWebhookInfo": self._m_get_webhook_info,
            "sendMessage": self._m_send_message,
            "sendPhoto": self._m_send_photo,
            "sendDocument": self._m_send_document,
            "editMessageText": self._m_edit_message_text,
            "editMessageCaption": self._m_edit_message_caption,
            "editMessageReplyMarkup": self._m_edit_message_reply_markup,
            "deleteMessage": self._m_delete_message,
            "deleteMessages": self._m_delete_messages,
            "answerCallbackQuery": self._m_answer_callback_query,
            "getFile": self._m_get_file,
            "setMyCommands": self._m_set_my_commands,
            "getMyCommands": self._m_get_my_commands,
            "deleteMyCommands": self._m_delete_my_commands,
            "sendChatAction": self._m_send_chat_action,
            "setChatMenuButton": self._m_set_chat_menu_button,
            "getChatMenuButton": self._m_get_chat_menu_button,
            "setMyDescription": self._m_set_my_description,
            "getMyDescription": self._m_get_my_description,
            "setMyShortDescription": self._m_set_my_short_description,
            "getMyShortDescription": self._m_get_my_short_description,
            "setMyName": self._m_set_my_name,
            "getMyName": self._m_get_my_name,
            "getChat": self._m_get_chat,
        }
        self._methods: dict[str, tuple[str, MethodHandler]] = {
            name.lower(): (name, handler) for name, handler in handlers.items()
        }

    # ----------------------------------------------------------------------------------------------------
    # lifecycle
    # ----------------------------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving on ``host``:``port`` (port 0 picks a free one)."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_not_found)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self._requested_port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(runner.addresses[0][1])
        self._session = aiohttp.ClientSession()
        self._closing = False

    async def stop(self) -> None:
        """Stop serving: ends long polls, webhook deliveries, the server and the HTTP client session."""
        self._closing = True
        self._updates_signal.notify_all()
        if self._deliverer is not None:
            await self._deliverer.close()
            self._deliverer = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port served (after start)."""
        if self._port is None:
            raise RuntimeError("the emulator is not running; await start() first")
        return self._port

    @property
    def url(self) -> str:
        """``http://host:port``."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``Bot(base_url=...)`` / ``ApplicationBuilder().base_url(...)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``Bot(base_file_url=...)`` / ``ApplicationBuilder().base_file_url(...)``."""
        return f"{self.url}/file/bot"

    def make_token(self, bot_id: int | None = None) -> str:
        """A valid random token (for ``bot_id``, by default :attr:`bot_id`)."""
        return f"{self.bot_id if bot_id is None else bot_id}:{secrets.token_urlsafe(26)}"

    def revoke_token(self, token: str) -> None:
        """From now on requests with ``token`` get 401 Unauthorized."""
        self._revoked_tokens.add(token)

    # ----------------------------------------------------------------------------------------------------
    # HTTP layer
    # ----------------------------------------------------------------------------------------------------

    def _error_response(self, error: TelegramApiError) -> web.Response:
        return web.json_response(error.to_json(), status=error.error_code)

    def _count_error(self, error: TelegramApiError) -> None:
        self.stats.errors[error.error_code] += 1
        if error.error_code == 429:
            self.stats.too_many_requests += 1

    async def _handle_not_found(self, request: web.Request) -> web.Response:
        error = TelegramApiError(404, "Not Found")
        self._count_error(error)
        return self._error_response(error)

    def _check_token(self, token: str) -> int:
        match = _TOKEN_RE.match(token)
        if match is None:
            raise TelegramApiError(404, "Not Found")
        if token in self._revoked_tokens:
            raise TelegramApiError(401, "Unauthorized")
        return int(match.group(1))

    async def _handle_api(self, request: web.Request) -> web.Response:
        try:
            bot_id = self._check_token(request.match_info["token"])
            values, files = await self._read_params(request)
        except TelegramApiError as error:
            self._count_error(error)
            return self._error_response(error)
        try:
            result, description = await self._call(bot_id, request.match_info["method"], values, files)
        except TelegramApiError as error:
            return self._error_response(error)
        except Exception as exc:  # a bug in the emulator: answer like a failing server and say why
            _LOGGER.exception("emulator failure in %s", request.match_info["method"])
            failure = TelegramApiError(500, f"Internal Server Error: emulator failure: {exc!r}")
            self._count_error(failure)
            return self._error_response(failure)
        body: JSONDict = {"ok": True, "result": result}
        if description is not None:
            body["description"] = description
        return web.json_response(body)

    async def _read_params(self, request: web.Request) -> tuple[JSONDict, dict[str, _Upload]]:
        values: JSONDict = dict(request.query)
        files: dict[str, _Upload] = {}
        if not request.body_exists:
            return values, files
        try:
            if request.content_type == "application/json":
                raw = await request.read()
                if raw.strip():
                    try:
                        body = json.loads(raw)
                    except ValueError:
                        raise _bad_request("can't parse JSON object") from None
                    if not isinstance(body, dict):
                        raise _bad_request("can't parse JSON object")
                    values.update(body)
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        files[key] = _Upload(value.filename, value.content_type, value.file.read())
                    elif isinstance(value, bytes | bytearray):
                        files[key] = _Upload(key, None, bytes(value))
                    else:
                        values[key] = value
        except web.HTTPRequestEntityTooLarge:
            raise TelegramApiError(413, "Request Entity Too Large") from None
        return values, files

    async def _call(
        self, bot_id: int, method: str, values: JSONDict, files: dict[str, _Upload]
    ) -> tuple[Any, str | None]:
        try:
            entry = self._methods.get(method.lower())
            if entry is None:
                self.stats.requests[method] += 1
                _LOGGER.warning("Bot API method %r is not emulated; answering 404 Not Found", method)
                raise TelegramApiError(404, "Not Found")
            name, handler = entry
            self.stats.requests[name] += 1
            params = _Params(values, files)
            limited = self.rate_limit and name in _RATE_LIMITED_METHODS
            now = self._clock()
            chat_key = self._rate_chat_key(params) if limited else None
            if limited:
                if self._limiter.limits != self.rate_limits:
                    self._limiter.limits = self.rate_limits
                retry_after = self._limiter.check(chat_key, now)
                if retry_after is not None:
                    raise TelegramApiError(
                        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
                    )
            result = handler(_Ctx(bot_id, params))
            if inspect.isawaitable(result):
                result = await result
            if limited:
                self._limiter.record(chat_key, now)
        except TelegramApiError as error:
            self._count_error(error)
            raise
        if isinstance(result, _Described):
            return result.value, result.description
        return result, None

    def _rate_chat_key(self, params: _Params) -> int | None:
        value = params.raw("chat_id")
        if isinstance(value, str) and value.startswith("@"):
            chat = self._chat_by_username(value[1:])
            return chat.id if chat else None
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    async def _handle_file(self, request: web.Request) -> web.Response:
        try:
            self._check_token(request.match_info["token"])
        except TelegramApiError as error:
            self._count_error(error)
            return self._error_response(error)
        self.stats.requests["<file download>"] += 1
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            not_found = TelegramApiError(404, "Not Found")
            self._count_error(not_found)
            return self._error_response(not_found)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    async def _run_webhook_reply(self, content_type: str, payload: bytes) -> None:
        """Telegram executes a method call given in the body of a webhook response."""
        if content_type != "application/json" or not payload.strip():
            return
        try:
            body = json.loads(payload)
        except ValueError:
            return
        if not isinstance(body, dict) or not isinstance(body.get("method"), str):
            return
        values = dict(body)
        method = values.pop("method")
        with contextlib.suppress(TelegramApiError):
            await self._call(self.bot_id, method, values, {})

    # ----------------------------------------------------------------------------------------------------
    # helpers on state
    # ----------------------------------------------------------------------------------------------------

    def _bot_user(self, bot_id: int) -> JSONDict:
        return {
            "id": bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    def _user_dict(self, user_id: int) -> JSONDict | None:
        user = self._users.get(user_id)
        return user.to_dict() if user else None

    def _chat_by_username(self, username: str) -> _Chat | None:
        username = username.lower()
        for chat in self._chats.values():
            name = chat.username or (chat.user.username if chat.user else None)
            if name and name.lower() == username:
                return chat
        return None

    def _resolve_chat(self, value: Any) -> _Chat:
        if value is None or value == "":
            raise _bad_request("chat_id is empty")
        chat: _Chat | None
        if isinstance(value, str) and value.strip().startswith("@"):
            chat = self._chat_by_username(value.strip()[1:])
        else:
            try:
                chat = self._chats.get(int(value))
            except (TypeError, ValueError):
                chat = None
        if chat is None:
            raise TelegramApiError(400, ERR_CHAT_NOT_FOUND)
        return chat

    def _check_not_blocked(self, chat: _Chat) -> None:
        if chat.type == "private" and chat.id in self._blocked:
            raise TelegramApiError(403, ERR_BLOCKED)

    def _bot_action(self, chat: _Chat, message: SentMessage | None = None) -> None:
        chat.version += 1
        self._global_version += 1
        if message is not None:
            message.version = chat.version
        self._feed.notify_all()

    def _message_json(self, message: SentMessage, *, with_reply: bool = True) -> JSONDict:
        chat = self._chats[message.chat_id]
        data: JSONDict = {
            "message_id": message.message_id,
            "from": self._bot_user(message.sender_id),
            "chat": chat.to_dict(),
            "date": int(message.date.timestamp()),
        }
        if message.kind == "text":
            data["text"] = message.text or ""
            if message.entities:
                data["entities"] = copy.deepcopy(message.entities)
            if message.link_preview_options:
                data["link_preview_options"] = dict(message.link_preview_options)
        else:
            stored = self._files[message.file_id or ""]
            if message.kind == "photo":
                data["photo"] = stored.photo_sizes()
            else:
                data["document"] = stored.document()
            if message.caption:
                data["caption"] = message.caption
                if message.entities:
                    data["caption_entities"] = copy.deepcopy(message.entities)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = copy.deepcopy(message.reply_markup)
        if message.edit_date is not None:
            data["edit_date"] = int(message.edit_date.timestamp())
        if message.protect_content:
            data["has_protected_content"] = True
        if with_reply and message.reply_to_message_id is not None:
            replied = self._any_message_json(chat, message.reply_to_message_id)
            if replied is not None:
                data["reply_to_message"] = replied
        return data

    def _any_message_json(self, chat: _Chat, message_id: int) -> JSONDict | None:
        bot_message = chat.bot_messages.get(message_id)
        if bot_message is not None and not bot_message.deleted:
            return self._message_json(bot_message, with_reply=False)
        user_message = chat.user_messages.get(message_id)
        if user_message is not None and message_id not in chat.deleted_user_messages:
            data = copy.deepcopy(user_message)
            data.pop("reply_to_message", None)
            return data
        return None

    def _store_file(
        self,
        data: bytes,
        kind: Literal["photo", "document"],
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> _StoredFile:
        number = next(self._file_counter)
        if kind == "photo":
            path = f"photos/file_{number}.jpg"
            prefix = "AgACAgIAAxkBAA"
            mime_type = mime_type or "image/jpeg"
        else:
            suffix = ""
            if file_name and "." in file_name:
                suffix = "." + file_name.rsplit(".", 1)[1][:10]
            path = f"documents/file_{number}{suffix}"
            prefix = "BQACAgIAAxkBAA"
        stored = _StoredFile(
            file_id=prefix + secrets.token_urlsafe(36),
            file_unique_id="AgAD" + secrets.token_urlsafe(9),
            data=data,
            file_path=path,
            kind=kind,
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    # ----------------------------------------------------------------------------------------------------
    # updates
    # ----------------------------------------------------------------------------------------------------

    def _enqueue_update(self, kind: str, payload: JSONDict, chat_id: int | None) -> JSONDict:
        update_id = self._next_update_id
        self._next_update_id += 1
        update: JSONDict = {"update_id": update_id, kind: payload}
        if kind in self._allowed_updates:
            self._updates[update_id] = _PendingUpdate(update_id, kind, copy.deepcopy(update), chat_id)
            self._updates_signal.notify_all()
        else:
            self._dropped.add(update_id)
        self._feed.notify_all()
        return update

    def _discard_update(self, update_id: int) -> None:
        self._updates.pop(update_id, None)
        self._feed.notify_all()

    def _confirm_updates(self, offset: int) -> None:
        if offset > 0:
            for update_id in [uid for uid in self._updates if uid < offset]:
                del self._updates[update_id]
        elif offset < 0:
            keep = -offset
            ids = list(self._updates)
            for update_id in ids[: max(len(ids) - keep, 0)]:
                del self._updates[update_id]

    def _drop_pending_updates(self) -> None:
        self._dropped.update(self._updates)
        self._updates.clear()
        self._feed.notify_all()

    def _set_allowed_updates(self, raw: Any) -> None:
        if raw is None:
            return
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise _bad_request("can't parse allowed updates JSON object")
        self._allowed_updates = frozenset(raw) if raw else _DEFAULT_ALLOWED_UPDATES

    # ----------------------------------------------------------------------------------------------------
    # Bot API methods
    # ----------------------------------------------------------------------------------------------------

    def _m_get_me(self, ctx: _Ctx) -> JSONDict:
        return {
            **self._bot_user(ctx.bot_id),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _m_trivial(self, ctx: _Ctx) -> bool:
        return True

    async def _m_get_updates(self, ctx: _Ctx) -> list[JSONDict]:
        params = ctx.params
        if self._webhook is not None:
            raise TelegramApiError(409, ERR_CONFLICT_WEBHOOK)
        offset = params.get_int("offset", 0) or 0
        limit = min(max(params.get_int("limit", 100) or 0, 1), 100)  # Telegram clamps to 1..100
        timeout = max(params.get_int("timeout", 0) or 0, 0)
        self._set_allowed_updates(params.get_json("allowed_updates", error="can't parse allowed updates"))
        if self._active_poll is not None:
            self._active_poll.terminated = True
            self._updates_signal.notify_all()
        poll = _Poll()
        self._active_poll = poll
        self._feed.notify_all()
        try:
            self._confirm_updates(offset)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + timeout
            while True:
                if poll.terminated:
                    raise TelegramApiError(409, ERR_CONFLICT_POLL)
                if self._webhook is not None:
                    raise TelegramApiError(409, ERR_CONFLICT_WEBHOOK)
                if self._closing:
                    return []
                pending = list(itertools.islice(self._updates.values(), limit))
                if pending:
                    return [pending_update.update for pending_update in pending]
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return []
                await self._updates_signal.wait(remaining)
        finally:
            if self._active_poll is poll:
                self._active_poll = None
                self._feed.notify_all()

    async def _m_set_webhook(self, ctx: _Ctx) -> _Described:
        params = ctx.params
        url = (params.get_str("url") or "").strip()
        if not url:
            return await self._m_delete_webhook(ctx)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get_str("secret_token") or None
        if secret is not None:
            if len(secret) > 256:
                raise _bad_request("secret token is too long")
            if not _SECRET_TOKEN_RE.match(secret):
                raise _bad_request("secret token contains unallowed characters")
        max_connections = min(max(params.get_int("max_connections", 40) or 40, 1), 100)
        self._set_allowed_updates(params.get_json("allowed_updates", error="can't parse allowed updates"))
        if params.get_bool("drop_pending_updates"):
            self._drop_pending_updates()
        webhook = _Webhook(
            url=url,
            secret_token=secret,
            max_connections=max_connections,
            ip_address=params.get_str("ip_address"),
            has_custom_certificate="certificate" in params.files,
        )
        previous = self._webhook
        unchanged = (
            previous is not None
            and dataclasses.replace(previous, last_error_date=None, last_error_message=None) == webhook
        )
        if previous is not None:
            webhook.last_error_date = previous.last_error_date
            webhook.last_error_message = previous.last_error_message
        await self._install_webhook(webhook)
        return _Described(True, "Webhook is already set" if unchanged else "Webhook was set")

    async def _install_webhook(self, webhook: _Webhook | None) -> None:
        if self._deliverer is not None:
            await self._deliverer.close()
            self._deliverer = None
        self._webhook = webhook
        self._updates_signal.notify_all()  # a running long poll answers 409 now
        if webhook is not None:
            if self._session is None:
                raise TelegramApiError(500, "Internal Server Error: the emulator is not running")
            self._deliverer = _WebhookDeliverer(self, webhook, self._session)

    async def _m_delete_webhook(self, ctx: _Ctx) -> _Described:
        if ctx.params.get_bool("drop_pending_updates"):
            self._drop_pending_updates()
        if self._webhook is None:
            return _Described(True, "Webhook is already deleted")
        await self._install_webhook(None)
        return _Described(True, "Webhook was deleted")

    def _m_get_webhook_info(self, ctx: _Ctx) -> JSONDict:
        webhook = self._webhook
        info: JSONDict = {
            "url": webhook.url if webhook else "",
            "has_custom_certificate": bool(webhook and webhook.has_custom_certificate),
            "pending_update_count": len(self._updates),
        }
        if webhook is not None:
            info["max_connections"] = webhook.max_connections
            if webhook.ip_address:
                info["ip_address"] = webhook.ip_address
            if self._allowed_updates != _DEFAULT_ALLOWED_UPDATES:
                info["allowed_updates"] = sorted(self._allowed_updates)
            if webhook.last_error_date is not None:
                info["last_error_date"] = webhook.last_error_date
                info["last_error_message"] = webhook.last_error_message
        return info

    def _format_message_text(self, params: _Params) -> tuple[str, ParsedText]:
        raw = params.get_str("text")
        if not raw:
            raise TelegramApiError(400, ERR_TEXT_EMPTY)
        parsed = format_text(
            raw,
            params.get_str("parse_mode"),
            params.get_json("entities", error="can't parse entities JSON object"),
            resolve_user=self._user_dict,
        )
        if not parsed.text:
            raise TelegramApiError(400, ERR_TEXT_EMPTY)
        if utf16_len(parsed.text) > MAX_MESSAGE_LENGTH:
            raise TelegramApiError(400, ERR_TEXT_TOO_LONG)
        return raw, parsed

    def _format_caption(self, params: _Params) -> tuple[str | None, ParsedText | None]:
        raw = params.get_str("caption")
        if not raw:
            return None, None
        parsed = format_text(
            raw,
            params.get_str("parse_mode"),
            params.get_json("caption_entities", error="can't parse entities JSON object"),
            resolve_user=self._user_dict,
        )
        if utf16_len(parsed.text) > MAX_CAPTION_LENGTH:
            raise TelegramApiError(400, ERR_CAPTION_TOO_LONG)
        if not parsed.text:
            return raw, None
        return raw, parsed

    def _reply_markup(self, params: _Params, *, inline_only: bool = False) -> JSONDict | None:
        raw = params.get_json("reply_markup", error="can't parse reply keyboard markup JSON object")
        if raw is None:
            return None
        return _validate_reply_markup(raw, inline_only=inline_only)

    def _message_exists(self, chat: _Chat, message_id: int) -> bool:
        bot_message = chat.bot_messages.get(message_id)
        if bot_message is not None:
            return not bot_message.deleted
        return message_id in chat.user_messages and message_id not in chat.deleted_user_messages

    def _reply_target(self, chat: _Chat, params: _Params) -> int | None:
        reply = params.get_json("reply_parameters", error="can't parse reply parameters JSON object")
        allow_without = params.get_bool("allow_sending_without_reply")
        message_id: int | None
        if reply is not None:
            if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int | str):
                raise _bad_request("can't parse reply parameters JSON object")
            try:
                message_id = int(reply["message_id"])
            except ValueError:
                raise _bad_request("can't parse reply parameters JSON object") from None
            allow_without = bool(reply.get("allow_sending_without_reply", allow_without))
            target_chat_id = reply.get("chat_id")
            if target_chat_id not in (None, "", chat.id, str(chat.id)):
                other = self._resolve_chat(target_chat_id)
                if self._message_exists(other, message_id) or allow_without:
                    return None  # a reply to another chat's message: accepted, not shown here
                raise _bad_request("message to be replied not found")
        else:
            message_id = params.get_int("reply_to_message_id")
        if message_id is None:
            return None
        if self._message_exists(chat, message_id):
            return message_id
        if allow_without:
            return None
        raise _bad_request("message to be replied not found")

    def _new_bot_message(self, ctx: _Ctx, chat: _Chat, message: SentMessage) -> JSONDict:
        params = ctx.params
        message.sender_id = ctx.bot_id
        message.reply_to_message_id = self._reply_target(chat, params)
        message.disable_notification = params.get_bool("disable_notification")
        message.protect_content = params.get_bool("protect_content")
        message.parse_mode = params.get_str("parse_mode")
        self._check_not_blocked(chat)
        message.message_id = chat.allocate_message_id()
        chat.bot_messages[message.message_id] = message
        markup = message.reply_markup
        if markup is not None:
            if "keyboard" in markup:
                chat.reply_keyboard = markup
            elif markup.get("remove_keyboard"):
                chat.reply_keyboard = None
        self._bot_action(chat, message)
        return self._message_json(message)

    def _m_send_message(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        raw, parsed = self._format_message_text(params)
        link_preview = params.get_json("link_preview_options", error="can't parse link preview options")
        if link_preview is not None and not isinstance(link_preview, dict):
            raise _bad_request("can't parse link preview options JSON object")
        if link_preview is None and params.get_bool("disable_web_page_preview"):
            link_preview = {"is_disabled": True}
        message = SentMessage(
            message_id=0,
            chat_id=chat.id,
            kind="text",
            text=parsed.text,
            html=raw,
            entities=parsed.entities,
            reply_markup=self._reply_markup(params),
            link_preview_options=link_preview,
        )
        return self._new_bot_message(ctx, chat, message)

    def _input_file(self, params: _Params, name: Literal["photo", "document"]) -> _StoredFile:
        value = params.raw(name)
        upload = params.files.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            upload = params.files.get(value.removeprefix("attach://"))
            if upload is None:
                raise _bad_request(f"there is no {name} in the request")
        if upload is not None:
            if not upload.data:
                raise _bad_request("file must be non-empty")
            if name == "photo":
                size = _image_size(upload.data)
                if size is None:
                    raise _bad_request("IMAGE_PROCESS_FAILED")
                width, height = size
                if width + height > 10000 or max(width, height) > 20 * min(width, height):
                    raise _bad_request("PHOTO_INVALID_DIMENSIONS")
                return self._store_file(upload.data, "photo", size=size)
            mime_type = upload.content_type
            if not mime_type or mime_type == "application/octet-stream":
                mime_type = mimetypes.guess_type(upload.filename or "")[0] or mime_type
            return self._store_file(upload.data, "document", file_name=upload.filename, mime_type=mime_type)
        if value is None or value == "":
            raise _bad_request(f"there is no {name} in the request")
        if not isinstance(value, str):
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if value.startswith(("http://", "https://")):
            raise _bad_request("failed to get HTTP URL content")
        stored = self._files.get(value.strip())
        if stored is None:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        if stored.kind != name:
            raise _bad_request(f"can't use file of type {stored.kind.capitalize()} as {name.capitalize()}")
        return stored

    def _send_media(self, ctx: _Ctx, kind: Literal["photo", "document"]) -> JSONDict:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        raw_caption, caption = self._format_caption(params)
        markup = self._reply_markup(params)
        stored = self._input_file(params, kind)
        message = SentMessage(
            message_id=0,
            chat_id=chat.id,
            kind=kind,
            html=raw_caption,
            caption=caption.text if caption else None,
            entities=caption.entities if caption else [],
            reply_markup=markup,
            file=stored.data,
            file_id=stored.file_id,
            file_name=stored.file_name,
            mime_type=stored.mime_type,
        )
        return self._new_bot_message(ctx, chat, message)

    def _m_send_photo(self, ctx: _Ctx) -> JSONDict:
        return self._send_media(ctx, "photo")

    def _m_send_document(self, ctx: _Ctx) -> JSONDict:
        return self._send_media(ctx, "document")

    def _edit_target(self, params: _Params) -> tuple[_Chat, SentMessage]:
        if params.has("inline_message_id"):
            raise _bad_request("MESSAGE_ID_INVALID")
        chat = self._resolve_chat(params.raw("chat_id"))
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            if self._message_exists(chat, message_id):
                raise _bad_request("message can't be edited")
            raise TelegramApiError(400, ERR_EDIT_NOT_FOUND)
        return chat, message

    @staticmethod
    def _inline_markup(message: SentMessage) -> JSONDict | None:
        """Only an inline keyboard belongs to a message (a reply keyboard belongs to the chat)."""
        markup = message.reply_markup
        return markup if markup is not None and "inline_keyboard" in markup else None

    @staticmethod
    def _replace_inline_markup(message: SentMessage, markup: JSONDict | None) -> None:
        if markup is not None or message.reply_markup is None or "inline_keyboard" in message.reply_markup:
            message.reply_markup = markup

    def _finish_edit(self, chat: _Chat, message: SentMessage) -> JSONDict:
        message.edited = True
        message.edit_date = datetime.now(UTC)
        self._bot_action(chat, message)
        return self._message_json(message)

    def _m_edit_message_text(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        raw, parsed = self._format_message_text(params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind != "text":
            raise _bad_request("there is no text in the message to edit")
        if (
            parsed.text == message.text
            and parsed.entities == message.entities
            and markup == self._inline_markup(message)
        ):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        message.text, message.html, message.entities = parsed.text, raw, parsed.entities
        self._replace_inline_markup(message, markup)
        message.parse_mode = params.get_str("parse_mode")
        link_preview = params.get_json("link_preview_options", error="can't parse link preview options")
        if isinstance(link_preview, dict):
            message.link_preview_options = link_preview
        return self._finish_edit(chat, message)

    def _m_edit_message_caption(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        raw, caption = self._format_caption(params)
        markup = self._reply_markup(params, inline_only=True)
        if message.kind == "text":
            raise _bad_request("there is no caption in the message to edit")
        new_caption = caption.text if caption else None
        new_entities = caption.entities if caption else []
        if (
            new_caption == message.caption
            and new_entities == message.entities
            and markup == self._inline_markup(message)
        ):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        message.caption, message.html, message.entities = new_caption, raw, new_entities
        self._replace_inline_markup(message, markup)
        message.parse_mode = params.get_str("parse_mode")
        return self._finish_edit(chat, message)

    def _m_edit_message_reply_markup(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        chat, message = self._edit_target(params)
        markup = self._reply_markup(params, inline_only=True)
        if markup == self._inline_markup(message):
            raise TelegramApiError(400, ERR_NOT_MODIFIED)
        self._replace_inline_markup(message, markup)
        return self._finish_edit(chat, message)

    def _delete_one(self, chat: _Chat, message_id: int) -> None:
        message = chat.bot_messages.get(message_id)
        if message is not None and not message.deleted:
            message.deleted = True
            self._bot_action(chat, message)
            return
        if message_id in chat.user_messages and message_id not in chat.deleted_user_messages:
            if chat.type != "private":
                raise _bad_request("message can't be deleted")
            chat.deleted_user_messages.add(message_id)
            self._bot_action(chat)
            return
        raise TelegramApiError(400, ERR_DELETE_NOT_FOUND)

    def _m_delete_message(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        message_id = params.get_int("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        self._delete_one(chat, message_id)
        return True

    def _m_delete_messages(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        ids = params.get_json("message_ids", error="can't parse message identifiers JSON object")
        if not isinstance(ids, list) or not ids or len(ids) > 100:
            raise _bad_request("message identifiers are not specified")
        for message_id in ids:
            with contextlib.suppress(TelegramApiError, TypeError, ValueError):
                self._delete_one(chat, int(message_id))
        return True

    def _m_answer_callback_query(self, ctx: _Ctx) -> bool:
        params = ctx.params
        query_id = params.get_str("callback_query_id") or ""
        text = params.get_str("text") or None
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        query = self._callback_queries.get(query_id)
        expired = (
            query is not None
            and self.callback_query_ttl is not None
            and self._clock() - query.created_at > self.callback_query_ttl
        )
        if query is None or query.answered or expired:
            raise TelegramApiError(400, ERR_QUERY_TOO_OLD)
        query.answered = True
        self._callback_answers[query.user_id].append(
            CallbackAnswer(
                query_id=query.id,
                user_id=query.user_id,
                chat_id=query.chat_id,
                message_id=query.message_id,
                data=query.data,
                text=text,
                show_alert=params.get_bool("show_alert"),
                url=params.get_str("url"),
                cache_time=params.get_int("cache_time", 0) or 0,
            )
        )
        chat = self._chats.get(query.chat_id)
        if chat is not None:
            self._bot_action(chat)
        return True

    def _m_get_file(self, ctx: _Ctx) -> JSONDict:
        file_id = (ctx.params.get_str("file_id") or "").strip()
        stored = self._files.get(file_id)
        if stored is None:
            raise _bad_request("wrong file_id or the file is temporarily unavailable")
        if len(stored.data) > MAX_DOWNLOAD_BYTES:
            raise _bad_request("file is too big")
        return stored.file_json()

    def _scope_key(self, params: _Params) -> ScopeKey:
        scope = params.get_json("scope", error="can't parse BotCommandScope JSON object")
        if scope is None:
            return ("default",)
        return self._scope_key_of(scope)

    def _scope_key_of(self, scope: Any) -> ScopeKey:
        if isinstance(scope, str):
            scope = {"type": scope}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise _bad_request("can't parse BotCommandScope JSON object")
        kind = scope["type"]
        if kind in _SCOPES_WITHOUT_CHAT:
            return (kind,)
        if kind in ("chat", "chat_administrators", "chat_member"):
            chat = self._resolve_chat(scope.get("chat_id"))
            if kind == "chat_member":
                try:
                    user_id = int(scope.get("user_id") or 0)
                except (TypeError, ValueError):
                    user_id = 0
                if user_id not in self._users:
                    raise _bad_request("user not found")
                return (kind, chat.id, user_id)
            return (kind, chat.id)
        raise _bad_request("unsupported bot command scope type specified")

    def _m_set_my_commands(self, ctx: _Ctx) -> bool:
        params = ctx.params
        raw = params.get_json("commands", error="can't parse commands JSON object")
        if raw is None:
            raise _bad_request('parameter "commands" is required')
        if not isinstance(raw, list):
            raise _bad_request("can't parse commands JSON object")
        if len(raw) > MAX_COMMANDS:
            raise _bad_request("BOT_COMMANDS_TOO_MUCH")
        commands: list[JSONDict] = []
        for item in raw:
            if not isinstance(item, dict):
                raise _bad_request("can't parse BotCommand: Object expected as BotCommand")
            command, description = item.get("command"), item.get("description")
            if not isinstance(command, str):
                raise _bad_request('can\'t parse BotCommand: Field "command" must be of type String')
            if not isinstance(description, str):
                raise _bad_request('can\'t parse BotCommand: Field "description" must be of type String')
            command = command.strip().removeprefix("/")
            description = description.strip()
            if not command:
                raise _bad_request("command must be non-empty")
            if not _COMMAND_RE.match(command):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not description:
                raise _bad_request("command description must be non-empty")
            if len(description) > 256:
                raise _bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            commands.append({"command": command, "description": description})
        key = (self._scope_key(params), params.get_str("language_code") or "")
        if commands:
            self._commands[key] = commands
        else:
            self._commands.pop(key, None)
        return True

    def _m_get_my_commands(self, ctx: _Ctx) -> list[JSONDict]:
        key = (self._scope_key(ctx.params), ctx.params.get_str("language_code") or "")
        return copy.deepcopy(self._commands.get(key, []))

    def _m_delete_my_commands(self, ctx: _Ctx) -> bool:
        key = (self._scope_key(ctx.params), ctx.params.get_str("language_code") or "")
        self._commands.pop(key, None)
        return True

    def _m_send_chat_action(self, ctx: _Ctx) -> bool:
        params = ctx.params
        chat = self._resolve_chat(params.raw("chat_id"))
        action = params.get_str("action") or ""
        if action not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        self._check_not_blocked(chat)
        chat.actions.append(action)
        return True

    def _m_set_chat_menu_button(self, ctx: _Ctx) -> bool:
        params = ctx.params
        button = params.get_json("menu_button", error="can't parse menu button JSON object")
        if button is not None and (not isinstance(button, dict) or "type" not in button):
            raise _bad_request("can't parse menu button JSON object")
        if params.has("chat_id"):
            self._resolve_chat(params.raw("chat_id")).menu_button = button
        else:
            self._default_menu_button = button
        return True

    def _m_get_chat_menu_button(self, ctx: _Ctx) -> JSONDict:
        params = ctx.params
        if params.has("chat_id"):
            button = self._resolve_chat(params.raw("chat_id")).menu_button
            return dict(button) if button else {"type": "default"}
        return dict(self._default_menu_button) if self._default_menu_button else {"type": "commands"}

    @staticmethod
    def _set_localized(store: dict[str, str], params: _Params, name: str, limit: int, error: str) -> bool:
        value = (params.get_str(name) or "").strip()
        if utf16_len(value) > limit:
            raise _bad_request(error)
        language = params.get_str("language_code") or ""
        if value:
            store[language] = value
        else:
            store.pop(language, None)
        return True

    @staticmethod
    def _get_localized(store: dict[str, str], params: _Params) -> str:
        language = params.get_str("language_code") or ""
        return store.get(language, store.get("", ""))

    def _m_set_my_description(self, ctx: _Ctx) -> bool:
        return self._set_localized(self._descriptions, ctx.params, "description", 512, "BOT_ABOUT_INVALID")

    def _m_get_my_description(self, ctx: _Ctx) -> JSONDict:
        return {"description": self._get_localized(self._descriptions, ctx.params)}

    def _m_set_my_short_description(self, ctx: _Ctx) -> bool:
        return self._set_localized(
            self._short_descriptions, ctx.params, "short_description", 120, "BOT_ABOUT_INVALID"
        )

    def _m_get_my_short_description(self, ctx: _Ctx) -> JSONDict:
        return {"short_description": self._get_localized(self._short_descriptions, ctx.params)}

    def _m_set_my_name(self, ctx: _Ctx) -> bool:
        return self._set_localized(self._names, ctx.params, "name", 64, "BOT_TITLE_INVALID")

    def _m_get_my_name(self, ctx: _Ctx) -> JSONDict:
        return {"name": self._get_localized(self._names, ctx.params) or self.bot_first_name}

    def _m_get_chat(self, ctx: _Ctx) -> JSONDict:
        chat = self._resolve_chat(ctx.params.raw("chat_id"))
        return {
            **chat.to_dict(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    # ----------------------------------------------------------------------------------------------------
    # user side: people and chats
    # ----------------------------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int | None = None,
        *,
        first_name: str = "Alice",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> SandboxUser:
        """Create a user (an id is allocated when None) and their private chat with the bot."""
        from bot.sandbox.client import SandboxUser  # the client module imports this one

        if user_id is None:
            while self._next_user_id in self._users:
                self._next_user_id += 1
            user_id = self._next_user_id
            self._next_user_id += 1
        if user_id <= 0:
            raise ValueError("user ids are positive")
        if user_id in self._users:
            raise ValueError(f"user {user_id} already exists")
        user = _User(user_id, first_name, last_name, username, language_code)
        self._users[user_id] = user
        self._chats[user_id] = _Chat(id=user_id, type="private", user=user)
        return SandboxUser(self, user_id)

    def user(self, user_id: int) -> SandboxUser:
        """A driver for an existing user."""
        from bot.sandbox.client import SandboxUser

        self._get_user(user_id)
        return SandboxUser(self, user_id)

    def _get_user(self, user_id: int) -> _User:
        user = self._users.get(user_id)
        if user is None:
            raise KeyError(f"unknown user {user_id}; create it with add_user()")
        return user

    def _get_chat(self, chat_id: int) -> _Chat:
        chat = self._chats.get(chat_id)
        if chat is None:
            raise KeyError(f"unknown chat {chat_id}")
        return chat

    def add_group(
        self,
        title: str,
        *,
        members: Iterable[int] = (),
        username: str | None = None,
        supergroup: bool = False,
    ) -> int:
        """Create a group chat (negative id) and return its id. Users join it by sending in it."""
        number = next(self._group_counter)
        chat_id = -(1_000_000_000_000 + number) if supergroup else -(4_000_000_000 + number)
        self._chats[chat_id] = _Chat(
            id=chat_id,
            type="supergroup" if supergroup else "group",
            title=title,
            username=username,
            members={self._get_user(member).id for member in members},
        )
        return chat_id

    def block_bot(self, user_id: int) -> None:
        """The user blocks the bot: sending to them answers 403 until unblocked (or they write again)."""
        self._get_user(user_id)
        self._blocked.add(user_id)

    def unblock_bot(self, user_id: int) -> None:
        """The user unblocks the bot."""
        self._blocked.discard(user_id)

    def is_blocked(self, user_id: int) -> bool:
        """Whether the user currently blocks the bot."""
        return user_id in self._blocked

    # ----------------------------------------------------------------------------------------------------
    # user side: injecting updates
    # ----------------------------------------------------------------------------------------------------

    def _user_chat(self, user_id: int, chat_id: int | None) -> tuple[_User, _Chat]:
        user = self._get_user(user_id)
        chat = self._get_chat(user_id if chat_id is None else chat_id)
        if chat.type == "private" and chat.id != user_id:
            raise ValueError(f"user {user_id} cannot write in the private chat of user {chat.id}")
        if chat.type == "private":
            self._blocked.discard(user_id)  # writing to a bot restarts (unblocks) it
        else:
            chat.members.add(user_id)
        return user, chat

    def _new_user_message(self, user: _User, chat: _Chat, content: JSONDict) -> JSONDict:
        message_id = chat.allocate_message_id()
        message: JSONDict = {
            "message_id": message_id,
            "from": user.to_dict(),
            "chat": chat.to_dict(),
            "date": _now_ts(),
            **content,
        }
        chat.user_messages[message_id] = message
        return message

    def inject_message(
        self, user_id: int, text: str, chat_id: int | None = None, *, reply_to_message_id: int | None = None
    ) -> JSONDict:
        """The user sends ``text``; returns the Update. A leading ``/command`` (or ``/command@bot``) gets a
        bot_command entity like Telegram sets; ``/start PAYLOAD`` is how deep links arrive."""
        user, chat = self._user_chat(user_id, chat_id)
        content: JSONDict = {"text": text}
        command = _LEADING_COMMAND_RE.match(text)
        if command:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command.group())}]
        if reply_to_message_id is not None:
            replied = self._any_message_json(chat, reply_to_message_id)
            if replied is None:
                raise KeyError(f"no message {reply_to_message_id} in chat {chat.id}")
            content["reply_to_message"] = replied
        message = self._new_user_message(user, chat, content)
        return self._enqueue_update("message", message, chat.id)

    def inject_callback(
        self, user_id: int, message_id: int, data: str | None, chat_id: int | None = None
    ) -> JSONDict:
        """The user presses a button with ``data`` on the bot's message ``message_id`` (the data need not
        be on its keyboard: this is how tests forge callbacks). Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        message = chat.bot_messages.get(message_id)
        if message is None or message.deleted:
            raise KeyError(f"no bot message {message_id} in chat {chat.id}")
        query_id = str(secrets.randbits(63))
        self._callback_queries[query_id] = _CallbackQuery(
            query_id, user_id, chat.id, message_id, data, created_at=self._clock()
        )
        query: JSONDict = {
            "id": query_id,
            "from": user.to_dict(),
            "message": self._message_json(message),
            "chat_instance": chat.chat_instance,
        }
        if data is not None:
            query["data"] = data
        return self._enqueue_update("callback_query", query, chat.id)

    def inject_document(
        self,
        user_id: int,
        filename: str,
        content: bytes,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JSONDict:
        """The user sends a file; getFile and the file download work for it. Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self._store_file(content, "document", file_name=filename, mime_type=mime_type)
        payload: JSONDict = {"document": stored.document()}
        if caption:
            payload["caption"] = caption
        message = self._new_user_message(user, chat, payload)
        return self._enqueue_update("message", message, chat.id)

    def inject_photo(
        self, user_id: int, content: bytes, caption: str | None = None, chat_id: int | None = None
    ) -> JSONDict:
        """The user sends a photo (dimensions read from PNG/JPEG/GIF/WebP/BMP headers). Returns the Update."""
        user, chat = self._user_chat(user_id, chat_id)
        stored = self._store_file(content, "photo", size=_image_size(content) or (1, 1))
        payload: JSONDict = {"photo": stored.photo_sizes()}
        if caption:
            payload["caption"] = caption
        message = self._new_user_message(user, chat, payload)
        return self._enqueue_update("message", message, chat.id)

    # ----------------------------------------------------------------------------------------------------
    # user side: reading what the bot did
    # ----------------------------------------------------------------------------------------------------

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent in the chat, in order (snapshots, deleted ones flagged)."""
        chat = self._get_chat(chat_id)
        return [chat.bot_messages[mid].snapshot() for mid in sorted(chat.bot_messages)]

    def message(self, chat_id: int, message_id: int) -> SentMessage:
        """One bot message (snapshot); KeyError if the bot never sent it."""
        return self._get_chat(chat_id).bot_messages[message_id].snapshot()

    def last_message(self, chat_id: int) -> SentMessage | None:
        """The latest bot message still in the chat."""
        chat = self._get_chat(chat_id)
        for message_id in sorted(chat.bot_messages, reverse=True):
            if not chat.bot_messages[message_id].deleted:
                return chat.bot_messages[message_id].snapshot()
        return None

    def changes_since(self, chat_id: int, version: int) -> list[SentMessage]:
        """Bot messages of the chat sent or edited after the chat had ``version`` (not deleted ones)."""
        chat = self._get_chat(chat_id)
        return [
            chat.bot_messages[mid].snapshot()
            for mid in sorted(chat.bot_messages)
            if chat.bot_messages[mid].version > version and not chat.bot_messages[mid].deleted
        ]

    def version(self, chat_id: int) -> int:
        """Counter of bot actions (message sent/edited/deleted, callback answered) in the chat."""
        return self._get_chat(chat_id).version

    @property
    def global_version(self) -> int:
        """Counter of bot actions in all chats."""
        return self._global_version

    def user_messages(self, chat_id: int) -> list[JSONDict]:
        """Messages users sent in the chat (Message dicts), without those the bot deleted."""
        chat = self._get_chat(chat_id)
        return [
            copy.deepcopy(chat.user_messages[mid])
            for mid in sorted(chat.user_messages)
            if mid not in chat.deleted_user_messages
        ]

    def callback_answers(self, user_id: int) -> list[CallbackAnswer]:
        """The bot's answers to this user's callback queries, in order."""
        return list(self._callback_answers.get(user_id, []))

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot has not answered (a Telegram client would show a spinner)."""
        return [query.id for query in self._callback_queries.values() if not query.answered]

    def chat_actions(self, chat_id: int) -> list[str]:
        """The chat actions (``typing``...) the bot sent to the chat."""
        return list(self._get_chat(chat_id).actions)

    def reply_keyboard(self, chat_id: int) -> JSONDict | None:
        """The reply keyboard currently shown in the chat (set by the last message carrying one)."""
        keyboard = self._get_chat(chat_id).reply_keyboard
        return copy.deepcopy(keyboard)

    def file_bytes(self, file_id: str) -> bytes:
        """The content of a stored file."""
        return self._files[file_id].data

    def commands(self, scope: Any = "default", language_code: str = "") -> list[JSONDict]:
        """The commands set for exactly this scope (a BotCommandScope dict or its type) and language."""
        return copy.deepcopy(self._commands.get((self._scope_key_of(scope), language_code), []))

    def visible_commands(self, chat_id: int, language_code: str | None = None) -> list[JSONDict]:
        """The command list a client shows in the chat, resolved through the scopes like Telegram."""
        chat = self._get_chat(chat_id)
        scopes: list[ScopeKey] = [("chat", chat.id)]
        scopes.append(("all_private_chats",) if chat.type == "private" else ("all_group_chats",))
        scopes.append(("default",))
        for scope in scopes:
            for language in ([language_code] if language_code else []) + [""]:
                commands = self._commands.get((scope, language))
                if commands:
                    return copy.deepcopy(commands)
        return []

    def bot_description(self, language_code: str = "") -> str:
        """What setMyDescription stored (for the language, falling back to the default)."""
        return self._descriptions.get(language_code, self._descriptions.get("", ""))

    def bot_short_description(self, language_code: str = "") -> str:
        """What setMyShortDescription stored (for the language, falling back to the default)."""
        return self._short_descriptions.get(language_code, self._short_descriptions.get("", ""))

    def menu_button(self, chat_id: int | None = None) -> JSONDict | None:
        """The menu button set for the chat (or the default one)."""
        if chat_id is None:
            return copy.deepcopy(self._default_menu_button)
        return copy.deepcopy(self._get_chat(chat_id).menu_button)

    @property
    def supported_methods(self) -> list[str]:
        """The Bot API methods the emulator implements (others answer 404 Not Found, as Telegram does)."""
        return sorted(name for name, _handler in self._methods.values())

    @property
    def is_polling(self) -> bool:
        """Whether a getUpdates request is currently waiting (long polling)."""
        return self._active_poll is not None

    @property
    def webhook_url(self) -> str | None:
        """The webhook currently set, if any."""
        return self._webhook.url if self._webhook else None

    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed (getUpdates) or delivered (webhook)."""
        return [copy.deepcopy(pending.update) for pending in self._updates.values()]

    # ----------------------------------------------------------------------------------------------------
    # waiting
    # ----------------------------------------------------------------------------------------------------

    async def wait_for(
        self,
        predicate: Callable[[BotApiEmulator], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - part of the API; no asyncio.timeout() needed by callers
    ) -> None:
        """Wait until ``predicate(self)`` holds; it is re-evaluated after every change (bot actions,
        injected updates, processed marks). Raises TimeoutError after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate(self):
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the condition was not met within {timeout:g} s")
            await self._feed.wait(remaining)

    def mark_processed(self, update_id: int) -> None:
        """Called by the test harness when the bot has finished handling the update ``update_id``."""
        self._processed.add(update_id)
        self._feed.notify_all()

    def is_processed(self, update_id: int) -> bool:
        """Whether :meth:`mark_processed` was called for the update."""
        return update_id in self._processed

    async def wait_processed(self, update_id: int, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Wait until the update was marked processed (or was dropped: filtered out, drop_pending_updates).
        Raises TimeoutError."""
        try:
            await self.wait_for(
                lambda emulator: update_id in emulator._processed or update_id in emulator._dropped, timeout
            )
        except TimeoutError:
            raise TimeoutError(f"update {update_id} was not processed within {timeout:g} s") from None
