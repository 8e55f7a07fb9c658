"""Telegram's error answers: the exception, the descriptions tests refer to, and the JSON alias."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

JSONDict = dict[str, Any]


def _now_ts() -> int:
    return int(datetime.now(UTC).timestamp())


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
