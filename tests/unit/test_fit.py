"""bot.ui.fit: echoing user input and fitting whole messages into Telegram's limits."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ratelimit import PriorityRateLimiter
from bot.ui.fit import MESSAGE_LIMIT, clip, echo, fit_message, fit_request, visible_length


def test_echo_cuts_collapses_and_escapes() -> None:
    assert echo("short") == "short"
    assert echo("a\n  b\tc") == "a b c"
    assert echo("<b>" + "x" * 100) == "&lt;b&gt;" + "x" * 36 + "…"
    assert len(echo("y" * 5000, 10)) == 10
    assert clip("abcdef", 4) == "abc…" and clip("abc", 4) == "abc"


def test_visible_length_counts_like_telegram() -> None:
    assert visible_length("<b>a &amp; b</b>\n<a href='x'>link</a>") == len("a & b\nlink")


def test_a_short_message_is_unchanged() -> None:
    text = "<b>Title</b>\nline &lt;1&gt;"
    assert fit_message(text) is text


def test_a_long_message_is_cut_at_a_line_and_tags_closed() -> None:
    text = "<b>Records</b>\n" + "\n".join(f"<i>{n}. squat &amp; press</i>" for n in range(1000))
    fitted = fit_message(text)
    assert visible_length(fitted) <= MESSAGE_LIMIT and fitted.endswith("\n…")
    assert fitted.count("<i>") == fitted.count("</i>")
    assert fitted.endswith(" press</i>\n…")  # whole lines only


def test_one_huge_line_is_cut_inside_and_closed() -> None:
    fitted = fit_message("<b>" + "&lt;" * 5000 + "</b>", 100)
    assert visible_length(fitted) <= 100 and fitted.endswith("</b>\n…")
    assert re.search(r"&l?t?$", fitted.removesuffix("</b>\n…")) is None  # no entity cut in half


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=200), st.integers(min_value=10, max_value=5000))
def test_anything_fits(lines: list[str], limit: int) -> None:
    markup = "\n".join(f"<b>{echo(line, 80)}</b> {echo(line, 80)}" for line in lines)
    fitted = fit_message(markup, limit)
    assert visible_length(fitted) <= limit
    assert fitted.count("<b>") == fitted.count("</b>")


def test_fit_request_cuts_what_telegram_would_refuse() -> None:
    data: dict[str, object] = {"chat_id": 1, "text": "<b>" + "x" * 5000 + "</b>", "parse_mode": "HTML"}
    fit_request("sendMessage", data)
    assert isinstance(data["text"], str) and visible_length(data["text"]) <= MESSAGE_LIMIT
    assert data["text"].endswith("</b>\n…")
    plain: dict[str, object] = {"text": "<" * 300}
    fit_request("answerCallbackQuery", plain)
    assert plain["text"] == "<" * 199 + "…"
    caption: dict[str, object] = {"caption": "y" * 2000, "parse_mode": None}
    fit_request("sendPhoto", caption)
    assert caption["caption"] == "y" * 1023 + "…"
    short = {"text": "fine", "parse_mode": "HTML"}
    fit_request("sendMessage", short)
    assert short == {"text": "fine", "parse_mode": "HTML"}
    other = {"text": "z" * 5000}
    fit_request("setMyDescription", other)  # not a message: left alone
    assert other["text"] == "z" * 5000


async def test_the_rate_limiter_fits_every_request() -> None:
    sent: list[dict[str, object]] = []

    async def call(data: dict[str, object]) -> bool:
        sent.append(dict(data))
        return True

    data: dict[str, object] = {"chat_id": 1, "text": "w" * 4097}
    await PriorityRateLimiter().process_request(call, (data,), {}, "sendMessage", data, None)
    assert sent == [{"chat_id": 1, "text": "w" * 4095 + "…"}]
