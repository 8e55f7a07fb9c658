"""The Mini App's first load: the bytes of the page and of every static file it loads, against the
300 KB target of issue #16.

The bot's web app (bot.webapp.create_app) is served on a free loopback port; the bench fetches
/app/ and follows what it loads: the stylesheet and script of index.html, every ES module imported from
them (static `import ... from "./x.js"`), and the strings (static/i18n/en.json, plus ru.json for a
Russian reader). It prints each file's bytes as served (the web app does not compress) and gzipped (what
a compressing proxy in front would send), the total for an English and a Russian reader, and the target.
With --browser, headless chromium (/usr/bin/chromium + chromedriver, selenium) opens the page and the
browser's own performance entries (transferSize / encodedBodySize) are summed as well. The API's JSON
answers are not part of the page's weight (their time is bench.webapp_api's business). Figures, never
asserted.

    .venv/bin/python -m bench.webapp_page [--quick] [--browser]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import re
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urljoin, urlparse

import aiohttp
from aiohttp import web

from bot.db.session import create_engine, create_sessionmaker
from bot.webapp.app import create_app

TARGET_BYTES = 300 * 1024
_ASSET = re.compile(r"""(?:href|src)=["']([^"']+)["']""")
_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"']+)["']""")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def crawl(base: str) -> dict[str, bytes]:
    """Path -> body of /app/ and every static file its first load fetches."""
    found: dict[str, bytes] = {}
    async with aiohttp.ClientSession(auto_decompress=False) as http:

        async def get(url: str) -> bytes:
            async with http.get(url) as response:
                response.raise_for_status()
                return await response.read()

        page_url = f"{base}/app/"
        html = await get(page_url)
        found["/app/"] = html
        refs = [ref for ref in _ASSET.findall(html.decode("utf-8")) if not ref.startswith("data:")]
        queue = [urljoin(page_url, ref) for ref in refs]  # data: URLs (the empty favicon) cost no request
        while queue:
            url = queue.pop(0)
            path = urlparse(url).path
            if path in found:
                continue
            body = await get(url)
            found[path] = body
            if path.endswith(".js"):
                queue += [urljoin(url, ref) for ref in _IMPORT.findall(body.decode("utf-8"))]
        for language in ("en", "ru"):  # fetched by js/i18n.js from the /app/api/me language
            path = f"/app/static/i18n/{language}.json"
            found[path] = await get(f"{base}{path}")
    return found


def browser_entries(url: str) -> list[tuple[str, int, int]] | None:
    """(name, transferSize, encodedBodySize) of the navigation and every resource, from chromium."""
    if not (Path("/usr/bin/chromium").exists() and Path("/usr/bin/chromedriver").exists()):
        print("--browser: /usr/bin/chromium or /usr/bin/chromedriver is missing; skipped")
        return None
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wb-bench-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(url)
        driver.implicitly_wait(0)
        for _attempt in range(100):
            if driver.execute_script("return document.getElementById('view').dataset.ready"):
                break
            driver.execute_async_script("setTimeout(arguments[0], 50)")
        entries = driver.execute_script(
            "return performance.getEntriesByType('navigation')"
            ".concat(performance.getEntriesByType('resource'))"
            ".map(e => [e.name, e.transferSize, e.encodedBodySize])"
        )
        return [(str(name), int(size), int(body)) for name, size, body in entries]
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _kb(size: int) -> str:
    return f"{size / 1024:7.1f} KB"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the same measurement (it takes a second)")
    parser.add_argument("--browser", action="store_true", help="also measure in headless chromium")
    args = parser.parse_args()

    engine = create_engine("sqlite+aiosqlite://")  # never queried: static files need no database
    application = create_app(session_factory=create_sessionmaker(engine), bot_token="0:bench")
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    port = _free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    base = f"http://127.0.0.1:{port}"
    try:
        files = await crawl(base)
        print(f"{'file':44} {'served':>10} {'gzipped':>10}")
        for path, body in sorted(files.items()):
            print(f"{path:44} {_kb(len(body)):>10} {_kb(len(gzip.compress(body, 9))):>10}")
        english = {p: b for p, b in files.items() if not p.endswith("/ru.json")}
        for label, chosen in (("English reader", english), ("Russian reader (en + ru strings)", files)):
            raw = sum(len(b) for b in chosen.values())
            packed = sum(len(gzip.compress(b, 9)) for b in chosen.values())
            print(
                f"first load, {label}: {len(chosen)} files, {_kb(raw).strip()} served,"
                f" {_kb(packed).strip()} gzipped; target {TARGET_BYTES // 1024} KB"
                f" ({100 * raw / TARGET_BYTES:.0f}% of it)"
            )
        if args.browser:
            entries = await asyncio.to_thread(browser_entries, f"{base}/app/")
            if entries is not None:
                transferred = sum(size for _name, size, _body in entries)
                bodies = sum(body for _name, _size, body in entries)
                print(
                    f"chromium (no sign-in: the page stops at 401 after its static files): {len(entries)}"
                    f" requests, {_kb(transferred).strip()} transferred (headers included),"
                    f" {_kb(bodies).strip()} of bodies; target {TARGET_BYTES // 1024} KB"
                )
    finally:
        await runner.cleanup()
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
