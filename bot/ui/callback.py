"""Callback data: short, prefixed, and never trusted.

Telegram allows 64 bytes of callback data, so ids travel as 22-character base64url strings. A decoded
id proves nothing: every handler checks that the thing belongs to the user who pressed the button.

Prefixes: `on:` onboarding and settings, `pg:` program browsing, `en:` enrollment, `td:` today,
`wk:` the workout being logged.
"""

from __future__ import annotations

import base64
import binascii
import uuid

MAX_BYTES = 64


def short_id(value: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(value.bytes).decode().rstrip("=")


def parse_id(text: str) -> uuid.UUID | None:
    """The id in a button, or None when it is not one (forged or truncated data)."""
    if len(text) != 22:
        return None
    try:
        return uuid.UUID(bytes=base64.urlsafe_b64decode(text + "=="))
    except (binascii.Error, ValueError):
        return None


def pack(*parts: object) -> str:
    """Join parts with ':' (UUIDs shortened), refusing anything over Telegram's limit."""
    data = ":".join(short_id(p) if isinstance(p, uuid.UUID) else str(p) for p in parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
    return data


def unpack(data: str | None, prefix: str) -> list[str] | None:
    """The parts after `prefix:`, or None when the data is not ours."""
    if not data or not data.startswith(prefix + ":"):
        return None
    return data.split(":")[1:]


def workout_start(session_id: uuid.UUID) -> str:
    """The button that starts (or resumes) a workout session: used by /today, reminders, /workout."""
    return pack("wk", "start", session_id)


def workout_skip(session_id: uuid.UUID) -> str:
    return pack("wk", "skipw", session_id)
