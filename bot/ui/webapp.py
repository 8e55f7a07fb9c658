"""The "Open dashboard" button: the Mini App (WEBAPP_URL) opened from a chat screen.

The view to show first is passed as ``?view=progress|history|trainees|programs`` on WEBAPP_URL
(Telegram appends its own data to the URL's fragment, so the query is where the page reads it).
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode, urlsplit, urlunsplit

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from bot.i18n import _

View = Literal["progress", "history", "trainees", "programs"]


def dashboard_url(base: str, view: View | None = None) -> str:
    """`base` (WEBAPP_URL) with ``view=`` added to its query."""
    if view is None:
        return base
    parts = urlsplit(base)
    query = f"{parts.query}&{urlencode({'view': view})}" if parts.query else urlencode({"view": view})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def with_dashboard(markup: InlineKeyboardMarkup | None, context: Any, view: View | None = None) -> Any:
    """`markup` with an "Open dashboard" row at the bottom when WEBAPP_URL is set; else `markup`."""
    settings = getattr(getattr(context, "bot_data", None), "settings", None)
    base = getattr(settings, "webapp_url", None)
    if not base:
        return markup
    button = InlineKeyboardButton(_("📊 Open dashboard"), web_app=WebAppInfo(url=dashboard_url(base, view)))
    rows = [list(row) for row in markup.inline_keyboard] if markup is not None else []
    return InlineKeyboardMarkup([*rows, [button]])
