"""The Mini App's static files: every string the page looks up exists in English and Russian with the
same placeholders (Russian plurals in all three forms), and nothing is loaded from another site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import bot.webapp

STATIC = Path(bot.webapp.__file__).parent / "static"
SCRIPTS = sorted((STATIC / "js").rglob("*.js"))
PLACEHOLDER = re.compile(r"\{(\w+)\}")
LOOKUP = re.compile(r"""\bt\(\s*["']([\w.]+)["']""")
PLURAL = re.compile(r"""\btn\(\s*["']([\w.]+)["']""")
DYNAMIC = re.compile(r"""\bt\(\s*`([\w.]+)\$\{""")


def strings(language: str) -> dict[str, str]:
    loaded: dict[str, str] = json.loads((STATIC / "i18n" / f"{language}.json").read_text(encoding="utf-8"))
    return loaded


def used_keys() -> tuple[set[str], set[str], set[str]]:
    plain: set[str] = set()
    plural: set[str] = set()
    prefixes: set[str] = set()
    for script in SCRIPTS:
        source = script.read_text(encoding="utf-8")
        plain |= set(LOOKUP.findall(source))
        plural |= set(PLURAL.findall(source))
        prefixes |= set(DYNAMIC.findall(source))
    return plain, plural, prefixes


def test_the_page_is_shipped_and_loads_its_modules() -> None:
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    assert 'src="static/js/main.js"' in index
    assert 'href="static/app.css"' in index
    assert SCRIPTS and (STATIC / "app.css").exists()


def test_every_string_the_page_uses_exists_in_english_and_russian() -> None:
    english, russian = strings("en"), strings("ru")
    plain, plural, prefixes = used_keys()
    assert plain and plural and prefixes
    for key in plain:
        assert key in english, key
        assert key in russian, key
    for key in plural:
        assert f"{key}.one" in english and f"{key}.other" in english, key
        assert all(f"{key}.{form}" in russian for form in ("one", "few", "many")), key
    for prefix in prefixes:  # t(`status.${status}`): at least one key of the family
        assert any(k.startswith(prefix) for k in english), prefix


def test_english_and_russian_have_the_same_keys_and_placeholders() -> None:
    english, russian = strings("en"), strings("ru")
    plural_extra = {k for k in russian if k.endswith((".few", ".many"))}
    assert set(english) == set(russian) - plural_extra
    for key, text in english.items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(russian[key])), key
    for key in plural_extra:
        base = key.rsplit(".", 1)[0]
        assert set(PLACEHOLDER.findall(russian[key])) == set(PLACEHOLDER.findall(english[f"{base}.other"])), (
            key
        )
    assert all(text.strip() for text in russian.values())
    assert not [k for k, v in russian.items() if v == english.get(k) and re.search("[a-z]{3}", v)]


def test_nothing_is_loaded_from_another_site() -> None:
    for path in STATIC.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for url in re.findall(r"https?://[^\s\"'`)]+", text):
                assert url == "http://www.w3.org/2000/svg", f"{path.name}: {url}"
            assert "telegram-web-app.js" not in text, path.name


def test_the_page_never_writes_html() -> None:
    """User text (names, notes, problems) is set as text: no innerHTML anywhere."""
    for script in SCRIPTS:
        source = script.read_text(encoding="utf-8")
        assert "innerHTML" not in source and "insertAdjacentHTML" not in source, script.name
