"""Browser tests of the Mini App: Debian's chromium driven by selenium, headless, against the bot's web
app served on a free port over the test database.

Selenium's calls block, and the web app runs on the test's event loop, so every browser call goes
through `Browser`, which runs it in a thread (`asyncio.to_thread`) while the loop keeps serving.

Without chromium/chromedriver the tests skip locally and FAIL in CI (CI=true): CI installs them (.ci/run).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.sandbox import SandboxUser
from bot.sandbox.harness import Clock, free_port
from bot.webapp.app import create_app
from bot.webapp.initdata import sign_init_data

# The emulator and the running bot of the end-to-end tests (users are made and registered the same way).
from tests.e2e.conftest import alice, bot_app, clock, emulator, make_user, mode, settings  # noqa: F401

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
BOT_TOKEN = "123456:browser-test-token"
WAIT_SECONDS = 20
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=420,900",
)


def _missing_browser() -> str | None:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not path.exists():
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


@pytest.fixture(scope="session")
def driver() -> Iterator[Any]:
    """One headless chromium for the run, with a fresh profile."""
    problem = _missing_browser()
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run in CI: {problem}")
        pytest.skip(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wb-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    chrome = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Browser:
    """The page, driven from async tests: each selenium call runs in a thread."""

    def __init__(self, driver: Any, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, *args)

    async def open(self, init_data: str, *, theme: str | None = None) -> None:
        """Open the page as Telegram does: the init data (and the theme's JSON) in the URL fragment."""
        fragment = f"tgWebAppData={quote(init_data, safe='')}&tgWebAppVersion=8.0"
        if theme is not None:
            fragment += f"&tgWebAppThemeParams={quote(theme, safe='')}"
        await self.call(self.driver.get, "about:blank")
        await self.call(self.driver.get, f"{self.base_url}/app/#{fragment}")

    async def wait(self, condition: Callable[[Any], Any], message: str = "") -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return await self.call(WebDriverWait(self.driver, WAIT_SECONDS).until, condition, message)

    async def css(self, selector: str) -> Any:
        """The first element matching `selector`, waiting until it is there and displayed."""

        def find(driver: Any) -> Any:
            for element in driver.find_elements("css selector", selector):
                if element.is_displayed():
                    return element
            return False

        return await self.wait(find, f"no visible {selector}")

    async def all(self, selector: str) -> list[Any]:
        return list(await self.call(self.driver.find_elements, "css selector", selector))

    async def ready(self, section: str) -> None:
        """Wait until the tab `section` has rendered (main#view[data-ready])."""
        await self.wait(
            lambda d: d.find_element("id", "view").get_attribute("data-ready") == section,
            f"section {section} never rendered",
        )

    async def tab(self, name: str) -> None:
        await self.click(f"#tab-{name}")
        await self.ready(name)

    async def click(self, selector: str) -> None:
        element = await self.css(selector)
        await self.call(self.driver.execute_script, "arguments[0].scrollIntoView({block: 'center'})", element)
        await self.call(element.click)

    async def type(self, selector: str, text: str) -> None:
        element = await self.css(selector)
        await self.call(element.clear)
        await self.call(element.send_keys, text)

    async def script(self, source: str, *args: Any) -> Any:
        return await self.call(self.driver.execute_script, source, *args)

    async def text(self, selector: str) -> str:
        element = await self.css(selector)
        return str(await self.call(lambda: element.text))


@pytest.fixture
async def webapp(
    session_factory: async_sessionmaker[AsyncSession],
    clock: Clock,  # noqa: F811 - the e2e fixture (a test module may override it)
) -> AsyncIterator[str]:
    """The bot's web app on a free port over the test database; its base URL."""
    application = create_app(session_factory=session_factory, bot_token=BOT_TOKEN, clock=clock)
    runner = web.AppRunner(application)
    await runner.setup()
    port = free_port()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def browser(driver: Any, webapp: str) -> AsyncIterator[Browser]:
    page = Browser(driver, webapp)
    yield page
    await page.call(driver.get, "about:blank")


def init_data_for(
    person: SandboxUser, first_name: str, now: datetime, *, language_code: str | None = None
) -> str:
    """Init data Telegram would hand the Mini App for `person`, signed with the test's bot token."""
    user: dict[str, Any] = {"id": person.user_id, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return sign_init_data(user, BOT_TOKEN, auth_date=now)
