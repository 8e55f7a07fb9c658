"""Init data validation as Telegram specifies it: valid, forged, expired, missing."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.webapp.initdata import InitDataError, sign_init_data, validate_init_data
from tests.webapp.conftest import NOW, TOKEN


def signed(**user: object) -> str:
    return sign_init_data({"id": 42, "first_name": "Ann", **user}, TOKEN, auth_date=NOW)


def test_valid_init_data_gives_the_user() -> None:
    user = validate_init_data(signed(username="ann", language_code="ru"), TOKEN, now=NOW)
    assert (user.telegram_id, user.first_name, user.username, user.language_code) == (42, "Ann", "ann", "ru")


def test_matches_telegram_algorithm_computed_independently() -> None:
    # The data-check-string and keys exactly as the documentation spells them, not through our helper.
    fields = {"auth_date": str(int(NOW.timestamp())), "query_id": "AAH", "user": '{"id":7,"first_name":"Z"}'}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    assert validate_init_data(urlencode(fields), TOKEN, now=NOW).telegram_id == 7


@pytest.mark.parametrize(
    "change",
    [
        lambda f: {**f, "user": f["user"].replace('"id":42', '"id":43')},  # another user
        lambda f: {**f, "auth_date": str(int(f["auth_date"]) + 60)},  # a re-dated one
        lambda f: {**f, "hash": "0" * 64},
        lambda f: {k: v for k, v in f.items() if k != "hash"},
        lambda f: {**f, "extra": "x"},
    ],
    ids=["other-user", "redated", "zero-hash", "no-hash", "added-field"],
)
def test_forged_init_data_is_refused(change: object) -> None:
    fields = dict(parse_qsl(signed()))
    forged = urlencode(change(fields))  # type: ignore[operator]
    with pytest.raises(InitDataError):
        validate_init_data(forged, TOKEN, now=NOW)


def test_another_bots_token_is_refused() -> None:
    other = sign_init_data({"id": 42}, "987654321:" + "B" * 35, auth_date=NOW)
    with pytest.raises(InitDataError, match="signature"):
        validate_init_data(other, TOKEN, now=NOW)


def test_expired_after_24_hours() -> None:
    data = signed()
    assert validate_init_data(data, TOKEN, now=NOW + timedelta(hours=23, minutes=59)).telegram_id == 42
    with pytest.raises(InitDataError, match="expired"):
        validate_init_data(data, TOKEN, now=NOW + timedelta(hours=24, seconds=1))


def test_dated_in_the_future_is_refused() -> None:
    with pytest.raises(InitDataError, match="future"):
        validate_init_data(signed(), TOKEN, now=NOW - timedelta(hours=1))


@pytest.mark.parametrize("data", ["", "garbage", "a=1&a=2", "x" * 10_000, "hash=abc"])
def test_missing_or_malformed_is_refused(data: str) -> None:
    with pytest.raises(InitDataError):
        validate_init_data(data, TOKEN, now=NOW)


def test_signed_without_a_user_is_refused() -> None:
    fields = {"auth_date": str(int(NOW.timestamp()))}
    check = "\n".join(f"{k}={fields[k]}" for k in sorted(fields))
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    fields["hash"] = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    with pytest.raises(InitDataError, match="no user"):
        validate_init_data(urlencode(fields), TOKEN, now=NOW)
