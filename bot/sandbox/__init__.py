"""A local Telegram Bot API emulator and a user-side driver, for tests, the playground and benchmarks."""

from bot.sandbox.client import SandboxUser
from bot.sandbox.emulator import (
    BotApiEmulator,
    CallbackAnswer,
    EmulatorStats,
    ParsedText,
    RateLimits,
    SentMessage,
    TelegramApiError,
    format_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)

__all__ = [
    "BotApiEmulator",
    "CallbackAnswer",
    "EmulatorStats",
    "ParsedText",
    "RateLimits",
    "SandboxUser",
    "SentMessage",
    "TelegramApiError",
    "format_text",
    "parse_html",
    "parse_markdown",
    "parse_markdown_v2",
    "utf16_len",
]
