"""Unit tests of the emulator's Telegram text parsers (HTML, MarkdownV2, Markdown) and text rules."""

from __future__ import annotations

import pytest

from bot.sandbox.emulator import (
    EntityParseError,
    TelegramApiError,
    format_text,
    parse_html,
    parse_markdown,
    parse_markdown_v2,
    utf16_len,
)


def test_utf16_len_counts_surrogate_pairs() -> None:
    assert utf16_len("abc") == 3
    assert utf16_len("é") == 1
    assert utf16_len("😀") == 2
    assert utf16_len("💪🏽") == 4  # emoji + skin tone modifier, both astral


def test_html_nested_tags() -> None:
    parsed = parse_html("<b>bold <i>both</i></b> <u>u</u> <s>s</s> <tg-spoiler>x</tg-spoiler>")
    assert parsed.text == "bold both u s x"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "underline", "offset": 10, "length": 1},
        {"type": "strikethrough", "offset": 12, "length": 1},
        {"type": "spoiler", "offset": 14, "length": 1},
    ]


def test_html_synonyms_and_case() -> None:
    parsed = parse_html("<STRONG>a</STRONG><em>b</em><ins>c</ins><del>d</del><strike>e</strike>")
    assert parsed.text == "abcde"
    assert [e["type"] for e in parsed.entities] == [
        "bold",
        "italic",
        "underline",
        "strikethrough",
        "strikethrough",
    ]


def test_html_utf16_offsets_with_emoji() -> None:
    parsed = parse_html("😀 <b>💪 go</b> é<i>x</i>")
    assert parsed.text == "😀 💪 go éx"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 5},
        {"type": "italic", "offset": 10, "length": 1},
    ]


def test_html_entities_decoded() -> None:
    parsed = parse_html("a &lt;b&gt; &amp; &quot;q&quot; &#128512; &#x1F4AA; &nbsp; &amp x")
    assert parsed.text == 'a <b> & "q" 😀 💪 &nbsp; & x'
    assert parsed.entities == []


def test_html_links_and_code() -> None:
    parsed = parse_html(
        '<a href="https://example.com">site</a> <a href="example.org/x">o</a> '
        '<pre><code class="language-python">print(1)</code></pre> <code>c</code> <pre>p</pre>'
    )
    assert parsed.text == "site o print(1) c p"
    assert parsed.entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://example.com/"},
        {"type": "text_link", "offset": 5, "length": 1, "url": "http://example.org/x"},
        {"type": "pre", "offset": 7, "length": 8, "language": "python"},
        {"type": "code", "offset": 16, "length": 1},
        {"type": "pre", "offset": 18, "length": 1},
    ]


def test_html_text_mention_needs_a_known_user() -> None:
    users = {42: {"id": 42, "is_bot": False, "first_name": "Bob"}}
    parsed = parse_html(
        '<a href="tg://user?id=42">Bob</a> <a href="tg://user?id=7">x</a>', resolve_user=users.get
    )
    assert parsed.entities == [{"type": "text_mention", "offset": 0, "length": 3, "user": users[42]}]


def test_html_spoiler_span_blockquote_and_emoji() -> None:
    parsed = parse_html(
        '<span class="tg-spoiler">s</span><blockquote>q</blockquote><blockquote expandable>e</blockquote>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parsed.text == "sqe👍"
    assert parsed.entities == [
        {"type": "spoiler", "offset": 0, "length": 1},
        {"type": "blockquote", "offset": 1, "length": 1},
        {"type": "expandable_blockquote", "offset": 2, "length": 1},
        {"type": "custom_emoji", "offset": 3, "length": 2, "custom_emoji_id": "5368324170671202286"},
    ]


def test_html_empty_tags_make_no_entity() -> None:
    assert parse_html("a<b></b>c").entities == []


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
        ("ab<br>", 'Unsupported start tag "br" at byte offset 2'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("1<2 apples", 'Unsupported start tag "2" at byte offset 1'),
        ("1<2", "Unclosed start tag at byte offset 1"),
        ("é <b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x>y</a>', "Unclosed start tag at byte offset 0"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        (
            "<a href>x</a>",
            'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0',
        ),
    ],
)
def test_html_errors(html: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_html(html)
    assert str(caught.value) == error


def test_html_byte_offsets_count_utf8_bytes() -> None:
    with pytest.raises(EntityParseError, match=r"byte offset 6$"):
        parse_html("ééé<x>")  # é is 2 bytes in UTF-8


def test_markdown_v2() -> None:
    parsed = parse_markdown_v2(r"*bold _italic_* __under__ ~s~ ||sp|| `c` [link](https://t.me) 1\.5\!")
    assert parsed.text == "bold italic under s sp c link 1.5!"
    assert parsed.entities == [
        {"type": "bold", "offset": 0, "length": 11},
        {"type": "italic", "offset": 5, "length": 6},
        {"type": "underline", "offset": 12, "length": 5},
        {"type": "strikethrough", "offset": 18, "length": 1},
        {"type": "spoiler", "offset": 20, "length": 2},
        {"type": "code", "offset": 23, "length": 1},
        {"type": "text_link", "offset": 25, "length": 4, "url": "https://t.me/"},
    ]


def test_markdown_v2_pre_and_blockquote() -> None:
    parsed = parse_markdown_v2("```python\nprint(1)\n```\n>quoted\n>more\nafter")
    assert parsed.text == "print(1)\n\nquoted\nmore\nafter"
    assert parsed.entities == [
        {"type": "pre", "offset": 0, "length": 9, "language": "python"},
        {"type": "blockquote", "offset": 10, "length": 11},
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1.5", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("a-b", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("*bold", "Can't find end of Bold entity at byte offset 0"),
        ("x _it", "Can't find end of Italic entity at byte offset 2"),
        ("[a](http://x.y", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_markdown_v2_errors(text: str, error: str) -> None:
    with pytest.raises(EntityParseError) as caught:
        parse_markdown_v2(text)
    assert str(caught.value) == error


def test_markdown_legacy() -> None:
    parsed = parse_markdown("*b* _i_ `c` [t](https://x.org) 1.5-2")
    assert parsed.text == "b i c t 1.5-2"
    assert [e["type"] for e in parsed.entities] == ["bold", "italic", "code", "text_link"]
    with pytest.raises(EntityParseError, match="Can't find end of the entity starting at byte offset 2"):
        parse_markdown("a *b")


def test_format_text_trims_and_shifts_entities() -> None:
    parsed = format_text("\n  <b>hi</b> there \n", "HTML")
    assert parsed.text == "hi there"
    assert parsed.entities == [{"type": "bold", "offset": 0, "length": 2}]


def test_format_text_errors_use_telegram_descriptions() -> None:
    with pytest.raises(TelegramApiError) as caught:
        format_text("<b>x", "HTML")
    assert caught.value.error_code == 400
    assert caught.value.description == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    with pytest.raises(TelegramApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode")


def test_format_text_explicit_entities_win_over_parse_mode() -> None:
    parsed = format_text("<b>x</b>", "HTML", [{"type": "italic", "offset": 0, "length": 3}])
    assert parsed.text == "<b>x</b>"
    assert parsed.entities == [{"type": "italic", "offset": 0, "length": 3}]
