"""The Mini App's aiohttp application: the page, its static files and the JSON API under /app/api/.

Every API request, in this order (`api_middleware`):

1. a body larger than `MAX_BODY` is refused with 413 before it is read;
2. ``Authorization: tma <initData>`` is validated (bot.webapp.initdata) with the bot's token: missing,
   forged or expired -> 401;
3. one database session is opened for the request (bot.db.session.session_scope: committed when the
   handler returns, rolled back when it raises); the signed-in Telegram user must be a user of the bot
   (else 403); the request runs in that user's language (bot.i18n);
4. errors become JSON: ApiError's status, NotFound 404, Forbidden 403, any other DomainError 422, with
   ``{"error": "..."}`` (and ``fields`` for invalid bodies); anything else is logged and answered 500
   without details.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.db.session import session_scope
from bot.i18n import use_locale, user_locale
from bot.services.errors import DomainError, Forbidden, NotFound
from bot.services.users import get_user_by_telegram_id
from bot.webapp.context import (
    BOT_TOKEN,
    CLOCK,
    SESSION,
    SESSION_FACTORY,
    USER,
    ApiError,
    error_body,
)
from bot.webapp.initdata import InitDataError, validate_init_data

log = logging.getLogger(__name__)

MAX_BODY: Final = 64 * 1024
"""Largest request body of the API (a program document is a few KB)."""
STATIC_DIR: Final = Path(__file__).parent / "static"
API_PREFIX: Final = "/app/api/"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _json_error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response(error_body(message, **extra), status=status)


def _init_data(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() != "tma" or not value.strip():
        raise InitDataError("missing Authorization: tma <initData>")
    return value.strip()


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith(API_PREFIX):
        return await handler(request)
    response = await _api_call(request, handler)
    # A user's data: never cached by the client or a proxy, never sniffed as anything but JSON.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


async def _api_call(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.content_length is not None and request.content_length > MAX_BODY:
        response = _json_error(413, f"the request body is larger than {MAX_BODY // 1024} KB")
        response.force_close()
        return response
    app = request.app
    try:
        signed = validate_init_data(_init_data(request), app[BOT_TOKEN], now=app[CLOCK]())
    except InitDataError as error:
        return _json_error(401, str(error))
    factory: async_sessionmaker[AsyncSession] = app[SESSION_FACTORY]
    try:
        async with session_scope(factory) as session:
            user = await get_user_by_telegram_id(session, signed.telegram_id)
            if user is None or not user.is_active:
                raise ApiError(403, "you are not a user of this bot yet: send /start in the chat first")
            request[SESSION] = session
            request[USER] = user
            with use_locale(user_locale(user)):
                return await handler(request)
    except ApiError as error:
        return _json_error(error.status, error.message, **error.extra)
    except NotFound as error:
        return _json_error(404, error.reason)
    except Forbidden as error:
        return _json_error(403, error.reason)
    except DomainError as error:
        return _json_error(422, error.reason, **_problems(error))
    except web.HTTPRequestEntityTooLarge:
        return _json_error(413, f"the request body is larger than {MAX_BODY // 1024} KB")
    except web.HTTPException as error:
        if error.status >= 400:
            return _json_error(error.status, error.reason)
        raise
    except Exception:
        log.exception("Mini App API error on %s %s", request.method, request.path)
        return _json_error(500, "something went wrong on our side")


def _problems(error: DomainError) -> dict[str, Any]:
    problems = getattr(error, "problems", None)
    if problems is None:
        field = getattr(error, "field", None)
        return {"fields": [{"path": field, "message": error.reason}]} if field else {}
    return {"problems": [{"location": p.location, "message": p.message} for p in problems]}


async def index(request: web.Request) -> web.StreamResponse:
    page = request.app[STATIC_DIR_KEY] / "index.html"
    response = web.FileResponse(page)
    response.headers["Cache-Control"] = "no-cache"
    return response


async def to_index(_request: web.Request) -> web.StreamResponse:
    raise web.HTTPPermanentRedirect("/app/")


STATIC_DIR_KEY: Final = web.AppKey("static_dir", Path)


def create_app(
    *,
    session_factory: async_sessionmaker[AsyncSession],
    bot_token: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    static_dir: Path = STATIC_DIR,
) -> web.Application:
    """The Mini App: ``/app/`` (the page), ``/app/static/...`` and the API (bot.webapp.routes)."""
    from bot.webapp import routes_coach, routes_dashboard, routes_sets

    app = web.Application(middlewares=[api_middleware], client_max_size=MAX_BODY)
    app[SESSION_FACTORY] = session_factory
    app[BOT_TOKEN] = bot_token
    app[CLOCK] = clock
    app[STATIC_DIR_KEY] = static_dir
    app.router.add_get("/app", to_index)
    app.router.add_get("/app/", index)
    app.router.add_static("/app/static/", static_dir, follow_symlinks=False)
    for module in (routes_dashboard, routes_sets, routes_coach):
        app.router.add_routes(module.routes)
    return app
