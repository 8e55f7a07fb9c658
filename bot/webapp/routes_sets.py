"""Correcting a past set from the Mini App: the same services as /history in chat
(bot.services.set_corrections -> bot.services.history)."""

from __future__ import annotations

from aiohttp import web

from bot.services import set_corrections
from bot.webapp.context import db, json_body, me, parse_uuid
from bot.webapp.models import SetPatch
from bot.webapp.routes_dashboard import history_set

routes = web.RouteTableDef()


@routes.patch("/app/api/sets/{set_id}")
async def patch_set(request: web.Request) -> web.Response:
    user = me(request)
    set_id = parse_uuid(request.match_info["set_id"], "set")
    body = await json_body(request, SetPatch)
    session = db(request)
    change = set_corrections.SetChange(weight=body.weight, reps=body.reps, duration_seconds=body.duration_s)
    done, shown = await set_corrections.correct_set(session, user, set_id, change)
    return web.json_response(
        {**history_set(shown, user.weight_unit), "records_changed": list(done.records_changed)}
    )


@routes.delete("/app/api/sets/{set_id}")
async def delete_set(request: web.Request) -> web.Response:
    user = me(request)
    set_id = parse_uuid(request.match_info["set_id"], "set")
    done = await set_corrections.remove_set(db(request), user, set_id)
    return web.json_response({"deleted": True, "records_changed": list(done.records_changed)})
