"""Formatted text, the shared part: Telegram's HTML, MarkdownV2 and Markdown parsers (ported from tdlib's
behaviour) work on UTF-8 bytes because Telegram's error messages give byte offsets; entity offsets and lengths
are counted in UTF-16 code units."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qs, urlsplit

from bot.sandbox.emulator.errors import JSONDict


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram uses for lengths and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


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
