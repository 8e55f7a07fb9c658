"""What Telegram stores for a text sent with a parse_mode or explicit entities (trimmed, validated)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from bot.sandbox.emulator.entities import EntityParseError, ParsedText, _sorted_entities, utf16_len
from bot.sandbox.emulator.errors import ERR_PARSE_ENTITIES, JSONDict, TelegramApiError, _bad_request
from bot.sandbox.emulator.html_mode import parse_html
from bot.sandbox.emulator.markdown_mode import parse_markdown, parse_markdown_v2

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
