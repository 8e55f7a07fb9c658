"""Telegram Mini App init data: validation (what the API trusts) and signing (tests, the playground).

As https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app specifies: the init
data is a URL-encoded query string; the data-check-string is every field but ``hash``, as ``key=value``,
sorted by key, joined by line feeds; ``secret_key = HMAC_SHA256(key="WebAppData", msg=bot_token)`` and the
expected hash is ``hex(HMAC_SHA256(key=secret_key, msg=data_check_string))``. ``auth_date`` (Unix time)
may be at most `MAX_AGE` old. Pure: no I/O, no clock of its own (`now` is given).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

MAX_AGE: Final = timedelta(hours=24)
MAX_INIT_DATA: Final = 8192
"""Longest init data accepted (Telegram's are a few hundred bytes)."""
CLOCK_SKEW: Final = timedelta(minutes=5)
"""How far in the future an auth_date may be (the client's and the server's clocks differ a little)."""


class InitDataError(Exception):
    """The init data is missing, malformed, forged or expired; the message says which (no secret in it)."""


@dataclass(frozen=True, slots=True)
class WebAppUser:
    """The signed-in Telegram user of validated init data."""

    telegram_id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    auth_date: datetime


def _secret(bot_token: str) -> bytes:
    return hmac.new(b"WebAppData", bot_token.encode("utf-8"), hashlib.sha256).digest()


def _check_string(fields: Mapping[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def _fields(init_data: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError("init data is not a query string") from None
    fields: dict[str, str] = {}
    for key, value in pairs:
        if key in fields:
            raise InitDataError(f"init data repeats the field {key!r}")
        fields[key] = value
    return fields


def validate_init_data(
    init_data: str, bot_token: str, *, now: datetime, max_age: timedelta = MAX_AGE
) -> WebAppUser:
    """The user of `init_data` signed with `bot_token`, or InitDataError (missing, forged, expired)."""
    if not init_data:
        raise InitDataError("no init data")
    if len(init_data) > MAX_INIT_DATA:
        raise InitDataError("init data is too long")
    fields = _fields(init_data)
    given = fields.get("hash")
    if not given:
        raise InitDataError("init data has no hash")
    expected = hmac.new(_secret(bot_token), _check_string(fields).encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.lower()):
        raise InitDataError("init data signature is invalid")
    try:
        auth_date = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
    except (ValueError, OverflowError, OSError):
        raise InitDataError("init data has no valid auth_date") from None
    if now - auth_date > max_age:
        raise InitDataError("init data has expired: reopen the Mini App")
    if auth_date - now > CLOCK_SKEW:
        raise InitDataError("init data is dated in the future")
    return _user(fields.get("user"), auth_date)


def _user(raw: str | None, auth_date: datetime) -> WebAppUser:
    if not raw:
        raise InitDataError("init data has no user")
    try:
        data = json.loads(raw)
    except ValueError:
        raise InitDataError("init data's user is not JSON") from None
    if not isinstance(data, dict):
        raise InitDataError("init data's user is not an object")
    telegram_id = data.get("id")
    first_name = data.get("first_name")
    if not isinstance(telegram_id, int) or isinstance(telegram_id, bool) or telegram_id <= 0:
        raise InitDataError("init data's user has no id")

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    return WebAppUser(
        telegram_id=telegram_id,
        first_name=first_name if isinstance(first_name, str) else "",
        last_name=text("last_name"),
        username=text("username"),
        language_code=text("language_code"),
        auth_date=auth_date,
    )


def sign_init_data(
    user: Mapping[str, Any],
    bot_token: str,
    *,
    auth_date: datetime,
    extra: Mapping[str, str] | None = None,
) -> str:
    """Init data for `user` (a Telegram user object: id, first_name, ...) signed with `bot_token`, as
    Telegram would pass it to the Mini App: for tests and the playground's dev link."""
    fields = {
        "query_id": "dev",
        "user": json.dumps(dict(user), separators=(",", ":"), ensure_ascii=False),
        "auth_date": str(int(auth_date.timestamp())),
        **(extra or {}),
    }
    fields["hash"] = hmac.new(
        _secret(bot_token), _check_string(fields).encode("utf-8"), hashlib.sha256
    ).hexdigest()
    return urlencode(fields)
