"""Telegram's ``parse_mode="MarkdownV2"`` and legacy ``"Markdown"`` parsers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from bot.sandbox.emulator.entities import (
    _SPACES,
    EntityParseError,
    ParsedText,
    _Bytes,
    _custom_emoji_id,
    _link_entity,
    _sorted_entities,
    _utf16_units_of_byte,
)
from bot.sandbox.emulator.errors import JSONDict

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
