"""The Mini App server, in the bot's process: started in post_init, stopped in post_shutdown.

It runs when WEBAPP_URL is set (the public URL Telegram opens) or when something asks for it without
one (`request_server`: the playground). It binds WEBAPP_LISTEN:WEBAPP_PORT; several webhook workers
share the port (SO_REUSEPORT). With WEBAPP_URL set, the bot's menu button opens the Mini App.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import quote

from aiohttp import web
from telegram import MenuButtonWebApp, WebAppInfo

from bot.webapp.initdata import sign_init_data
from bot.workers import WORKER_ENV

if TYPE_CHECKING:
    from telegram.ext import Application

log = logging.getLogger(__name__)

SERVER: Final = "webapp_server"
REQUESTED: Final = "webapp_requested"


def request_server(application: Application[Any, Any, Any, Any, Any, Any], port: int | None = None) -> None:
    """Run the Mini App server with this application even without WEBAPP_URL (the playground);
    `port` overrides WEBAPP_PORT (0: any free port)."""
    application.bot_data.extras[REQUESTED] = True if port is None else port


class WebAppServer:
    """The aiohttp server of bot.webapp.app for an application (its database and bot token)."""

    def __init__(
        self, application: Application[Any, Any, Any, Any, Any, Any], *, listen: str, port: int
    ) -> None:
        self.application = application
        self.listen = listen
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.listen}:{self.port}/app/"

    async def start(self) -> None:
        from bot.webapp.app import create_app

        data = self.application.bot_data
        app = create_app(
            session_factory=data.session_factory,
            bot_token=self.application.bot.token,
            clock=lambda: data.clock(),
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        reuse = os.environ.get(WORKER_ENV) is not None
        site = web.TCPSite(runner, self.listen, self.port, reuse_port=reuse or None)
        await site.start()
        self._runner = runner
        if self.port == 0:  # a free port was asked for: the one given
            server = site._server
            sockets = getattr(server, "sockets", None) or ()
            if sockets:
                self.port = int(sockets[0].getsockname()[1])
        log.info("Mini App on %s", self.base_url)

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


async def start_for(application: Application[Any, Any, Any, Any, Any, Any]) -> WebAppServer | None:
    """post_init: start the server when WEBAPP_URL is set or it was requested; None otherwise."""
    data = application.bot_data
    settings = data.settings
    requested = data.extras.get(REQUESTED)
    if settings is None or (settings.webapp_url is None and requested is None):
        return None
    port = settings.webapp_port if requested in (None, True) else int(requested)
    server = WebAppServer(application, listen=settings.webapp_listen, port=port)
    try:
        await server.start()
    except OSError as error:
        if requested is None:  # WEBAPP_URL is set: the operator's port must be free
            raise
        log.warning("Mini App port %d is taken (%s): using a free one", port, error)
        server = WebAppServer(application, listen=settings.webapp_listen, port=0)
        await server.start()
    data.extras[SERVER] = server
    return server


async def set_menu_button(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """With WEBAPP_URL: the bot's default menu button opens the Mini App."""
    settings = application.bot_data.settings
    if settings is None or settings.webapp_url is None:
        return
    from bot.i18n import _

    await application.bot.set_chat_menu_button(
        menu_button=MenuButtonWebApp(text=_("Dashboard"), web_app=WebAppInfo(url=settings.webapp_url))
    )


async def stop_for(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    server = application.bot_data.extras.pop(SERVER, None)
    if server is not None:
        await server.stop()


def dev_link(
    application: Application[Any, Any, Any, Any, Any, Any], user: Mapping[str, Any], now: datetime
) -> str | None:
    """The running server's page URL with init data for `user` (a Telegram user object) signed with the
    bot's token, as Telegram would open it (the playground prints it); None when no server runs."""
    server = running_server(application)
    if server is None:
        return None
    init_data = sign_init_data(user, application.bot.token, auth_date=now)
    return f"{server.base_url}#tgWebAppData={quote(init_data, safe='')}"


def running_server(application: Application[Any, Any, Any, Any, Any, Any]) -> WebAppServer | None:
    server = application.bot_data.extras.get(SERVER)
    return server if isinstance(server, WebAppServer) else None
