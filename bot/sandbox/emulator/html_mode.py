"""Telegram's ``parse_mode="HTML"`` parser."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.sandbox.emulator.entities import (
    _HTML_TAGS,
    _SIMPLE_HTML_ENTITY_TYPES,
    _SPACES,
    EntityParseError,
    ParsedText,
    _Bytes,
    _decode_html_entity,
    _link_entity,
    _sorted_entities,
    _utf16_units_of_byte,
)
from bot.sandbox.emulator.errors import JSONDict


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
