"""The coach's endpoints: the roster, the catalog for the builder, and program documents validated,
saved and assigned by the same services as the YAML upload and /assign in chat."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.i18n import exercise_name
from bot.services import coaching, program_builder
from bot.services.program_format import ProgramFormatError
from bot.services.seed.errors import ProgramExistsError
from bot.webapp.context import ApiError, db, json_body, now, parse_uuid, require_coach
from bot.webapp.models import Assignment

routes = web.RouteTableDef()


def _problems(error: ProgramFormatError) -> list[dict[str, str]]:
    return [{"location": p.location, "message": p.message} for p in error.problems]


async def _document(request: web.Request) -> dict[str, Any]:
    """The body as a JSON object (the program document); 413 / 422 otherwise."""
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "the request body is too large") from None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(
            422, "the body is not JSON", fields=[{"path": "body", "message": "a JSON object"}]
        ) from None
    if not isinstance(data, dict):
        raise ApiError(
            422, "the program must be a JSON object", fields=[{"path": "body", "message": "a JSON object"}]
        )
    return data


@routes.get("/app/api/trainees")
async def get_trainees(request: web.Request) -> web.Response:
    coach = require_coach(request)
    rows = await coaching.roster(db(request), coach, now(request))
    return web.json_response(
        [
            {
                "id": str(r.trainee.id),
                "name": r.trainee.name,
                "username": r.trainee.username,
                "attention": [flag.kind.value for flag in r.flags],
                "last_workout": None if r.last_workout is None else r.last_workout.date().isoformat(),
                "adherence_14d": round(r.completed / r.scheduled, 3) if r.scheduled else None,
            }
            for r in rows
        ]
    )


@routes.get("/app/api/catalog")
async def get_catalog(request: web.Request) -> web.Response:
    coach = require_coach(request)
    found = await program_builder.builder_catalog(db(request), coach)
    return web.json_response(
        {
            "exercises": [
                {
                    "id": str(e.id),
                    "code": e.code,
                    "name": e.name if e.own else exercise_name(e.name),
                    "tracking": e.tracking,
                    "equipment": e.equipment,
                    "muscle": e.muscle,
                    "own": e.own,
                }
                for e in found
            ]
        }
    )


@routes.post("/app/api/programs/validate")
async def validate_program(request: web.Request) -> web.Response:
    coach = require_coach(request)
    document = await _document(request)
    try:
        await program_builder.parse_document(db(request), coach, document)
    except ProgramFormatError as error:
        return web.json_response({"ok": False, "problems": _problems(error)})
    return web.json_response({"ok": True, "problems": []})


@routes.post("/app/api/programs")
async def create_program(request: web.Request) -> web.Response:
    coach = require_coach(request)
    document = await _document(request)
    try:
        program = await program_builder.save_document(db(request), coach, document)
    except ProgramFormatError as error:
        raise ApiError(422, error.reason, problems=_problems(error)) from None
    except ProgramExistsError as error:
        raise ApiError(422, error.reason, problems=[{"location": "name", "message": error.reason}]) from None
    return web.json_response({"id": str(program.id), "name": program.name}, status=201)


@routes.post("/app/api/programs/{program_id}/assign")
async def assign_program(request: web.Request) -> web.Response:
    coach = require_coach(request)
    program_id = parse_uuid(request.match_info["program_id"], "program")
    body = await json_body(request, Assignment)
    _trainee, info = await coaching.assign(
        db(request), coach, body.trainee_id, program_id, body.start_date, now(request)
    )
    return web.json_response({"enrollment_id": str(info.id)})
